"""Small loops the judge asks the worker to run, so that thousands of calls do not each cross
the process boundary. They run next to the student's code and may be fooled by it: the judge
treats their results as the student's answers, never as the truth (every graded check also
compares with the reference's values computed outside this process).
"""
from __future__ import annotations

import numpy as np


def central_difference(f, x: np.ndarray, h: float = 1e-4) -> np.ndarray:
    """The book's numerical gradient of ``f`` at ``x`` (perturbed in place and restored).

    x: any shape, float64; returns an array of x's shape.
    """
    grad = np.zeros_like(x, dtype=np.float64)
    it = np.nditer(x, flags=["multi_index"], op_flags=["readwrite"])
    while not it.finished:
        i = it.multi_index
        saved = x[i]
        x[i] = saved + h
        fxh1 = float(f(x))
        x[i] = saved - h
        fxh2 = float(f(x))
        grad[i] = (fxh1 - fxh2) / (2 * h)
        x[i] = saved
        it.iternext()
    return grad


def net_numerical_gradient(net, x, t, keys, loss_kwargs=None, reseed=None) -> dict:
    """∂ net.loss(x, t) / ∂ net.params[key] for each key, by central differences on the net's
    own params arrays (shared with its layers). ``reseed``: np.random.seed before every loss
    call, so Dropout draws the same mask each time."""
    loss_kwargs = loss_kwargs or {}

    def f(_):
        if reseed is not None:
            np.random.seed(reseed)
        return net.loss(x, t, **loss_kwargs)

    return {k: central_difference(f, net.params[k]) for k in keys}


def set_params(net, params: dict) -> None:
    """Write values into the net's existing params arrays (in place, so layers see them)."""
    for key, value in params.items():
        net.params[key][...] = value


def layer_numerical_gradients(layer, x, R, names=(), forward_kwargs=None, reseed=None) -> dict:
    """Numerical gradients of L = sum(layer.forward(x) * R) with respect to x and to the layer's
    attributes ``names`` (e.g. "W", "b", "gamma"). Returns {"x": ..., "W": ...}."""
    forward_kwargs = forward_kwargs or {}

    def f(_):
        if reseed is not None:
            np.random.seed(reseed)
        return np.sum(layer.forward(x, **forward_kwargs) * R)

    out = {"x": central_difference(f, x)}
    for name in names:
        out[name] = central_difference(f, getattr(layer, name))
    return out


def layer_forward_backward(layer, x, dout, forward_kwargs=None, reseed=None, grads=()) -> dict:
    """out = forward(x), dx = backward(dout.copy()), plus the named gradient attributes."""
    if reseed is not None:
        np.random.seed(reseed)
    out = layer.forward(x, **(forward_kwargs or {}))
    dx = layer.backward(np.array(dout))
    result = {"out": out, "dx": dx}
    for name in grads:
        result[name] = getattr(layer, name)
    return result


def train_two_layer(net, x_train, t_train, iters: int, batch_size: int, lr: float, seed: int):
    """The book's ch04/ch05 training loop (SGD on net.gradient); returns the final params."""
    np.random.seed(seed)
    n = x_train.shape[0]
    for _ in range(iters):
        batch = np.random.choice(n, batch_size)
        grads = net.gradient(x_train[batch], t_train[batch])
        for key in ("W1", "b1", "W2", "b2"):
            net.params[key] -= lr * grads[key]
    return {k: np.array(v) for k, v in net.params.items()}
