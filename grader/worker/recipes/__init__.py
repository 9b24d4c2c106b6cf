"""Small loops the judge asks the worker to run, so that many calls do not each cross the
process boundary. They run next to the student's code and may be fooled by it: the judge
treats their results as the student's answers, never as the truth (every graded check also
compares with the reference's values computed outside this process).

Rule: nothing here (or in a chapter module) implements an exercise — no book function, layer
or gradient loop — because the student's code can import whatever this process holds. The
book's parts reach the worker only as judge parts (grader/worker/parts.py), numerical
gradients are formed in the judge (grader/judge/numeric.py).
"""
from __future__ import annotations

import numpy as np


def closure(fn, args, kwargs, reseed=None):
    """A callable ignoring its argument and returning fn(*args, **kwargs) (after
    np.random.seed(reseed) if given): the book's ``lambda W: net.loss(x, t)``."""
    def f(_=None):
        if reseed is not None:
            np.random.seed(reseed)
        return fn(*args, **kwargs)

    return f


def weighted_sum_closure(fn, args, kwargs, R, reseed=None):
    """A callable returning Σ fn(*args, **kwargs)·R: a scalar loss through every output."""
    g = closure(fn, args, kwargs, reseed)
    return lambda _=None: float(np.sum(g() * R))


def part_call(file, name, state, method, args, kwargs, rng):
    """Run the book's ``name`` of ``file`` in THIS worker (the reference's, for judge parts):
    a function call (method None), a construction ("__init__") or a method on an instance
    rebuilt from ``state``. Returns {"result", "state", "rng"} (numpy's global RNG state before
    and after, so randomness is the caller's)."""
    import os

    from grader.worker.loader import load_module

    target = getattr(load_module(os.getcwd(), file), name)
    if rng is not None:
        np.random.set_state(tuple(rng))
    obj = None
    if method is None:
        result = target(*args, **kwargs)
    elif method == "__init__":
        obj, result = target(*args, **kwargs), None
    else:
        obj = object.__new__(target)
        obj.__dict__.update(state or {})
        result = getattr(obj, method)(*args, **kwargs)
    return {"result": result, "state": dict(vars(obj)) if obj is not None else None,
            "rng": np.random.get_state()}


def set_params(net, params: dict) -> None:
    """Write values into the net's existing params arrays (in place, so layers see them)."""
    for key, value in params.items():
        net.params[key][...] = value


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
