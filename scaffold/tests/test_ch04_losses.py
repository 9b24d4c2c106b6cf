"""Chapter 4.2: loss functions (common/functions.py). The numbers are the book's."""
import numpy as np

from grader.judge import compare as check

# 4.2.1: "2" is the correct answer; y1 says 2 is likely (0.6), y2 says 7 is (0.6)
T = np.array([0, 0, 1, 0, 0, 0, 0, 0, 0, 0])
Y1 = np.array([0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0])
Y2 = np.array([0.1, 0.05, 0.1, 0.0, 0.05, 0.1, 0.0, 0.6, 0.0, 0.0])


def squared_error(F):
    """mean_squared_error (the kit's and the Korean edition's name) or sum_squared_error (the
    Japanese code's): whichever you wrote."""
    for name in ("mean_squared_error", "sum_squared_error"):
        fn = getattr(F, name, None)
        if fn is None:
            continue
        try:
            fn(Y1, T)
        except NotImplementedError:
            continue
        return fn
    return F.mean_squared_error  # raises the stub's NotImplementedError with its hint


def test_squared_error_book_examples(load):
    """4.2.1: 0.097500000000000031 and 0.59750000000000003."""
    sse = squared_error(load("common/functions.py"))
    check.close(sse(Y1, T), 0.097500000000000031, "mean_squared_error(y1, t)", tol=1e-12)
    check.close(sse(Y2, T), 0.59750000000000003, "mean_squared_error(y2, t)", tol=1e-12)


def test_squared_error_batch_is_a_sum(load):
    """0.5·Σ(y - t)² over everything: a batch of both examples gives the sum of the two."""
    sse = squared_error(load("common/functions.py"))
    check.close(sse(np.array([Y1, Y2]), np.array([T, T])), 0.097500000000000031 + 0.59750000000000003,
                "mean_squared_error for the batch [y1, y2] (no division by the batch size)", tol=1e-12)


def test_cross_entropy_book_examples(load):
    """4.2.2: 0.51082545709933802 and 2.3025840929945458."""
    F = load("common/functions.py")
    check.close(F.cross_entropy_error(Y1, T), 0.51082545709933802, "cross_entropy_error(y1, t)", tol=1e-12)
    check.close(F.cross_entropy_error(Y2, T), 2.3025840929945458, "cross_entropy_error(y2, t)", tol=1e-12)


def test_cross_entropy_labels_and_batches(load):
    """4.2.4: t as a label ("2") gives the same as one-hot; a batch gives the average."""
    F = load("common/functions.py")
    check.close(F.cross_entropy_error(Y1, np.array(2)), 0.51082545709933802,
                "cross_entropy_error(y1, np.array(2)) (t as a label)", tol=1e-12)
    mean = (0.51082545709933802 + 2.3025840929945458) / 2
    check.close(F.cross_entropy_error(np.array([Y1, Y2]), np.array([T, T])), mean,
                "cross_entropy_error for the batch [y1, y2], one-hot t (the average)", tol=1e-12)
    check.close(F.cross_entropy_error(np.array([Y1, Y2]), np.array([2, 2])), mean,
                "cross_entropy_error for the batch [y1, y2], labels t = [2, 2]", tol=1e-12)


def test_cross_entropy_zero_probability(load):
    """4.2.2: the tiny delta keeps log(0) = -inf away."""
    F = load("common/functions.py")
    with np.errstate(all="ignore"):
        value = F.cross_entropy_error(Y1, np.array(3))  # y1[3] = 0
    check.close_number(value, -np.log(1e-7), "cross_entropy_error(y1, np.array(3)) where y1[3] = 0", tol=1e-9)
