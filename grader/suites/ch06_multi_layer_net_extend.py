"""Hidden suite, chapters 6.3.2 / 6.4.3: MultiLayerNetExtend (common/multi_layer_net_extend.py):
building the layers (__init__), predict with train_flg, gradient with gamma/beta.

__init__: layer names, order and classes for every combination of use_batchnorm / use_dropout,
gamma/beta in params shared with the BatchNorm layers (identity in the worker), the ratio handed
to Dropout, and the weights left as __init_weight drew them (seeded, vs the reference).

predict and gradient are isolated from __init__: their nets come from build_net
(ch06_multi_layer_net.py: the book's layers from the student's own layer classes, params chosen here, BN
running statistics written by the judge). Own tests (wiring) run the book's procedure through
net.layers in the judge — forward with train_flg to the 'Dropout' / 'BatchNorm' layers, the
worker re-seeded so Dropout draws the same masks; then last_layer.backward(1) and the layers in
reverse, dW + λW, dgamma, dbeta — and compare with net.predict / net.gradient. End-to-end tests:
the §15 oracles on MNIST, predict against the reference, the gradient against the reference's
central differences; the BatchNorm experiment is in ch06_experiments.py.

Tolerances (norm relative error, measured on solutions/):
* wiring: the same operations on the same arrays, measured 0; bound 1e-10.
* §15 losses: measured 0 against the oracles; bound 1e-10. predict vs the reference: measured 0;
  bound 1e-10.
* gradient checks (h = 1e-4, fixtures: seed 1 BN, seed 3 BN + Dropout 0.3, p_true ≥ 0.10, every
  BN output ≥ 1e-3 from the ReLU kink): measured ≤ 5.0e-7 (BN) and 9.6e-7 (BN + Dropout);
  seeds 0-11 of these fixtures ≤ 7.0e-6 (seed 0: p_true 0.02); bound 1e-4 (real bugs ≥ 4.5e-2).
  Biases right before BatchNorm have true gradient 0 (§16): analytic and numerical measured
  ≤ 2.2e-12; absolute bound 1e-8.
"""
import numpy as np

from grader.suites._book import backprop_affine_grads, one_hot
from grader.judge import compare as check
from grader.judge import numeric
from grader.judge.plugin import points
from grader.suites.ch06_multi_layer_net import build_net
from grader.messages import Failed, msg
from grader.worker.client import ImportFailed, StudentError

MLNX = "common/multi_layer_net_extend.py"
L = "common/layers.py"
WIRING_TOL = 1e-10
ORACLE_TOL = 1e-10
GRAD_TOL = 1e-4
ZERO_GRAD_ABS = 1e-8
INIT, PREDICT, GRADIENT = ("ch06.MultiLayerNetExtend.__init__", "ch06.MultiLayerNetExtend.predict",
                           "ch06.MultiLayerNetExtend.gradient")



def ext_params(rng, sizes, bn=True):
    """He-scaled W (the last one halved: small scores, p_true ≥ 0.1), non-zero b, gamma ≠ 1,
    beta ≠ 0."""
    p = {}
    for i in range(1, len(sizes)):
        p[f"W{i}"] = rng.normal(size=(sizes[i - 1], sizes[i])) * np.sqrt(2.0 / sizes[i - 1])
        p[f"b{i}"] = rng.normal(scale=0.1, size=sizes[i])
    p[f"W{len(sizes) - 1}"] *= 0.5
    if bn:
        for i in range(1, len(sizes) - 1):
            p[f"gamma{i}"] = rng.uniform(0.5, 1.5, sizes[i])
            p[f"beta{i}"] = rng.normal(scale=0.3, size=sizes[i])
    return p


def net_of(worker, params, hidden, **kwargs):
    """The worker's MultiLayerNetExtend with the book's state on ``params`` (build_net of
    ch06_multi_layer_net.py: wired in the judge from the student's own layer classes)."""
    return build_net(worker, params, hidden, extend=True, **kwargs)


def describe(sizes, **kwargs):
    return (f"MultiLayerNetExtend({sizes[0]}, {list(sizes[1:-1])}, {sizes[-1]}"
            + "".join(f", {k}={v!r}" for k, v in kwargs.items()) + ")")


def book_forward(worker, layers, x, train_flg, reseed=None):
    """The book's predict through the given layers: train_flg only to Dropout / BatchNorm."""
    if reseed is not None:
        worker.seed(reseed)
    out = x
    for name, layer in layers.items():
        out = layer.forward(out, train_flg) if ("Dropout" in name or "BatchNorm" in name) else layer.forward(out)
    return out


def set_running_stats(layers, rng):
    for name, layer in layers.items():
        if "BatchNorm" in name:
            d = np.asarray(layer.gamma).size
            layer.running_mean = rng.normal(scale=0.5, size=d)
            layer.running_var = rng.uniform(0.5, 2.0, d)


def rel(a, b):
    try:
        return check.rel_error(a, b) if np.shape(a) == np.shape(b) else np.inf
    except (TypeError, ValueError):
        return np.inf


# ---- __init__ ---------------------------------------------------------------------------------

def layer_names(hidden, bn, dropout):
    names = []
    for i in range(1, hidden + 1):
        names += [f"Affine{i}"] + ([f"BatchNorm{i}"] if bn else []) + [f"Activation_function{i}"] \
            + ([f"Dropout{i}"] if dropout else [])
    return names + [f"Affine{hidden + 1}"]


def check_layers(net, what, hidden, bn, dropout, activation="Relu", ratio=None):
    layers = net.layers
    got = list(layers.keys()) if isinstance(layers, dict) else None
    want = layer_names(hidden, bn, dropout)
    check.holds(got == want, f"{what}: list(net.layers)",
                f"the layers must be, in this order, {', '.join(want)}; got {got}")
    kinds = {"Affine": "Affine", "BatchNorm": "BatchNormalization", "Activation_function": activation,
             "Dropout": "Dropout"}
    for name, layer in layers.items():
        kind = kinds[name.rstrip("0123456789")]
        check.holds(getattr(layer, "type_name", None) == kind, f"{what}: net.layers['{name}']",
                    f"must be a {kind} layer, got {getattr(layer, 'type_name', type(layer).__name__)}")
        if kind == "Dropout" and ratio is not None:
            check.close_number(layer.dropout_ratio, ratio, f"{what}: net.layers['{name}'].dropout_ratio", tol=0)
    check.holds(getattr(net.last_layer, "type_name", None) == "SoftmaxWithLoss", f"{what}: net.last_layer",
                "must be a SoftmaxWithLoss layer")


@points(INIT, 2)
def test_layers_with_batchnorm_and_dropout(student):
    for activation, kind in (("relu", "Relu"), ("sigmoid", "Sigmoid")):
        kwargs = dict(activation=activation, use_dropout=True, dropout_ration=0.3, use_batchnorm=True)
        net = student.module(MLNX).MultiLayerNetExtend(6, [5, 4, 3], 4, **kwargs)
        check_layers(net, describe([6, 5, 4, 3, 4], **kwargs), 3, True, True, kind, ratio=0.3)


@points(INIT, 2)
def test_gamma_beta_in_params_shared_with_batchnorm(student):
    kwargs = dict(use_batchnorm=True, weight_decay_lambda=0.1)
    what = describe([6, 5, 4, 3, 4], **kwargs)
    net = student.module(MLNX).MultiLayerNetExtend(6, [5, 4, 3], 4, **kwargs)
    params = net.params
    want = sorted([f"{p}{i}" for i in range(1, 5) for p in ("W", "b")]
                  + [f"{p}{i}" for i in range(1, 4) for p in ("gamma", "beta")])
    got = sorted(params) if isinstance(params, dict) else None
    check.holds(got == want, f"{what}: sorted(net.params)", f"must be {', '.join(want)}; got {got}",
                hint="hint.bn_params_missing" if got is not None and "gamma1" not in got else None)
    handle = net.ref("params")
    layers = net.layers
    for i, n in ((1, 5), (2, 4), (3, 3)):
        check.equal(params[f"gamma{i}"], np.ones(n), f"{what}: params['gamma{i}'] (starts as ones)")
        check.equal(params[f"beta{i}"], np.zeros(n), f"{what}: params['beta{i}'] (starts as zeros)")
        bn = layers[f"BatchNorm{i}"]
        for attr, key in (("gamma", f"gamma{i}"), ("beta", f"beta{i}")):
            check.holds(student.same(bn.ref(attr), handle.item_ref(key)), what,
                        f"BatchNorm{i}.{attr} must be the very array params['{key}'] (so that training "
                        "the params trains the layer)", hint="hint.bn_params_missing")
    for i in range(1, 5):
        for attr, key in (("W", f"W{i}"), ("b", f"b{i}")):
            check.holds(student.same(layers[f"Affine{i}"].ref(attr), handle.item_ref(key)), what,
                        f"Affine{i}.{attr} must be the very array params['{key}']")


@points(INIT, 1)
def test_layers_without_options(student):
    cls = student.module(MLNX).MultiLayerNetExtend
    for kwargs, bn, dropout, ratio in (({}, False, False, None), ({"use_dropout": True}, False, True, 0.5),
                                       ({"use_batchnorm": True}, True, False, None)):
        net = cls(6, [5, 4], 3, **kwargs)
        what = describe([6, 5, 4, 3], **kwargs)
        check_layers(net, what, 2, bn, dropout, ratio=ratio)
        params = net.params
        want = sorted([f"{p}{i}" for i in range(1, 4) for p in ("W", "b")]
                      + ([f"{p}{i}" for i in range(1, 3) for p in ("gamma", "beta")] if bn else []))
        got = sorted(params) if isinstance(params, dict) else None
        check.holds(got == want, f"{what}: sorted(net.params)", f"must be {', '.join(want)}; got {got}")


@points(INIT, 1)
def test_weights_as_drawn(student, reference):
    # __init_weight (given) draws W1, W2, W3; __init__ must keep them and add gamma/beta.
    kwargs = dict(weight_init_std="xavier", use_batchnorm=True, use_dropout=True)
    student.seed(4)
    got = student.module(MLNX).MultiLayerNetExtend(7, [6, 5], 4, **kwargs).params
    reference.seed(4)
    want = reference.module(MLNX).MultiLayerNetExtend(7, [6, 5], 4, **kwargs).params
    what = f"np.random.seed(4); {describe([7, 6, 5, 4], **kwargs)}"
    for key in sorted(want):
        check.holds(isinstance(got, dict) and key in got, f"{what}: params", f"params has no '{key}'",
                    hint="hint.bn_params_missing" if key.startswith(("gamma", "beta")) else None)
        check.close(got[key], want[key], f"{what}: params['{key}']", tol=1e-12)


# ---- predict -----------------------------------------------------------------------------------

SIZES = [6, 5, 4, 3, 4]
HIDDEN = SIZES[1:-1]


def dropout_bn_net(student, rng, **extra):
    params = ext_params(rng, SIZES)
    kwargs = dict(use_dropout=True, dropout_ration=0.3, use_batchnorm=True)
    kwargs.update(extra)
    net = net_of(student, params, HIDDEN, **kwargs)
    layers = net.layers
    set_running_stats(layers, rng)
    return net, layers, params, describe(SIZES, **kwargs)


@points(PREDICT, 2)
def test_predict_test_mode(student, rng):
    net, layers, _, what = dropout_bn_net(student, rng)
    x = rng.normal(size=(3, 6))
    # re-seeded before every pass, so even a Dropout that draws at test time is compared fairly
    want = book_forward(student, layers, x, False, reseed=9)
    student.seed(9)
    got = net.predict(x, train_flg=False)
    student.seed(9)
    got_default = net.predict(x)
    wrong = book_forward(student, layers, x, True, reseed=9)  # every layer in training mode
    check.close(got, want, f"{what}.predict(x, train_flg=False) against its layers' forward in test mode",
                tol=WIRING_TOL, hints={"hint.train_flg_not_passed": wrong})
    check.close(got_default, want, f"{what}.predict(x) (train_flg defaults to False)", tol=WIRING_TOL,
                hints={"hint.train_flg_not_passed": wrong})


@points(PREDICT, 2)
def test_predict_train_mode(student, rng):
    net, layers, _, what = dropout_bn_net(student, rng)
    x = rng.normal(size=(4, 6))
    for seed in (4, 5):  # another seed, other Dropout masks
        student.seed(seed)
        got = net.predict(x, train_flg=True)
        want = book_forward(student, layers, x, True, reseed=seed)
        check.close(got, want, f"np.random.seed({seed}); {what}.predict(x, train_flg=True) against its layers' "
                    "forward in training mode (Dropout masks, batch statistics)", tol=WIRING_TOL,
                    hints={"hint.train_flg_not_passed": book_forward(student, layers, x, False, reseed=seed)})


@points(PREDICT, 1)
def test_accuracy_runs_in_test_mode(student, rng):
    net, layers, _, what = dropout_bn_net(student, rng)
    x = rng.normal(size=(8, 6))
    labels = rng.integers(0, 4, 8)
    scores = book_forward(student, layers, x, False, reseed=10)
    want = float(np.mean(np.argmax(scores, axis=1) == labels))
    for t, form in ((labels, "labels"), (one_hot(labels, 4), "one-hot")):
        for call in (1, 2):  # test mode: the same every time
            student.seed(10)
            check.close_number(net.accuracy(x, t), want, f"{what}.accuracy(x, t), t {form}, call {call} "
                               "(test mode: argmax of predict(x, train_flg=False))", tol=1e-12)


@points(PREDICT, 2, end_to_end=True)
def test_predict_book_oracles_and_reference(student, reference, mnist, rng):
    # §15 with the params of the reference's seeded nets (so __init__ does not count here).
    (x_train, t_train), _ = mnist
    x3, l3 = x_train[:3], t_train[:3]
    cls = reference.module(MLNX).MultiLayerNetExtend
    for kwargs, train_flg, loss in (({"use_batchnorm": True}, True, 3.107623038636449),
                                    ({"use_dropout": True, "dropout_ration": 0.2}, False, 2.4830963056374107)):
        reference.seed(0)
        params = cls(784, [100, 100], 10, **kwargs).params
        net = net_of(student, params, [100, 100], **kwargs)
        check.close_number(net.loss(x3, l3, train_flg=train_flg), loss,
                           f"{describe([784, 100, 100, 10], **kwargs)} with the weights of np.random.seed(0): "
                           f"loss(x, t, train_flg={train_flg}) on the first 3 MNIST training images",
                           tol=ORACLE_TOL)
    # BN + Dropout, both modes, against the reference net in the same state
    params = ext_params(rng, SIZES)
    kwargs = dict(use_dropout=True, dropout_ration=0.3, use_batchnorm=True)
    mine, ref = net_of(student, params, HIDDEN, **kwargs), net_of(reference, params, HIDDEN, **kwargs)
    x = rng.normal(size=(5, 6))
    for seed, flag in ((1, True), (2, True), (3, False)):
        student.seed(seed)
        reference.seed(seed)
        check.close(mine.predict(x, train_flg=flag), ref.predict(x, train_flg=flag),
                    f"np.random.seed({seed}); {describe(SIZES, **kwargs)}.predict(x, train_flg={flag}) "
                    "(after the calls before it)", tol=ORACLE_TOL)


# ---- gradient ----------------------------------------------------------------------------------

def book_gradient(worker, net, x, t, lam, hidden, bn, reseed):
    """What the book's gradient returns, from the net's own layers; also the raw dW (no λW)."""
    layers = net.layers
    out = book_forward(worker, layers, x, True, reseed=reseed)
    grads, raw = backprop_affine_grads(net, layers, out, t, lam, hidden + 1)
    for i in range(1, hidden + 1) if bn else ():
        grads[f"gamma{i}"] = np.asarray(layers[f"BatchNorm{i}"].dgamma)
        grads[f"beta{i}"] = np.asarray(layers[f"BatchNorm{i}"].dbeta)
    return grads, raw


def gradient_call(worker, net, x, t, reseed):
    """net.gradient(x, t) right after np.random.seed(reseed) in the worker (one request, so the
    Dropout masks are the ones of that seed)."""
    return worker.recipe("closure", net.ref("gradient"), [x, t], {}, reseed, handle=True)()


def check_grads(got, want, raw, what, tol):
    if not isinstance(got, dict):
        check.holds(False, what, "gradient must return a dict of arrays (grads['W1'], grads['b1'], …)")
    missing = [k for k in want if k not in got]
    check.holds(not missing, what, f"the returned dict has no {', '.join(missing)}",
                hint="hint.bn_grads_missing" if any(k.startswith(("gamma", "beta")) for k in missing) else None)
    decayed = [k for k in raw if rel(got[k], want[k]) <= 1e-9]
    for key in want:
        hints = {}
        if key in raw:
            hints = {("hint.weight_decay_grad_layers" if decayed else "hint.weight_decay_grad_missing"): raw[key]}
        check.close(got[key], want[key], f"{what}: grads['{key}']", tol=tol, hints=hints)


@points(GRADIENT, 3)
def test_gradient_with_batchnorm_and_dropout(student, rng):
    lam = 0.1
    net, _, _, what = dropout_bn_net(student, rng, weight_decay_lambda=lam)
    x = rng.normal(size=(5, 6))
    labels = rng.integers(0, 4, 5)
    try:
        got = gradient_call(student, net, x, labels, 6)
    except ImportFailed:
        raise
    except StudentError as e:
        if e.type == "TypeError" and "NoneType" in e.message:  # backward found no training cache
            where = f" ({e.where})" if e.where else ""
            raise Failed(msg("worker.raised", call="MultiLayerNetExtend.gradient", type=e.type,
                             message=e.message, where=where), msg("hint.gradient_train_mode")) from None
        raise
    want, raw = book_gradient(student, net, x, labels, lam, 3, True, reseed=6)
    check_grads(got, want, raw, f"np.random.seed(6); {what}.gradient(x, t) for x (5, 6), t labels, against "
                "backpropagation through its own layers (forward in training mode)", WIRING_TOL)


@points(GRADIENT, 1)
def test_gradient_without_batchnorm_one_hot(student, rng):
    lam = 0.05
    sizes = [6, 5, 4, 3]
    params = ext_params(rng, sizes, bn=False)
    kwargs = dict(activation="sigmoid", weight_decay_lambda=lam, use_dropout=True, dropout_ration=0.25)
    net = net_of(student, params, sizes[1:-1], **kwargs)
    x = rng.normal(size=(4, 6))
    t = one_hot(rng.integers(0, 3, 4), 3)
    got = gradient_call(student, net, x, t, 8)
    want, raw = book_gradient(student, net, x, t, lam, 2, False, reseed=8)
    check_grads(got, want, raw, f"np.random.seed(8); {describe(sizes, **kwargs)}.gradient(x, t), t one-hot, "
                "against backpropagation through its own layers", WIRING_TOL)


def check_against_numerical(student, reference, seed, dropout):
    rng = np.random.default_rng(seed)
    hidden, lam = [5, 4], 0.1
    params = ext_params(rng, [6] + hidden + [4])
    x = rng.normal(size=(5, 6))
    labels = np.array([2, 0, 3, 1, 2])
    kwargs = dict(weight_decay_lambda=lam, use_batchnorm=True)
    if dropout:
        kwargs.update(use_dropout=True, dropout_ration=0.3)
    reseed = 4 if dropout else None
    rnet = net_of(reference, params, hidden, **kwargs)
    num = numeric.net_numerical_gradient(reference, rnet, x, labels, sorted(params),
                                         loss_kwargs={"train_flg": True}, reseed=reseed)
    net = net_of(student, params, hidden, **kwargs)
    for t, form in ((labels, "labels"), (one_hot(labels, 4), "one-hot")):
        got = gradient_call(student, net, x, t, reseed)
        what = (f"{describe([6] + hidden + [4], **kwargs)}.gradient(x, t), t {form}"
                + (f" (np.random.seed({reseed}) before it and before every loss)" if dropout else ""))
        if not isinstance(got, dict):
            check.holds(False, what, "gradient must return a dict of arrays")
        for key in sorted(params):
            check.holds(key in got, what, f"the returned dict has no '{key}'",
                        hint="hint.bn_grads_missing" if key.startswith(("gamma", "beta")) else None)
            if key in ("b1", "b2"):  # right before BatchNorm: the true gradient is 0
                a = check.array(got[key], f"{what}: grads['{key}']", params[key].shape)
                check.holds(np.abs(a).max() <= ZERO_GRAD_ABS and np.abs(a - num[key]).max() <= ZERO_GRAD_ABS,
                            f"{what}: grads['{key}']", "must be 0 (up to rounding): the bias right before "
                            "a BatchNorm layer cannot change the loss, BatchNorm subtracts the batch mean")
            else:
                check.gradient(got[key], num[key], what, key, tol=GRAD_TOL)


@points(GRADIENT, 2, end_to_end=True)
def test_gradient_check_batchnorm(student, reference):
    check_against_numerical(student, reference, 1, dropout=False)


@points(GRADIENT, 1, end_to_end=True)
def test_gradient_check_batchnorm_dropout(student, reference):
    check_against_numerical(student, reference, 3, dropout=True)
