"""Chapter 4.3-4.4: numerical differentiation, numerical gradient, gradient descent
(ch04/gradient_method.py, common/gradient.py). The numbers are the book's."""
import numpy as np

from grader.judge import compare as check


def function_1(x):
    return 0.01 * x**2 + 0.1 * x


def function_2(x):
    return x[0]**2 + x[1]**2


def test_numerical_diff(load):
    """4.3.3: 0.1999999999990898 at x = 5, 0.2999999999986347 at x = 10."""
    GM = load("ch04/gradient_method.py")
    check.close(GM.numerical_diff(function_1, 5), 0.1999999999990898, "numerical_diff(function_1, 5)", tol=1e-10)
    check.close(GM.numerical_diff(function_1, 10), 0.2999999999986347, "numerical_diff(function_1, 10)",
                tol=1e-10)


def test_numerical_gradient_book_points(load):
    """4.4: [6. 8.] at (3, 4), [0. 4.] at (0, 2), [6. 0.] at (3, 0)."""
    G = load("common/gradient.py")
    for x, want in (([3.0, 4.0], [6.0, 8.0]), ([0.0, 2.0], [0.0, 4.0]), ([3.0, 0.0], [6.0, 0.0])):
        check.close(G.numerical_gradient(function_2, np.array(x)), want,
                    f"numerical_gradient(function_2, np.array({x}))", tol=1e-9)


def test_numerical_gradient_2d_and_restored(load, rng):
    """A weight matrix is 2-D (4.4.2): every element, and x exactly as it was afterwards."""
    G = load("common/gradient.py")
    x = rng.normal(size=(2, 3))
    before = x.copy()
    grad = G.numerical_gradient(lambda w: np.sum(w**2), x)
    check.close(grad, 2 * before, "numerical_gradient(lambda w: np.sum(w**2), x) for x of shape (2, 3)", tol=1e-8)
    check.equal(x, before, "x after numerical_gradient(f, x) (each element restored)")


def test_numerical_gradient_in_place(load, rng):
    """f usually ignores its argument and reads the array itself (lambda W: net.loss(x, t))."""
    G = load("common/gradient.py")
    W = rng.normal(size=(2, 3))
    R = rng.normal(size=(2, 3))
    grad = G.numerical_gradient(lambda _: np.sum(W * R), W)
    check.close(grad, R, "numerical_gradient(lambda _: np.sum(W * R), W) (perturb W itself)", tol=1e-8)


def test_gradient_descent(load):
    """4.4.1: from (-3, 4) with lr=0.1, 100 steps → [-6.1e-10, 8.1e-10], almost (0, 0)."""
    GM = load("ch04/gradient_method.py")
    init_x = np.array([-3.0, 4.0])
    x = GM.gradient_descent(function_2, init_x=init_x, lr=0.1, step_num=100)
    x = x[0] if isinstance(x, tuple) else x  # the book's version also returns the history
    check.close(x, [-6.11110793e-10, 8.14814391e-10], "gradient_descent(function_2, init_x, lr=0.1, step_num=100)",
                tol=1e-6)
    check.close(init_x, x, "init_x after gradient_descent (updated in place: x = init_x; x -= lr * grad)",
                tol=1e-12)


def test_learning_rate_too_large_or_small(load):
    """4.4.1: lr=10.0 diverges, lr=1e-10 hardly moves."""
    GM = load("ch04/gradient_method.py")
    big = GM.gradient_descent(function_2, init_x=np.array([-3.0, 4.0]), lr=10.0, step_num=100)
    big = big[0] if isinstance(big, tuple) else big
    check.close(big, [-2.58983747e+13, -1.29524862e+12], "gradient_descent(..., lr=10.0)", tol=1e-6)
    small = GM.gradient_descent(function_2, init_x=np.array([-3.0, 4.0]), lr=1e-10, step_num=100)
    small = small[0] if isinstance(small, tuple) else small
    check.close(small, [-2.99999994, 3.99999992], "gradient_descent(..., lr=1e-10)", tol=1e-7)
