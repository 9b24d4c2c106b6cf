"""Chapter 5.5-5.6: the Relu, Sigmoid, Affine and Softmax-with-Loss layers (common/layers.py).

Each backward is checked against a numerical gradient of its own forward (the gradient check
of 5.7.3) on the scalar L = sum(forward(x) * R), so dout = R.
Run: pytest -k Relu (or Sigmoid, Affine, softmax)
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


def test_relu_forward_book_example(load):
    relu = load(L).Relu()
    x = np.array([[1.0, -0.5], [-2.0, 3.0]])  # the book's example in 5.5.1
    out = relu.forward(x)
    check.equal(relu.mask, [[False, True], [True, False]], "Relu.forward(x): self.mask (x <= 0)")
    check.close(out, [[1.0, 0.0], [0.0, 3.0]], "Relu.forward([[1.0, -0.5], [-2.0, 3.0]])", tol=0)
    check.close(x, [[1.0, -0.5], [-2.0, 3.0]], "Relu.forward(x) must not change x (use x.copy())", tol=0)
    relu.forward(np.array([0.0, 2.0]))
    check.equal(relu.mask, [True, False], "Relu.forward([0.0, 2.0]): self.mask (x = 0 is masked too)")


def test_relu_backward_gradient_check(load, rng):
    relu = load(L).Relu()
    x = rng.normal(size=(3, 5))
    x[np.abs(x) < 0.05] = 0.5  # away from the kink at 0
    R = rng.normal(size=(3, 5))
    relu.forward(x)
    dx = relu.backward(R.copy())
    num = numerical_gradient(lambda: np.sum(relu.forward(x) * R), x)
    check.gradient(dx, num, "Relu.backward", "x", tol=1e-6)
    relu.forward(np.array([[0.0, 1.0]]))
    check.close(relu.backward(np.array([[5.0, 5.0]])), [[0.0, 5.0]],
                "Relu.backward after forward([[0.0, 1.0]]) (gradient 0 at x = 0)", tol=0)


def test_sigmoid_gradient_check(load, rng):
    sig = load(L).Sigmoid()
    x, R = 2 * rng.normal(size=(3, 5)), rng.normal(size=(3, 5))
    out = sig.forward(x)
    check.array(out, "Sigmoid.forward(x)", (3, 5))
    check.holds(bool(np.all((out > 0) & (out < 1))), "Sigmoid.forward(x)", "outputs must lie between 0 and 1")
    dx = sig.backward(R.copy())
    num = numerical_gradient(lambda: np.sum(sig.forward(x) * R), x)
    check.gradient(dx, num, "Sigmoid.backward", "x", tol=1e-6)


def test_affine_gradient_check(load, rng):
    W, b = rng.normal(size=(5, 4)), rng.normal(size=4)
    aff = load(L).Affine(W, b)
    x, R = rng.normal(size=(3, 5)), rng.normal(size=(3, 4))
    check.array(aff.forward(x), "Affine.forward(x) for x (3, 5), W (5, 4)", (3, 4))
    dx = aff.backward(R.copy())
    check.array(dx, "Affine.backward: dx", (3, 5))
    check.array(aff.dW, "Affine.backward: dW (W's shape)", (5, 4))
    check.array(aff.db, "Affine.backward: db (b's shape)", (4,))
    f = lambda: np.sum(aff.forward(x) * R)
    for name, got, arr in (("x", dx, x), ("W", aff.dW, W), ("b", aff.db, b)):
        check.gradient(got, numerical_gradient(f, arr), "Affine.backward", name, tol=1e-6)


def test_affine_4d_input(load, rng):
    W, b = rng.normal(size=(12, 5)), rng.normal(size=5)
    aff = load(L).Affine(W, b)
    x, R = rng.normal(size=(3, 2, 2, 3)), rng.normal(size=(3, 5))  # (N, C, H, W), C·H·W = 12
    check.array(aff.forward(x), "Affine.forward(x) for a 4-D x (3, 2, 2, 3)", (3, 5))
    dx = aff.backward(R.copy())
    check.array(dx, "Affine.backward: dx for a 4-D input (the input's shape)", (3, 2, 2, 3))
    num = numerical_gradient(lambda: np.sum(aff.forward(x) * R), x)
    check.gradient(dx, num, "Affine.backward (4-D input)", "x", tol=1e-6)


def test_softmax_with_loss_both_label_forms(load, rng):
    layers = load(L)
    x = rng.normal(size=(3, 4))
    labels = np.array([2, 0, 3])
    one_hot = np.eye(4)[labels]
    results = []
    for form, t in (("labels", labels), ("one-hot", one_hot)):
        layer = layers.SoftmaxWithLoss()
        loss = check.number(layer.forward(x, t), f"SoftmaxWithLoss.forward(x, t), t as {form}")
        check.holds(loss > 0, f"SoftmaxWithLoss.forward(x, t), t as {form}", "the loss must be positive")
        dx = layer.backward()
        check.array(dx, f"SoftmaxWithLoss.backward(), t as {form}", (3, 4))
        num = numerical_gradient(lambda: layers.SoftmaxWithLoss().forward(x, t), x)
        check.gradient(dx, num, f"SoftmaxWithLoss.backward (t as {form})", "x", tol=1e-4)
        check.close(layer.backward(5.0), dx, f"SoftmaxWithLoss.backward(5.0), t as {form} (dout is ignored)",
                    tol=1e-12)
        results.append((loss, dx))
    check.close_number(results[1][0], results[0][0], "SoftmaxWithLoss.forward: one-hot t vs labels", tol=1e-12)
    check.close(results[1][1], results[0][1], "SoftmaxWithLoss.backward: one-hot t vs labels", tol=1e-12)
