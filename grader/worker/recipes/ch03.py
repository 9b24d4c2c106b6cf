"""Chapter 3 recipes: call a student's function and keep what it did to its arguments, and call
a student's function with the book's versions of the functions it uses (isolation: a softmax
bug must not cost ``predict``).

They run in the worker, next to the student's code; their results are the student's answers.
The truth always comes from the reference worker or from exact oracles in the judge.
"""
from __future__ import annotations

import numpy as np

from grader.worker.recipes import central_difference


# ---- the book's versions of the parts (byte-for-byte the reference's arithmetic) -----------
def book_sigmoid(x):
    return 1 / (1 + np.exp(-x))


def book_sigmoid_grad(x):
    return (1.0 - book_sigmoid(x)) * book_sigmoid(x)


def book_softmax(x):
    x = x - np.max(x, axis=-1, keepdims=True)
    return np.exp(x) / np.sum(np.exp(x), axis=-1, keepdims=True)


def book_cross_entropy_error(y, t):
    if y.ndim == 1:
        t = t.reshape(1, t.size)
        y = y.reshape(1, y.size)
    if t.size == y.size:
        t = t.argmax(axis=1)
    batch_size = y.shape[0]
    return -np.sum(np.log(y[np.arange(batch_size), t] + 1e-7)) / batch_size


def book_numerical_gradient(f, x):
    return central_difference(f, x)


BOOK = {
    "sigmoid": book_sigmoid,
    "sigmoid_grad": book_sigmoid_grad,
    "softmax": book_softmax,
    "cross_entropy_error": book_cross_entropy_error,
    "numerical_gradient": book_numerical_gradient,
}


class book_parts:
    """Context manager: the module-level names ``names`` of ``module`` (a student's module, e.g.
    ch03/neuralnet_mnist.py, which did ``from common.functions import sigmoid, softmax``) are
    the book's functions inside the block, and what was there before afterwards."""

    def __init__(self, module, names):
        self.module, self.names, self.saved = module, [n for n in names if n in BOOK], {}

    def __enter__(self):
        d = vars(self.module)
        for n in self.names:
            self.saved[n] = d.get(n, _MISSING)
            d[n] = BOOK[n]
        return self

    def __exit__(self, *exc):
        d = vars(self.module)
        for n, v in self.saved.items():
            if v is _MISSING:
                d.pop(n, None)
            else:
                d[n] = v
        return False


_MISSING = object()


def call_with_book_parts(module, names, fn, *args):
    """fn(*args) with the names of ``module`` patched by the book's functions (see book_parts)."""
    with book_parts(module, names):
        return fn(*args)


def call_keeping_args(fn, *args):
    """{"out": fn(*args), "args": the argument arrays after the call} (to see in-place changes)."""
    out = fn(*args)
    return {"out": out, "args": list(args)}
