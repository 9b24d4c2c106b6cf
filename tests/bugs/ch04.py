"""Planted bugs, chapter 4 (common/functions.py losses, common/gradient.py, ch04/*.py)."""
from bugs import Bug

F, G = "common/functions.py", "common/gradient.py"
GM, N4 = "ch04/gradient_method.py", "ch04/two_layer_net.py"

BUGS = [
    # mean_squared_error (the seeds' study notes: np.sum((y-t)**2) / len(t))
    Bug("ch04.mean_squared_error", F, "return 0.5 * np.sum((y - t)**2)", "return np.sum((y - t)**2) / len(t)",
        "divided by len(t)", hint="hint.squared_error_mean"),
    Bug("ch04.mean_squared_error", F, "return 0.5 * np.sum((y - t)**2)", "return np.sum((y - t)**2)",
        "no one half", hint="hint.squared_error_half"),
    Bug("ch04.mean_squared_error", F, "return 0.5 * np.sum((y - t)**2)",
        "return 0.5 * np.sum((y - t)**2) / y.shape[0]", "batch average"),
    # cross_entropy_error
    Bug("ch04.cross_entropy_error", F,
        "return -np.sum(np.log(y[np.arange(batch_size), t] + 1e-7)) / batch_size",
        "return -np.sum(np.log(y[np.arange(batch_size), t] + 1e-7))",
        "not divided by the batch size", hint="hint.cross_entropy_no_batch_mean"),
    Bug("ch04.cross_entropy_error", F,
        "return -np.sum(np.log(y[np.arange(batch_size), t] + 1e-7)) / batch_size",
        "return -np.sum(t * np.log(y[np.arange(batch_size), t] + 1e-7)) / batch_size",
        "labels multiplied by t", hint="hint.cross_entropy_labels_times_t"),
    Bug("ch04.cross_entropy_error", F,
        "return -np.sum(np.log(y[np.arange(batch_size), t] + 1e-7)) / batch_size",
        "return -np.sum(np.log(y[np.arange(batch_size), t])) / batch_size",
        "no delta in the log", hint="hint.cross_entropy_no_delta"),
    Bug("ch04.cross_entropy_error", F, "    if t.size == y.size:\n        t = t.argmax(axis=1)",
        "    if t.ndim == 2:\n        t = t.argmax(axis=1)", "one-hot test misses the 1-D case"),
    # numerical_diff
    Bug("ch04.numerical_diff", GM, "return (f(x+h) - f(x-h)) / (2*h)", "return (f(x+h) - f(x)) / h",
        "forward difference", hint="hint.central_difference"),
    Bug("ch04.numerical_diff", GM, "h = 1e-4  # 0.0001\n    return", "h = 1e-50\n    return",
        "h too small", hint="hint.numerical_diff_tiny_h"),
    # numerical_gradient
    Bug("ch04.numerical_gradient", G, "idx = it.multi_index", "idx = it.iterindex", "flat index: 1-D only",
        hint="hint.numerical_gradient_1d_only"),
    Bug("ch04.numerical_gradient", G,
        "x[idx] = tmp_val  # restore the value\n        it.iternext()", "it.iternext()",
        "value not restored", hint="hint.numerical_gradient_not_restored"),
    Bug("ch04.numerical_gradient", G, "it = np.nditer(x, flags=['multi_index'], op_flags=['readwrite'])",
        "x = x.copy()\n    it = np.nditer(x, flags=['multi_index'], op_flags=['readwrite'])",
        "perturbs a copy", hint="hint.numerical_gradient_copy"),
    Bug("ch04.numerical_gradient", G,
        "grad[idx] = (fxh1 - fxh2) / (2*h)\n\n        x[idx] = tmp_val  # restore the value\n        it.iternext()",
        "grad[idx] = (fxh1 - fxh2) / h\n\n        x[idx] = tmp_val  # restore the value\n        it.iternext()",
        "divided by h instead of 2h"),
    # gradient_descent
    Bug("ch04.gradient_descent", GM, "x -= lr * grad", "x += lr * grad", "ascent",
        hint="hint.gradient_descent_sign"),
    Bug("ch04.gradient_descent", GM, "x -= lr * grad", "x = x - lr * grad", "init_x not updated in place",
        hint="hint.gradient_descent_not_in_place"),
    Bug("ch04.gradient_descent", GM, "for i in range(step_num):", "for i in range(step_num - 1):",
        "one step short", hint="hint.gradient_descent_steps"),
    # TwoLayerNet.__init__
    Bug("ch04.TwoLayerNet.__init__", N4, "weight_init_std * np.random.randn(input_size, hidden_size)",
        "weight_init_std * np.random.rand(input_size, hidden_size)", "uniform weights",
        hint="hint.ch04_init_rand"),
    Bug("ch04.TwoLayerNet.__init__", N4, "weight_init_std * np.random.randn(hidden_size, output_size)",
        "0.01 * np.random.randn(hidden_size, output_size)", "W2 ignores weight_init_std"),
    Bug("ch04.TwoLayerNet.__init__", N4, "self.params['b1'] = np.zeros(hidden_size)",
        "self.params['b1'] = np.ones(hidden_size)", "biases start at one"),
    # TwoLayerNet.predict
    Bug("ch04.TwoLayerNet.predict", N4, "y = softmax(a2)\n\n        return y", "y = a2\n\n        return y",
        "returns the scores", hint="hint.ch04_predict_scores"),
    Bug("ch04.TwoLayerNet.predict", N4,
        "a2 = np.dot(z1, W2) + b2\n        y = softmax(a2)\n\n        return y",
        "a2 = np.dot(z1, W2) + b1\n        y = softmax(a2)\n\n        return y", "b1 in the second layer"),
    # TwoLayerNet.loss
    Bug("ch04.TwoLayerNet.loss", N4, "return cross_entropy_error(y, t)", "return mean_squared_error(y, t)",
        "squared error", hint="hint.ch04_loss_squared_error"),
    # TwoLayerNet.accuracy
    Bug("ch04.TwoLayerNet.accuracy", N4, "accuracy = np.sum(y == t) / float(x.shape[0])",
        "accuracy = np.sum(y == t) / float(x.shape[1])", "divided by the input size"),
    Bug("ch04.TwoLayerNet.accuracy", N4, "y = np.argmax(y, axis=1)", "y = np.argmax(y, axis=0)", "argmax axis"),
    # TwoLayerNet.numerical_gradient
    Bug("ch04.TwoLayerNet.numerical_gradient", N4, "grads['b1'] = numerical_gradient(loss_W, self.params['b1'])",
        "grads['b1'] = numerical_gradient(loss_W, self.params['W1'])", "copy-paste W1 for b1"),
    Bug("ch04.TwoLayerNet.numerical_gradient", N4, "grads['W2'] = numerical_gradient(loss_W, self.params['W2'])",
        "grads['W2'] = numerical_gradient(loss_W, self.params['W2'].copy())", "perturbs a copy",
        hint="hint.ch04_net_numerical_gradient_copy"),
    # TwoLayerNet.gradient
    Bug("ch04.TwoLayerNet.gradient", N4, "dy = (y - t) / batch_num", "dy = (y - t)", "not divided by N",
        hint="hint.ch04_gradient_not_divided"),
    Bug("ch04.TwoLayerNet.gradient", N4, "dz1 = sigmoid_grad(a1) * da1", "dz1 = sigmoid_grad(z1) * da1",
        "sigmoid_grad of the output", hint="hint.ch04_gradient_sigmoid_grad_of_output"),
    Bug("ch04.TwoLayerNet.gradient", N4, "grads['b2'] = np.sum(dy, axis=0)", "grads['b2'] = np.sum(dy)",
        "b2 summed to a number"),
]
