"""Hidden suite, chapter 4: numerical differentiation, numerical gradient, gradient descent
(ch04/gradient_method.py, common/gradient.py; 4.3-4.4).

Points: numerical_diff 8, numerical_gradient 14, gradient_descent 10.

The functions being differentiated must live next to the student's code: recipes/ch04.py
holds them (function_1 of 4.3.3, function_2 of 4.4, a non-separable "mixed" function; test
functions, not exercises) and the calls. gradient_descent's own tests run it with the book's
numerical_gradient lent by the judge in place of the student's (``student.lending(
"common/gradient.py", "numerical_gradient", into=ch04/gradient_method.py)``: the judge perturbs
the caller's array in place and forms the central differences, grader/judge/numeric.py);
one end-to-end test uses the student's own.

Tolerances: central differences of the same function with the same h agree with the reference
to ≤ 1e-15 measured (bit-identical for the book's code; x[idx] += h variants differ by ≤ 4e-12),
so 1e-10 against the reference; against analytic derivatives the O(h²) error of the central
difference measured ≤ 3.4e-8 (numerical_diff, 50 seeds of the 4-point fixture) and ≤ 1.9e-9
(numerical_gradient, "mixed"), so 1e-6 — a forward difference is off by ≥ 2.1e-5 there (5e-6 on
the book's function_1) and the other mistakes by ≥ 1e-2.
"""
import numpy as np

from grader.judge import compare as check
from grader.judge.plugin import points
from grader.messages import msg
from grader.worker.client import StudentError
from grader.worker.recipes.ch04 import DIFF_FUNCS, _function

GM, G = "ch04/gradient_method.py", "common/gradient.py"
TOL_REF = 1e-10  # vs the reference: measured ≤ 1e-15 (≤ 4e-12 for += h variants)
TOL_ANALYTIC = 1e-6  # vs exact derivatives: central difference measured ≤ 3.4e-8; forward ≥ 2.1e-5


# ---- numerical_diff (4.3.2) -----------------------------------------------------------------
def diff_mistakes(fname, x):
    f, h = DIFF_FUNCS[fname], 1e-4
    return {"hint.central_difference": (f(x + h) - f(x)) / h,
            "hint.numerical_diff_tiny_h": (f(x + 1e-50) - f(x - 1e-50)) / (2 * 1e-50)}


@points("ch04.numerical_diff", 4)
def test_numerical_diff_book_values(student):
    """4.3.3: f(x) = 0.01x² + 0.1x at x = 5 and x = 10 (ints, as in the book)."""
    mod = student.module(GM)
    for x, want in ((5, 0.1999999999990898), (10, 0.2999999999986347)):
        got = student.recipe("ch04.numerical_diff", mod, "function_1", x)
        check.close(got, want, f"numerical_diff(function_1, {x}) (4.3.3)", tol=TOL_REF,
                    hints=diff_mistakes("function_1", x))


@points("ch04.numerical_diff", 4)
def test_numerical_diff_vs_exact_derivatives(student, reference, rng):
    """sin, exp and a cubic at random points: close to the exact derivative, equal to the
    reference's central difference."""
    exact = {"sin": np.cos, "exp": np.exp, "cubic": lambda x: 3 * x**2 - 4 * x + 0.5}
    points_ = [float(v) for v in rng.uniform(-2.0, 2.0, size=4)]
    for fname, deriv in exact.items():
        got = np.array([check.number(student.recipe("ch04.numerical_diff", student.module(GM), fname, x),
                                     f"numerical_diff({fname}, x)") for x in points_])
        ref = np.array([reference.recipe("ch04.numerical_diff", reference.module(GM), fname, x) for x in points_])
        hints = {k: np.array([diff_mistakes(fname, x)[k] for x in points_]) for k in diff_mistakes(fname, 0.0)}
        check.close(got, np.array([deriv(x) for x in points_]), f"numerical_diff({fname}, x) at 4 points "
                    "vs the exact derivative", tol=TOL_ANALYTIC, hints=hints)
        check.close(got, ref, f"numerical_diff({fname}, x) at 4 points", tol=TOL_REF, hints=hints)


# ---- numerical_gradient (4.4) ---------------------------------------------------------------
def mixed_consts(rng, shape):
    return {"C": rng.normal(size=shape), "D": rng.normal(size=shape) * 0.3}


def mixed_gradient(x, consts):
    """Exact gradient of Σ sin(x)·C + (Σ x·D)²."""
    return np.cos(x) * consts["C"] + 2 * np.sum(x * consts["D"]) * consts["D"]


def ngrad(worker, fname, x, consts=None, reads="arg"):
    """The worker's numerical_gradient(f, x): {"grad", "x" after the call}. A numerical gradient
    that only handles 1-D x fails on an n-D one with IndexError/TypeError/ValueError: hinted."""
    try:
        return worker.recipe("ch04.numerical_gradient", worker.module(G), fname, x, consts or {}, reads)
    except StudentError as e:
        if x.ndim > 1 and e.type in ("IndexError", "TypeError", "ValueError") and not e.not_implemented:
            e.hint = msg("hint.numerical_gradient_1d_only")
        raise


def forward_gradient(fname, x, consts, h=1e-4):
    """The forward-difference gradient (f(x+h) - f(x)) / h of the same function."""
    f, x = _function(fname, x, consts, "arg"), x.copy()
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        fx = f(x)
        saved = x[idx]
        x[idx] = saved + h
        grad[idx] = (f(x) - fx) / h
        x[idx] = saved
    return grad


@points("ch04.numerical_gradient", 4)
def test_numerical_gradient_book_values(student):
    """4.4: function_2 = x0² + x1² at (3, 4), (0, 2), (3, 0)."""
    cases = [([3.0, 4.0], [6.00000000000378, 7.999999999999119]),
             ([0.0, 2.0], [0.0, 4.000000000004]),
             ([3.0, 0.0], [6.000000000012662, 0.0])]
    for x, want in cases:
        x = np.array(x)
        res = ngrad(student, "function_2", x)
        check.close(res["grad"], want, f"numerical_gradient(function_2, np.array({x.tolist()})) (4.4)",
                    tol=TOL_REF, hints={"hint.central_difference": forward_gradient("function_2", x, {})})


@points("ch04.numerical_gradient", 4)
def test_numerical_gradient_nd_arrays(student, reference, rng):
    """x of shape (3, 4) and (2, 3, 4), every element (np.nditer with multi_index)."""
    for shape in ((3, 4), (2, 3, 4)):
        x = rng.normal(size=shape)
        consts = mixed_consts(rng, shape)
        got = ngrad(student, "mixed", x, consts)["grad"]
        hints = {"hint.central_difference": forward_gradient("mixed", x, consts)}
        check.close(got, mixed_gradient(x, consts), f"numerical_gradient(f, x) for x of shape {shape} vs the "
                    "exact gradient", tol=TOL_ANALYTIC, hints=hints)
        check.close(got, ngrad(reference, "mixed", x, consts)["grad"],
                    f"numerical_gradient(f, x) for x of shape {shape}", tol=TOL_REF, hints=hints)


@points("ch04.numerical_gradient", 3)
def test_numerical_gradient_perturbs_x_in_place(student, reference, rng):
    """f ignores its argument and reads the very array x (as a net's lambda W: self.loss(x, t)
    reads its params): the perturbation must be made in x itself, not in a copy."""
    x = rng.normal(size=(3, 4))
    consts = mixed_consts(rng, x.shape)
    got = ngrad(student, "mixed", x, consts, reads="shared")["grad"]
    want = ngrad(reference, "mixed", x, consts, reads="shared")["grad"]
    check.close(got, want, "numerical_gradient(f, x) where f reads x itself (like lambda W: net.loss(x, t))",
                tol=TOL_REF, hints={"hint.numerical_gradient_copy": np.zeros_like(x)})


@points("ch04.numerical_gradient", 3)
def test_numerical_gradient_restores_x(student, rng):
    """Every element is put back exactly (x[idx] = tmp_val): x is bit-identical afterwards."""
    for reads, shape in (("arg", (5,)), ("shared", (2, 3)), ("arg", (2, 2, 3))):
        x = rng.normal(size=shape) * 3
        consts = mixed_consts(rng, shape)
        after = check.array(ngrad(student, "mixed", x, consts, reads)["x"], "x after numerical_gradient(f, x)",
                            shape)
        check.holds(after.dtype == x.dtype and after.tobytes() == x.tobytes(),
                    f"numerical_gradient(f, x) for x of shape {shape}",
                    "x is not the same afterwards (each element must get its saved value back)",
                    hint="hint.numerical_gradient_not_restored")


# ---- gradient_descent (4.4.1) ---------------------------------------------------------------
def central_gradient(f, x, h=1e-4):
    """The book's central-difference gradient, in the judge (for the hinted mistakes)."""
    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        tmp_val = x[idx]
        x[idx] = float(tmp_val) + h
        fxh1 = f(x)
        x[idx] = tmp_val - h
        fxh2 = f(x)
        grad[idx] = (fxh1 - fxh2) / (2 * h)
        x[idx] = tmp_val
    return grad


def local_descent(init_x, lr, step_num, sign=-1.0):
    """gradient_descent of function_2 in the judge (the book's loop, central differences)."""
    x = np.array(init_x, dtype=float)
    f = _function("function_2", x, {}, "arg")
    for _ in range(step_num):
        x += sign * lr * central_gradient(f, x)
    return x


def descent_mistakes(init_x, lr, step_num):
    return {"hint.gradient_descent_sign": local_descent(init_x, lr, step_num, sign=1.0),
            "hint.gradient_descent_steps": local_descent(init_x, lr, step_num - 1),
            "hint.gradient_descent_not_updated": np.array(init_x, dtype=float)}


def descend(worker, kwargs, init_x=(-3.0, 4.0), book_gradient=False):
    """worker's gradient_descent(function_2, init_x, **kwargs); ``book_gradient``: with the
    book's numerical_gradient lent into ch04/gradient_method.py (the student's worker only:
    the reference's own is the book's)."""
    mod = worker.module(GM)
    args = ("ch04.gradient_descent", mod, "function_2", np.array(init_x), kwargs, {})
    if not book_gradient:
        return worker.recipe(*args)
    with worker.lending(G, "numerical_gradient", into=mod):
        return worker.recipe(*args)


@points("ch04.gradient_descent", 4)
def test_gradient_descent_book_values(student):
    """4.4.1: function_2 from (-3, 4): lr 0.1 for 100 steps → ≈ (0, 0); lr 10 diverges; lr 1e-10
    hardly moves; 20 steps (contract §15)."""
    cases = [(0.1, 100, [-6.111107928998789e-10, 8.148143905314271e-10]),
             (10.0, 100, [-2.5898374737328363e13, -1.2952486168965398e12]),
             (1e-10, 100, [-2.999999939999995, 3.9999999199999934]),
             (0.1, 20, [-0.03458764513817675, 0.04611686018418694])]
    for lr, steps, want in cases:
        res = descend(student, {"lr": lr, "step_num": steps}, book_gradient=True)
        check.close(res["x"], want, f"gradient_descent(function_2, init_x=np.array([-3.0, 4.0]), lr={lr}, "
                    f"step_num={steps})", tol=TOL_REF, hints=descent_mistakes([-3.0, 4.0], lr, steps))


@points("ch04.gradient_descent", 3)
def test_gradient_descent_defaults_and_in_place(student, reference):
    """Defaults lr=0.01, step_num=100; init_x itself is updated (x = init_x; x -= lr * grad)."""
    init = [2.5, -1.5]
    res = descend(student, {}, init_x=init, book_gradient=True)
    want = descend(reference, {}, init_x=init)["x"]
    check.close(res["x"], want, "gradient_descent(function_2, init_x) with the default lr and step_num",
                tol=TOL_REF, hints=descent_mistakes(init, 0.01, 100))
    after = check.array(res["init_x"], "init_x after gradient_descent(function_2, init_x)", (2,))
    check.holds(bool(np.allclose(after, want, rtol=1e-10, atol=0)), "gradient_descent(function_2, init_x)",
                "did not update init_x in place (the book's x = init_x; x -= lr * grad changes init_x)",
                hint="hint.gradient_descent_not_in_place" if np.array_equal(after, init) else None)


@points("ch04.gradient_descent", 3, end_to_end=True)
def test_gradient_descent_with_own_numerical_gradient(student):
    res = descend(student, {"lr": 0.1, "step_num": 100})
    check.close(res["x"], [-6.111107928998789e-10, 8.148143905314271e-10],
                "gradient_descent(function_2, init_x=np.array([-3.0, 4.0]), lr=0.1, step_num=100) with your "
                "numerical_gradient", tol=1e-8, hints=descent_mistakes([-3.0, 4.0], 0.1, 100))
