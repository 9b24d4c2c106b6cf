"""Numerical differentiation and gradient descent (chapter 4.3.2 and 4.4.1).

The book has these in ``ch04/gradient_1d.py`` and ``ch04/gradient_method.py`` next to
plotting code; the kit keeps the two functions here (contract §18).
"""
import sys, os
sys.path.append(os.pardir)  # so that the parent directory's packages can be imported
import numpy as np
from common.gradient import numerical_gradient


def numerical_diff(f, x):
    """f: callable on a float; x: float → float (f(x+h) - f(x-h)) / 2h with h = 1e-4 (4.3.2)."""
    raise NotImplementedError("ch04.numerical_diff: central difference (f(x+h) - f(x-h)) / (2h) with h = 1e-4")


def gradient_descent(f, init_x, lr=0.01, step_num=100):
    """f: callable on x; init_x: float ndarray, updated **in place** step_num times by
    x -= lr·∇f(x) → that same array (4.4.1)."""
    raise NotImplementedError("ch04.gradient_descent: step_num times: x -= lr * numerical_gradient(f, x); return x")


if __name__ == "__main__":
    def function_1(x):
        return 0.01*x**2 + 0.1*x

    def function_2(x):
        return x[0]**2 + x[1]**2

    print(numerical_diff(function_1, 5))   # 0.1999999999990898
    print(numerical_diff(function_1, 10))  # 0.2999999999986347
    init_x = np.array([-3.0, 4.0])
    print(gradient_descent(function_2, init_x=init_x, lr=0.1, step_num=100))
