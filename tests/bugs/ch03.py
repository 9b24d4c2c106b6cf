"""Planted bugs, chapter 3 (common/functions.py, ch03/neuralnet_mnist.py)."""
from bugs import Bug

F, N3 = "common/functions.py", "ch03/neuralnet_mnist.py"

BUGS = [
    # step_function
    Bug("ch03.step_function", F, "return np.array(x > 0, dtype=int)", "return np.array(x >= 0, dtype=int)",
        "one at zero"),
    Bug("ch03.step_function", F, "return np.array(x > 0, dtype=int)", "return np.array(x > 0)",
        "booleans not ints", hint="hint.step_function_bool"),
    # sigmoid
    Bug("ch03.sigmoid", F, "return 1 / (1 + np.exp(-x))", "return 1 / (1 + np.exp(x))", "sign",
        hint="hint.sigmoid_sign"),
    Bug("ch03.sigmoid", F, "return 1 / (1 + np.exp(-x))", "return np.exp(x) / (1 + np.exp(x))",
        "nan at 1000", hint="hint.sigmoid_overflow"),
    # relu
    Bug("ch03.relu", F, "return np.maximum(0, x)", "x[x < 0] = 0\n    return x", "zeroes x in place",
        hint="hint.relu_in_place"),
    Bug("ch03.relu", F, "return np.maximum(0, x)", "return np.minimum(0, x)", "minimum"),
    # identity_function
    Bug("ch03.identity_function", F, "    return x\n    ### END SOLUTION\n\n\ndef step_function",
        "    x\n    ### END SOLUTION\n\n\ndef step_function", "missing return"),
    # softmax
    Bug("ch03.softmax", F,
        "x = x - np.max(x, axis=-1, keepdims=True)  # overflow guard\n"
        "    return np.exp(x) / np.sum(np.exp(x), axis=-1, keepdims=True)",
        "x = x - np.max(x)  # overflow guard\n    return np.exp(x) / np.sum(np.exp(x))",
        "normalised over the whole batch", hint="hint.softmax_whole_batch"),
    Bug("ch03.softmax", F, "x = x - np.max(x, axis=-1, keepdims=True)  # overflow guard\n    return", "return",
        "max not subtracted", hint="hint.softmax_overflow"),
    Bug("ch03.softmax", F, "x = x - np.max(x, axis=-1, keepdims=True)  # overflow guard",
        "x = x - np.max(x)  # overflow guard", "one max for the batch", hint="hint.softmax_row_max"),
    Bug("ch03.softmax", F, "np.sum(np.exp(x), axis=-1, keepdims=True)", "np.sum(np.exp(x), axis=0)",
        "sum over the wrong axis"),
    # predict
    Bug("ch03.predict", N3, "y = softmax(a3)", "y = sigmoid(a3)", "sigmoid at the output",
        hint="hint.predict_output_sigmoid"),
    Bug("ch03.predict", N3, "a1 = np.dot(x, W1) + b1", "a1 = np.dot(x, W1)", "missing bias"),
    Bug("ch03.predict", N3, "z2 = sigmoid(a2)", "z2 = a2", "missing second sigmoid"),
]
