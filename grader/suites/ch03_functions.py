"""Hidden suite, chapter 3: activation functions and softmax (common/functions.py).

Points: step_function 12, sigmoid 14, relu 12, identity_function 6, softmax 28 (with
ch03_predict.py's 28: chapter 3 = 100).

Tolerances: these functions are one numpy expression each; the reference and any correct
rewrite (exp_a / sum_exp_a, a - c with c = max, x.T tricks) agree to ≤ 3e-16 measured, so 1e-12
leaves room for reordered sums while every wrong formula is off by ≥ 1e-3.
"""
import numpy as np

from grader.judge import compare as check
from grader.judge.plugin import points
from grader.messages import Failed

F = "common/functions.py"
TOL = 1e-12  # measured ≤ 3e-16 on correct rewrites; mistakes ≥ 1e-3


def both(student, reference, name, *args):
    """(student's, reference's) result of common/functions.<name>(*args)."""
    return (getattr(student.module(F), name)(*args), getattr(reference.module(F), name)(*args))


def quiet(fn, *args):
    with np.errstate(all="ignore"):
        return fn(*args)


# ---- step_function (3.2.3) ------------------------------------------------------------------
@points("ch03.step_function", 4)
def test_step_function_book_values(student):
    got = student.module(F).step_function(np.array([-1.0, 0.0, 1.0, 2.5]))
    check.equal(got, [0, 0, 1, 1], "step_function([-1, 0, 1, 2.5]) (1 only where x > 0)")


@points("ch03.step_function", 4)
def test_step_function_random_2d(student, reference, rng):
    x = rng.normal(size=(3, 5))
    x[0, 0] = x[2, 3] = 0.0
    got, want = both(student, reference, "step_function", x)
    check.equal(got, want, "step_function(x) for x of shape (3, 5) with zeros")


@points("ch03.step_function", 4)
def test_step_function_returns_ints(student, rng):
    got = check.array(student.module(F).step_function(rng.normal(size=(2, 4))), "step_function(x)", (2, 4))
    check.holds(got.dtype.kind in "iu", "step_function(x)",
                "must return an int array (3.2.3 converts the booleans of x > 0 with dtype=int)",
                hint="hint.step_function_bool" if got.dtype.kind == "b" else None)


# ---- sigmoid (3.2.4) ------------------------------------------------------------------------
def wrong_sigmoid_sign(x):
    return quiet(lambda a: 1 / (1 + np.exp(a)), x)


@points("ch03.sigmoid", 4)
def test_sigmoid_book_values(student):
    x = np.array([-1.0, 1.0, 2.0])
    got = student.module(F).sigmoid(x)
    check.close(got, [0.2689414213699951, 0.7310585786300049, 0.8807970779778823],
                "sigmoid([-1, 1, 2]) (3.2.4)", tol=TOL, hints={"hint.sigmoid_sign": wrong_sigmoid_sign(x)})


@points("ch03.sigmoid", 5)
def test_sigmoid_random_2d(student, reference, rng):
    x = rng.normal(size=(4, 3)) * 5
    got, want = both(student, reference, "sigmoid", x)
    check.close(got, want, "sigmoid(x) for x of shape (4, 3)", tol=TOL,
                hints={"hint.sigmoid_sign": wrong_sigmoid_sign(x)})


@points("ch03.sigmoid", 5)
def test_sigmoid_large_inputs(student, reference):
    """The book's 1/(1+exp(-x)) is 0 at -1000 and 1 at 1000 (exp overflows to inf: harmless);
    exp(x)/(1+exp(x)) gives inf/inf = nan at 1000."""
    x = np.array([-1000.0, -30.0, 0.0, 30.0, 1000.0])
    got, want = both(student, reference, "sigmoid", x)
    check.close(got, want, "sigmoid([-1000, -30, 0, 30, 1000])", tol=TOL,
                hints={"hint.sigmoid_sign": wrong_sigmoid_sign(x),
                       "hint.sigmoid_overflow": quiet(lambda a: np.exp(a) / (1 + np.exp(a)), x)})


# ---- relu (3.2.7) ---------------------------------------------------------------------------
@points("ch03.relu", 4)
def test_relu_book_values(student):
    got = student.module(F).relu(np.array([-1.0, 0.0, 2.0, 3.5]))
    check.equal(got, [0.0, 0.0, 2.0, 3.5], "relu([-1, 0, 2, 3.5]) (max(0, x))")


@points("ch03.relu", 4)
def test_relu_random_2d(student, reference, rng):
    x = rng.normal(size=(3, 5))
    x[1, 2] = 0.0
    got, want = both(student, reference, "relu", x)
    check.equal(got, want, "relu(x) for x of shape (3, 5)")


@points("ch03.relu", 4)
def test_relu_leaves_its_argument_alone(student, rng):
    """The book's relu.py plots x against relu(x): relu must not zero the caller's x."""
    x = rng.normal(size=(4, 3))
    res = student.recipe("ch03.call_keeping_args", student.module(F).relu, x)
    check.equal(res["out"], np.maximum(0, x), "relu(x)")
    after = check.array(res["args"][0], "x after relu(x)", x.shape)
    check.holds(np.array_equal(after, x), "relu(x)", "changed its argument x (the negative entries of x "
                "are now 0)", hint="hint.relu_in_place")


# ---- identity_function (3.4.2) --------------------------------------------------------------
@points("ch03.identity_function", 3)
def test_identity_function_values(student, rng):
    x = rng.normal(size=(3, 4))
    check.equal(student.module(F).identity_function(x), x, "identity_function(x) for x of shape (3, 4)")


@points("ch03.identity_function", 3)
def test_identity_function_keeps_ints(student):
    x = np.array([[3, -1, 0], [7, 2, -5]])
    got = check.array(student.module(F).identity_function(x), "identity_function(x) for int x", (2, 3))
    check.equal(got, x, "identity_function(x) for int x")
    check.holds(got.dtype.kind == "i", "identity_function(x) for int x", "must return x unchanged (an int "
                "array stays an int array)")


# ---- softmax (3.5.2) ------------------------------------------------------------------------
def softmax_mistakes(x):
    """The values that known mistakes give for x (1-D or 2-D)."""
    x = np.asarray(x, dtype=np.float64)
    with np.errstate(all="ignore"):
        whole = np.exp(x - np.max(x)) / np.sum(np.exp(x - np.max(x)))  # 3.5.2's 1-D code on a batch
        rowmax = x - np.max(x, axis=-1, keepdims=True)
        mixed = np.exp(rowmax) / np.sum(np.exp(rowmax))  # row max, but one sum over the batch
        overflow = np.exp(x) / np.sum(np.exp(x), axis=-1, keepdims=True)  # no max subtracted
        globalmax = np.exp(x - np.max(x)) / np.sum(np.exp(x - np.max(x)), axis=-1, keepdims=True)
    hints = {"hint.softmax_overflow": overflow}
    if x.ndim == 2:
        hints["hint.softmax_row_max"] = globalmax  # one max for the batch: rows far below it give 0/0
        hints = {"hint.softmax_whole_batch": whole, "hint.softmax_whole_batch_sum": mixed, **hints}
    return hints


@points("ch03.softmax", 5)
def test_softmax_book_example(student):
    x = np.array([0.3, 2.9, 4.0])
    check.close(student.module(F).softmax(x), [0.01821127329554753, 0.24519181293507392, 0.7365969137693786],
                "softmax([0.3, 2.9, 4.0]) (3.5.1)", tol=TOL, hints=softmax_mistakes(x))


@points("ch03.softmax", 5)
def test_softmax_no_overflow(student):
    x = np.array([1010.0, 1000.0, 990.0])
    check.close(student.module(F).softmax(x), [0.999954600070331, 4.539786860886666e-05, 2.061060046209062e-09],
                "softmax([1010, 1000, 990]) (3.5.2)", tol=TOL, hints=softmax_mistakes(x))


@points("ch03.softmax", 7)
def test_softmax_batch_per_row(student, reference, rng):
    x = rng.normal(size=(3, 5)) * 3
    x[1] += 4.0
    got, want = both(student, reference, "softmax", x)
    check.close(got, want, "softmax(x) for a batch x of shape (3, 5) (one distribution per row)", tol=TOL,
                hints=softmax_mistakes(x))


@points("ch03.softmax", 6)
def test_softmax_batch_rows_sum_to_one_at_1000(student, rng):
    """Row 0 near +1000, row 1 near -1000: each row needs its own max."""
    x = rng.normal(size=(3, 4)) * 2
    x[0] += 1000.0
    x[1] -= 1000.0
    what = "softmax(x) for a batch x of shape (3, 4) with rows near 1000 and -1000"
    got = student.module(F).softmax(x)
    hints = softmax_mistakes(x)
    try:
        got = check.array(got, what, x.shape)
    except Failed as f:  # nan: which missing max it was
        raise Failed(f.message, check.diagnose(got, hints)) from None
    sums = got.sum(axis=1)
    whole = abs(float(got.sum()) - 1.0) < 1e-9
    check.holds(bool(np.all(np.abs(sums - 1.0) < 1e-9)), what, "the rows do not each sum to 1",
                hint="hint.softmax_whole_batch" if whole else None)


@points("ch03.softmax", 5)
def test_softmax_batch_rows_match_single_rows(student, rng):
    x = rng.normal(size=(4, 3)) * 2
    sm = student.module(F).softmax
    batch = check.array(sm(x), "softmax(x) for x of shape (4, 3)", x.shape)
    rows = np.array([check.array(sm(x[i]), f"softmax(x[{i}])", (3,)) for i in range(4)])
    check.close(batch, rows, "softmax(x) row by row vs softmax(x[i]) (a batch is N separate samples)",
                tol=TOL, hints={"hint.softmax_whole_batch": softmax_mistakes(x)["hint.softmax_whole_batch"]})
