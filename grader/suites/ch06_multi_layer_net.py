"""Hidden suite, chapter 6.4.2: weight decay in MultiLayerNet.loss and MultiLayerNet.gradient
(common/multi_layer_net.py).

Isolation: every net is built by build_net below, which gives the student's
MultiLayerNet the book's state (params chosen here, the student's own Affine / Relu / Sigmoid /
SoftmaxWithLoss objects sharing those arrays), so a bug in __init_weight costs nothing here.
Own tests (wiring) run the book's procedure through the net's own layers in the judge
(predict + last_layer.forward + ½λΣ‖W‖²; last_layer.backward(1), the layers in reverse,
dW + λW) and compare with net.loss / net.gradient, with 3 and 5 hidden layers, λ ≠ 0, both label
forms. End-to-end tests compare with the §15 oracle on MNIST and with the reference's
numerical gradient; the weight-decay experiment is in ch06_experiments.py.

Tolerances (norm relative error, measured on solutions/):
* wiring: the same operations on the same arrays, measured 0; bound 1e-10 leaves room for
  another summation order of the decay term (≤ 1e-16).
* §15 losses: measured 0 against the oracle (float64, single BLAS thread); bound 1e-10.
* gradient check vs the reference's central differences (h = 1e-4): see GRAD_TOL.
"""
import numpy as np

from grader.suites._book import backprop_affine_grads, one_hot
from grader.judge import compare as check
from grader.judge import numeric
from grader.judge.plugin import points
from grader.worker.client import ImportFailed, StudentError

MLN = "common/multi_layer_net.py"
MLNX = "common/multi_layer_net_extend.py"
L = "common/layers.py"
WIRING_TOL = 1e-10
ORACLE_TOL = 1e-10
# §16: MultiLayerNet [100, 100] ≤ 3.1e-6 (the 1e-7 in the log, p_true ≈ 0.1); on the fixture
# below (seed 5: p_true ≥ 0.10, every ReLU input ≥ 1e-2 from its kink) measured 9.4e-7 (λ = 0.1,
# worst key); seeds 0-11 of the same fixture: ≤ 3.4e-6 where p_true ≥ 0.03 (the 1e-7 floor),
# 1.4e-3 on seed 8 (p_true 4e-4, avoided). Real bugs ≥ 4.5e-2.
GRAD_TOL = 1e-4



def he_params(rng, sizes, bias=0.1):
    """W{i} ~ He-scaled normal, b{i} ~ N(0, bias²) (non-zero biases)."""
    p = {}
    for i in range(1, len(sizes)):
        p[f"W{i}"] = rng.normal(size=(sizes[i - 1], sizes[i])) * np.sqrt(2.0 / sizes[i - 1])
        p[f"b{i}"] = rng.normal(scale=bias, size=sizes[i])
    return p


def build_net(worker, params, hidden, *, extend=False, activation="relu", weight_decay_lambda=0.0,
              use_dropout=False, dropout_ration=0.5, use_batchnorm=False):
    """The worker's MultiLayerNet (or, with ``extend``, MultiLayerNetExtend) in the book's state
    (6.2-6.4), wired here in the judge: params = ``params`` (float64 copies, in the worker), the
    layers Affine{i}, [BatchNorm{i}], Activation_function{i}, [Dropout{i}], Affine{L+1} built
    from the submission's own layer classes and sharing those arrays, last_layer
    SoftmaxWithLoss. The student's constructor is tried first (so any extra attribute it sets
    stays) and, if it raises, the object is made without it: the methods under test (loss,
    predict, gradient) never depend on the student's __init__ / __init_weight."""
    layers = worker.module(L)
    cls = worker.module(MLNX).MultiLayerNetExtend if extend else worker.module(MLN).MultiLayerNet
    n = len(hidden)
    sizes = [np.shape(params["W1"])[0]] + list(hidden) + [np.shape(params[f"W{n + 1}"])[1]]
    kwargs = dict(activation=activation, weight_decay_lambda=weight_decay_lambda)
    if extend:
        kwargs.update(use_dropout=use_dropout, dropout_ration=dropout_ration, use_batchnorm=use_batchnorm)
    try:
        net = cls(sizes[0], list(hidden), sizes[-1], **kwargs)
    except ImportFailed:
        raise
    except StudentError:
        net = worker.recipe("ch06.blank", cls, handle=True)
    p = worker.put({k: np.array(v, dtype=np.float64) for k, v in params.items()})
    act = {"relu": layers.Relu, "sigmoid": layers.Sigmoid}[activation]
    net_layers = {}
    for i in range(1, n + 1):
        net_layers[f"Affine{i}"] = layers.Affine(p.item_ref(f"W{i}"), p.item_ref(f"b{i}"))
        if extend and use_batchnorm:
            net_layers[f"BatchNorm{i}"] = layers.BatchNormalization(p.item_ref(f"gamma{i}"), p.item_ref(f"beta{i}"))
        net_layers[f"Activation_function{i}"] = act()
        if extend and use_dropout:
            net_layers[f"Dropout{i}"] = layers.Dropout(dropout_ration)
    net_layers[f"Affine{n + 1}"] = layers.Affine(p.item_ref(f"W{n + 1}"), p.item_ref(f"b{n + 1}"))
    state = dict(input_size=sizes[0], output_size=sizes[-1], hidden_size_list=list(hidden),
                 hidden_layer_num=n, weight_decay_lambda=weight_decay_lambda, params=p,
                 layers=net_layers, last_layer=layers.SoftmaxWithLoss())
    if extend:
        state.update(use_dropout=use_dropout, use_batchnorm=use_batchnorm)
    for name, value in state.items():
        setattr(net, name, value)
    return net


def net_of(worker, params, hidden, **kwargs):
    """The worker's MultiLayerNet with the book's state on ``params`` (see build_net)."""
    return build_net(worker, params, hidden, **kwargs)


def decay(params, lam, idx):
    return sum(0.5 * lam * np.sum(params[f"W{i}"] ** 2) for i in idx)


def rel(a, b):
    try:
        return check.rel_error(a, b) if np.shape(a) == np.shape(b) else np.inf
    except (TypeError, ValueError):
        return np.inf


def nearest(got, candidates):
    """The candidate value closest to ``got`` (several wrong values share one hint)."""
    return min(candidates, key=lambda c: rel(got, c))


def describe(hidden, lam, activation="relu"):
    sizes = [6] + list(hidden) + [4]
    return (f"MultiLayerNet({sizes[0]}, {list(hidden)}, {sizes[-1]}, activation='{activation}', "
            f"weight_decay_lambda={lam})")


# ---- the book's gradient procedure through the net's own layers ------------------------------

def book_gradient(net, x, t, lam, n_affine):
    """(grads as the book's gradient returns them, the layers' dW without λW)."""
    layers = net.layers
    out = x
    for name, layer in layers.items():
        out = layer.forward(out)
    return backprop_affine_grads(net, layers, out, t, lam, n_affine)


def check_grads(got, want, raw, what, tol):
    """Compare a gradient dict key by key; λW left out of every W / of some W gives a hint."""
    if not isinstance(got, dict):
        check.holds(False, what, "gradient must return a dict of arrays (grads['W1'], grads['b1'], …)")
    missing = [k for k in want if k not in got]
    check.holds(not missing, what, f"the returned dict has no {', '.join(missing)}")
    w_keys = [k for k in want if k.startswith("W")]
    decayed = [k for k in w_keys if rel(got[k], want[k]) <= 1e-9]
    for key in want:
        hints = {}
        if key in raw:
            hints = {("hint.weight_decay_grad_layers" if decayed else "hint.weight_decay_grad_missing"): raw[key]}
        check.close(got[key], want[key], f"{what}: grads['{key}']", tol=tol, hints=hints)


# ---- MultiLayerNet.loss ----------------------------------------------------------------------

def check_loss_wiring(student, rng, hidden, lam, label_form, activation="relu"):
    sizes = [6] + list(hidden) + [4]
    params = he_params(rng, sizes)
    x = rng.normal(size=(3, 6))
    labels = np.array([2, 0, 3])
    t = labels if label_form == "labels" else one_hot(labels, 4)
    net = net_of(student, params, hidden, activation=activation, weight_decay_lambda=lam)
    what = f"{describe(hidden, lam, activation)}.loss(x, t) for x (3, 6), t {label_form}"
    got = net.loss(x, t)
    # the book's loss from the net's own parts: last_layer.forward(predict(x), t) + ½λΣ‖W‖²
    base = check.number(net.last_layer.forward(net.predict(x), t),
                        f"{describe(hidden, lam, activation)}: last_layer.forward(predict(x), t)")
    n = len(hidden) + 1
    want = base + decay(params, lam, range(1, n + 1))
    some = [base + decay(params, lam, range(1, k)) for k in range(2, n + 1)]  # W1 … W{k-1} only
    some += [base + decay(params, lam, range(2, n + 1))]  # all but W1
    hints = {"hint.weight_decay_loss_missing": base,
             "hint.weight_decay_layers": nearest(got, some),
             "hint.weight_decay_half": base + 2 * decay(params, lam, range(1, n + 1))}
    check.close(got, np.float64(want), what, tol=WIRING_TOL, hints=hints)


@points("ch06.MultiLayerNet.loss", 2)
def test_loss_weight_decay_3_hidden_layers(student, rng):
    check_loss_wiring(student, rng, [5, 4, 3], 0.1, "labels")


@points("ch06.MultiLayerNet.loss", 2)
def test_loss_weight_decay_5_hidden_layers_one_hot(student, rng):
    check_loss_wiring(student, rng, [5, 4, 5, 3, 4], 0.07, "one-hot", activation="sigmoid")


@points("ch06.MultiLayerNet.loss", 2, end_to_end=True)
def test_loss_book_oracle(student, reference, mnist):
    # §15: the params of np.random.seed(0); MultiLayerNet(784, [100, 100], 10) (taken from the
    # reference, so a bug in __init_weight does not count here); first 3 training images.
    (x_train, t_train), _ = mnist
    x3, l3 = x_train[:3], t_train[:3]
    reference.seed(0)
    params = reference.module(MLN).MultiLayerNet(784, [100, 100], 10).params
    for lam, loss in ((0, 2.6155416125485913), (0.1, 23.530622384307193)):
        net = net_of(student, params, [100, 100], weight_decay_lambda=lam)
        for t, form in ((l3, "labels"), (one_hot(l3, 10), "one-hot")):
            check.close_number(net.loss(x3, t), loss,
                               f"MultiLayerNet(784, [100, 100], 10, weight_decay_lambda={lam}) with the "
                               f"weights of np.random.seed(0): loss(x, t) on the first 3 MNIST training "
                               f"images, t {form}", tol=ORACLE_TOL)


# ---- MultiLayerNet.gradient ------------------------------------------------------------------

def check_gradient_wiring(student, rng, hidden, lam, label_form, activation="relu"):
    sizes = [6] + list(hidden) + [4]
    params = he_params(rng, sizes)
    x = rng.normal(size=(3, 6))
    labels = np.array([1, 3, 0])
    t = labels if label_form == "labels" else one_hot(labels, 4)
    net = net_of(student, params, hidden, activation=activation, weight_decay_lambda=lam)
    got = net.gradient(x, t)
    want, raw = book_gradient(net, x, t, lam, len(hidden) + 1)
    check_grads(got, want, raw, f"{describe(hidden, lam, activation)}.gradient(x, t) for x (3, 6), "
                f"t {label_form}, against backpropagation through its own layers", WIRING_TOL)


@points("ch06.MultiLayerNet.gradient", 3)
def test_gradient_weight_decay_3_hidden_layers(student, rng):
    check_gradient_wiring(student, rng, [5, 4, 3], 0.1, "labels")


@points("ch06.MultiLayerNet.gradient", 2)
def test_gradient_weight_decay_5_hidden_layers_one_hot(student, rng):
    check_gradient_wiring(student, rng, [5, 4, 5, 3, 4], 0.07, "one-hot", activation="sigmoid")


@points("ch06.MultiLayerNet.gradient", 2, end_to_end=True)
def test_gradient_check_against_numerical(student, reference):
    # Fixture (seed 5): p_true ≥ 0.10 and every ReLU input ≥ 1e-2 away from 0 (no kink within
    # ±h); numerical gradient of the reference net with the same params (the truth).
    rng = np.random.default_rng(5)
    hidden, lam = [5, 4, 3], 0.1
    params = he_params(rng, [6] + hidden + [4])
    x = rng.normal(size=(3, 6))
    labels = np.array([2, 0, 1])
    rnet = net_of(reference, params, hidden, weight_decay_lambda=lam)
    num = numeric.net_numerical_gradient(reference, rnet, x, labels, sorted(params))
    net = net_of(student, params, hidden, weight_decay_lambda=lam)
    for t, form in ((labels, "labels"), (one_hot(labels, 4), "one-hot")):
        got = net.gradient(x, t)
        what = f"{describe(hidden, lam)}.gradient(x, t), t {form}"
        if not isinstance(got, dict):
            check.holds(False, what, "gradient must return a dict of arrays")
        for key in sorted(params):
            check.holds(key in got, what, f"the returned dict has no '{key}'")
            check.gradient(got[key], num[key], what, key, tol=GRAD_TOL)
