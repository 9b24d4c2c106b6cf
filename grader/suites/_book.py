"""The book's formulas the judge itself computes (in the judge process, on data), shared by the
suites: expected values, one-hot labels, and the backward pass through a net's own layers.

Not a test module (suites.ini collects ch*.py only) and never sent to a worker.
"""
from __future__ import annotations

import numpy as np


def softmax(x: np.ndarray) -> np.ndarray:
    """Row-wise softmax (3.5.2): x (C,) or (N, C) → probabilities of the same shape."""
    x = x - x.max(axis=-1, keepdims=True)
    return np.exp(x) / np.exp(x).sum(axis=-1, keepdims=True)


def one_hot(labels, classes: int) -> np.ndarray:
    """labels (N,) ints → (N, classes) float64 one-hot rows."""
    labels = np.asarray(labels)
    t = np.zeros((labels.size, classes))
    t[np.arange(labels.size), labels] = 1.0
    return t


def backprop_affine_grads(net, layers: dict, out, t, lam: float, n_affine: int):
    """The book's gradient() after its forward pass, through the net's own (Remote) layers:
    last_layer.forward(out, t), backward(1), the layers in reverse; then W{i} = dW + λ·W{i}
    and b{i} = db of Affine1 … Affine{n_affine}. Returns (grads, raw dW without λW)."""
    last = net.last_layer
    last.forward(out, t)
    dout = last.backward(1)
    for name in reversed(list(layers)):
        dout = layers[name].backward(dout)
    params = net.params
    grads, raw = {}, {}
    for i in range(1, n_affine + 1):
        affine = layers[f"Affine{i}"]
        raw[f"W{i}"] = np.asarray(affine.dW)
        grads[f"W{i}"] = raw[f"W{i}"] + lam * params[f"W{i}"]
        grads[f"b{i}"] = np.asarray(affine.db)
    return grads, raw
