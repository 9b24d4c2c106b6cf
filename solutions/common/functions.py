"""Activation and loss functions (the book's ``common/functions.py``).

Chapter 3 (3.2 activation functions, 3.5.2 softmax) and chapter 4 (4.2 loss functions).
Every function takes one sample (1-D) or a batch (N, C) with the batch axis first.
"""
import numpy as np


def identity_function(x):
    """x: any array → the same x (the output layer's activation for regression, 3.4.2)."""
    ### BEGIN SOLUTION ch03.identity_function
    return x
    ### END SOLUTION


def step_function(x):
    """x: ndarray of any shape → int array of the same shape: 1 where x > 0, else 0 (3.2.3)."""
    ### BEGIN SOLUTION ch03.step_function
    return np.array(x > 0, dtype=int)
    ### END SOLUTION


def sigmoid(x):
    """x: ndarray (any shape, float) → 1 / (1 + exp(-x)) element-wise, same shape (3.2.4)."""
    ### BEGIN SOLUTION ch03.sigmoid
    return 1 / (1 + np.exp(-x))
    ### END SOLUTION


def sigmoid_grad(x):
    """x: the sigmoid's *input* (any shape) → dσ/dx = (1 - σ(x))·σ(x), same shape (provided)."""
    return (1.0 - sigmoid(x)) * sigmoid(x)


def relu(x):
    """x: ndarray (any shape) → max(0, x) element-wise, same shape (3.2.7)."""
    ### BEGIN SOLUTION ch03.relu
    return np.maximum(0, x)
    ### END SOLUTION


def relu_grad(x):
    """x: ndarray → 1 where x >= 0 (1 at 0, unlike the Relu layer), else 0; x's dtype (provided)."""
    grad = np.zeros_like(x)
    grad[x >= 0] = 1
    return grad


def softmax(x):
    """x: (C,) or (N, C) scores → probabilities of the same shape, each row summing to 1 (3.5.2).

    Each row's max is subtracted first so that exp does not overflow (x = 1000 works).
    """
    ### BEGIN SOLUTION ch03.softmax
    x = x - np.max(x, axis=-1, keepdims=True)  # overflow guard
    return np.exp(x) / np.sum(np.exp(x), axis=-1, keepdims=True)
    ### END SOLUTION


def mean_squared_error(y, t):
    """y, t: arrays of the same shape → float 0.5·Σ(y - t)², over everything, no batch average (4.2.1)."""
    ### BEGIN SOLUTION ch04.mean_squared_error
    return 0.5 * np.sum((y - t)**2)
    ### END SOLUTION


# The Japanese edition's name for the same function (contract §18).
sum_squared_error = mean_squared_error


def cross_entropy_error(y, t):
    """Mini-batch cross-entropy error (4.2.4).

    y: (C,) or (N, C) probabilities; t: one-hot of y's shape, or labels (N,) int (0-d for one
    sample) → float -Σ log(y[i, t_i] + 1e-7) / N.
    """
    ### BEGIN SOLUTION ch04.cross_entropy_error
    if y.ndim == 1:
        t = t.reshape(1, t.size)
        y = y.reshape(1, y.size)

    # one-hot teacher data: turn it into the index of the correct label
    if t.size == y.size:
        t = t.argmax(axis=1)

    batch_size = y.shape[0]
    return -np.sum(np.log(y[np.arange(batch_size), t] + 1e-7)) / batch_size
    ### END SOLUTION


def softmax_loss(X, t):
    """X: (N, C) scores, t: one-hot or labels → float cross_entropy_error(softmax(X), t) (provided)."""
    y = softmax(X)
    return cross_entropy_error(y, t)
