"""Hidden suite, chapter 4: the two-layer net without layers (ch04/two_layer_net.py, 4.5.1).

Points: __init__ 8, predict 8, loss 6, accuracy 6, numerical_gradient 8, gradient 10.
Teacher data t is one-hot only (contract §10/§18).

Isolation: every test except __init__'s builds the net without running __init__ (recipe
ch04.bare_two_layer_net) and sets the same params in the student's and the reference's net.
Own tests replace, during the call only, what the method uses from elsewhere: the module's
sigmoid / softmax / sigmoid_grad / cross_entropy_error / numerical_gradient by the book's, lent
by the judge (``student.lending(..., into=ch04/two_layer_net.py)``: computed on the reference,
never in the student's process); the instance's predict by a stand-in returning the
reference's predict(x) (loss, accuracy); the instance's loss by a stand-in test function of the
params (numerical_gradient: the book's loss is the loss exercise, so it cannot be in the
student's process; the stand-in is smooth, non-separable and reads x and t, and its exact
gradient is known in the judge). end_to_end tests call the method as it is.

Fixture: TwoLayerNet(6, 5, 4), N = 3 (batch ≠ input ≠ hidden ≠ output), params ~ N(0, 0.5²)
with non-zero biases; MNIST x3 (first 3 training images) with the seed-0 params of the
reference's TwoLayerNet(784, 50, 10) for the book's numbers (contract §15).

Tolerances: forward values and analytic gradients vs the reference agree to ≤ 1e-15 measured
(same arithmetic), 1e-12 allowed; numerical gradients vs the reference ≤ 1e-15 (book's
numerical_gradient in both), 1e-9 allowed (1e-7 end to end, for x[idx] += h variants). The
analytic gradient vs the numerical one: ≤ 2.0e-6 measured over 20 seeds of the fixture (the
1e-7 in the log, contract §16), 1e-4 allowed; the hinted mistakes (missing /N, sigmoid_grad(z1))
are ≥ 0.10 on the worst parameter over the same seeds. The stand-in loss's exact gradient vs
the lent numerical gradient: ≤ 2.4e-9 measured over 50 seeds (O(h²)), same 1e-4; a
/h instead of /2h is off by 0.5.
"""
import contextlib

import numpy as np
import pytest

from grader.suites._book import one_hot
from grader.judge import compare as check
from grader.judge import numeric
from grader.judge.plugin import points

F, G, N4 = "common/functions.py", "common/gradient.py", "ch04/two_layer_net.py"
KEYS = ("W1", "b1", "W2", "b2")
SIZES = (6, 5, 4)
TOL = 1e-12  # forward / analytic vs the reference: measured ≤ 1e-15
TOL_NUM = 1e-9  # numerical vs the reference's numerical: measured ≤ 1e-15
TOL_GRADCHECK = 1e-4  # analytic vs numerical: measured ≤ 2.0e-6 (20 seeds); mistakes ≥ 0.10


# ---- fixtures and the book's arithmetic in the judge -----------------------------------------
def random_params(rng, sizes=SIZES):
    D, H, C = sizes
    return {"W1": rng.normal(size=(D, H)) * 0.5, "b1": rng.normal(size=H) * 0.3,
            "W2": rng.normal(size=(H, C)) * 0.5, "b2": rng.normal(size=C) * 0.3}




def sig(a):
    return 1 / (1 + np.exp(-a))


def smax(a):
    a = a - a.max(axis=-1, keepdims=True)
    return np.exp(a) / np.exp(a).sum(axis=-1, keepdims=True)


def forward(p, x):
    a1 = np.dot(x, p["W1"]) + p["b1"]
    z1 = sig(a1)
    a2 = np.dot(z1, p["W2"]) + p["b2"]
    return a1, z1, a2, smax(a2)


def backprop(p, x, t, divide=True, grad_of_output=False):
    """The book's gradient; divide=False leaves out /N, grad_of_output uses sigmoid_grad(z1)."""
    a1, z1, _, y = forward(p, x)
    dy = (y - t) / (x.shape[0] if divide else 1)
    da1 = np.dot(dy, p["W2"].T)
    s = sig(z1 if grad_of_output else a1)
    dz1 = (1.0 - s) * s * da1
    return {"W1": np.dot(x.T, dz1), "b1": dz1.sum(axis=0), "W2": np.dot(z1.T, dy), "b2": dy.sum(axis=0)}


def bare(worker, params):
    """A TwoLayerNet of the worker's ch04/two_layer_net.py with these params, __init__ not run."""
    return worker.recipe("ch04.bare_two_layer_net", worker.module(N4), params, handle=True)


def call(worker, net, method, *args, names=(), fixed_predict=None, predict_for=None, standin_loss=None):
    """net.<method>(*args); ``names``: these module functions of ch04/two_layer_net.py are the
    book's, lent by the judge (the student's worker only: the reference's are the book's);
    ``fixed_predict`` / ``standin_loss``: see recipe ch04.net_call."""
    with contextlib.ExitStack() as stack:
        mod = worker.module(N4)
        functions = [n for n in names if n != "numerical_gradient"]
        if functions:
            stack.enter_context(worker.lending(F, *functions, into=mod))
        if "numerical_gradient" in names:
            stack.enter_context(worker.lending(G, "numerical_gradient", into=mod))
        return worker.recipe("ch04.net_call", net, method, list(args), fixed_predict=fixed_predict,
                             predict_for=predict_for, standin_loss=standin_loss)


def grads_dict(value, what):
    """The dict of W1, b1, W2, b2 a gradient method returns."""
    check.holds(isinstance(value, dict), what, "must return a dict of W1, b1, W2, b2")
    missing = [k for k in KEYS if k not in value]
    check.holds(not missing, what, "must return a dict with the keys W1, b1, W2, b2")
    return value


@pytest.fixture(scope="module")
def seeded_params(reference):
    """The reference's TwoLayerNet(784, 50, 10) params right after np.random.seed(0)."""
    reference.seed(0)
    return reference.module(N4).TwoLayerNet(784, 50, 10).params


@pytest.fixture(scope="module")
def x3(mnist):
    (x_train, t_train), _ = mnist
    return np.ascontiguousarray(x_train[:3]), one_hot(t_train[:3], 10)


# ---- __init__ ---------------------------------------------------------------------------------
def init_mistakes(std, shape, seed):
    rs = np.random.RandomState(seed)
    return {"hint.ch04_init_rand": std * rs.rand(*shape)}


@points("ch04.TwoLayerNet.__init__", 3)
def test_init_seeded_values(student, reference):
    """np.random.seed(0); TwoLayerNet(784, 50, 10): the book's W1[0, :3], W2[0, 0] (§15); and
    TwoLayerNet(6, 5, 4, weight_init_std=0.1) after seed 3 equals the reference's draws."""
    student.seed(0)
    p = student.module(N4).TwoLayerNet(784, 50, 10).params
    check.holds(isinstance(p, dict) and all(k in p for k in KEYS), "TwoLayerNet(784, 50, 10).params",
                "must be a dict with the keys W1, b1, W2, b2")
    w1 = check.array(p["W1"], "TwoLayerNet(784, 50, 10).params['W1']", (784, 50))
    check.close(w1[0, :3], [0.017640523459676642, 0.004001572083672233, 0.009787379841057393],
                "params['W1'][0, :3] after np.random.seed(0)", tol=1e-14,
                hints={k: v[0, :3] for k, v in init_mistakes(0.01, (784, 50), 0).items()})
    w2 = check.array(p["W2"], "TwoLayerNet(784, 50, 10).params['W2']", (50, 10))
    check.close(w2[0, 0], -0.015266704709224746, "params['W2'][0, 0] after np.random.seed(0) (W2 is drawn "
                "after W1)", tol=1e-14)
    student.seed(3)
    got = student.module(N4).TwoLayerNet(6, 5, 4, weight_init_std=0.1).params
    reference.seed(3)
    want = reference.module(N4).TwoLayerNet(6, 5, 4, weight_init_std=0.1).params
    for k in KEYS:
        check.close(got[k], want[k], f"TwoLayerNet(6, 5, 4, weight_init_std=0.1).params['{k}'] after "
                    "np.random.seed(3)", tol=1e-14)


@points("ch04.TwoLayerNet.__init__", 3)
def test_init_shapes_and_zero_biases(student):
    p = student.module(N4).TwoLayerNet(6, 5, 4).params
    check.holds(isinstance(p, dict) and sorted(p) == sorted(KEYS), "TwoLayerNet(6, 5, 4).params",
                "must be a dict with exactly the keys W1, b1, W2, b2")
    check.array(p["W1"], "TwoLayerNet(6, 5, 4).params['W1']", (6, 5))
    check.array(p["W2"], "TwoLayerNet(6, 5, 4).params['W2']", (5, 4))
    check.equal(p["b1"], np.zeros(5), "TwoLayerNet(6, 5, 4).params['b1'] (np.zeros(hidden_size))")
    check.equal(p["b2"], np.zeros(4), "TwoLayerNet(6, 5, 4).params['b2'] (np.zeros(output_size))")


@points("ch04.TwoLayerNet.__init__", 2)
def test_init_weight_init_std(student):
    """weight_init_std=0.05: W1's 39200 entries have std 0.05 ± 3 % and mean ≈ 0 (randn × std).
    Measured over seeds 0-9: std within 0.6 %, |mean| ≤ 3.1e-4; np.random.rand gives mean
    0.025, a fixed 0.01 gives std 0.01."""
    student.seed(1)
    w1 = check.array(student.module(N4).TwoLayerNet(784, 50, 10, weight_init_std=0.05).params["W1"],
                     "TwoLayerNet(784, 50, 10, weight_init_std=0.05).params['W1']", (784, 50))
    std, mean = float(w1.std()), float(w1.mean())
    what = "TwoLayerNet(784, 50, 10, weight_init_std=0.05).params['W1']"
    hint = None
    if abs(mean) > 0.01:
        hint = "hint.ch04_init_rand"
    elif abs(std - 0.01) < 5e-4:
        hint = "hint.ch04_init_std_ignored"
    check.holds(abs(mean) < 2e-3, what, "has a mean far from 0 (draw with np.random.randn)", hint=hint)
    check.holds(abs(std / 0.05 - 1) < 0.03, what, "does not have the standard deviation weight_init_std",
                hint=hint)


# ---- predict ----------------------------------------------------------------------------------
def predict_mistakes(p, x):
    a1, z1, a2, _ = forward(p, x)
    return {"hint.ch04_predict_scores": a2, "hint.ch04_predict_sigmoid_output": sig(a2)}


@points("ch04.TwoLayerNet.predict", 3)
def test_predict_vs_reference(student, reference, rng):
    p = random_params(rng)
    x = rng.normal(size=(3, 6))
    got = call(student, bare(student, p), "predict", x, names=["sigmoid", "softmax"])["out"]
    want = call(reference, bare(reference, p), "predict", x)["out"]
    check.close(got, want, "TwoLayerNet(6, 5, 4).predict(x) for x of shape (3, 6)", tol=TOL,
                hints=predict_mistakes(p, x))


@points("ch04.TwoLayerNet.predict", 2)
def test_predict_gives_probabilities(student, rng):
    p = random_params(rng)
    x = rng.normal(size=(7, 6))
    what = "TwoLayerNet(6, 5, 4).predict(x) for x of shape (7, 6)"
    y = check.array(call(student, bare(student, p), "predict", x, names=["sigmoid", "softmax"])["out"], what,
                    (7, 4))
    scores = check.diagnose(y, predict_mistakes(p, x))
    check.holds(bool(np.all(np.abs(y.sum(axis=1) - 1) < 1e-12) and np.all(y > 0)), what,
                "the rows are not probabilities summing to 1 (predict ends with softmax)",
                hint=scores.id if scores else None)


@points("ch04.TwoLayerNet.predict", 3, end_to_end=True)
def test_predict_with_own_functions(student, reference, rng):
    p = random_params(rng)
    x = rng.normal(size=(3, 6))
    check.close(bare(student, p).predict(x), bare(reference, p).predict(x),
                "TwoLayerNet(6, 5, 4).predict(x) with your sigmoid and softmax", tol=TOL,
                hints=predict_mistakes(p, x))


# ---- loss -------------------------------------------------------------------------------------
def loss_mistakes(p, x, t):
    y = forward(p, x)[3]
    return {"hint.ch04_loss_squared_error": 0.5 * np.sum((y - t) ** 2)}


# The book's predict is the predict exercise: the stand-in returns the reference's predict(x)
# (only for that x); sigmoid / softmax are lent too, for a loss that computes its own forward.
LOSS_PARTS = ("sigmoid", "softmax", "cross_entropy_error")


@points("ch04.TwoLayerNet.loss", 2)
def test_loss_vs_reference(student, reference, rng):
    p = random_params(rng)
    x, t = rng.normal(size=(3, 6)), one_hot([2, 0, 3], 4)
    ref_net = bare(reference, p)
    got = call(student, bare(student, p), "loss", x, t, names=LOSS_PARTS, fixed_predict=ref_net.predict(x),
               predict_for=x)["out"]
    want = ref_net.loss(x, t)
    check.close(got, want, "TwoLayerNet(6, 5, 4).loss(x, t) for x (3, 6), one-hot t (3, 4)", tol=TOL,
                hints=loss_mistakes(p, x, t))


@points("ch04.TwoLayerNet.loss", 2)
def test_loss_book_value(student, reference, seeded_params, x3):
    """§15: seed-0 TwoLayerNet(784, 50, 10), first 3 training images, one-hot t → 2.3047122656006844."""
    x, t = x3
    y = bare(reference, seeded_params).predict(x)
    got = call(student, bare(student, seeded_params), "loss", x, t, names=LOSS_PARTS, fixed_predict=y,
               predict_for=x)["out"]
    check.close(got, 2.3047122656006844, "TwoLayerNet(784, 50, 10).loss(x, t) on the first 3 training "
                "images after np.random.seed(0)", tol=TOL, hints=loss_mistakes(seeded_params, x, t))


@points("ch04.TwoLayerNet.loss", 2, end_to_end=True)
def test_loss_with_own_predict(student, reference, rng):
    p = random_params(rng)
    x, t = rng.normal(size=(3, 6)), one_hot([1, 3, 3], 4)
    check.close(bare(student, p).loss(x, t), bare(reference, p).loss(x, t),
                "TwoLayerNet(6, 5, 4).loss(x, t) with your predict and cross_entropy_error", tol=TOL,
                hints=loss_mistakes(p, x, t))


# ---- accuracy ---------------------------------------------------------------------------------
Y7 = np.array([[0.1, 0.6, 0.2, 0.1], [0.7, 0.1, 0.1, 0.1], [0.2, 0.2, 0.5, 0.1], [0.1, 0.1, 0.1, 0.7],
               [0.3, 0.4, 0.2, 0.1], [0.25, 0.25, 0.1, 0.4], [0.5, 0.2, 0.2, 0.1]])  # argmax 1 0 2 3 1 3 0


@points("ch04.TwoLayerNet.accuracy", 3)
def test_accuracy_counts_hits(student, rng):
    """predict(x) fixed to 7 rows with argmax 1 0 2 3 1 3 0; t one-hot 1 2 2 0 0 1 0 → 3 / 7."""
    x = rng.normal(size=(7, 6))
    t = one_hot([1, 2, 2, 0, 0, 1, 0], 4)
    got = call(student, bare(student, random_params(rng)), "accuracy", x, t, fixed_predict=Y7)["out"]
    check.close_number(got, 3 / 7, "accuracy(x, t) when 3 of the 7 predictions are right", tol=TOL)


@points("ch04.TwoLayerNet.accuracy", 1)
def test_accuracy_all_right_is_one(student, rng):
    x = rng.normal(size=(7, 6))
    t = one_hot(Y7.argmax(axis=1), 4)
    got = call(student, bare(student, random_params(rng)), "accuracy", x, t, fixed_predict=Y7)["out"]
    check.close_number(got, 1.0, "accuracy(x, t) when every prediction is right", tol=TOL)


@points("ch04.TwoLayerNet.accuracy", 2, end_to_end=True)
def test_accuracy_with_own_predict(student, reference, rng):
    p = random_params(rng)
    x, t = rng.normal(size=(20, 6)), one_hot(rng.integers(0, 4, size=20), 4)
    want = bare(reference, p).accuracy(x, t)
    check.close_number(bare(student, p).accuracy(x, t), float(want),
                       "TwoLayerNet(6, 5, 4).accuracy(x, t) for 20 samples with your predict", tol=TOL)


# ---- numerical_gradient -----------------------------------------------------------------------
def reference_numerical(reference, p, x, t):
    """The book's numerical gradient of the reference's (the book's) loss, formed in the judge."""
    return numeric.net_numerical_gradient(reference, bare(reference, p), x, t, KEYS)


def standin_consts(rng, p, x, t):
    """Constants of the stand-in loss (recipe ch04.standin_loss_value) for params like p."""
    return {"C": {k: rng.normal(size=p[k].shape) for k in KEYS},
            "D": {k: rng.normal(size=p[k].shape) * 0.3 for k in KEYS},
            "E": rng.normal(size=np.shape(x)) * 0.1, "G": rng.normal(size=np.shape(t)) * 0.1}


def standin_gradient(p, x, t, c):
    """Exact gradient of the stand-in loss Σ_k Σ sin(P_k + u)·C_k + (Σ_k Σ P_k·D_k)²."""
    u = float(np.sum(x * c["E"]) + np.sum(t * c["G"]))
    s = sum(float(np.sum(p[k] * c["D"][k])) for k in KEYS)
    return {k: np.cos(p[k] + u) * c["C"][k] + 2 * s * c["D"][k] for k in KEYS}


@points("ch04.TwoLayerNet.numerical_gradient", 4)
def test_numerical_gradient_vs_reference(student, reference, rng):
    """With the book's numerical_gradient (lent) and a stand-in loss: the same gradients as
    the reference's numerical_gradient method on the same loss."""
    p = random_params(rng)
    x, t = rng.normal(size=(3, 6)), one_hot([3, 1, 0], 4)
    consts = standin_consts(rng, p, x, t)
    what = "TwoLayerNet(6, 5, 4).numerical_gradient(x, t)"
    got = grads_dict(call(student, bare(student, p), "numerical_gradient", x, t, names=["numerical_gradient"],
                          standin_loss=consts)["out"], what)
    want = call(reference, bare(reference, p), "numerical_gradient", x, t, standin_loss=consts)["out"]
    for k in KEYS:
        check.close(got[k], want[k], f"{what}['{k}']", tol=TOL_NUM,
                    hints={"hint.ch04_net_numerical_gradient_copy": np.zeros_like(p[k])})


@points("ch04.TwoLayerNet.numerical_gradient", 2)
def test_numerical_gradient_vs_backprop(student, rng):
    """Gradient check the other way round: the student's numerical gradient vs the exact
    gradient of the loss it differentiates (a stand-in loss, its derivative computed in the
    judge)."""
    p = random_params(rng)
    x, t = rng.normal(size=(3, 6)), one_hot([0, 2, 1], 4)
    consts = standin_consts(rng, p, x, t)
    what = "TwoLayerNet(6, 5, 4).numerical_gradient(x, t)"
    got = grads_dict(call(student, bare(student, p), "numerical_gradient", x, t, names=["numerical_gradient"],
                          standin_loss=consts)["out"], what)
    exact = standin_gradient(p, x, t, consts)
    for k in KEYS:
        check.gradient(exact[k], check.array(got[k], f"{what}['{k}']", p[k].shape), what, k, tol=TOL_GRADCHECK)


@points("ch04.TwoLayerNet.numerical_gradient", 2, end_to_end=True)
def test_numerical_gradient_with_own_parts(student, reference, rng):
    p = random_params(rng)
    x, t = rng.normal(size=(3, 6)), one_hot([2, 2, 1], 4)
    what = "TwoLayerNet(6, 5, 4).numerical_gradient(x, t) with your numerical_gradient and loss"
    got = grads_dict(bare(student, p).numerical_gradient(x, t), what)
    want = reference_numerical(reference, p, x, t)
    for k in KEYS:
        check.close(got[k], want[k], f"{what}: {k}", tol=1e-7)


# ---- gradient ---------------------------------------------------------------------------------
def gradient_mistakes(p, x, t):
    a, b = backprop(p, x, t, divide=False), backprop(p, x, t, grad_of_output=True)
    return {k: {"hint.ch04_gradient_not_divided": a[k], "hint.ch04_gradient_sigmoid_grad_of_output": b[k]}
            for k in KEYS}


@points("ch04.TwoLayerNet.gradient", 4)
def test_gradient_vs_reference(student, reference, rng):
    p = random_params(rng)
    x, t = rng.normal(size=(3, 6)), one_hot([1, 0, 3], 4)
    what = "TwoLayerNet(6, 5, 4).gradient(x, t)"
    got = grads_dict(call(student, bare(student, p), "gradient", x, t,
                          names=["sigmoid", "softmax", "sigmoid_grad"])["out"], what)
    want = bare(reference, p).gradient(x, t)
    hints = gradient_mistakes(p, x, t)
    for k in ("W2", "b2", "W1", "b1"):
        check.close(got[k], want[k], f"{what}['{k}']", tol=TOL, hints=hints[k])


@points("ch04.TwoLayerNet.gradient", 4)
def test_gradient_check(student, reference, rng):
    """The book's 4.5 check: backpropagation vs the numerical gradient (computed by the
    reference), per parameter."""
    p = random_params(rng)
    x, t = rng.normal(size=(3, 6)), one_hot([2, 3, 0], 4)
    what = "TwoLayerNet(6, 5, 4).gradient(x, t)"
    got = grads_dict(call(student, bare(student, p), "gradient", x, t,
                          names=["sigmoid", "softmax", "sigmoid_grad"])["out"], what)
    num = reference_numerical(reference, p, x, t)
    for k in ("W2", "b2", "W1", "b1"):
        check.gradient(got[k], num[k], what, k, tol=TOL_GRADCHECK)


@points("ch04.TwoLayerNet.gradient", 2, end_to_end=True)
def test_gradient_mnist_with_own_functions(student, reference, seeded_params, x3):
    x, t = x3
    what = "TwoLayerNet(784, 50, 10).gradient(x, t) on the first 3 training images with your functions"
    got = grads_dict(bare(student, seeded_params).gradient(x, t), what)
    want = bare(reference, seeded_params).gradient(x, t)
    for k in KEYS:
        check.close(got[k], want[k], f"{what}: {k}", tol=TOL)
