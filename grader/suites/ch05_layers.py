"""Hidden suite, chapter 5.5-5.6: Relu, Sigmoid, Affine and SoftmaxWithLoss (common/layers.py).

Isolation: every backward test writes the layer's state itself (Relu.mask, Sigmoid.out,
Affine.x / original_x_shape, SoftmaxWithLoss.y / t, as contract §3 names them) and then calls
backward only, so a forward bug costs only forward and vice versa. Values are compared with
numpy's book formulas (exact oracles) and with numerical gradients of the reference's layers
(formed in the judge, grader/judge/numeric.py).

Tolerances (norm relative error, measured on solutions/):
* forward / backward values vs the formulas: 0 to 1e-15 measured (the same float64 operations);
  bounds 1e-12 leave room for another summation order in np.dot / np.sum.
* layer gradient checks, h = 1e-4, on these fixtures over 20 seeds: Relu 3.1e-12, Affine 7.6e-12,
  Sigmoid 8.0e-10 (contract §16: ≤ 7.7e-10); bound 1e-6 (real bugs ≥ 4.5e-2).
* SoftmaxWithLoss gradient check: 3.9e-6 over 20 seeds (§16: ≤ 8.5e-6; the 1e-7 inside the log
  is ignored by the analytic backward); bound 1e-4.
"""
import numpy as np

from grader.suites._book import one_hot, softmax
from grader.judge import compare as check
from grader.judge import numeric
from grader.judge.compare import hint_on_error
from grader.judge.plugin import points
from grader.messages import Failed, msg

L = "common/layers.py"
F = "common/functions.py"
VALUE_TOL = 1e-12  # values vs the book's formulas (measured 0 … 1e-16)
LAYER_GRAD_TOL = 1e-6  # measured ≤ 8.0e-10 (Sigmoid), bugs ≥ 4.5e-2
SOFTMAX_GRAD_TOL = 1e-4  # measured ≤ 3.9e-6 (the 1e-7 in the log; §16 8.5e-6)


def new(student, name, *args):
    return getattr(student.module(L), name)(*args)




def with_zeros(rng, shape, n=3):
    """Standard-normal values with ``n`` exact zeros (where the Relu mask is defined: x <= 0)."""
    x = rng.normal(size=shape)
    x.flat[rng.choice(x.size, n, replace=False)] = 0.0
    return x


def away_from_zero(rng, shape):
    """Standard-normal values with |x| ≥ 0.05 (no kink of ReLU within h = 1e-4)."""
    x = rng.normal(size=shape)
    return np.where(np.abs(x) < 0.05, 0.05 * np.sign(x) + (x == 0) * 0.05, x)


# ---- Relu.forward ----------------------------------------------------------------------------

@points("ch05.Relu.forward", 2)
def test_relu_forward_values_and_mask(student, rng):
    x = with_zeros(rng, (3, 5))
    relu = new(student, "Relu")
    out = relu.forward(x)
    check.close(out, np.maximum(0, x), "Relu.forward(x) for x of shape (3, 5)", tol=0)
    check.close(relu.mask, x <= 0, "Relu.forward(x): self.mask (True where x <= 0)", tol=0,
                hints={"hint.relu_mask_zero": x < 0})


@points("ch05.Relu.forward", 2)
def test_relu_forward_leaves_input_unchanged(student, rng):
    x = with_zeros(rng, (4, 3))
    handle = student.put(x)  # the caller's array itself, not a copy
    out = new(student, "Relu").forward(handle)
    check.close(student.fetch(handle), x, "Relu.forward(x): the input x after the call", tol=0,
                hints={"hint.relu_no_copy": np.maximum(0, x)})
    check.close(out, np.maximum(0, x), "Relu.forward(x) for x of shape (4, 3)", tol=0)


@points("ch05.Relu.forward", 1)
def test_relu_forward_4d_then_2d(student, rng):
    relu = new(student, "Relu")
    for shape in ((2, 3, 2, 2), (3, 4)):  # twice: the mask follows the last call
        x = with_zeros(rng, shape)
        check.close(relu.forward(x), np.maximum(0, x), f"Relu.forward(x) for x of shape {shape}", tol=0)
        check.close(relu.mask, x <= 0, f"Relu.forward(x) for x of shape {shape}: self.mask", tol=0,
                    hints={"hint.relu_mask_zero": x < 0})


# ---- Relu.backward ---------------------------------------------------------------------------

@points("ch05.Relu.backward", 3)
def test_relu_backward_zero_where_masked(student, rng):
    relu = new(student, "Relu")
    for shape in ((3, 5), (2, 3, 2, 2)):  # twice, 2-D then 4-D
        x = with_zeros(rng, shape)
        relu.mask = x <= 0  # the state forward(x) leaves (x = 0 is masked: gradient 0 at 0)
        dout = rng.normal(size=shape)
        dx = relu.backward(dout)  # the worker gets its own copy of dout
        check.close(dx, np.where(x <= 0, 0.0, dout),
                    f"Relu.backward(dout) for x of shape {shape} with zeros (dx = 0 where x <= 0)", tol=0)


@points("ch05.Relu.backward", 2)
def test_relu_backward_gradient_check(student, reference, rng):
    x, R = away_from_zero(rng, (3, 5)), rng.normal(size=(3, 5))
    relu = new(student, "Relu")
    relu.mask = x <= 0
    dx = relu.backward(R)
    num = numeric.layer_numerical_gradients(reference, new(reference, "Relu"), x, R)
    check.gradient(dx, num["x"], "Relu.backward", "x", tol=LAYER_GRAD_TOL)


# ---- Sigmoid.forward -------------------------------------------------------------------------

@points("ch05.Sigmoid.forward", 2)
def test_sigmoid_forward_stores_out(student, rng):
    sig = new(student, "Sigmoid")
    for shape in ((2, 3, 2, 2), (3, 5)):  # twice: self.out follows the last call
        x = 3 * rng.normal(size=shape)
        out = sig.forward(x)
        # the layer is sigmoid(x) of common/functions.py (the student's own, so that a bug in
        # ch03.sigmoid does not count here)
        check.close(out, student.module(F).sigmoid(x), f"Sigmoid.forward(x) for x of shape {shape}",
                    tol=VALUE_TOL)
        check.close(sig.out, out, f"Sigmoid.forward(x) for x of shape {shape}: self.out", tol=0)


@points("ch05.Sigmoid.forward", 2, end_to_end=True)
def test_sigmoid_forward_values(student, rng):
    got = new(student, "Sigmoid").forward(np.array([[-1.0, 1.0, 2.0]]))
    check.close(got, [[0.2689414213699951, 0.7310585786300049, 0.8807970779778823]],
                "Sigmoid.forward([[-1, 1, 2]])", tol=VALUE_TOL)
    x = 3 * rng.normal(size=(3, 5))
    check.close(new(student, "Sigmoid").forward(x), 1 / (1 + np.exp(-x)),
                "Sigmoid.forward(x) for x of shape (3, 5)", tol=VALUE_TOL)


# ---- Sigmoid.backward ------------------------------------------------------------------------

@points("ch05.Sigmoid.backward", 2)
def test_sigmoid_backward_values(student, rng):
    sig = new(student, "Sigmoid")
    for shape in ((3, 5), (2, 3, 2, 2)):
        out = 1 / (1 + np.exp(-2 * rng.normal(size=shape)))
        sig.out = out  # the state forward(x) leaves
        dout = rng.normal(size=shape)
        check.close(sig.backward(dout), dout * (1.0 - out) * out,
                    f"Sigmoid.backward(dout) for shape {shape} (dout·(1 - out)·out)", tol=VALUE_TOL,
                    hints={"hint.sigmoid_dout": (1.0 - out) * out})


@points("ch05.Sigmoid.backward", 2)
def test_sigmoid_backward_gradient_check(student, reference, rng):
    x, R = 2 * rng.normal(size=(3, 5)), rng.normal(size=(3, 5))
    sig = new(student, "Sigmoid")
    sig.out = 1 / (1 + np.exp(-x))
    dx = sig.backward(R)
    num = numeric.layer_numerical_gradients(reference, new(reference, "Sigmoid"), x, R)
    check.gradient(dx, num["x"], "Sigmoid.backward", "x", tol=LAYER_GRAD_TOL)


def check_shape_attr(got, want, what):
    """An attribute holding a shape (x.shape): a tuple of ints equal to ``want``."""
    if not (isinstance(got, (tuple, list)) and all(isinstance(v, (int, np.integer)) for v in got)):
        raise Failed(msg("check.type", what=what, expected="a shape tuple (x.shape)", got=check.preview(got)))
    check.equal(np.array(got, dtype=int), np.array(want), what)


# ---- Affine.forward --------------------------------------------------------------------------

def affine_case(rng, x_shape, M):
    D = int(np.prod(x_shape[1:]))
    return rng.normal(size=x_shape), rng.normal(size=(D, M)), rng.normal(size=M)


@points("ch05.Affine.forward", 3)
def test_affine_forward_2d(student, rng):
    x, W, b = affine_case(rng, (3, 5), 4)
    aff = new(student, "Affine", W, b)
    check.close(aff.forward(x), x @ W + b, "Affine.forward(x) for x (3, 5), W (5, 4), b (4,)",
                tol=VALUE_TOL, hints={"hint.affine_bias": x @ W})
    check.close(aff.x, x, "Affine.forward(x): self.x", tol=0)
    check_shape_attr(aff.original_x_shape, (3, 5), "Affine.forward(x): self.original_x_shape")


@points("ch05.Affine.forward", 3)
def test_affine_forward_4d(student, rng):
    x, W, b = affine_case(rng, (3, 2, 2, 3), 5)
    aff = new(student, "Affine", W, b)
    with hint_on_error("Affine.forward(x) for x of shape (3, 2, 2, 3)", "hint.affine_flatten"):
        out = aff.forward(x)
    flat = x.reshape(3, -1)
    check.close(out, flat @ W + b, "Affine.forward(x) for x (3, 2, 2, 3), W (12, 5)", tol=VALUE_TOL,
                hints={"hint.affine_bias": flat @ W})
    check.close(aff.x, flat, "Affine.forward(x) for 4-D x: self.x (x flattened to (N, -1))", tol=0,
                hints={"hint.affine_flatten": x})
    check_shape_attr(aff.original_x_shape, (3, 2, 2, 3), "Affine.forward(x) for 4-D x: self.original_x_shape")


@points("ch05.Affine.forward", 1)
def test_affine_forward_twice(student, rng):
    x1, W, b = affine_case(rng, (3, 5), 4)
    x2 = rng.normal(size=(2, 5))
    aff = new(student, "Affine", W, b)
    aff.forward(x1)
    check.close(aff.forward(x2), x2 @ W + b, "Affine.forward(x), second call with x (2, 5)", tol=VALUE_TOL)
    check.close(aff.x, x2, "Affine.forward(x), second call: self.x", tol=0)
    check_shape_attr(aff.original_x_shape, (2, 5), "Affine.forward(x), second call: self.original_x_shape")


# ---- Affine.backward -------------------------------------------------------------------------

def affine_backward(student, x, W, b, dout):
    """Student's Affine.backward(dout) on the state forward(x) leaves: (dx, dW, db)."""
    aff = new(student, "Affine", W, b)
    aff.x, aff.original_x_shape = x.reshape(x.shape[0], -1), x.shape
    dx = aff.backward(dout)
    return dx, aff.dW, aff.db


def check_dW_db(dW, db, flat, dout, what):
    check.close(dW, flat.T @ dout, f"{what}: dW (xᵀ·dout)", tol=VALUE_TOL,
                hints={"hint.affine_dW_transposed": (flat.T @ dout).T})
    check.close(db, dout.sum(axis=0), f"{what}: db (sum over the batch)", tol=VALUE_TOL,
                hints={"hint.affine_db_not_summed": dout, "hint.affine_db_axis": dout.sum(axis=1)})


@points("ch05.Affine.backward", 3)
def test_affine_backward_2d(student, rng):
    x, W, b = affine_case(rng, (3, 5), 4)
    dout = rng.normal(size=(3, 4))
    dx, dW, db = affine_backward(student, x, W, b, dout)
    what = "Affine.backward(dout) for x (3, 5), W (5, 4)"
    check.close(dx, dout @ W.T, f"{what}: dx (dout·Wᵀ)", tol=VALUE_TOL)
    check_dW_db(dW, db, x, dout, what)


@points("ch05.Affine.backward", 2)
def test_affine_backward_4d(student, rng):
    x, W, b = affine_case(rng, (3, 2, 2, 3), 5)
    dout = rng.normal(size=(3, 5))
    dx, dW, db = affine_backward(student, x, W, b, dout)
    what = "Affine.backward(dout) for x (3, 2, 2, 3), W (12, 5)"
    check.close(dx, (dout @ W.T).reshape(x.shape), f"{what}: dx in the input's shape", tol=VALUE_TOL,
                hints={"hint.affine_dx_shape": dout @ W.T})
    check_dW_db(dW, db, x.reshape(3, -1), dout, what)


@points("ch05.Affine.backward", 2)
def test_affine_backward_gradient_check(student, reference, rng):
    x, W, b = affine_case(rng, (3, 5), 4)
    R = rng.normal(size=(3, 4))
    dx, dW, db = affine_backward(student, x, W, b, R)
    num = numeric.layer_numerical_gradients(reference, new(reference, "Affine", W, b), x, R, ["W", "b"])
    check.gradient(dx, num["x"], "Affine.backward", "x", tol=LAYER_GRAD_TOL)
    check.gradient(dW, num["W"], "Affine.backward", "W", tol=LAYER_GRAD_TOL)
    check.gradient(db, num["b"], "Affine.backward", "b", tol=LAYER_GRAD_TOL)


@points("ch05.Affine.backward", 2)
def test_affine_backward_twice(student, rng):
    x1, W, b = affine_case(rng, (3, 5), 4)
    x2 = rng.normal(size=(2, 5))
    aff = new(student, "Affine", W, b)
    for call, x in (("first", x1), ("second", x2)):  # gradients are replaced, not accumulated
        aff.x, aff.original_x_shape = x, x.shape
        dout = rng.normal(size=(x.shape[0], 4))
        dx = aff.backward(dout)
        what = f"Affine.backward(dout), {call} call with x {x.shape}"
        check.close(dx, dout @ W.T, f"{what}: dx", tol=VALUE_TOL)
        check_dW_db(aff.dW, aff.db, x, dout, what)
    check.close(aff.W, W, "Affine.backward: self.W after two calls (backward does not change W)", tol=0)


# ---- SoftmaxWithLoss.forward -----------------------------------------------------------------

@points("ch05.SoftmaxWithLoss.forward", 3)
def test_softmax_with_loss_forward_stores_state(student, rng):
    layer = new(student, "SoftmaxWithLoss")
    Fs = student.module(F)
    for shape in ((3, 4), (5, 4)):  # twice, labels then one-hot: the state follows the last call
        x = rng.normal(size=shape)
        labels = rng.integers(0, shape[1], size=shape[0])
        for form, t in (("labels", labels), ("one-hot", one_hot(labels, shape[1]))):
            what = f"SoftmaxWithLoss.forward(x, t) for x {shape}, t as {form}"
            loss = check.number(layer.forward(x, t), what)
            # softmax and cross_entropy_error are the student's own (common/functions.py), so
            # that a bug in chapter 3 or 4 does not count here
            y = Fs.softmax(x)
            check.close(layer.y, y, f"{what}: self.y (softmax(x))", tol=VALUE_TOL)
            check.close(layer.t, t, f"{what}: self.t", tol=0)
            check.close_number(loss, check.number(Fs.cross_entropy_error(y, t), what),
                               f"{what}: the loss (cross_entropy_error(self.y, t))", tol=VALUE_TOL)
            check.close_number(layer.loss, loss, f"{what}: self.loss", tol=0)


@points("ch05.SoftmaxWithLoss.forward", 3, end_to_end=True)
def test_softmax_with_loss_forward_values(student, rng):
    x = np.array([[0.3, 2.9, 4.0], [1.0, 2.0, 3.0]])
    for form, t in (("labels", np.array([2, 0])), ("one-hot", one_hot(np.array([2, 0]), 3))):
        got = new(student, "SoftmaxWithLoss").forward(x, t)
        check.close_number(got, 1.3566595913821025,
                           f"SoftmaxWithLoss.forward([[0.3, 2.9, 4.0], [1, 2, 3]], t as {form})", tol=VALUE_TOL)
    x = 2 * rng.normal(size=(3, 4))
    labels = rng.integers(0, 4, size=3)
    y = softmax(x)
    want = -np.sum(np.log(y[np.arange(3), labels] + 1e-7)) / 3
    layer = new(student, "SoftmaxWithLoss")
    check.close_number(layer.forward(x, labels), want, "SoftmaxWithLoss.forward(x, t) for x (3, 4)",
                       tol=VALUE_TOL)
    check.close(layer.y, y, "SoftmaxWithLoss.forward(x, t): self.y", tol=VALUE_TOL)


# ---- SoftmaxWithLoss.backward ----------------------------------------------------------------

def swl_backward(student, y, t, *args):
    layer = new(student, "SoftmaxWithLoss")
    layer.y, layer.t = y, t  # the state forward(x, t) leaves
    return layer.backward(*args)


def check_swl_dx(dx, want, y, t_onehot, what, dout=1.0):
    N = y.shape[0]
    hints = {"hint.softmax_loss_batch": (y - t_onehot) * dout}
    if dout != 1.0:
        hints["hint.softmax_loss_dout"] = dout * (y - t_onehot) / N
    check.close(dx, want, what, tol=VALUE_TOL, hints=hints)


@points("ch05.SoftmaxWithLoss.backward", 2)
def test_softmax_with_loss_backward_one_hot(student, rng):
    y = softmax(rng.normal(size=(3, 4)))
    t = one_hot(rng.integers(0, 4, size=3), 4)
    for args, dout in (((), 1.0), ((1,), 1.0), ((5.0,), 5.0)):
        what = f"SoftmaxWithLoss.backward({', '.join(map(str, args))}) for one-hot t, batch of 3"
        check_swl_dx(swl_backward(student, y, t, *args), (y - t) / 3, y, t, what, dout)


@points("ch05.SoftmaxWithLoss.backward", 2)
def test_softmax_with_loss_backward_labels(student, rng):
    y = softmax(rng.normal(size=(3, 4)))
    labels = rng.integers(0, 4, size=3)
    t = one_hot(labels, 4)
    for args, dout in (((), 1.0), ((5.0,), 5.0)):
        what = f"SoftmaxWithLoss.backward({', '.join(map(str, args))}) for labels t, batch of 3"
        with hint_on_error(what, "hint.softmax_loss_labels", types=("ValueError", "IndexError", "TypeError")):
            dx = swl_backward(student, y, labels, *args)
        check_swl_dx(dx, (y - t) / 3, y, t, what, dout)


@points("ch05.SoftmaxWithLoss.backward", 2)
def test_softmax_with_loss_backward_book_values(student):
    y = softmax(np.array([[0.3, 2.9, 4.0], [1.0, 2.0, 3.0]]))
    want = [[0.00910563664777377, 0.12259590646753696, -0.13170154311531068],
            [-0.4549847134148098, 0.12236423552739882, 0.3326204778874109]]
    t = one_hot(np.array([2, 0]), 3)
    for form, tt in (("labels", np.array([2, 0])), ("one-hot", t)):
        for args, dout in (((), 1.0), ((5.0,), 5.0)):
            what = (f"SoftmaxWithLoss.backward({', '.join(map(str, args))}) after "
                    f"forward([[0.3, 2.9, 4.0], [1, 2, 3]], t as {form})")
            check_swl_dx(swl_backward(student, y, tt, *args), want, y, t, what, dout)


@points("ch05.SoftmaxWithLoss.backward", 2)
def test_softmax_with_loss_backward_gradient_check_twice(student, reference, rng):
    x = rng.normal(size=(3, 4))
    labels = rng.integers(0, 4, size=3)
    y = softmax(x)
    layer = new(student, "SoftmaxWithLoss")
    layer.y, layer.t = y, labels
    first = layer.backward()
    num = numeric.layer_numerical_gradients(reference, new(reference, "SoftmaxWithLoss"), x, 1.0,
                                            forward_kwargs={"t": labels})
    check.gradient(first, num["x"], "SoftmaxWithLoss.backward", "x", tol=SOFTMAX_GRAD_TOL)
    check.close(layer.y, y, "SoftmaxWithLoss.backward(): self.y after the call", tol=0,
                hints={"hint.softmax_loss_state": (y - one_hot(labels, 4))})
    check.close(layer.backward(), first, "SoftmaxWithLoss.backward(), second call", tol=0,
                hints={"hint.softmax_loss_state": (y - 2 * one_hot(labels, 4)) / 3})
