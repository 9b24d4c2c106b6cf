"""Chapter 4 recipes: the functions a numerical derivative is taken of (they must live in the
worker, next to the student's numerical_diff / numerical_gradient / gradient_descent), and
calls of the ch04 TwoLayerNet with parts replaced by the book's for isolation.

Results are the student's answers; the judge compares them with the reference worker's.
"""
from __future__ import annotations

import numpy as np

from grader.worker.recipes import central_difference
from grader.worker.recipes.ch03 import BOOK, book_parts


# ---- functions of one number (numerical_diff) -----------------------------------------------
def function_1(x):
    """The book's 4.3.3 example: 0.01x² + 0.1x."""
    return 0.01 * x**2 + 0.1 * x


def cubic(x):
    return x**3 - 2.0 * x**2 + 0.5 * x


DIFF_FUNCS = {"function_1": function_1, "cubic": cubic, "sin": np.sin, "exp": np.exp}


def numerical_diff(module, fname, x):
    """module.numerical_diff(f, x) for the named f."""
    return module.numerical_diff(DIFF_FUNCS[fname], x)


# ---- functions of an array (numerical_gradient, gradient_descent) ---------------------------
def _function(fname, x, consts, reads):
    """The scalar function ``fname`` of an array. ``reads="arg"``: f computes from its
    argument; ``reads="shared"``: f ignores its argument and reads ``x`` itself, as a net's
    ``lambda W: self.loss(x, t)`` reads the params arrays (the perturbation must be in place)."""
    C = consts.get("C")
    D = consts.get("D")

    def value(a):
        if fname == "function_2":  # the book's 4.4: x0² + x1²
            return a[0]**2 + a[1]**2
        if fname == "sum_squares":
            return np.sum(a**2)
        if fname == "mixed":  # Σ sin(a)·C + (Σ a·D)²: not separable, so every element matters
            return np.sum(np.sin(a) * C) + np.sum(a * D)**2
        raise LookupError(fname)

    if reads == "shared":
        return lambda _ignored: value(x)
    return value


def numerical_gradient(module, fname, x, consts=None, reads="arg"):
    """{"grad": module.numerical_gradient(f, x), "x": x after the call (should be unchanged)}."""
    f = _function(fname, x, consts or {}, reads)
    grad = module.numerical_gradient(f, x)
    return {"grad": grad, "x": x}


def gradient_descent(module, fname, init_x, kwargs=None, consts=None, book_gradient=False):
    """module.gradient_descent(f, init_x, **kwargs) → {"x": result (a tuple's first element),
    "init_x": init_x after the call, "same": result is init_x}. ``book_gradient``: the
    module's ``numerical_gradient`` is the book's during the call (isolation from
    common/gradient.py)."""
    f = _function(fname, init_x, consts or {}, "arg")
    with book_parts(module, ["numerical_gradient"] if book_gradient else []):
        out = module.gradient_descent(f, init_x, **(kwargs or {}))
    if isinstance(out, tuple) and out:
        out = out[0]
    return {"x": out, "init_x": init_x, "same": out is init_x}


# ---- ch04 TwoLayerNet -------------------------------------------------------------------------
def bare_two_layer_net(module, params):
    """A TwoLayerNet of ``module`` whose __init__ did not run, with ``params`` (new float64
    arrays): tests of predict, loss, … do not depend on the student's __init__."""
    cls = module.TwoLayerNet
    net = cls.__new__(cls)
    net.params = {k: np.array(v, dtype=np.float64) for k, v in params.items()}
    return net


def _book_predict(self, x):
    W1, W2 = self.params['W1'], self.params['W2']
    b1, b2 = self.params['b1'], self.params['b2']
    z1 = BOOK["sigmoid"](np.dot(x, W1) + b1)
    return BOOK["softmax"](np.dot(z1, W2) + b2)


def _book_loss(self, x, t):
    return BOOK["cross_entropy_error"](_book_predict(self, x), t)


BOOK_METHODS = {"predict": _book_predict, "loss": _book_loss}


def net_call(net, method, args, module=None, names=(), book_methods=(), fixed_predict=None):
    """net.<method>(*args) with, during the call only: the module-level ``names`` of ``module``
    (sigmoid, softmax, sigmoid_grad, cross_entropy_error, numerical_gradient) replaced by the
    book's; the instance's ``book_methods`` ("predict", "loss") replaced by the book's; or
    ``predict`` returning ``fixed_predict``. Returns {"out": result, "params": net.params after}."""
    patched = []
    try:
        for name in book_methods:
            fn = BOOK_METHODS[name]
            setattr(net, name, lambda *a, _fn=fn: _fn(net, *a))
            patched.append(name)
        if fixed_predict is not None:
            Y = np.array(fixed_predict)
            net.predict = lambda x: Y.copy()
            patched.append("predict")
        with book_parts(module, names if module is not None else []):
            out = getattr(net, method)(*args)
    finally:
        for name in patched:
            vars(net).pop(name, None)
    return {"out": out, "params": {k: np.array(v) for k, v in net.params.items()}}


def net_numerical_gradient_book(net, x, t, keys=("W1", "b1", "W2", "b2")):
    """The book's numerical gradient of the book's loss on the net's params (the truth when run
    in the reference worker)."""
    return {k: central_difference(lambda _: _book_loss(net, x, t), net.params[k]) for k in keys}
