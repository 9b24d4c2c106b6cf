"""Chapter 3: activation functions and softmax (common/functions.py).

Run `pytest -m ch03` in your workspace. The expected numbers are the ones the book prints.
"""
import numpy as np

from grader.judge import compare as check


def test_step_function(load):
    """3.2.3: step_function(np.array([-1.0, 1.0, 2.0])) → array([0, 1, 1])."""
    F = load("common/functions.py")
    y = F.step_function(np.array([-1.0, 1.0, 2.0]))
    check.equal(y, [0, 1, 1], "step_function(np.array([-1.0, 1.0, 2.0]))")
    check.holds(np.asarray(y).dtype.kind in "iu", "step_function(x)", "must return an int array (dtype=int)")
    check.equal(F.step_function(np.array([[0.0, -2.0], [3.0, 0.5]])), [[0, 0], [1, 1]],
                "step_function(x) for a 2-D x (0 at x = 0)")


def test_sigmoid(load):
    """3.2.4: sigmoid(np.array([-1.0, 1.0, 2.0])) → [0.26894142, 0.73105858, 0.88079708]."""
    F = load("common/functions.py")
    check.close(F.sigmoid(np.array([-1.0, 1.0, 2.0])), [0.26894142, 0.73105858, 0.88079708],
                "sigmoid(np.array([-1.0, 1.0, 2.0]))", tol=1e-7)
    check.close(F.sigmoid(np.zeros((2, 3))), np.full((2, 3), 0.5), "sigmoid(0) for a 2-D x", tol=1e-12)


def test_relu(load):
    """3.2.7: max(0, x), element-wise, leaving x itself alone."""
    F = load("common/functions.py")
    x = np.array([[-1.0, 0.0], [2.0, -0.5]])
    check.equal(F.relu(x), [[0.0, 0.0], [2.0, 0.0]], "relu(x)")
    check.equal(x, [[-1.0, 0.0], [2.0, -0.5]], "x after relu(x) (relu must return a new array)")


def test_identity_function(load):
    F = load("common/functions.py")
    x = np.array([0.3, -0.7, 1.5])
    check.equal(F.identity_function(x), x, "identity_function(x)")


def test_softmax_book_example(load):
    """3.5.1: softmax(np.array([0.3, 2.9, 4.0])) → [0.01821127, 0.24519181, 0.73659691], sum 1."""
    F = load("common/functions.py")
    y = F.softmax(np.array([0.3, 2.9, 4.0]))
    check.close(y, [0.01821127, 0.24519181, 0.73659691], "softmax(np.array([0.3, 2.9, 4.0]))", tol=1e-7)
    check.close_number(np.sum(y), 1.0, "np.sum(softmax(a))", tol=1e-12)


def test_softmax_overflow(load):
    """3.5.2: a = [1010, 1000, 990] overflows without the max subtracted (nan); with it
    → [9.99954600e-01, 4.53978686e-05, 2.06106005e-09]."""
    F = load("common/functions.py")
    with np.errstate(all="ignore"):
        y = F.softmax(np.array([1010.0, 1000.0, 990.0]))
    check.close(y, [9.99954600e-01, 4.53978686e-05, 2.06106005e-09], "softmax(np.array([1010, 1000, 990]))",
                tol=1e-7)


def test_softmax_batch_rows(load, rng):
    """A batch (N, C) is N samples: every row is its own distribution, even far from 0."""
    F = load("common/functions.py")
    x = rng.normal(size=(3, 4))
    x[0] += 1000.0
    x[2] -= 1000.0
    with np.errstate(all="ignore"):
        y = check.array(F.softmax(x), "softmax(x) for x of shape (3, 4)", (3, 4))
    check.close(y.sum(axis=1), np.ones(3), "softmax(x).sum(axis=1) (each row sums to 1)", tol=1e-12)
    for i in range(3):
        check.close(y[i], F.softmax(x[i]), f"row {i} of softmax(x) vs softmax(x[{i}])", tol=1e-12)
