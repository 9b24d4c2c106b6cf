"""Hidden suite, chapter 6.2: initial weights of MultiLayerNet (MultiLayerNet.__init_weight in
common/multi_layer_net.py).

Two kinds of check:
* statistics of a large seeded net MultiLayerNet(400, [300, 200], 50): the sample standard
  deviation of W1, W2, W3 (120000, 60000, 10000 entries) against √(2/n_prev) for 'relu'/'he',
  √(1/n_prev) for 'sigmoid'/'xavier', the number itself otherwise; the mean against 0; biases
  exactly zero;
* seeded draws: after the same np.random.seed, every W equals the reference's (W1, W2, W3 drawn
  in this order with np.random.randn), and the §15 oracle W1[0, 0].

Statistical bounds: for n draws of N(0, σ²), the sample std has relative standard error
1/√(2n) and the mean σ/√n. The bound is 6 standard errors (a correct init misses it with
probability ≈ 2e-9 per matrix); measured on solutions/ over 200 seeds × 3 matrices: at most 3.1
(std) and 3.7 (mean) standard errors. The mistakes are 15 % (fan-out instead of fan-in on W1)
to 40 % (√(1/n) for He) off, ≥ 12 standard errors even on W3.
"""
import numpy as np
import pytest

from grader.judge import compare as check
from grader.judge.plugin import points

MLN = "common/multi_layer_net.py"
EX = "ch06.MultiLayerNet.__init_weight"
SIZES = [400, 300, 200, 50]  # MultiLayerNet(400, [300, 200], 50)
Z = 6.0  # standard errors allowed (measured ≤ 3.7 on correct code)
DRAW_TOL = 1e-12  # seeded draws vs the reference (same randn, same product: measured 0)


def build(worker, seed, *args, **kwargs):
    worker.seed(seed)
    return worker.module(MLN).MultiLayerNet(*args, **kwargs)


def check_statistics(student, seed, init, want_std, hints, extra=None):
    kwargs = {} if init is None else {"weight_init_std": init}
    kwargs.update(extra or {})
    net = build(student, seed, SIZES[0], SIZES[1:-1], SIZES[-1], **kwargs)
    params = net.params
    call = f"MultiLayerNet(400, [300, 200], 50{''.join(f', {k}={v!r}' for k, v in kwargs.items())})"
    for i in range(1, len(SIZES)):
        n_prev, n = SIZES[i - 1], SIZES[i]
        if not isinstance(params, dict) or f"W{i}" not in params or f"b{i}" not in params:
            check.holds(False, f"{call}: params", f"params has no 'W{i}' / 'b{i}'")
        W = check.array(params[f"W{i}"], f"{call}: params['W{i}']", (n_prev, n))
        sigma = want_std(n_prev)
        check.close(np.float64(W.std()), sigma, f"{call}: standard deviation of W{i} ({n_prev}×{n} weights)",
                    tol=Z / np.sqrt(2 * W.size),
                    hints={h: wrong(n_prev, n) for h, wrong in hints.items()})
        check.holds(abs(W.mean()) <= Z * sigma / np.sqrt(W.size), f"{call}: W{i}",
                    "the weights' mean is far from 0: draw them with np.random.randn (standard normal)")
        check.equal(params[f"b{i}"], np.zeros(n), f"{call}: params['b{i}'] (biases start at zero)")


HE_HINTS = {"hint.init_he_scale": lambda n_prev, n: np.sqrt(1.0 / n_prev),
            "hint.init_no_sqrt": lambda n_prev, n: 2.0 / n_prev,
            "hint.init_fan_in": lambda n_prev, n: np.sqrt(2.0 / n)}
XAVIER_HINTS = {"hint.init_xavier_scale": lambda n_prev, n: np.sqrt(2.0 / n_prev),
                "hint.init_no_sqrt": lambda n_prev, n: 1.0 / n_prev,
                "hint.init_fan_in": lambda n_prev, n: np.sqrt(1.0 / n)}


@points(EX, 1)
@pytest.mark.parametrize("init", [None, "he"], ids=["default_relu", "he"])
def test_he_initialisation_std(student, init):
    # None: the default weight_init_std='relu'. Seed 1 (any seed works, see the module docstring).
    check_statistics(student, 1, init, lambda n_prev: np.sqrt(2.0 / n_prev), HE_HINTS)


@points(EX, 1)
@pytest.mark.parametrize("init", ["sigmoid", "xavier"])
def test_xavier_initialisation_std(student, init):
    check_statistics(student, 2, init, lambda n_prev: np.sqrt(1.0 / n_prev), XAVIER_HINTS,
                     extra={"activation": "sigmoid"})


@points(EX, 1)
def test_number_is_the_std(student):
    check_statistics(student, 3, 0.05, lambda n_prev: 0.05, {})


@points(EX, 1)
def test_seeded_draws_match_reference(student, reference):
    # W1, W2, W3 drawn in order with scale * np.random.randn(n_prev, n) after the same seed;
    # sizes 7 → 6 → 5 → 4 (every layer another n_prev).
    sizes = (7, [6, 5], 4)
    for init in ("relu", "xavier", 0.1):
        got = build(student, 11, *sizes, weight_init_std=init).params
        want = build(reference, 11, *sizes, weight_init_std=init).params
        what = f"np.random.seed(11); MultiLayerNet(7, [6, 5], 4, weight_init_std={init!r})"
        for key in sorted(want):
            if not isinstance(got, dict) or key not in got:
                check.holds(False, f"{what}: params", f"params has no '{key}'")
            check.close(got[key], want[key], f"{what}: params['{key}']", tol=DRAW_TOL)


@points(EX, 1)
def test_seeded_book_net_oracle(student):
    # §15: np.random.seed(0) right before MultiLayerNet(784, [100, 100], 10).
    for kwargs, w00 in (({}, 0.08909809830012662),
                        ({"activation": "sigmoid", "weight_init_std": "xavier"}, 0.06300186949884513)):
        net = build(student, 0, 784, [100, 100], 10, **kwargs)
        call = ("np.random.seed(0); MultiLayerNet(784, [100, 100], 10"
                + "".join(f", {k}={v!r}" for k, v in kwargs.items()) + ")")
        w1 = check.array(net.params["W1"], f"{call}: params['W1']", (784, 100))
        check.close_number(w1[0, 0], w00, f"{call}: params['W1'][0, 0]", tol=DRAW_TOL)
