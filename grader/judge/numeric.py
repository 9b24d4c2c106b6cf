"""Numerical gradients of the student's code, driven from the judge.

The worker only sets an element, calls a function and restores the element (one ``batch``
request per array); the central differences are formed here. So no gradient code is in the
student's process, and the array is perturbed in place (the book's nets read the very arrays
their layers share).
"""
from __future__ import annotations

import numpy as np

from grader.judge import compare as check
from grader.worker.client import Remote, Worker

H = 1e-4  # the book's h
CHUNK = 400  # elements per batch frame


def numerical_gradient(worker: Worker, f: Remote, x: Remote, h: float = H) -> np.ndarray:
    """∂f/∂x by central differences; ``x`` is a handle on an array in the worker, which ``f``
    (a handle on a callable taking x) reads. x is bit-identical afterwards. float64 result."""
    x0 = check.array(worker.fetch(x), "the array to differentiate", finite=False)
    grad = np.zeros(x0.shape, dtype=np.float64)
    indices = list(np.ndindex(*x0.shape))
    for start in range(0, len(indices), CHUNK):
        ops = []
        for idx in indices[start:start + CHUNK]:
            v = x0[idx].item()
            ops += [{"op": "setitem", "ref": x, "key": idx, "value": v + h},
                    {"op": "call", "ref": f, "args": [x]},
                    {"op": "setitem", "ref": x, "key": idx, "value": v - h},
                    {"op": "call", "ref": f, "args": [x]},
                    {"op": "setitem", "ref": x, "key": idx, "value": v}]
        values = worker.batch(ops)
        for k, idx in enumerate(indices[start:start + CHUNK]):
            plus = check.number(values[5 * k + 1], "the loss")
            minus = check.number(values[5 * k + 3], "the loss")
            grad[idx] = (plus - minus) / (2 * h)
    return grad


def net_numerical_gradient(worker: Worker, net: Remote, x, t, keys, loss_kwargs=None,
                           reseed=None) -> dict:
    """∂ net.loss(x, t) / ∂ net.params[key] for each key (arrays shared with the layers);
    ``reseed``: np.random.seed before every loss call (one Dropout mask throughout)."""
    f = worker.recipe("closure", net.ref("loss"), [x, t], loss_kwargs or {}, reseed, handle=True)
    params = net.ref("params")
    return {k: numerical_gradient(worker, f, params.item_ref(k)) for k in keys}


def layer_numerical_gradients(worker: Worker, layer: Remote, x, R, names=(), forward_kwargs=None,
                              reseed=None) -> dict:
    """Numerical gradients of L = Σ layer.forward(x)·R with respect to x and to the layer's
    attributes ``names`` (e.g. "W", "b", "gamma"): {"x": …, "W": …}."""
    x_ref = worker.put(np.array(x))
    f = worker.recipe("weighted_sum_closure", layer.ref("forward"), [x_ref], forward_kwargs or {},
                      R, reseed, handle=True)
    out = {"x": numerical_gradient(worker, f, x_ref)}
    for name in names:
        out[name] = numerical_gradient(worker, f, layer.ref(name))
    return out
