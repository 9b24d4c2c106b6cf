"""Hidden suite, chapter 4: loss functions (common/functions.py, 4.2).

Points: mean_squared_error 8, cross_entropy_error 14 (chapter 4 = 100 with ch04_gradient.py
and ch04_two_layer_net.py).

The squared error is `mean_squared_error` in the kit (Korean edition) and `sum_squared_error`
in the Japanese code (contract §18): a submission defining either name is graded.

Tolerances: each loss is one numpy expression; the reference and correct rewrites (np.sum(t *
np.log(y + delta)) for one-hot t, a loop over rows) agree to ≤ 4e-16 measured, so 1e-12. The
1e-7 in the log moves -log(0.6) by 1.7e-7 relative, so leaving it out is caught here too.
"""
import numpy as np

from grader.judge import compare as check
from grader.judge.plugin import points
from grader.worker.client import StudentError

F = "common/functions.py"
TOL = 1e-12  # measured ≤ 4e-16 on correct rewrites; the smallest mistake (no 1e-7) is 1.7e-7

# §15: the book's 4.2.1 / 4.2.2 examples (t: "2" is correct)
Y1 = [0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0]
Y2 = [0.1, 0.05, 0.1, 0.0, 0.05, 0.1, 0.0, 0.6, 0.0, 0.0]
T2 = [0, 0, 1, 0, 0, 0, 0, 0, 0, 0]


# ---- squared error (4.2.1) ------------------------------------------------------------------
def squared_error(student, y, t):
    """The student's mean_squared_error(y, t), or sum_squared_error(y, t) if that is the one
    they wrote (the other missing or still a stub)."""
    mod = student.module(F)
    try:
        return mod.mean_squared_error(y, t)
    except StudentError as e:
        if not (e.not_implemented or (e.type == "AttributeError" and not e.where)):
            raise
        first = e
    try:
        return mod.sum_squared_error(y, t)
    except StudentError as e:
        if e.not_implemented or (e.type == "AttributeError" and not e.where):
            raise first from None
        raise


def sse_mistakes(y, t):
    y, t = np.asarray(y, dtype=float), np.asarray(t, dtype=float)
    sq = np.sum((y - t) ** 2)
    hints = {"hint.squared_error_half": sq, "hint.squared_error_mean": sq / y.size}
    if y.ndim == 2:
        hints["hint.squared_error_batch_mean"] = 0.5 * sq / y.shape[0]
    return hints


@points("ch04.mean_squared_error", 3)
def test_squared_error_book_examples(student):
    for y, want, which in ((Y1, 0.09750000000000003, "first"), (Y2, 0.5975, "second")):
        yy, tt = np.array(y), np.array(T2)
        check.close(squared_error(student, yy, tt), want, f"mean_squared_error(y, t) for the {which} "
                    "example of 4.2.1", tol=TOL, hints=sse_mistakes(yy, tt))


@points("ch04.mean_squared_error", 3)
def test_squared_error_batch_vs_reference(student, reference, rng):
    y = rng.random((3, 5))
    t = np.eye(5)[[1, 4, 0]]
    got = squared_error(student, y, t)
    want = reference.module(F).mean_squared_error(y, t)
    check.close(got, want, "mean_squared_error(y, t) for a batch of shape (3, 5)", tol=TOL,
                hints=sse_mistakes(y, t))


@points("ch04.mean_squared_error", 2)
def test_squared_error_adds_up_over_a_batch(student, rng):
    """No batch average (contract §1): the batch's error is the sum of the rows' errors."""
    y = rng.random((4, 3))
    t = np.eye(3)[[2, 0, 1, 2]]
    batch = check.number(squared_error(student, y, t), "mean_squared_error(y, t) for a batch of shape (4, 3)")
    rows = sum(check.number(squared_error(student, y[i], t[i]), f"mean_squared_error(y[{i}], t[{i}])")
               for i in range(4))
    check.holds(abs(batch - rows) <= 1e-12 * max(abs(rows), 1e-300),
                "mean_squared_error(y, t) for a batch of shape (4, 3)",
                "is not the sum of the rows' errors (the book's squared error is 0.5·Σ(y-t)² over "
                "everything, with no division by the batch size)",
                hint="hint.squared_error_batch_mean" if abs(batch * 4 - rows) <= 1e-9 * abs(rows) else None)


# ---- cross-entropy error (4.2.2, 4.2.4) -----------------------------------------------------
def cee_mistakes(y, t):
    """The values that known mistakes give (t one-hot or labels, y 1-D or 2-D). Two mistakes
    that give the same value here (the book's batch: labels [2, 2] and N = 2) hint neither."""
    y, t = np.asarray(y, dtype=float), np.asarray(t)
    if y.ndim == 1:
        y, t = y.reshape(1, -1), t.reshape(1, -1)
    labels = t.argmax(axis=1) if t.size == y.size else t.reshape(-1).astype(int)
    n = y.shape[0]
    picked = y[np.arange(n), labels]
    with np.errstate(divide="ignore"):
        hints = {
            "hint.cross_entropy_no_batch_mean": -np.sum(np.log(picked + 1e-7)),
            "hint.cross_entropy_no_delta": -np.sum(np.log(picked)) / n,
            # the one-hot formula's "t *" kept with class labels
            "hint.cross_entropy_labels_times_t": -np.sum(labels * np.log(picked + 1e-7)) / n,
        }
    ambiguous = {a for a in hints for b in hints if a != b and np.isclose(hints[a], hints[b], rtol=1e-12)}
    return {k: v for k, v in hints.items() if k not in ambiguous}


def cee(student, y, t):
    return student.module(F).cross_entropy_error(y, t)


@points("ch04.cross_entropy_error", 4)
def test_cross_entropy_book_examples(student):
    """4.2.2: one sample, t one-hot "2"; also t = np.array(2), a 0-d label (contract §1)."""
    cases = [(Y1, np.array(T2), 0.510825457099338, "the first example of 4.2.2, one-hot t"),
             (Y2, np.array(T2), 2.302584092994546, "the second example of 4.2.2, one-hot t"),
             (Y1, np.array(2), 0.510825457099338, "the first example of 4.2.2, t = np.array(2)")]
    for y, t, want, case in cases:
        yy = np.array(y)
        check.close(cee(student, yy, t), want, f"cross_entropy_error(y, t) for {case}", tol=TOL,
                    hints=cee_mistakes(yy, t))


@points("ch04.cross_entropy_error", 3)
def test_cross_entropy_book_batch_both_forms(student):
    """4.2.4: the two examples as one batch → the average 1.406704775046942, for one-hot t and
    for labels."""
    y = np.array([Y1, Y2])
    for t, form in ((np.array([T2, T2]), "one-hot t"), (np.array([2, 2]), "labels t = [2, 2]")):
        check.close(cee(student, y, t), 1.406704775046942, f"cross_entropy_error(y, t) for the batch of "
                    f"both examples, {form}", tol=TOL, hints=cee_mistakes(y, t))


@points("ch04.cross_entropy_error", 4)
def test_cross_entropy_random_batch_vs_reference(student, reference, rng):
    """N = 4 samples, 5 classes, labels including class 0 (uint8 like MNIST) and one-hot."""
    a = rng.normal(size=(4, 5))
    y = np.exp(a) / np.exp(a).sum(axis=1, keepdims=True)
    labels = np.array([0, 3, 1, 4], dtype=np.uint8)
    for t, form in ((labels, "labels"), (np.eye(5)[labels], "one-hot")):
        want = reference.module(F).cross_entropy_error(y, t)
        check.close(cee(student, y, t), want, f"cross_entropy_error(y, t) for y of shape (4, 5), t {form}",
                    tol=TOL, hints=cee_mistakes(y, t))


@points("ch04.cross_entropy_error", 3)
def test_cross_entropy_zero_probability_is_finite(student, reference):
    """y = 0 at the correct class: the 1e-7 keeps log finite (-log(1e-7) = 16.118…)."""
    y = np.array([[0.0, 0.3, 0.7], [0.2, 0.8, 0.0]])
    t = np.array([0, 1])
    want = reference.module(F).cross_entropy_error(y, t)
    check.close(cee(student, y, t), want, "cross_entropy_error(y, t) when y is 0 at a correct class",
                tol=TOL, hints=cee_mistakes(y, t))
