"""Chapter 4.5: the two-layer net (ch04/two_layer_net.py). t is one-hot here."""
import numpy as np

from grader.judge import compare as check

KEYS = ("W1", "b1", "W2", "b2")


def small_net(load, rng):
    """TwoLayerNet(6, 5, 4) with non-zero biases, a batch of 3 and one-hot t."""
    N4 = load("ch04/two_layer_net.py")
    net = N4.TwoLayerNet(input_size=6, hidden_size=5, output_size=4, weight_init_std=0.5)
    net.params["b1"] = rng.normal(size=5) * 0.3
    net.params["b2"] = rng.normal(size=4) * 0.3
    x = rng.normal(size=(3, 6))
    t = np.eye(4)[[2, 0, 3]]
    return net, x, t


def test_init_shapes(load):
    """4.5.1: TwoLayerNet(input_size=784, hidden_size=100, output_size=10)."""
    N4 = load("ch04/two_layer_net.py")
    net = N4.TwoLayerNet(input_size=784, hidden_size=100, output_size=10)
    for key, shape in zip(KEYS, ((784, 100), (100,), (100, 10), (10,))):
        check.array(net.params[key], f"net.params['{key}']", shape)
    check.equal(net.params["b1"], np.zeros(100), "net.params['b1'] (starts at zero)")
    check.holds(abs(float(np.std(net.params["W1"])) - 0.01) < 0.001, "net.params['W1']",
                "does not look like weight_init_std * np.random.randn (std 0.01)")


def test_predict_and_loss(load, rng):
    net, x, t = small_net(load, rng)
    y = check.array(net.predict(x), "net.predict(x) for x of shape (3, 6)", (3, 4))
    check.close(y.sum(axis=1), np.ones(3), "net.predict(x).sum(axis=1) (softmax probabilities)", tol=1e-12)
    loss = check.number(net.loss(x, t), "net.loss(x, t)")
    check.holds(loss > 0, "net.loss(x, t)", "a cross-entropy error is positive")


def test_accuracy(load, rng):
    net, x, t = small_net(load, rng)
    y = net.predict(x)
    hits = np.sum(np.argmax(y, axis=1) == np.argmax(t, axis=1))
    check.close_number(net.accuracy(x, t), hits / 3, "net.accuracy(x, t)", tol=1e-12)
    check.close_number(net.accuracy(x, np.eye(4)[np.argmax(y, axis=1)]), 1.0,
                       "net.accuracy(x, t) when t is the net's own answer", tol=1e-12)


def test_gradient_check(load, rng):
    """The check of 4.5 / 5.7.3: backpropagation (gradient) vs numerical_gradient."""
    net, x, t = small_net(load, rng)
    numerical = net.numerical_gradient(x, t)
    analytic = net.gradient(x, t)
    for key in KEYS:
        check.gradient(analytic[key], numerical[key], "net.gradient(x, t)", key, tol=1e-4)
