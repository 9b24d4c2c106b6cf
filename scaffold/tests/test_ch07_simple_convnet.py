"""Chapter 7.5: SimpleConvNet (ch07/simple_convnet.py).

Run with `pytest -m ch07`; the short MNIST training run with `pytest -m slow -k SimpleConvNet`.
"""
import numpy as np
import pytest

from grader.judge import compare as check

LAYERS = ["Conv1", "Relu1", "Pool1", "Affine1", "Relu2", "Affine2"]
KEYS = ("W1", "b1", "W2", "b2", "W3", "b3")
TINY = dict(input_dim=(1, 12, 12), conv_param={"filter_num": 3, "filter_size": 3, "pad": 1, "stride": 1},
            hidden_size=7, output_size=5, weight_init_std=0.1)


def test_simple_convnet_default_params(load):
    net = load("ch07/simple_convnet.py").SimpleConvNet()
    # 7.5: conv 24×24 with 30 filters, pooled to 12×12 → pool_output_size = 30·12·12 = 4320
    want = {"W1": (30, 1, 5, 5), "b1": (30,), "W2": (4320, 100), "b2": (100,), "W3": (100, 10), "b3": (10,)}
    check.holds(sorted(net.params) == sorted(KEYS), "SimpleConvNet().params", "must have the keys W1, b1 … b3")
    for key in KEYS:
        check.array(net.params[key], f"SimpleConvNet().params['{key}']", want[key])


def test_simple_convnet_layers(load):
    net = load("ch07/simple_convnet.py").SimpleConvNet(**TINY)
    check.holds(list(net.layers) == LAYERS, "SimpleConvNet.layers",
                "must be Conv1, Relu1, Pool1, Affine1, Relu2, Affine2 in this order")
    for layer, i in (("Conv1", 1), ("Affine1", 2), ("Affine2", 3)):
        check.holds(net.layers[layer].W is net.params[f"W{i}"] and net.layers[layer].b is net.params[f"b{i}"],
                    f"SimpleConvNet.layers['{layer}']", f"must hold the very arrays params['W{i}'], params['b{i}']")
    check.holds(type(net.last_layer).__name__ == "SoftmaxWithLoss", "SimpleConvNet.last_layer",
                "must be a SoftmaxWithLoss layer")


def test_simple_convnet_gradient_check(load):
    net = load("ch07/simple_convnet.py").SimpleConvNet(**TINY)
    rng = np.random.default_rng(7)  # a draw with no Relu input or pool tie near a kink
    net.params["W1"][...] = rng.normal(size=net.params["W1"].shape)  # in place: the layers see it
    for key in KEYS[1:]:
        net.params[key][...] = rng.normal(size=net.params[key].shape) * (0.05 if key == "W3" else 0.1)
    x, t = rng.normal(size=(3, 1, 12, 12)), np.array([0, 3, 4])
    grads = net.gradient(x, t)
    check.holds(isinstance(grads, dict), "SimpleConvNet.gradient", "must return a dict of gradients")
    h = 1e-4
    for key in KEYS:
        p = net.params[key]
        num = np.zeros_like(p)
        for i in np.ndindex(p.shape):
            saved = p[i]
            p[i] = saved + h
            up = net.loss(x, t)
            p[i] = saved - h
            down = net.loss(x, t)
            p[i] = saved
            num[i] = (up - down) / (2 * h)
        check.gradient(grads.get(key), num, "SimpleConvNet.gradient vs the numerical gradient", key)


@pytest.mark.slow
def test_simple_convnet_learns_mnist(load):
    mnist = load("dataset/mnist.py")
    (x_train, t_train), (x_test, t_test) = mnist.load_mnist(flatten=False)
    net = load("ch07/simple_convnet.py").SimpleConvNet(
        conv_param={"filter_num": 4, "filter_size": 5, "pad": 0, "stride": 1}, hidden_size=20)
    rng = np.random.default_rng(0)
    for key, fan_in in (("W1", 25), ("W2", 576), ("W3", 20)):  # He initial weights, in place
        net.params[key][...] = rng.normal(size=net.params[key].shape) * np.sqrt(2 / fan_in)
    np.random.seed(0)
    for _ in range(80):
        batch = np.random.choice(500, 40)
        grads = net.gradient(x_train[batch], t_train[batch])
        for key in KEYS:
            net.params[key] -= 0.15 * grads[key]
    acc = net.accuracy(x_test[:500], t_test[:500])
    # 80 SGD steps on 500 images give 0.75–0.83 depending on the seed; chance is 0.1
    check.holds(acc >= 0.6, "SimpleConvNet after 80 SGD steps on 500 MNIST images",
                "test accuracy on 500 images is below 0.6: is the gradient right?")
