"""Chapter 6.1: SGD, Momentum, Nesterov, AdaGrad, RMSprop, Adam (common/optimizer.py).

The book compares the optimizers on f(x, y) = x²/20 + y² from (-7, 2) (optimizer_compare_naive.py):
the gradient is (x/10, 2y). One update from there follows from each rule by hand; 30 updates of
one optimizer must get close to the minimum (0, 0). update(params, grads) changes the params
dict itself, in place, so a net's layers (which hold the same arrays) see the new weights.
Run: pytest -k Momentum (or SGD, AdaGrad, Adam …)
"""
import numpy as np
import pytest

from grader.judge import compare as check

O = "common/optimizer.py"

# (class, kwargs, (x, y) after one update from (-7, 2)): worked out from each update rule
ONE_STEP = [
    ("SGD", {"lr": 0.95}, (-6.335, -1.8)),  # (-7, 2) - 0.95·(-0.7, 4)
    ("Momentum", {"lr": 0.1}, (-6.93, 1.6)),  # v = -lr·g
    ("Nesterov", {"lr": 0.1}, (-6.867, 1.24)),  # -(1 + 0.9)·lr·g
    ("AdaGrad", {"lr": 1.5}, (-5.5, 0.5)),  # h = g², step lr·g/|g| (up to the 1e-7)
    ("RMSprop", {"lr": 0.1}, (-6.0, 1.0)),  # h = 0.01·g², step lr·g/(0.1·|g|)
    ("Adam", {"lr": 0.3}, (-6.7, 1.7)),  # bias-corrected: the first step is lr·sign(g)
]
NAMES = [o[0] for o in ONE_STEP]


def quadratic(opt, steps, as_floats=True):
    """Run ``steps`` updates on f = x²/20 + y² from (-7, 2); returns the list of points."""
    params = {"x": -7.0, "y": 2.0} if as_floats else {"xy": np.array([-7.0, 2.0])}
    path = []
    for _ in range(steps):
        if as_floats:
            grads = {"x": params["x"] / 10.0, "y": 2.0 * params["y"]}
        else:
            grads = {"xy": np.array([params["xy"][0] / 10.0, 2.0 * params["xy"][1]])}
        opt.update(params, grads)
        path.append(np.array([params["x"], params["y"]], dtype=float) if as_floats
                    else np.array(params["xy"], dtype=float))
    return path


@pytest.mark.parametrize("name, kwargs, after1", ONE_STEP, ids=NAMES)
def test_one_update_on_the_book_function(load, name, kwargs, after1):
    for as_floats in (True, False):
        path = quadratic(getattr(load(O), name)(**kwargs), 1, as_floats)
        form = "two floats" if as_floats else "one array"
        check.close(path[0], after1, f"{name}({kwargs}).update on f = x²/20 + y² from (-7, 2), params as {form}: "
                    "(x, y) after one update", tol=1e-6)


@pytest.mark.parametrize("name, kwargs, after1", ONE_STEP, ids=NAMES)
def test_thirty_updates_approach_the_minimum(load, name, kwargs, after1):
    path = quadratic(getattr(load(O), name)(**kwargs), 30)
    f = lambda p: p[0] ** 2 / 20 + p[1] ** 2
    check.holds(f(path[-1]) < 0.2 * f(np.array([-7.0, 2.0])), f"{name}({kwargs}): 30 updates of one optimizer",
                "f(x, y) must have come much closer to the minimum 0 (is the state, e.g. v or h, kept "
                "between calls?)")


@pytest.mark.parametrize("name", NAMES)
def test_update_in_place(load, rng, name):
    params = {"W1": rng.normal(size=(3, 4)), "b1": rng.normal(size=4)}
    arrays = dict(params)  # the very arrays, as an Affine layer would hold them
    before = {k: v.copy() for k, v in params.items()}
    opt = getattr(load(O), name)()
    for _ in range(2):
        opt.update(params, {k: rng.normal(size=v.shape) for k, v in params.items()})
    for key in params:
        check.holds(params[key] is arrays[key], f"{name}.update(params, grads)",
                    f"params['{key}'] is a new array: update it in place (params[key] -= ...), or the "
                    "layers holding the old array never learn")
        check.holds(not np.allclose(params[key], before[key]), f"{name}.update(params, grads)",
                    f"params['{key}'] did not change")


def test_momentum_builds_up_speed(load):
    opt = load(O).Momentum(lr=0.1, momentum=0.9)
    params = {"w": np.array([1.0])}
    steps = []
    for _ in range(3):  # a constant gradient: each step is longer than the last
        before = params["w"].copy()
        opt.update(params, {"w": np.array([1.0])})
        steps.append(float(before[0] - params["w"][0]))
    check.holds(steps[0] > 0 and steps[1] > steps[0] and steps[2] > steps[1], "Momentum.update, three calls",
                "with the same gradient every time the steps must grow (v = momentum·v - lr·grad is kept "
                "in self.v between calls)")
