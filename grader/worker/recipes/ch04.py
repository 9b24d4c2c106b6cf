"""Chapter 4 recipes: the functions a numerical derivative is taken of (they must live in the
worker, next to the student's numerical_diff / numerical_gradient / gradient_descent), and
calls of the ch04 TwoLayerNet with its own methods stood in for (isolation).

Nothing here is the book's code: the test functions (function_1 of 4.3.3, function_2 of 4.4, a
cubic, a non-separable "mixed" function, a stand-in loss over a net's params) are not
exercises; the book's sigmoid / softmax / cross_entropy_error / numerical_gradient reach the
student's modules only as judge parts (``student.lending(..., into=module)``), and the book's
predict / loss are never here (a stand-in returns values the judge computed, or a test
function). Results are the student's answers; the judge compares them with the reference's.
"""
from __future__ import annotations

import numpy as np


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


def gradient_descent(module, fname, init_x, kwargs=None, consts=None):
    """module.gradient_descent(f, init_x, **kwargs) → {"x": result (a tuple's first element),
    "init_x": init_x after the call, "same": result is init_x}. (The judge lends the book's
    numerical_gradient into the module around this call for the isolated tests.)"""
    f = _function(fname, init_x, consts or {}, "arg")
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


def standin_loss_value(params, x, t, consts):
    """A test function of the params arrays (not the book's loss): with u = Σ x·E + Σ t·G,
    Σ_k Σ sin(P_k + u)·C_k + (Σ_k Σ P_k·D_k)². Smooth, non-separable, and it depends on x and
    t, so a numerical gradient of ``lambda W: self.loss(x, t)`` is right only when it perturbs
    the net's own arrays, each under its own key, with the x and t it was given."""
    u = float(np.sum(np.asarray(x) * consts["E"]) + np.sum(np.asarray(t) * consts["G"]))
    total, s = 0.0, 0.0
    for k, C in consts["C"].items():
        P = params[k]
        total += float(np.sum(np.sin(P + u) * C))
        s += float(np.sum(P * consts["D"][k]))
    return total + s * s


def net_call(net, method, args, fixed_predict=None, predict_for=None, standin_loss=None):
    """net.<method>(*args) with, during the call only, the instance's ``predict`` returning
    ``fixed_predict`` (values the judge computed; with ``predict_for``, only for that x) and/or
    its ``loss`` the test function ``standin_loss_value`` with the constants ``standin_loss``.
    Returns {"out": result, "params": net.params after}."""
    patched = []
    try:
        if fixed_predict is not None:
            Y = np.array(fixed_predict)
            X = None if predict_for is None else np.array(predict_for)

            def predict(x):
                if X is not None and not (np.shape(x) == X.shape and np.array_equal(x, X)):
                    raise ValueError("self.predict was called with an array other than the x "
                                     "given to " + method)
                return Y.copy()

            net.predict = predict
            patched.append("predict")
        if standin_loss is not None:
            net.loss = lambda x, t: standin_loss_value(net.params, x, t, standin_loss)
            patched.append("loss")
        out = getattr(net, method)(*args)
    finally:
        for name in patched:
            vars(net).pop(name, None)
    return {"out": out, "params": {k: np.array(v) for k, v in net.params.items()}}
