"""Hidden suite, chapter 6.3.2: BatchNormalization.forward / backward (common/layers.py).

forward: the §15 oracle (training output, running mean/var after one and two calls, then test
mode), random gamma ≠ 1 / beta ≠ 0 against the reference and the defining property (each feature
of (out - beta) / gamma has mean 0 and variance σ²/(σ² + 1e-6) over the batch), a custom
momentum, test mode with running statistics (and a fresh layer's first call in test mode), a
4-D input normalised per feature (C·H·W values).

backward: isolated from forward. The student's forward runs first (so whatever else it keeps is
there), then the judge writes the contract's cache (§3: xc, xn, std, batch_size, input_shape)
as the reference's forward left it, and calls backward only. dx, dgamma, dbeta are checked
against the reference's central differences of L = Σ out·R, plus the property Σ_batch dx = 0
(the mean is subtracted), with 2-D and 4-D input and two calls with different batch sizes.

Tolerances (norm relative error, measured on solutions/):
* forward vs the oracle / the reference: the same float64 operations, measured 0; bound 1e-12.
* gradient checks (h = 1e-4): §16 measured ≤ 3.0e-7 (dx 2-D), 1.9e-8 (4-D), 1.2e-11 (dgamma,
  dbeta); these fixtures over 20 seeds: dx ≤ 5.1e-7 (N = 3, 4-D), dgamma / dbeta ≤ 1e-11;
  bound 1e-4 (real bugs ≥ 4.5e-2: dx without the mean/variance paths measures 0.69-0.98).
"""
import numpy as np

from grader.judge import compare as check
from grader.judge import numeric
from grader.judge.plugin import points
from grader.messages import Failed
from grader.worker.client import ImportFailed, StudentError

L = "common/layers.py"
EPS = 10e-7  # the book's constant (= 1e-6)
VALUE_TOL = 1e-12
GRAD_TOL = 1e-4
FWD, BWD = "ch06.BatchNormalization.forward", "ch06.BatchNormalization.backward"


def bn(worker, gamma, beta, **kwargs):
    return worker.module(L).BatchNormalization(np.asarray(gamma, dtype=np.float64),
                                               np.asarray(beta, dtype=np.float64), **kwargs)


def normalise(x, axis=0):
    x2 = x.reshape(x.shape[0], -1)
    mu = x2.mean(axis=axis, keepdims=True)
    xc = x2 - mu
    return xc / np.sqrt(np.mean(xc ** 2, axis=axis, keepdims=True) + EPS)


def train_hints(x, gamma, beta):
    """Wrong training outputs of known mistakes (same shape as x)."""
    return {"hint.bn_axis": (gamma * normalise(x, axis=1) + beta).reshape(x.shape),
            "hint.bn_gamma_beta": normalise(x).reshape(x.shape)}


def running_hints(history, momentum):
    """Running mean/var if never updated (zeros) or with the weights swapped."""
    r = np.zeros_like(history[0])
    for value in history:
        r = (1 - momentum) * r + momentum * value
    return {"hint.bn_running_stats": np.zeros_like(history[0]), "hint.bn_momentum_swapped": r}


def batch_stats(x):
    x2 = x.reshape(x.shape[0], -1)
    return x2.mean(axis=0), np.mean((x2 - x2.mean(axis=0)) ** 2, axis=0)


# ---- forward --------------------------------------------------------------------------------

@points(FWD, 3)
def test_forward_book_example(student):
    # §15: BatchNormalization(ones(2), zeros(2)), x = [[1, 2], [3, 6], [5, 10]].
    x = np.array([[1.0, 2.0], [3.0, 6.0], [5.0, 10.0]])
    layer = bn(student, np.ones(2), np.zeros(2))
    a, b = 1.2247446417519903, 1.2247448139816772
    what = "BatchNormalization(np.ones(2), np.zeros(2)).forward(x), x = [[1, 2], [3, 6], [5, 10]]"
    check.close(layer.forward(x), [[-a, -b], [0.0, 0.0], [a, b]], f"{what}, training mode", tol=VALUE_TOL,
                hints=train_hints(x, np.ones(2), np.zeros(2)))
    mu, var = batch_stats(x)
    check.close(layer.running_mean, [0.29999999999999993, 0.5999999999999999],
                f"{what}: running_mean after one training call", tol=VALUE_TOL,
                hints=running_hints([mu], 0.9))
    check.close(layer.running_var, [0.2666666666666666, 1.0666666666666664],
                f"{what}: running_var after one training call", tol=VALUE_TOL,
                hints=running_hints([var], 0.9))
    layer.forward(x)
    check.close(layer.running_mean, [0.5699999999999998, 1.1399999999999997],
                f"{what}: running_mean after two training calls", tol=VALUE_TOL,
                hints=running_hints([mu, mu], 0.9))
    check.close(layer.running_var, [0.5066666666666666, 2.0266666666666664],
                f"{what}: running_var after two training calls", tol=VALUE_TOL,
                hints=running_hints([var, var], 0.9))
    out = check.array(layer.forward(x, False), f"{what}, then forward(x, train_flg=False)", (3, 2))
    check.close(out[0], [0.6040972523218827, 0.6040976994329499],
                f"{what}, two training calls, then forward(x, train_flg=False): row 0", tol=VALUE_TOL,
                hints={"hint.bn_test_batch_stats": [-a, -b]})


@points(FWD, 2)
def test_forward_training_random_gamma_beta(student, reference, rng):
    D = 5
    gamma, beta = rng.uniform(0.5, 2.0, D), rng.normal(size=D)
    mine, ref = bn(student, gamma, beta), bn(reference, gamma, beta)
    for call, n in enumerate((4, 6), start=1):  # the second batch (another size) must not see the first
        x = rng.normal(size=(n, D)) * 3.0 + 1.0
        what = f"BatchNormalization(gamma, beta).forward(x) for x ({n}, {D}), training mode (call {call})"
        out = check.close(mine.forward(x), ref.forward(x), what, tol=VALUE_TOL,
                          hints=train_hints(x, gamma, beta))
        xn = (out - beta) / gamma
        var = batch_stats(x)[1]
        check.holds(np.all(np.abs(xn.mean(axis=0)) <= 1e-10), what,
                    "each feature of (out - beta) / gamma must have mean 0 over the batch")
        check.close(xn.var(axis=0), var / (var + EPS), f"{what}: variance over the batch of (out - beta) / gamma",
                    tol=1e-9)


@points(FWD, 1)
def test_running_statistics_custom_momentum(student, reference, rng):
    D = 4
    gamma, beta = rng.uniform(0.5, 2.0, D), rng.normal(size=D)
    mine, ref = bn(student, gamma, beta, momentum=0.7), bn(reference, gamma, beta, momentum=0.7)
    means, variances = [], []
    for call, n in enumerate((5, 3), start=1):
        x = rng.normal(size=(n, D)) * 2.0 - 0.5
        mine.forward(x, True)
        ref.forward(x, True)
        mu, var = batch_stats(x)
        means.append(mu)
        variances.append(var)
        what = f"BatchNormalization(gamma, beta, momentum=0.7) after {call} training call(s)"
        check.close(mine.running_mean, ref.running_mean, f"{what}: running_mean", tol=VALUE_TOL,
                    hints=running_hints(means, 0.7))
        check.close(mine.running_var, ref.running_var, f"{what}: running_var", tol=VALUE_TOL,
                    hints=running_hints(variances, 0.7))


@points(FWD, 2)
def test_test_mode_uses_running_statistics(student, reference, rng):
    D = 5
    gamma, beta = rng.uniform(0.5, 2.0, D), rng.normal(size=D)
    # a fresh layer's first call in test mode: running stats start as zeros(D)
    x = rng.normal(size=(3, D))
    fresh = bn(student, gamma, beta)
    check.close(fresh.forward(x, False), gamma * x / np.sqrt(EPS) + beta,
                "a new BatchNormalization(gamma, beta): first call forward(x, train_flg=False) "
                "(running_mean, running_var start as zeros)", tol=VALUE_TOL,
                hints={"hint.bn_test_batch_stats": gamma * normalise(x) + beta})
    mine, ref = bn(student, gamma, beta), bn(reference, gamma, beta)
    for n in (6, 4):
        xt = rng.normal(size=(n, D)) * 2.0 + 0.7
        mine.forward(xt, True)
        ref.forward(xt, True)
    before = (np.array(mine.running_mean), np.array(mine.running_var))
    x = rng.normal(size=(3, D)) * 1.5
    what = "BatchNormalization(gamma, beta): two training calls, then forward(x, train_flg=False)"
    out = check.close(mine.forward(x, False), ref.forward(x, False), what, tol=VALUE_TOL,
                      hints={"hint.bn_test_batch_stats": gamma * normalise(x) + beta})
    check.holds(np.array_equal(mine.running_mean, before[0]) and np.array_equal(mine.running_var, before[1]),
                what, "a test-mode call changed running_mean / running_var (only training updates them)")
    rows = np.vstack([check.array(mine.forward(x[i:i + 1], False), f"{what} for one row", (1, D))
                      for i in range(3)])
    check.close(rows, out, f"{what}: row by row (test mode does not depend on the batch)", tol=VALUE_TOL,
                hints={"hint.bn_test_batch_stats": out})


@points(FWD, 1)
def test_forward_4d_input_per_feature(student, reference, rng):
    shape = (3, 2, 2, 3)  # N, C, H, W: 12 features (C·H·W), not 2 channels
    D = 12
    gamma, beta = rng.uniform(0.5, 2.0, D), rng.normal(size=D)
    mine, ref = bn(student, gamma, beta), bn(reference, gamma, beta)
    x = rng.normal(size=shape)
    what = "BatchNormalization(gamma (12,), beta (12,)).forward(x) for x (3, 2, 2, 3)"
    check.close(mine.forward(x), ref.forward(x), f"{what}, training mode", tol=VALUE_TOL,
                hints={"hint.bn_axis": (gamma * normalise(x, axis=1) + beta).reshape(shape)})
    x2 = rng.normal(size=shape)
    check.close(mine.forward(x2, False), ref.forward(x2, False), f"{what}, then test mode", tol=VALUE_TOL)


# ---- backward (isolated: the cache is written by the judge) ----------------------------------

def prepared(student, reference, gamma, beta, x):
    """(student's layer after forward(x) with the reference's cache written in, reference cache)."""
    ref = bn(reference, gamma, beta)
    ref.forward(x, True)
    cache = {name: getattr(ref, name) for name in ("xc", "xn", "std", "batch_size")}
    layer = bn(student, gamma, beta)
    try:
        layer.forward(x, True)  # whatever else the student's forward keeps
    except ImportFailed:
        raise
    except StudentError:
        pass  # a broken forward must not cost backward: the cache below is all it needs
    for name, value in cache.items():
        setattr(layer, name, value)
    layer.input_shape = tuple(x.shape)
    return layer, cache


def gradient(analytic, numerical, what, param, hints):
    """check.gradient, with the hint of a known mistake when the analytic value is that mistake."""
    try:
        check.gradient(analytic, numerical, what, param, tol=GRAD_TOL)
    except Failed as f:
        raise Failed(f.message, f.hint or check.diagnose(analytic, hints, 1e-9)) from None


def check_backward(student, reference, rng, shape, label):
    D = int(np.prod(shape[1:]))
    gamma, beta = rng.uniform(0.5, 2.0, D), rng.normal(size=D)
    x = rng.normal(size=shape) * 2.0 + 0.5
    R = rng.normal(size=shape)  # L = Σ out·R, so dout = R
    layer, cache = prepared(student, reference, gamma, beta, x)
    dx = layer.backward(R)
    num = numeric.layer_numerical_gradients(reference, bn(reference, gamma, beta), x, R, ["gamma", "beta"],
                                            forward_kwargs={"train_flg": True})
    what = f"BatchNormalization(gamma, beta).backward(dout) after forward(x) for x {shape} ({label})"
    dout2 = R.reshape(shape[0], -1)
    xn, std = np.asarray(cache["xn"]), np.asarray(cache["std"])
    direct = (gamma * dout2 / std).reshape(shape)  # dx through xn alone, no mean / variance path
    a = check.array(dx, f"{what}: dx", shape)
    check.holds(np.all(np.abs(a.reshape(shape[0], -1).sum(axis=0)) <= 1e-9 * max(1.0, np.abs(a).max())),
                f"{what}: dx", "the columns of dx must sum to 0 over the batch (x's mean is subtracted)",
                hint="hint.bn_backward_mean_path")
    gradient(dx, num["x"], what, "x", {"hint.bn_backward_mean_path": direct})
    gradient(layer.dgamma, num["gamma"], what, "gamma", {"hint.bn_dgamma_dbeta": xn * dout2})
    gradient(layer.dbeta, num["beta"], what, "beta", {"hint.bn_dgamma_dbeta": dout2})


@points(BWD, 3)
def test_backward_gradient_check_2d(student, reference, rng):
    check_backward(student, reference, rng, (4, 5), "gamma ≠ 1, beta ≠ 0")


@points(BWD, 2)
def test_backward_gradient_check_4d(student, reference, rng):
    check_backward(student, reference, rng, (3, 2, 2, 2), "4-D x, 8 features")


@points(BWD, 2)
def test_backward_two_calls_other_batch_size(student, reference, rng):
    # two layers' worth of calls on one layer: N = 6, then N = 3 (nothing may carry over)
    D = 4
    gamma, beta = rng.uniform(0.5, 2.0, D), rng.normal(size=D)
    layer = bn(student, gamma, beta)
    for call, n in enumerate((6, 3), start=1):
        x = rng.normal(size=(n, D)) * 1.5 - 0.3
        R = rng.normal(size=(n, D))
        ref = bn(reference, gamma, beta)
        ref.forward(x, True)
        try:
            layer.forward(x, True)
        except ImportFailed:
            raise
        except StudentError:
            pass
        for name in ("xc", "xn", "std", "batch_size"):
            setattr(layer, name, getattr(ref, name))
        layer.input_shape = (n, D)
        dx = layer.backward(R)
        num = numeric.layer_numerical_gradients(reference, bn(reference, gamma, beta), x, R,
                                                ["gamma", "beta"], forward_kwargs={"train_flg": True})
        what = f"BatchNormalization.backward, call {call} on one layer (x ({n}, {D}))"
        check.gradient(dx, num["x"], what, "x", tol=GRAD_TOL)
        check.gradient(layer.dgamma, num["gamma"], what, "gamma", tol=GRAD_TOL)
        check.gradient(layer.dbeta, num["beta"], what, "beta", tol=GRAD_TOL)
