"""Loops of the study commands (``dlfs compare`` / ``dlfs plot``), run in the worker next to the
learner's (or the reference's) code: ``worker.recipe("study.<name>", ...)``.

They only drive the learner's objects and return data for a person to look at; nothing here is
graded. Randomness is numpy's global legacy RNG, seeded by the caller (``worker.seed``) so the
learner's and the reference's runs draw the same batches.
"""
from __future__ import annotations

import numpy as np


# ---- functions handed to the learner's numerical_diff / numerical_gradient ------------------
def _function_1(x):
    """The book's 4.3.3 example: 0.01x² + 0.1x."""
    return 0.01 * x**2 + 0.1 * x


def _sum_squares(x):
    """The book's 4.3.3 function_2: the sum of x²."""
    return np.sum(x**2)


FUNCTIONS = {"function_1": _function_1, "sum_squares": _sum_squares}


def function(name: str):
    """One of FUNCTIONS, as a handle the judge passes back into the learner's code."""
    return FUNCTIONS[name]


# ---- optimizers -----------------------------------------------------------------------------
# ---- training loops -------------------------------------------------------------------------
def train_chunk(net, x_train, t_train, x_test, t_test, iters: int, batch_size: int, lr: float,
                eval_every: int, start: int = 0, predict_kwargs=None) -> dict:
    """``iters`` steps of the book's train_neuralnet.py loop, continuing from step ``start``:
    batch = np.random.choice(N, batch_size); grads = net.gradient; params[key] -= lr * grads[key]
    (in place); the batch's loss; and after step i with i % eval_every == 0 the net's scores
    (net.predict) on the training and the test data — the judge turns them into accuracies.

    Returns {"loss": [per step], "step": [i of each evaluation], "train_scores": [(N, 10) …],
    "test_scores": [...]}."""
    predict_kwargs = predict_kwargs or {}
    n = x_train.shape[0]
    out = {"loss": [], "step": [], "train_scores": [], "test_scores": []}
    for step in range(start, start + iters):
        batch = np.random.choice(n, batch_size)
        grads = net.gradient(x_train[batch], t_train[batch])
        for key in list(net.params.keys()):
            net.params[key] -= lr * grads[key]
        out["loss"].append(float(net.loss(x_train[batch], t_train[batch])))
        if step % eval_every == 0:
            out["step"].append(step)
            out["train_scores"].append(np.asarray(net.predict(x_train, **predict_kwargs)))
            out["test_scores"].append(np.asarray(net.predict(x_test, **predict_kwargs)))
    return out
