"""Chapter 5.7: the two-layer net built from layers (ch05/two_layer_net.py).

The gradient check of 5.7.3 on a small net (6 inputs, 5 hidden, 4 classes), and the training of
5.7.4 on MNIST (slow: pytest -m slow).
Run: pytest -k TwoLayerNet (or: pytest ../tests/test_ch05_two_layer_net.py)
"""
import numpy as np
import pytest

from grader.judge import compare as check

N5 = "ch05/two_layer_net.py"
KEYS = ("W1", "b1", "W2", "b2")


def numerical_gradient(f, x, h=1e-4):
    """Central difference of f() with respect to the array x, changed in place and restored."""
    grad = np.zeros_like(x, dtype=np.float64)
    for i in np.ndindex(x.shape):
        saved = x[i]
        x[i] = saved + h
        f1 = f()
        x[i] = saved - h
        f2 = f()
        x[i] = saved
        grad[i] = (f1 - f2) / (2 * h)
    return grad


def small_net(load, rng):
    """TwoLayerNet(6, 5, 4) with random weights and biases (written into params in place) and
    x (3, 6) chosen away from ReLU's kink, so that the gradient check is sharp."""
    net = load(N5).TwoLayerNet(6, 5, 4)
    while True:
        W1, b1 = 0.5 * rng.normal(size=(6, 5)), 0.1 * rng.normal(size=5)
        x = rng.normal(size=(3, 6))
        if np.abs(x @ W1 + b1).min() > 0.01:
            break
    for k, v in (("W1", W1), ("b1", b1), ("W2", 0.3 * rng.normal(size=(5, 4))), ("b2", 0.1 * rng.normal(size=4))):
        net.params[k][...] = v
    return net, x


def test_TwoLayerNet_structure(load):
    np.random.seed(0)
    net = load(N5).TwoLayerNet(6, 5, 4)
    for k, shape in zip(KEYS, ((6, 5), (5,), (5, 4), (4,))):
        check.array(net.params.get(k), f"TwoLayerNet(6, 5, 4).params['{k}']", shape)
    check.holds(list(net.layers) == ["Affine1", "Relu1", "Affine2"], "TwoLayerNet.layers",
                "must be an OrderedDict with Affine1, Relu1, Affine2 in this order")
    check.holds(hasattr(net, "lastLayer"), "TwoLayerNet", "needs self.lastLayer = SoftmaxWithLoss() (camelCase)")
    check.holds(net.layers["Affine1"].W is net.params["W1"] and net.layers["Affine2"].b is net.params["b2"],
                "TwoLayerNet.layers", "the Affine layers must hold the very arrays of params "
                "(Affine(self.params['W1'], self.params['b1']))")


def test_TwoLayerNet_predict_and_accuracy(load, rng):
    net, x = small_net(load, rng)
    scores = check.array(net.predict(x), "TwoLayerNet.predict(x) for x (3, 6)", (3, 4))
    check.holds(not np.allclose(scores.sum(axis=1), 1.0), "TwoLayerNet.predict(x)",
                "must return the scores of Affine2 (no softmax: that is inside lastLayer)")
    labels = np.argmax(scores, axis=1)
    labels[0] = (labels[0] + 1) % 4  # one of three wrong
    check.close_number(net.accuracy(x, labels), 2 / 3, "TwoLayerNet.accuracy(x, t), t as labels", tol=1e-12)
    check.close_number(net.accuracy(x, np.eye(4)[labels]), 2 / 3, "TwoLayerNet.accuracy(x, t), t one-hot",
                       tol=1e-12)


def test_TwoLayerNet_gradient_check(load, rng):
    net, x = small_net(load, rng)
    labels = np.array([1, 3, 0])
    for form, t in (("labels", labels), ("one-hot", np.eye(4)[labels])):
        grads = net.gradient(x, t)
        check.holds(isinstance(grads, dict) and all(k in grads for k in KEYS), "TwoLayerNet.gradient(x, t)",
                    "must return a dict with W1, b1, W2, b2")
        for k in KEYS:
            num = numerical_gradient(lambda: net.loss(x, t), net.params[k])
            check.gradient(grads[k], num, f"TwoLayerNet.gradient(x, t), t as {form}", k, tol=1e-4)


@pytest.mark.slow
def test_TwoLayerNet_learns_mnist(load):
    load_mnist = load("dataset/mnist.py").load_mnist
    (x_train, t_train), (x_test, t_test) = load_mnist(normalize=True, one_hot_label=True)
    np.random.seed(0)
    net = load(N5).TwoLayerNet(input_size=784, hidden_size=50, output_size=10)
    for _ in range(600):  # the loop of train_neuralnet.py (5.7.4), one epoch
        batch = np.random.choice(x_train.shape[0], 100)
        grads = net.gradient(x_train[batch], t_train[batch])
        for k in KEYS:
            net.params[k] -= 0.1 * grads[k]
    acc = check.number(net.accuracy(x_test, t_test), "TwoLayerNet.accuracy on the test images")
    check.holds(acc > 0.88, "TwoLayerNet after one epoch of SGD (lr 0.1, batch 100)",
                "test accuracy should be about 0.9 (the book's code reaches 0.9087)")
