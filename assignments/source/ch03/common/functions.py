"""Activation and loss functions (the book's ``common/functions.py``).

Chapter 3 (3.2 activation functions, 3.5.2 softmax) and chapter 4 (4.2 loss functions).
Every function takes one sample (1-D) or a batch (N, C) with the batch axis first.
"""
import numpy as np


def identity_function(x):
    """x: any array → the same x (the output layer's activation for regression, 3.4.2)."""
    raise NotImplementedError("ch03.identity_function: return x unchanged")


def step_function(x):
    """x: ndarray of any shape → int array of the same shape: 1 where x > 0, else 0 (3.2.3)."""
    raise NotImplementedError("ch03.step_function: return an int array: 1 where x > 0, else 0 (np.array(x > 0, dtype=int))")


def sigmoid(x):
    """x: ndarray (any shape, float) → 1 / (1 + exp(-x)) element-wise, same shape (3.2.4)."""
    raise NotImplementedError("ch03.sigmoid: return 1 / (1 + exp(-x)), element-wise")


def sigmoid_grad(x):
    """x: the sigmoid's *input* (any shape) → dσ/dx = (1 - σ(x))·σ(x), same shape (provided)."""
    return (1.0 - sigmoid(x)) * sigmoid(x)


def relu(x):
    """x: ndarray (any shape) → max(0, x) element-wise, same shape (3.2.7)."""
    raise NotImplementedError("ch03.relu: return max(0, x) element-wise (np.maximum)")


def relu_grad(x):
    """x: ndarray → 1 where x >= 0 (1 at 0, unlike the Relu layer), else 0; x's dtype (provided)."""
    grad = np.zeros_like(x)
    grad[x >= 0] = 1
    return grad


def softmax(x):
    """x: (C,) or (N, C) scores → probabilities of the same shape, each row summing to 1 (3.5.2).

    Each row's max is subtracted first so that exp does not overflow (x = 1000 works).
    """
    raise NotImplementedError("ch03.softmax: subtract each row's max, exponentiate, divide by each row's sum (1-D or (N, C))")


def mean_squared_error(y, t):
    """y, t: arrays of the same shape → float 0.5·Σ(y - t)², over everything, no batch average (4.2.1)."""
    raise NotImplementedError("ch04.mean_squared_error: return 0.5 * sum((y - t)**2), summed over everything, no batch average")


# The Japanese edition's name for the same function (contract §18).
sum_squared_error = mean_squared_error


def cross_entropy_error(y, t):
    """Mini-batch cross-entropy error (4.2.4).

    y: (C,) or (N, C) probabilities; t: one-hot of y's shape, or labels (N,) int (0-d for one
    sample) → float -Σ log(y[i, t_i] + 1e-7) / N.
    """
    raise NotImplementedError("ch04.cross_entropy_error: reshape 1-D to one row, turn one-hot t into labels, return -sum(log(y[i, t_i] + 1e-7)) / N")


def softmax_loss(X, t):
    """X: (N, C) scores, t: one-hot or labels → float cross_entropy_error(softmax(X), t) (provided)."""
    y = softmax(X)
    return cross_entropy_error(y, t)
