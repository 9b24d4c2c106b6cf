"""Chapter 6 loops run in the worker (``student.recipe("ch06.<name>", ...)``).

They run next to the student's code: whatever they return is the student's answer, never the
truth. The judge compares it with the §15 oracles or with the same recipe run by the reference
worker.
"""
from __future__ import annotations

from collections import OrderedDict

import numpy as np


# ---- optimizers ----------------------------------------------------------------------------

def quadratic_path(opt, form: str, steps: int) -> list:
    """``steps`` updates of ``opt`` on the book's f(x, y) = x²/20 + y² from (-7, 2) (6.1).

    form "floats": params {'x': -7.0, 'y': 2.0} (Python floats, as the book's
    optimizer_compare_naive.py); "array": {'xy': array([-7., 2.])}. Returns the point after
    every update, an array of shape (steps, 2).
    """
    if form == "floats":
        params = {"x": -7.0, "y": 2.0}
    else:
        params = {"xy": np.array([-7.0, 2.0])}
    path = []
    for _ in range(steps):
        if form == "floats":
            grads = {"x": params["x"] / 10.0, "y": 2.0 * params["y"]}
        else:
            grads = {"xy": np.array([params["xy"][0] / 10.0, 2.0 * params["xy"][1]])}
        opt.update(params, grads)
        if form == "floats":
            path.append((float(params["x"]), float(params["y"])))
        else:
            xy = np.asarray(params["xy"], dtype=np.float64).ravel()
            path.append((float(xy[0]), float(xy[1])))
    return np.array(path, dtype=np.float64)


def optimizer_steps(opt, params: dict, grads_list: list) -> list:
    """``opt.update(params, grads)`` for each grads of ``grads_list`` (one instance, so its
    state carries over); returns a copy of params after every update."""
    out = []
    for grads in grads_list:
        opt.update(params, grads)
        out.append({k: np.array(v, dtype=np.float64) for k, v in params.items()})
    return out


# ---- nets with the book's structure -----------------------------------------------------------

def build_net(cls, layers, params: dict, hidden_size_list: list, activation: str = "relu",
              weight_decay_lambda: float = 0.0, use_dropout: bool = False,
              dropout_ration: float = 0.5, use_batchnorm: bool = False, extend: bool = False):
    """A ``cls`` (MultiLayerNet or, with ``extend``, MultiLayerNetExtend) whose state is the
    book's (6.2 / 6.3 / 6.4) built here from the given params and the submission's layer classes
    (``layers`` = its common/layers.py), so the methods under test (loss, predict, gradient) do
    not depend on the submission's ``__init__``. The student's constructor is tried first (so
    any extra attributes it sets stay); if it raises, the object is made without it.
    """
    sizes = [params["W1"].shape[0]] + list(hidden_size_list) + [params["W%d" % (len(hidden_size_list) + 1)].shape[1]]
    kwargs = dict(activation=activation, weight_decay_lambda=weight_decay_lambda)
    if extend:
        kwargs.update(use_dropout=use_dropout, dropout_ration=dropout_ration, use_batchnorm=use_batchnorm)
    try:
        net = cls(sizes[0], list(hidden_size_list), sizes[-1], **kwargs)
    except Exception:
        net = cls.__new__(cls)
    net.input_size, net.output_size = sizes[0], sizes[-1]
    net.hidden_size_list = list(hidden_size_list)
    net.hidden_layer_num = len(hidden_size_list)
    net.weight_decay_lambda = weight_decay_lambda
    if extend:
        net.use_dropout, net.use_batchnorm = use_dropout, use_batchnorm
    net.params = {k: np.array(v, dtype=np.float64) for k, v in params.items()}
    act = {"relu": layers.Relu, "sigmoid": layers.Sigmoid}[activation]
    net.layers = OrderedDict()
    for i in range(1, len(hidden_size_list) + 1):
        net.layers["Affine%d" % i] = layers.Affine(net.params["W%d" % i], net.params["b%d" % i])
        if extend and use_batchnorm:
            net.layers["BatchNorm%d" % i] = layers.BatchNormalization(net.params["gamma%d" % i],
                                                                      net.params["beta%d" % i])
        net.layers["Activation_function%d" % i] = act()
        if extend and use_dropout:
            net.layers["Dropout%d" % i] = layers.Dropout(dropout_ration)
    last = len(hidden_size_list) + 1
    net.layers["Affine%d" % last] = layers.Affine(net.params["W%d" % last], net.params["b%d" % last])
    net.last_layer = layers.SoftmaxWithLoss()
    return net


def net_gradient(net, x, t, reseed=None) -> dict:
    """``net.gradient(x, t)`` after ``np.random.seed(reseed)`` (one Dropout mask)."""
    if reseed is not None:
        np.random.seed(reseed)
    return net.gradient(x, t)


# ---- experiments (6.1.7, 6.3.2, 6.4.2) ------------------------------------------------------

def train_sgd(net, x_train, t_train, x_eval, t_eval, iters: int, batch_size: int, lr: float,
              seed: int, eval_every: int = 0) -> dict:
    """The book's ch06 experiment loop with the book's SGD written out (so the student's SGD is
    not what is under test): batches by np.random.choice, grads = net.gradient, params[k] -=
    lr·grads[k]. Returns the train/eval accuracies (net.accuracy) every ``eval_every`` steps
    and at the end."""
    np.random.seed(seed)
    n = x_train.shape[0]
    train_acc, eval_acc = [], []
    for i in range(iters):
        batch = np.random.choice(n, batch_size)
        grads = net.gradient(x_train[batch], t_train[batch])
        for key in net.params.keys():
            net.params[key] -= lr * grads[key]
        if eval_every and (i + 1) % eval_every == 0 and i + 1 < iters:
            train_acc.append(float(net.accuracy(x_train, t_train)))
            eval_acc.append(float(net.accuracy(x_eval, t_eval)))
    train_acc.append(float(net.accuracy(x_train, t_train)))
    eval_acc.append(float(net.accuracy(x_eval, t_eval)))
    return {"train_acc": train_acc, "eval_acc": eval_acc}


def optimizer_race(opt, params: dict, x_train, t_train, iters: int, batch_size: int, seed: int) -> list:
    """``iters`` updates of ``opt`` on a 784-50-10 ReLU net whose loss and gradient are computed
    here with numpy (so only the optimizer is the student's), as in the book's
    optimizer_compare_mnist.py. Returns the mini-batch loss of every step (before its update),
    an array of shape (iters,)."""
    params = {k: np.array(v, dtype=np.float64) for k, v in params.items()}
    np.random.seed(seed)
    n = x_train.shape[0]
    losses = []
    for _ in range(iters):
        batch = np.random.choice(n, batch_size)
        x, t = x_train[batch], t_train[batch]
        a1 = x @ params["W1"] + params["b1"]
        z1 = np.maximum(a1, 0)
        s = z1 @ params["W2"] + params["b2"]
        s = s - s.max(axis=1, keepdims=True)
        y = np.exp(s) / np.exp(s).sum(axis=1, keepdims=True)
        losses.append(float(-np.mean(np.log(y[np.arange(batch_size), t] + 1e-7))))
        dy = y.copy()
        dy[np.arange(batch_size), t] -= 1
        dy /= batch_size
        grads = {"W2": z1.T @ dy, "b2": dy.sum(axis=0)}
        da1 = (dy @ params["W2"].T) * (a1 > 0)
        grads["W1"], grads["b1"] = x.T @ da1, da1.sum(axis=0)
        opt.update(params, grads)
    return np.array(losses)
