"""Hidden suite, chapter 6 experiments as end-to-end tests (seeded, MNIST subsets, about a second
each; the loops are grader/worker/recipes/ch06.py and run the student's classes):

* 6.3.2 (batch_norm_test.py): a 5-hidden-layer MultiLayerNetExtend with BatchNorm learns faster
  than the same net without it, in the same 100 SGD steps (end-to-end test of
  MultiLayerNetExtend.gradient);
* 6.4.2 (overfit_weight_decay.py): on 300 training images, weight decay narrows the gap between
  train and test accuracy of a 5-hidden-layer MultiLayerNet (MultiLayerNet.gradient);
* 6.1.7 (optimizer_compare_mnist.py): Momentum and Adam reach a lower mini-batch loss than SGD
  in 100 steps (Momentum.update, Adam.update). The net's loss and gradients are computed in the
  judge with numpy and only update(params, grads) runs in the worker, so only the optimizer is
  the student's; the SGD baseline is the reference's.

The nets of the first two are built by build_net (ch06_multi_layer_net.py: the student's class
and layers, params chosen here) and trained by the recipe ch06.train_sgd, whose update is
plain SGD written out, so neither __init__ nor the student's SGD is under test there. Thresholds were calibrated on solutions/
over seeds 0-4 (the numbers are next to each test); the tests use seed 0.
"""
import numpy as np

from grader.judge import compare as check
from grader.judge.plugin import points
from grader.messages import Failed, msg
from grader.suites.ch06_multi_layer_net import build_net

O = "common/optimizer.py"
SEED = 0


def gaussian_params(rng, sizes, std):
    """W{i} = std(n_prev) · N(0, 1), b{i} = 0 (as __init_weight would draw them)."""
    p = {}
    for i in range(1, len(sizes)):
        p[f"W{i}"] = std(sizes[i - 1]) * rng.standard_normal((sizes[i - 1], sizes[i]))
        p[f"b{i}"] = np.zeros(sizes[i])
    return p


def accuracy_at_least(got, threshold, reference, what):
    if not got >= threshold:
        raise Failed(msg("check.accuracy", what=what, got=round(got, 4), threshold=threshold, reference=reference))


@points("ch06.MultiLayerNetExtend.gradient", 2, end_to_end=True)
def test_batchnorm_learns_faster(student, mnist):
    # batch_norm_test.py: 1000 training images, weights N(0, 0.1²), 5 hidden layers of 100,
    # SGD lr 0.01, batch 100, 100 steps (10 epochs); train accuracy at the end.
    # Measured on solutions/, seeds 0-4: with BN 0.763 0.762 0.723 0.708 0.742, without
    # 0.362 0.276 0.285 0.254 0.284 (difference ≥ 0.40). Bounds: with BN ≥ 0.60, difference ≥ 0.25.
    (x_train, t_train), _ = mnist
    x, t = x_train[:1000], t_train[:1000]
    hidden = [100] * 5
    sizes = [784] + hidden + [10]
    params = gaussian_params(np.random.default_rng(SEED), sizes, lambda n: 0.1)
    bn_params = dict(params, **{f"{p}{i}": (np.ones(100) if p == "gamma" else np.zeros(100))
                                for i in range(1, 6) for p in ("gamma", "beta")})
    acc = {}
    for bn, p in ((True, bn_params), (False, params)):
        net = build_net(student, p, hidden, extend=True, use_batchnorm=bn)
        acc[bn] = student.recipe("ch06.train_sgd", net, x, t, x[:100], t[:100], iters=100, batch_size=100,
                                 lr=0.01, seed=SEED, timeout=60)["train_acc"]
    what = ("MultiLayerNetExtend(784, [100]*5, 10, weight_init_std=0.1, use_batchnorm=True), 100 SGD steps "
            "(lr 0.01, batch 100) on 1000 MNIST images: train accuracy")
    accuracy_at_least(acc[True], 0.60, 0.763, what)
    check.holds(acc[True] - acc[False] >= 0.25, "Batch Normalization experiment (6.3.2)",
                "the net with BatchNorm must learn clearly faster than the same net without it in the same "
                "100 steps (the reference's BatchNorm net is about twice as accurate)")


@points("ch06.MultiLayerNet.gradient", 2, end_to_end=True)
def test_weight_decay_narrows_the_gap(student, mnist):
    # overfit_weight_decay.py, shortened: 300 training images, MultiLayerNet(784, [100]*5, 10)
    # with He weights, SGD lr 0.1, batch 100, 150 steps (50 epochs); test accuracy on 1000 test
    # images. Measured on solutions/, seeds 0-4 (train, test): λ = 0: (1.0, 0.750) (1.0, 0.750)
    # (1.0, 0.763) (1.0, 0.747) (1.0, 0.752); λ = 0.1: (0.790, 0.660) (0.687, 0.569) (0.773, 0.614)
    # (0.733, 0.570) (0.777, 0.608): gap 0.237-0.253 → 0.118-0.169, narrower by ≥ 0.078.
    # Bounds: λ = 0 overfits (train ≥ 0.95), the gap with λ = 0.1 is ≥ 0.03 narrower.
    (x_train, t_train), (x_test, t_test) = mnist
    x, t, xt, tt = x_train[:300], t_train[:300], x_test[:1000], t_test[:1000]
    hidden = [100] * 5
    params = gaussian_params(np.random.default_rng(SEED), [784] + hidden + [10], lambda n: np.sqrt(2.0 / n))
    gap, train = {}, {}
    for lam in (0, 0.1):
        net = build_net(student, params, hidden, weight_decay_lambda=lam)
        r = student.recipe("ch06.train_sgd", net, x, t, xt, tt, iters=150, batch_size=100, lr=0.1, seed=SEED,
                           timeout=60)
        train[lam] = r["train_acc"]
        gap[lam] = r["train_acc"] - r["eval_acc"]
    accuracy_at_least(train[0], 0.95, 1.0, "MultiLayerNet(784, [100]*5, 10), 150 SGD steps (lr 0.1) on 300 MNIST "
                      "images: accuracy on those training images")
    check.holds(gap[0.1] <= gap[0] - 0.03, "weight decay experiment (6.4.2)",
                "with weight_decay_lambda=0.1 the gap between train and test accuracy must be clearly narrower "
                "than without weight decay (the reference's gap is about half as wide)",
                hint="hint.weight_decay_grad_missing" if abs(gap[0.1] - gap[0]) < 1e-9 else None)


def mlp_loss_and_grads(p, x, t):
    """The judge's own numpy 784-50-10 ReLU net with softmax cross-entropy (the truth; nothing of
    it runs in the worker): mini-batch loss and gradients."""
    n = x.shape[0]
    a1 = x @ p["W1"] + p["b1"]
    z1 = np.maximum(a1, 0)
    s = z1 @ p["W2"] + p["b2"]
    s = s - s.max(axis=1, keepdims=True)
    y = np.exp(s) / np.exp(s).sum(axis=1, keepdims=True)
    loss = float(-np.mean(np.log(y[np.arange(n), t] + 1e-7)))
    dy = y.copy()
    dy[np.arange(n), t] -= 1
    dy /= n
    da1 = (dy @ p["W2"].T) * (a1 > 0)
    return loss, {"W1": x.T @ da1, "b1": da1.sum(axis=0), "W2": z1.T @ dy, "b2": dy.sum(axis=0)}


def race(worker, opt, name, mnist, iters=100, batch_size=100):
    """``iters`` steps of ``opt.update(params, grads)`` in the worker on params it holds, the
    loss and gradients computed here from the updated params; returns the mean loss of the
    last 10 steps. Batches as the book's scripts draw them (np.random.seed, np.random.choice)."""
    (x_train, t_train), _ = mnist
    x, t = x_train[:1000].astype(np.float64), t_train[:1000].astype(np.int64)
    rng = np.random.default_rng(SEED)
    shapes = {"W1": (784, 50), "b1": (50,), "W2": (50, 10), "b2": (10,)}
    params = {"W1": np.sqrt(2.0 / 784) * rng.standard_normal((784, 50)), "b1": np.zeros(50),
              "W2": np.sqrt(2.0 / 50) * rng.standard_normal((50, 10)), "b2": np.zeros(10)}
    handle = worker.put(params)
    batches = np.random.RandomState(SEED)
    losses = []
    for step in range(iters):
        batch = batches.choice(x.shape[0], batch_size)
        loss, grads = mlp_loss_and_grads(params, x[batch], t[batch])
        losses.append(loss)
        opt.update(handle, grads)
        got = worker.fetch(handle)
        if not isinstance(got, dict):
            check.holds(False, f"{name}.update(params, grads)", "params is no longer a dict")
        params = {k: check.array(got.get(k), f"{name}.update(params, grads), step {step + 1}: params['{k}']", s)
                  for k, s in shapes.items()}
    return float(np.mean(losses[-10:]))


# optimizer_compare_mnist.py, shortened: a 784-50-10 ReLU net, He weights, 100 steps of batch 100
# on 1000 MNIST images, the optimizers with their default hyper-parameters; mean loss of the last
# 10 steps. Measured on solutions/, seeds 0-4: SGD 1.548 1.869 1.583 1.467 1.643, Momentum 0.425
# 0.476 0.433 0.387 0.425 (≤ 0.274 × SGD), Adam 0.364 0.374 0.339 0.325 0.343 (≤ 0.235 × SGD).
# Bound: ≤ 0.5 × SGD's loss.
RACE_RATIO = 0.5


_SGD_BASELINE = {}  # the reference's SGD loss: deterministic, computed once per session


def check_race(student, reference, mnist, name):
    if "loss" not in _SGD_BASELINE:
        _SGD_BASELINE["loss"] = race(reference, reference.module(O).SGD(), "SGD", mnist)
    sgd = _SGD_BASELINE["loss"]
    mine = race(student, getattr(student.module(O), name)(), name, mnist)
    check.holds(mine <= RACE_RATIO * sgd, f"{name}() on MNIST (6.1.7), 100 steps",
                f"{name} must reach a clearly lower loss than SGD in the same steps (the reference's {name} "
                "reaches about a quarter of SGD's loss)")


@points("ch06.Momentum.update", 1, end_to_end=True)
def test_momentum_beats_sgd(student, reference, mnist):
    check_race(student, reference, mnist, "Momentum")


@points("ch06.Adam.update", 1, end_to_end=True)
def test_adam_beats_sgd(student, reference, mnist):
    check_race(student, reference, mnist, "Adam")
