"""Tiny gradient-check helpers shared by the kit's own tests.

``numerical_grad`` is the book's central difference (h = 1e-4) over every element of an
n-D float64 array, perturbing ``x`` in place and restoring it (f usually ignores its
argument and reads arrays shared with ``x``). ``rel_error`` is the norm-based relative
error of contract §16: ‖a − b‖ / max(‖a‖, ‖b‖, tiny).
"""
from __future__ import annotations

import numpy as np


def numerical_grad(f, x: np.ndarray, h: float = 1e-4) -> np.ndarray:
    """Central-difference gradient of the scalar f(x) w.r.t. x (any shape, float64).

    x is modified in place during the call and bit-identical afterwards; the result has
    x's shape.
    """
    grad = np.zeros_like(x, dtype=np.float64)
    it = np.nditer(x, flags=["multi_index"], op_flags=[["readwrite"]])
    while not it.finished:
        idx = it.multi_index
        saved = x[idx]
        x[idx] = saved + h
        fxh1 = f(x)
        x[idx] = saved - h
        fxh2 = f(x)
        grad[idx] = (fxh1 - fxh2) / (2 * h)
        x[idx] = saved
        it.iternext()
    return grad


def rel_error(a, b, tiny: float = 1e-300) -> float:
    """‖a − b‖ / max(‖a‖, ‖b‖, tiny) for arrays of the same shape (0.0 when both are 0)."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    assert a.shape == b.shape, f"shape mismatch {a.shape} vs {b.shape}"
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(a), np.linalg.norm(b), tiny))
