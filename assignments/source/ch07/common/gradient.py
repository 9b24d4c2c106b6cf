"""Numerical gradients by central difference (the book's ``common/gradient.py``, 4.4)."""
import numpy as np


def _numerical_gradient_1d(f, x):
    """f: callable on x; x: (D,) float → (D,) gradient; perturbs x in place and restores it."""
    h = 1e-4  # 0.0001
    grad = np.zeros_like(x)

    for idx in range(x.size):
        tmp_val = x[idx]
        x[idx] = float(tmp_val) + h
        fxh1 = f(x)  # f(x+h)

        x[idx] = tmp_val - h
        fxh2 = f(x)  # f(x-h)
        grad[idx] = (fxh1 - fxh2) / (2*h)

        x[idx] = tmp_val  # restore the value

    return grad


def numerical_gradient_2d(f, X):
    """f: callable on one point (D,); X: (D,) one point or (N, D) one point per row → gradient
    of X's shape; row by row for 2-D X (provided, used by the book's gradient_2d.py)."""
    if X.ndim == 1:
        return _numerical_gradient_1d(f, X)
    else:
        grad = np.zeros_like(X)

        for idx, x in enumerate(X):
            grad[idx] = _numerical_gradient_1d(f, x)

        return grad


def numerical_gradient(f, x):
    """Gradient of the scalar f at x by central difference, h = 1e-4 (4.4).

    f: callable taking x (usually ignoring it and reading arrays shared with x);
    x: float ndarray of any shape, perturbed **in place** one element at a time and restored
    exactly → ndarray of x's shape and dtype.
    """
    raise NotImplementedError("ch04.numerical_gradient: for every element of x (np.nditer, multi_index): set x+h, f, set x-h, f, restore x")
