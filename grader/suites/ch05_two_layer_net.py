"""Hidden suite, chapter 5.7: the TwoLayerNet built from layers (ch05/two_layer_net.py).

Isolation. ``__init__`` is tested on its own (seeded draws against the reference, the layer
order Affine1, Relu1, Affine2, ``lastLayer``, params shared with the layers). Every other method
runs on a net the judge assembles in the worker without the student's ``__init__``
(recipe ``ch05.two_layer_net``: the book's structure, params shared with the layers):
* own tests use the book's layers, lent by the judge (``student.lending``: computed on the
  reference, never present in the worker), so only the method under test is the student's;
  where the method calls ``predict`` / ``loss``, the judge runs the book's forward pass itself
  (``BookForward``: it calls the layers' ``forward`` one by one from here) and the net answers
  ``predict(x)`` / ``loss(x, t)`` with those values (recipe ``ch05.stand_in``, which also puts
  back the state the forward pass left in the layers at the call, so a ``gradient`` without
  its forward pass still meets layers without state);
* end-to-end tests use the student's own layers (``common/layers.py``) and the student's
  methods the catalogue lists in ``uses``; ``gradient`` always runs with the judge's forward
  pass (``predict`` / ``loss`` are not in its ``uses``), the training loop too (driven from
  here: ``train_with_book_forward``, 4 request frames a step).
Expected values come from the reference worker's TwoLayerNet with the same params; numerical
gradients are formed in the judge (grader/judge/numeric.py) on the reference net.

Tolerances (norm relative error, measured on solutions/):
* predict / loss / gradient vs the reference with the same params: measured 0 (the same float64
  operations); bound 1e-10 for another summation order.
* gradient check, TwoLayerNet(6, 5, 4), N = 3, h = 1e-4, fixtures of ``net_case`` (no ReLU kink
  within reach of h, softmax probabilities ≥ 0.02): worst 6.7e-6, median 7.5e-7 over 300 seeds
  and both label forms (the 1e-7 inside the log, contract §16); bound 1e-4 (real bugs ≥ 4.5e-2).
  Without those guards random fixtures reached 3.2e-2 (a kink) and 6.2e-4 (p_true 2e-4).
"""
import contextlib
import difflib

import numpy as np
import pytest

from grader.suites._book import one_hot, softmax
from grader.judge import compare as check
from grader.judge import numeric
from grader.judge.plugin import points
from grader.messages import Failed, msg
from grader.worker.client import ImportFailed, StudentError

N5 = "ch05/two_layer_net.py"
L = "common/layers.py"
KEYS = ("W1", "b1", "W2", "b2")
SIZES = (6, 5, 4)  # input, hidden, output: never square
TOL = 1e-10  # vs the reference with the same params (measured 0)
GRAD_TOL = 1e-4  # gradient check (measured ≤ 6.7e-6 on net_case fixtures; §16)

# the accuracy threshold (test_training_reaches_reference_accuracy): 3000 training images,
# 300 SGD steps of 100 (one-hot), lr 0.1, test accuracy on the first 2000 test images. The
# reference over seeds 0-4: 0.8365, 0.844, 0.837, 0.8325, 0.8385 (spread 0.0115, 0.25 s a run);
# a correct submission with the same seed gives the reference's own value (same draws), so the
# margin only absorbs other float orders. Measured bugs: SoftmaxWithLoss.backward without /N
# 0.117, Relu.backward inverted 0.293 (others are caught by the gradient checks).
TRAIN_N, TEST_N, ITERS, BATCH, LR, TRAIN_SEED = 3000, 2000, 300, 100, 0.1, 0
ACC_MARGIN = 0.03  # ≈ 2.5 × the spread over 5 seeds


# ---- helpers ---------------------------------------------------------------------------------

def known_mistake(e: StudentError, names=(), backward=False):
    """The hint Message for an exception a known mistake raises, or None."""
    kind, message = e.type, e.message  # lent parts raise the book's own exception type
    if kind == "TypeError" and "builtin_function_or_method" in message:
        return msg("hint.ch05_values_call")  # list(self.layers.values) without the call
    if kind == "AttributeError" and "has no attribute" in message and message.count("'") >= 2:
        name = message.rsplit("'", 2)[-2]
        # the closest of the net's book attributes (self.layer is a misspelt layers, not lastLayer)
        if difflib.get_close_matches(name, ["lastLayer", "layers", "params"], n=1, cutoff=0.6) == ["lastLayer"]:
            return msg("hint.ch05_lastLayer_name", found=", ".join(names) or "none")
    if backward and kind == "ValueError" and "not aligned" in message:
        return msg("hint.ch05_backward_order")
    if backward and kind in ("AttributeError", "TypeError") and "'NoneType'" in message:
        return msg("hint.ch05_gradient_forward")  # a layer's backward before any forward
    return None


@contextlib.contextmanager
def hints_from_errors(student, call, net=None, backward=False):
    try:
        yield
    except ImportFailed:
        raise
    except StudentError as e:
        if e.not_implemented:
            raise
        names = student.recipe("ch05.attribute_names", net) if net is not None else []
        hint = known_mistake(e, names, backward)
        if hint is None:
            raise
        where = f" ({e.where})" if e.where else ""
        raise Failed(msg("worker.raised", call=call, type=e.type, message=e.message, where=where),
                     hint) from None




def random_params(rng, sizes=SIZES, std=0.5):
    """Weights large enough for a varied output, non-zero biases (p_true stays ≥ 0.01)."""
    i, h, o = sizes
    return {"W1": std * rng.normal(size=(i, h)), "b1": 0.1 * rng.normal(size=h),
            "W2": std * rng.normal(size=(h, o)), "b2": 0.1 * rng.normal(size=o)}


def net_case(rng, n=3, std=0.5):
    """params and x (n, 6) for a gradient check, redrawn until no hidden pre-activation lies
    within 0.01 of ReLU's kink (h = 1e-4 moves it by < 5e-4) and every softmax probability is
    ≥ 0.02 (the 1e-7 in the log then costs ≤ 5e-6, contract §16)."""
    while True:
        p = random_params(rng, std=std)
        x = rng.normal(size=(n, SIZES[0]))
        a = x @ p["W1"] + p["b1"]
        y = softmax(np.maximum(a, 0) @ p["W2"] + p["b2"])
        if np.abs(a).min() > 0.01 and y.min() >= 0.02:
            return p, x


def book_layers(student):
    """The book's Affine, Relu and SoftmaxWithLoss lent for the block: {name: class proxy}."""
    return student.lending(L, "Affine", "Relu", "SoftmaxWithLoss")


def student_net(student, params, layers=None):
    """The student's TwoLayerNet class, assembled by the judge (see the module docstring):
    ``layers`` = the lent book layers (``book_layers``), None for the student's own."""
    cls = student.module(N5).TwoLayerNet
    return student.recipe("ch05.two_layer_net", cls, params,
                          student.module(L) if layers is None else layers, handle=True)


class BookForward:
    """The book's ``predict`` (and ``loss``) of the net, run by the judge: the layers' ``forward``
    called one by one from here, in ``net.layers`` order, then ``lastLayer.forward(y, t)``.
    ``run`` leaves the net answering ``predict(x)`` / ``loss(x, t)`` for these x, t with the
    values found (recipe ``ch05.stand_in``); with ``hide`` the layers are put back as they were
    and get the forward pass's state when the stand-in is called (as the book's loss would)."""

    def __init__(self, student, net):
        self.student, self.net = student, net
        self.objects = dict(net.layers)
        self.order = list(self.objects)
        self.objects["lastLayer"] = net.ref("lastLayer")
        self.forward = {name: obj.ref("forward") for name, obj in self.objects.items()}

    def snapshot(self, hide):
        return self.student.recipe("ch05.snapshot", self.objects, handle=True) if hide else None

    def call(self, name, args, keep):
        """``name``'s forward(*args); with ``keep`` its result stays in the worker (a handle)."""
        if not keep:
            return self.forward[name](*args)
        return self.student.request({"op": "call", "ref": self.forward[name], "args": list(args),
                                     "handle": True}, what=f"{name}.forward")

    def run(self, x, t=None, hide=True):
        """The scores (and the loss with t); x, t: arrays or handles on arrays in the worker."""
        before = self.snapshot(hide)
        y = x
        for name in self.order:
            y = self.forward[name](y)
        answers = [{"method": "predict", "args": [x], "result": y, "after": self.snapshot(hide)}]
        loss = None
        if t is not None:
            loss = self.forward["lastLayer"](y, t)
            answers.append({"method": "loss", "args": [x, t], "result": loss, "after": self.snapshot(hide)})
        snapshots = [v for v in [before] + [a["after"] for a in answers] if v is not None]
        self.student.batch([{"op": "recipe", "name": "ch05.stand_in", "handle": False, "kwargs": {},
                             "args": [self.net, self.objects, before, answers]},
                            {"op": "release", "refs": snapshots}])
        return y, loss


def reference_net(reference, params):
    W1, W2 = params["W1"], params["W2"]
    net = reference.module(N5).TwoLayerNet(W1.shape[0], W1.shape[1], W2.shape[1])
    reference.recipe("set_params", net, params)
    return net


def grads_of(got, what, params):
    if not isinstance(got, dict):
        raise Failed(msg("check.type", what=what, expected="a dict of W1, b1, W2, b2", got=check.preview(got)))
    for k in KEYS:
        if k not in got:
            raise Failed(msg("check.property", what=f"{what}: {k}",
                             problem="missing (the keys are W1, b1, W2, b2, as in params)"))
        check.array(got[k], f"{what}: {k}", params[k].shape)
    return got


# ---- __init__ --------------------------------------------------------------------------------

@points("ch05.TwoLayerNet.__init__", 3)
def test_init_seeded_params(student, reference):
    for args in ((6, 5, 4), (6, 5, 4, 0.1)):
        student.seed(7)
        got = student.module(N5).TwoLayerNet(*args).params
        reference.seed(7)
        want = reference.module(N5).TwoLayerNet(*args).params
        what = f"TwoLayerNet{args} after np.random.seed(7): params"
        if not isinstance(got, dict):
            raise Failed(msg("check.type", what=what, expected="a dict", got=check.preview(got)))
        std = args[3] if len(args) > 3 else 0.01
        for k in KEYS:
            if k not in got:
                raise Failed(msg("check.property", what=f"{what}['{k}']",
                                 problem="missing (params holds W1, b1, W2, b2)"))
            check.close(got[k], want[k], f"{what}['{k}'] (std · randn, W1 drawn before W2; biases zeros)",
                        tol=0, hints={"hint.ch05_init_std": want[k] / std} if k[0] == "W" else None)
    student.seed(0)  # the book's network (contract §15)
    got = student.module(N5).TwoLayerNet(784, 50, 10).params
    check.close(got["W1"][0, :3], [0.017640523459676642, 0.004001572083672233, 0.009787379841057393],
                "TwoLayerNet(784, 50, 10) after np.random.seed(0): params['W1'][0, :3]", tol=1e-15)
    check.close(got["W2"][0, 0], -0.015266704709224746,
                "TwoLayerNet(784, 50, 10) after np.random.seed(0): params['W2'][0, 0]", tol=1e-15)


@points("ch05.TwoLayerNet.__init__", 2)
def test_init_layers_and_last_layer(student):
    net = student.module(N5).TwoLayerNet(6, 5, 4)
    what = "TwoLayerNet(6, 5, 4)"
    layers = net.layers
    check.holds(isinstance(layers, dict) and list(layers) == ["Affine1", "Relu1", "Affine2"],
                f"{what}.layers", "layers must be an OrderedDict with the keys Affine1, Relu1, Affine2, "
                "in this order (5.7.2)")
    kinds = [getattr(v, "type_name", type(v).__name__) for v in layers.values()]
    check.holds(kinds == ["Affine", "Relu", "Affine"], f"{what}.layers",
                "Affine1 and Affine2 must be Affine layers and Relu1 a Relu layer (common/layers.py)")
    try:
        last = net.lastLayer
    except StudentError as e:
        if e.type != "AttributeError":
            raise
        names = student.recipe("ch05.attribute_names", net)
        raise Failed(msg("worker.missing_name", path=N5, name="lastLayer"),
                     msg("hint.ch05_lastLayer_name", found=", ".join(names) or "none")) from None
    check.holds(getattr(last, "type_name", "") == "SoftmaxWithLoss", f"{what}.lastLayer",
                "lastLayer must be a SoftmaxWithLoss layer (5.7.2)")


@points("ch05.TwoLayerNet.__init__", 3)
def test_init_layers_share_params(student):
    net = student.module(N5).TwoLayerNet(6, 5, 4)
    params = net.ref("params")
    layers = net.layers
    for name, attr, key in (("Affine1", "W", "W1"), ("Affine1", "b", "b1"),
                            ("Affine2", "W", "W2"), ("Affine2", "b", "b2")):
        layer = layers.get(name) if isinstance(layers, dict) else None
        check.holds(layer is not None and student.same(layer.ref(attr), params.item_ref(key)),
                    f"TwoLayerNet(6, 5, 4): layers['{name}'].{attr} and params['{key}']",
                    "they must be the very same array object, not copies or new arrays",
                    hint="hint.ch05_params_shared")


# ---- predict ---------------------------------------------------------------------------------

@points("ch05.TwoLayerNet.predict", 3)
def test_predict_scores(student, reference, rng):
    params = random_params(rng)
    ref = reference_net(reference, params)
    with book_layers(student) as book:
        net = student_net(student, params, book)  # the book's layers: only predict is the student's
        for n in (3, 2):  # twice, with another batch
            x = rng.normal(size=(n, SIZES[0]))
            what = f"TwoLayerNet.predict(x) for x ({n}, 6), net (6, 5, 4)"
            with hints_from_errors(student, what, net):
                got = net.predict(x)
            want = ref.predict(x)
            check.close(got, want, f"{what} (scores of Affine2, no softmax)", tol=TOL,
                        hints={"hint.ch05_predict_softmax": softmax(want)})


@points("ch05.TwoLayerNet.predict", 3, end_to_end=True)
def test_predict_with_own_layers(student, reference, rng):
    params = random_params(rng)
    net = student_net(student, params)
    x = rng.normal(size=(3, SIZES[0]))
    want = reference_net(reference, params).predict(x)
    with hints_from_errors(student, "TwoLayerNet.predict(x)", net):
        got = net.predict(x)
    check.close(got, want, "TwoLayerNet.predict(x) with your layers, x (3, 6), net (6, 5, 4)", tol=TOL,
                hints={"hint.ch05_predict_softmax": softmax(want)})


# ---- loss ------------------------------------------------------------------------------------

@points("ch05.TwoLayerNet.loss", 3)
def test_loss_both_label_forms(student, reference, rng):
    params = random_params(rng)
    ref = reference_net(reference, params)
    x = rng.normal(size=(3, SIZES[0]))
    labels = rng.integers(0, SIZES[2], size=3)
    with book_layers(student) as book:
        net = student_net(student, params, book)
        BookForward(student, net).run(x)  # net.predict(x): the book's scores
        for form, t in (("labels", labels), ("one-hot", one_hot(labels, SIZES[2]))):
            what = f"TwoLayerNet.loss(x, t) for t as {form}, x (3, 6), net (6, 5, 4)"
            with hints_from_errors(student, what, net):
                got = net.loss(x, t)
            check.close_number(got, check.number(ref.loss(x, t), what),
                               f"{what} (lastLayer.forward(predict(x), t))", tol=TOL)


@points("ch05.TwoLayerNet.loss", 3, end_to_end=True)
def test_loss_with_own_parts(student, reference, mnist, rng):
    (x_train, t_train), _ = mnist
    reference.seed(0)  # the book's network: contract §15
    params = reference.module(N5).TwoLayerNet(784, 50, 10).params
    net = student_net(student, params)
    x3, l3 = np.array(x_train[:3]), np.array(t_train[:3])
    for form, t in (("labels", l3), ("one-hot", one_hot(l3, 10))):
        what = f"TwoLayerNet(784, 50, 10) after np.random.seed(0): loss of the first 3 training images, t as {form}"
        with hints_from_errors(student, what, net):
            got = net.loss(x3, t)
        check.close_number(got, 2.304007112562981, what, tol=1e-12)
    params = random_params(rng)
    net = student_net(student, params)
    x, labels = rng.normal(size=(3, SIZES[0])), rng.integers(0, SIZES[2], size=3)
    check.close_number(net.loss(x, labels), check.number(reference_net(reference, params).loss(x, labels), "loss"),
                       "TwoLayerNet.loss(x, t) with your layers, x (3, 6), net (6, 5, 4)", tol=TOL)


# ---- accuracy --------------------------------------------------------------------------------

def accuracy_case(reference, rng, n=8):
    """x, labels with 5 of 8 predictions right, so neither 0 nor 1 and not a batch-axis mix-up."""
    params = random_params(rng)
    x = rng.normal(size=(n, SIZES[0]))
    pred = np.argmax(reference_net(reference, params).predict(x), axis=1)
    labels = pred.copy()
    wrong = [1, 4, 6]
    labels[wrong] = (pred[wrong] + 1) % SIZES[2]
    return params, x, labels


@points("ch05.TwoLayerNet.accuracy", 4)
def test_accuracy_both_label_forms(student, reference, rng):
    params, x, labels = accuracy_case(reference, rng)
    with book_layers(student) as book:
        net = student_net(student, params, book)
        BookForward(student, net).run(x)  # net.predict(x): the book's scores
        for form, t in (("labels", labels), ("one-hot", one_hot(labels, SIZES[2]))):
            what = f"TwoLayerNet.accuracy(x, t) for 8 samples, t as {form} (5 predictions right)"
            types = ("ValueError", "IndexError") if form == "one-hot" else ()
            with check.hint_on_error(what, "hint.ch05_accuracy_onehot", types=types):
                got = net.accuracy(x, t)
            check.close_number(got, 0.625, what, tol=1e-12)


@points("ch05.TwoLayerNet.accuracy", 2, end_to_end=True)
def test_accuracy_with_own_parts(student, reference, rng):
    params, x, labels = accuracy_case(reference, rng)
    net = student_net(student, params)
    for form, t in (("labels", labels), ("one-hot", one_hot(labels, SIZES[2]))):
        check.close_number(net.accuracy(x, t), 0.625,
                           f"TwoLayerNet.accuracy(x, t) with your layers and predict, t as {form}", tol=1e-12)


# ---- gradient --------------------------------------------------------------------------------

@points("ch05.TwoLayerNet.gradient", 4)
def test_gradient_backpropagation_wiring(student, reference, rng):
    params = random_params(rng)
    ref = reference_net(reference, params)
    with book_layers(student) as book:
        net = student_net(student, params, book)  # the book's layers and forward pass
        forward = BookForward(student, net)  # only gradient is the student's
        for n, form in ((3, "labels"), (2, "one-hot"), (3, "one-hot")):  # three calls, new batches
            x = rng.normal(size=(n, SIZES[0]))
            labels = rng.integers(0, SIZES[2], size=n)
            t = labels if form == "labels" else one_hot(labels, SIZES[2])
            what = f"TwoLayerNet.gradient(x, t) for x ({n}, 6), t as {form}, net (6, 5, 4)"
            forward.run(x, t)
            with hints_from_errors(student, what, net, backward=True):
                got = grads_of(net.gradient(x, t), what, params)
            want = ref.gradient(x, t)
            for k in KEYS:
                check.close(got[k], want[k], f"{what}: {k}", tol=TOL)


@points("ch05.TwoLayerNet.gradient", 3, end_to_end=True)
def test_gradient_check_every_parameter(student, reference, rng):
    params, x = net_case(rng)
    net = student_net(student, params)  # the student's layers, the judge's forward pass
    forward = BookForward(student, net)
    ref = reference_net(reference, params)
    labels = rng.integers(0, SIZES[2], size=3)
    for form, t in (("labels", labels), ("one-hot", one_hot(labels, SIZES[2]))):
        what = f"TwoLayerNet.gradient(x, t) with your layers, t as {form}"
        with hints_from_errors(student, what, net, backward=True):
            forward.run(x, t)
            got = grads_of(net.gradient(x, t), what, params)
        num = numeric.net_numerical_gradient(reference, ref, x, t, list(KEYS))
        for k in KEYS:
            check.gradient(got[k], num[k], what, k, tol=GRAD_TOL)


def train_with_book_forward(student, net, x, t, what):
    """The book's loop (recipe train_two_layer: np.random.seed, then ITERS SGD steps on random
    batches), driven from here so that the forward pass before each ``gradient`` is the book's
    (``BookForward``'s, without ``hide``: the state stays in the layers); the same batches
    (the legacy RNG). Pipelined to 4 request frames a step: Relu1, Affine2, lastLayer, then
    [stand-ins, SGD step, release, the batch after next, Affine1 of the next batch]; the
    arrays stay in the worker and every handle is released."""
    rs = np.random.RandomState(TRAIN_SEED)  # = np.random.seed(TRAIN_SEED); np.random.choice
    batches = [rs.choice(x.shape[0], BATCH) for _ in range(ITERS)]
    x_ref, t_ref = student.put(x), student.put(t)
    forward = BookForward(student, net)
    first, rest = forward.order[0], forward.order[1:]

    def fetch(i):
        return [] if i >= ITERS else [{"op": "getitem", "ref": x_ref, "key": batches[i], "handle": True},
                                      {"op": "getitem", "ref": t_ref, "key": batches[i], "handle": True}]

    def first_forward(xb):
        return {"op": "call", "ref": forward.forward[first], "args": [xb], "handle": True}

    with hints_from_errors(student, what, net, backward=True):
        got = student.batch(fetch(0) + fetch(1))
        held = {0: got[0:2], 1: got[2:4]}
        y = student.batch([first_forward(held[0][0])])[0]
        for i in range(ITERS):
            xb, tb = held.pop(i)
            kept = [xb, tb, y]
            for name in rest:
                y = forward.call(name, [y], keep=True)
                kept.append(y)
            loss = forward.forward["lastLayer"](y, tb)
            answers = [{"method": "predict", "args": [xb], "result": y, "after": None},
                       {"method": "loss", "args": [xb, tb], "result": loss, "after": None}]
            ops = [{"op": "recipe", "name": "ch05.stand_in", "args": [net, forward.objects, None, answers],
                    "kwargs": {}, "handle": False},
                   {"op": "recipe", "name": "ch05.train_step", "args": [net, xb, tb, LR], "kwargs": {},
                    "handle": False},
                   {"op": "release", "refs": kept}] + fetch(i + 2)
            if i + 1 < ITERS:
                ops.append(first_forward(held[i + 1][0]))
            done = student.batch(ops)
            if i + 2 < ITERS:
                held[i + 2] = done[3:5]
            if i + 1 < ITERS:
                y = done[-1]
    student.request({"op": "release", "refs": [x_ref, t_ref]})
    return net.params


@pytest.mark.slow
@points("ch05.TwoLayerNet.gradient", 5, end_to_end=True)
def test_training_reaches_reference_accuracy(student, reference, mnist):
    (x_train, t_train), (x_test, t_test) = mnist
    x, t = np.array(x_train[:TRAIN_N]), one_hot(np.array(t_train[:TRAIN_N]), 10)
    reference.seed(TRAIN_SEED)  # the book's initial weights (std 0.01)
    start = reference.module(N5).TwoLayerNet(784, 50, 10).params
    net = student_net(student, start)  # the student's layers, the judge's forward pass
    what = f"TwoLayerNet trained by SGD ({ITERS} steps of {BATCH}, lr {LR}) on {TRAIN_N} MNIST images"
    got = train_with_book_forward(student, net, x, t, what)
    if not isinstance(got, dict):
        raise Failed(msg("check.type", what=what, expected="the params dict", got=check.preview(got)))
    trained = {k: check.array(got.get(k), f"{what}: params['{k}']", start[k].shape) for k in KEYS}
    ref_trained = reference.recipe("train_two_layer", reference_net(reference, start), x, t,
                                   ITERS, BATCH, LR, TRAIN_SEED)
    xt, tt = np.array(x_test[:TEST_N]), np.array(t_test[:TEST_N])
    # both sets of params are scored by the reference net on held-out test images
    acc = check.number(reference_net(reference, trained).accuracy(xt, tt), what)
    ref_acc = check.number(reference_net(reference, ref_trained).accuracy(xt, tt), what)
    check.accuracy(acc, ref_acc - ACC_MARGIN, ref_acc, what)
