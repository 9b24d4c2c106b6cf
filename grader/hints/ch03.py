"""Hints for chapter 3 mistakes."""

HINTS = {
    "hint.sigmoid_sign": "sigmoid is 1 / (1 + exp(-x)): the minus sign in exp(-x) is missing (3.2.4)",
    "hint.sigmoid_overflow": "exp(x) / (1 + exp(x)) becomes inf / inf = nan for large x; write the "
                             "book's 1 / (1 + np.exp(-x)) (3.2.4)",
    "hint.step_function_bool": "x > 0 gives booleans; the book converts them to 0/1 integers with "
                               "np.array(x > 0, dtype=int) (3.2.3)",
    "hint.relu_in_place": "relu must return a new array: np.maximum(0, x) (3.2.7); setting "
                          "x[x < 0] = 0 changes the caller's array too",
    "hint.softmax_whole_batch": "for a batch (N, C) each row is one sample: take the max and the "
                                "sum along the last axis (axis=-1, keepdims=True), not over the "
                                "whole array — the 3.5.2 code is for one sample (1-D) only",
    "hint.softmax_whole_batch_sum": "each row must be divided by its own sum: "
                                    "np.sum(np.exp(x), axis=-1, keepdims=True), not np.sum of the "
                                    "whole batch (3.5.2)",
    "hint.softmax_overflow": "exp overflows for large inputs (exp(1000) = inf, inf / inf = nan): "
                             "subtract the max first, x - np.max(x, axis=-1, keepdims=True) (3.5.2)",
    "hint.softmax_row_max": "subtract each row's own max (np.max(x, axis=-1, keepdims=True)), not the "
                            "max of the whole batch: a row far below it becomes exp(-2000) = 0 and "
                            "0 / 0 = nan (3.5.2)",
    "hint.predict_output_sigmoid": "the output layer of the MNIST net uses softmax, not sigmoid: "
                                   "y = softmax(a3) (3.6.2)",
    "hint.predict_output_scores": "predict must end with y = softmax(a3): the scores a3 are not "
                                  "probabilities (3.6.2)",
}
