"""Chapter 6 loops run in the worker (``student.recipe("ch06.<name>", ...)``).

Nothing here implements an exercise: the optimizers, layers and nets are the submission's (or
the judge builds them), the loops only call them. Whatever these return is the student's
answer, never the truth: the judge compares it with the §15 oracles or with the same recipe run
by the reference worker.
"""
from __future__ import annotations

import numpy as np


def quadratic_path(opt, form: str, steps: int) -> np.ndarray:
    """``steps`` calls of ``opt.update`` on the book's test function f(x, y) = x²/20 + y² from
    (-7, 2) (optimizer_compare_naive.py: grads x/10 and 2y).

    form "floats": params {'x': -7.0, 'y': 2.0} (Python floats, as the book's script);
    "array": {'xy': array([-7., 2.])}. Returns the point after every update, shape (steps, 2).
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


def blank(cls):
    """An instance of ``cls`` made without its ``__init__`` (the judge then sets its state)."""
    return cls.__new__(cls)


def train_sgd(net, x_train, t_train, x_eval, t_eval, iters: int, batch_size: int, lr: float,
              seed: int) -> dict:
    """The training loop of the book's ch06 experiment scripts: np.random.seed(seed), then
    ``iters`` times a batch by np.random.choice, grads = net.gradient(batch), params[key] -=
    lr·grads[key] (plain SGD written out, so the optimizer classes are not under test). Returns
    net.accuracy on the training and on the evaluation data at the end."""
    np.random.seed(seed)
    n = x_train.shape[0]
    for _ in range(iters):
        batch = np.random.choice(n, batch_size)
        grads = net.gradient(x_train[batch], t_train[batch])
        for key in net.params.keys():
            net.params[key] -= lr * grads[key]
    return {"train_acc": float(net.accuracy(x_train, t_train)),
            "eval_acc": float(net.accuracy(x_eval, t_eval))}
