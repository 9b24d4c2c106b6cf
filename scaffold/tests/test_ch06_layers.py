"""Chapter 6.3.2 and 6.4.3: the BatchNormalization and Dropout layers (common/layers.py).

Batch Normalization: in training each feature (column) is normalised over the mini-batch and the
running mean/variance move towards the batch's (momentum 0.9); in test mode the running values
are used. Its backward is checked against a numerical gradient of its own forward on
L = sum(forward(x) * R), with gamma ≠ 1 and beta ≠ 0. Dropout is the book's version: training
multiplies by a random mask (no rescaling), test mode by (1 - dropout_ratio).
Run: pytest -k BatchNorm (or Dropout)
"""
import numpy as np

from grader.judge import compare as check

L = "common/layers.py"


def numerical_gradient(f, x, h=1e-4):
    """Central difference of f() with respect to the array x, changed in place and restored."""
    grad = np.zeros_like(x, dtype=np.float64)
    for i in np.ndindex(x.shape):
        saved = x[i]
        x[i] = saved + h
        f1 = f()
        x[i] = saved - h
        f2 = f()
        x[i] = saved
        grad[i] = (f1 - f2) / (2 * h)
    return grad


def test_batchnorm_training_forward(load):
    bn = load(L).BatchNormalization(np.ones(2), np.zeros(2))
    x = np.array([[1.0, 2.0], [3.0, 6.0], [5.0, 10.0]])
    out = check.array(bn.forward(x), "BatchNormalization.forward(x), x = [[1, 2], [3, 6], [5, 10]]", (3, 2))
    # each column becomes (-√1.5, 0, √1.5), up to the 10e-7 under the square root
    check.close(out, [[-1.2247, -1.2247], [0.0, 0.0], [1.2247, 1.2247]],
                "BatchNormalization.forward(x): each column normalised over the batch", tol=1e-4)
    check.close(bn.running_mean, [0.3, 0.6], "running_mean after one training call (0.9·0 + 0.1·batch mean)",
                tol=1e-12)
    check.close(bn.running_var, [0.8 / 3, 3.2 / 3], "running_var after one training call (0.9·0 + 0.1·batch var)",
                tol=1e-12)


def test_batchnorm_test_mode_uses_running_statistics(load, rng):
    gamma, beta = rng.uniform(0.5, 2.0, 4), rng.normal(size=4)
    bn = load(L).BatchNormalization(gamma, beta)
    for _ in range(3):
        bn.forward(rng.normal(size=(5, 4)) * 2 + 1, True)
    mean, var = np.array(bn.running_mean), np.array(bn.running_var)
    x = rng.normal(size=(3, 4))
    out = bn.forward(x, False)
    check.close(out, gamma * (x - mean) / np.sqrt(var + 10e-7) + beta,
                "BatchNormalization.forward(x, train_flg=False) (uses running_mean / running_var)", tol=1e-10)
    check.close(bn.running_mean, mean, "running_mean after a test-mode call (unchanged)", tol=0)
    check.close(bn.forward(x[:1], False), out[:1], "test mode on one row (does not depend on the batch)",
                tol=1e-10)


def test_batchnorm_backward_gradient_check(load, rng):
    layers = load(L)
    for shape in ((4, 5), (3, 2, 2, 2)):  # 2-D, and 4-D (normalised per C·H·W feature)
        D = int(np.prod(shape[1:]))
        gamma, beta = rng.uniform(0.5, 2.0, D), rng.normal(size=D)
        bn = layers.BatchNormalization(gamma, beta)
        x, R = rng.normal(size=shape) * 2 + 0.5, rng.normal(size=shape)
        bn.forward(x, True)
        dx = check.array(bn.backward(R.copy()), f"BatchNormalization.backward: dx for x {shape}", shape)
        f = lambda: np.sum(bn.forward(x, True) * R)
        check.gradient(dx, numerical_gradient(f, x), f"BatchNormalization.backward, x {shape}", "x", tol=1e-4)
        bn.forward(x, True)
        bn.backward(R.copy())
        for name, got, arr in (("gamma", bn.dgamma, gamma), ("beta", bn.dbeta, beta)):
            check.gradient(got, numerical_gradient(f, arr), f"BatchNormalization.backward, x {shape}", name,
                           tol=1e-4)


def test_dropout_test_mode(load, rng):
    x = rng.normal(size=(3, 5))
    drop = load(L).Dropout(0.3)
    first = drop.forward(x, train_flg=False)
    check.close(first, x * 0.7, "Dropout(0.3).forward(x, train_flg=False) (x · (1 - dropout_ratio))", tol=1e-12)
    check.close(drop.forward(x, train_flg=False), first, "Dropout test mode, called again (no randomness)",
                tol=0)


def test_dropout_training_and_backward(load, rng):
    x = np.arange(1.0, 2001.0).reshape(40, 50)  # no zeros
    drop = load(L).Dropout(0.3)
    out = check.array(drop.forward(x, train_flg=True), "Dropout(0.3).forward(x, train_flg=True)", x.shape)
    dropped = float(np.mean(out == 0))
    check.holds(0.22 < dropped < 0.38, "Dropout(0.3).forward(x, train_flg=True)",
                "about 30 % of the units must be 0 (mask = np.random.rand(*x.shape) > dropout_ratio)")
    kept = out != 0
    check.close(out[kept], x[kept], "Dropout training forward: the kept units (the book does not rescale)",
                tol=0)
    dout = rng.normal(size=x.shape)
    check.close(drop.backward(dout), dout * kept, "Dropout.backward(dout) (dout · self.mask of the forward)",
                tol=0)
