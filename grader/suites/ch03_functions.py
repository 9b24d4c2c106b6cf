"""Hidden suite, chapter 3: activation functions and softmax (common/functions.py)."""
import numpy as np
import pytest

from grader.judge import compare as check
from grader.judge.plugin import points

F = "common/functions.py"


def both(student, reference, name, *args):
    """(student's, reference's) result of common/functions.<name>(*args)."""
    return (getattr(student.module(F), name)(*args), getattr(reference.module(F), name)(*args))


@points("ch03.step_function", 1)
def test_step_function_book_values(student):
    got = student.module(F).step_function(np.array([-1.0, 0.0, 1.0, 2.5]))
    check.equal(got, [0, 0, 1, 1], "step_function([-1, 0, 1, 2.5]) (1 only where x > 0)")


@points("ch03.step_function", 1)
def test_step_function_random_2d(student, reference, rng):
    x = rng.normal(size=(3, 5))
    x[0, 0] = 0.0
    got, want = both(student, reference, "step_function", x)
    check.equal(got, want, "step_function(x) for x of shape (3, 5)")


@points("ch03.sigmoid", 1)
def test_sigmoid_book_values(student):
    got = student.module(F).sigmoid(np.array([-1.0, 1.0, 2.0]))
    check.close(got, [0.2689414213699951, 0.7310585786300049, 0.8807970779778823],
                "sigmoid([-1, 1, 2]) (3.2.4)", tol=1e-12)


@points("ch03.sigmoid", 1)
def test_sigmoid_random_2d(student, reference, rng):
    x = rng.normal(size=(4, 3)) * 5
    got, want = both(student, reference, "sigmoid", x)
    check.close(got, want, "sigmoid(x) for x of shape (4, 3)", tol=1e-12)
