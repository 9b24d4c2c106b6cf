"""Chapter 7.4.3–7.4.4: the Convolution and Pooling layers (common/layers.py).

Run with `pytest -m ch07` (or `pytest -k Convolution`, `pytest -k Pooling`).
"""
import numpy as np

from grader.judge import compare as check


def numerical_gradient(f, x, h=1e-4):
    """Central differences of the scalar f() with respect to every element of x (in place)."""
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        saved = x[i]
        x[i] = saved + h
        up = f()
        x[i] = saved - h
        down = f()
        x[i] = saved
        grad[i] = (up - down) / (2 * h)
    return grad


def separated(rng, shape, gap=0.05):
    """Distinct values in random order, `gap` apart: no ties in a pooling window."""
    n = int(np.prod(shape))
    return ((rng.permutation(n) - n / 2) * gap).reshape(shape)


def test_convolution_output_shape(load, rng):
    layers = load("common/layers.py")
    x = rng.normal(size=(3, 2, 7, 6))
    for stride, pad, want in ((1, 0, (3, 4, 5, 4)), (2, 1, (3, 4, 4, 3))):
        conv = layers.Convolution(rng.normal(size=(4, 2, 3, 3)), rng.normal(size=4), stride, pad)
        check.array(conv.forward(x), f"Convolution(W (4, 2, 3, 3), stride={stride}, pad={pad}).forward(x (3, 2, 7, 6))",
                    want)


def test_convolution_with_a_centre_filter_copies_its_input(load, rng):
    # a 3×3 filter that is 1 at the centre of channel c, with pad 1, reproduces channel c; b is added
    layers = load("common/layers.py")
    x = rng.normal(size=(2, 3, 5, 4))
    W = np.zeros((3, 3, 3, 3))
    for c in range(3):
        W[c, (c + 1) % 3, 1, 1] = 1.0  # filter c picks channel c+1
    b = np.array([0.5, -1.0, 2.0])
    out = layers.Convolution(W, b, 1, 1).forward(x)
    want = x[:, [1, 2, 0]] + b.reshape(1, 3, 1, 1)
    check.close(out, want, "Convolution(centre filters, b, stride=1, pad=1).forward(x): out[:, f] = x[:, f+1] + b[f]",
                tol=1e-12)


def test_convolution_backward_gradient_check(load, rng):
    layers = load("common/layers.py")
    x = rng.normal(size=(2, 2, 5, 6))
    W, b = rng.normal(size=(3, 2, 3, 3)), rng.normal(size=3)
    conv = layers.Convolution(W, b, 2, 1)
    out = check.array(conv.forward(x), "Convolution.forward", (2, 3, 3, 3))
    R = rng.normal(size=out.shape)
    dx = check.array(conv.backward(R.copy()), "Convolution.backward: dx", x.shape)
    check.array(conv.dW, "Convolution.backward: dW", W.shape)
    check.array(conv.db, "Convolution.backward: db", b.shape)
    loss = lambda: float(np.sum(conv.forward(x) * R))  # noqa: E731
    check.gradient(dx, numerical_gradient(loss, x), "Convolution.backward, loss sum(out·R)", "x")
    check.gradient(conv.dW, numerical_gradient(loss, W), "Convolution.backward, loss sum(out·R)", "W")
    check.gradient(conv.db, numerical_gradient(loss, b), "Convolution.backward, loss sum(out·R)", "b")


def test_pooling_forward_takes_window_maxima(load):
    layers = load("common/layers.py")
    x = (np.arange(32) / 10).reshape(2, 1, 4, 4)
    out = check.array(layers.Pooling(2, 2, 2).forward(x), "Pooling(2, 2, stride=2).forward(x (2, 1, 4, 4))",
                      (2, 1, 2, 2))
    check.close(out[1, 0], [[2.1, 2.3], [2.9, 3.1]],
                "Pooling(2, 2, stride=2).forward(arange(32)/10): sample 1 (the max of each 2×2 window)", tol=1e-12)


def test_pooling_output_shape_channels(load, rng):
    layers = load("common/layers.py")
    x = separated(rng, (2, 3, 6, 8))
    out = check.array(layers.Pooling(2, 2, 2).forward(x), "Pooling(2, 2, stride=2).forward(x (2, 3, 6, 8))",
                      (2, 3, 3, 4))
    check.close(out[1, 2, 0, 0], x[1, 2, :2, :2].max(), "Pooling: out[1, 2, 0, 0] (channel 2's first window)",
                tol=1e-12)


def test_pooling_backward_gradient_check(load, rng):
    layers = load("common/layers.py")
    for (ph, pw), stride in (((2, 2), 2), ((3, 3), 1)):
        x = separated(rng, (2, 3, 5, 6))
        pool = layers.Pooling(ph, pw, stride)
        out = check.array(pool.forward(x), f"Pooling({ph}, {pw}, stride={stride}).forward")
        R = rng.normal(size=out.shape)
        dx = check.array(pool.backward(R.copy()), f"Pooling({ph}, {pw}, stride={stride}).backward: dx", x.shape)
        num = numerical_gradient(lambda: float(np.sum(pool.forward(x) * R)), x)
        check.gradient(dx, num, f"Pooling({ph}, {pw}, stride={stride}).backward, loss sum(out·R)", "x")
