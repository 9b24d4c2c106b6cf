"""The reference solutions of chapters 3-5 (and every layer of ``common/layers.py``) against the
contract: §15 oracles (exact where the book's code prints exact values), properties, and §16
gradient checks.

MNIST tests need ``DLFS_DATA`` (the folder with the four MNIST .gz files; the book's weights
are found in its sibling ``../book/``) and are skipped without it. Training runs are ``slow``.
"""
from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from grader.worker.loader import load_module
from gradcheck import numerical_grad, rel_error

ROOT = Path(__file__).resolve().parents[1] / "solutions"

# §16 (20 seeds): correct layers ≤ 4e-11 (Relu, Affine, Dropout, Conv, Pooling), 7.7e-10
# (Sigmoid), 3.0e-7 (BatchNormalization dx). On the fixtures below: ≤ 1e-11, 6.7e-10 and
# 2.8e-7 (BN 4-D). One bound of 1e-6 keeps a 3x margin; real bugs are ≥ 4.5e-2.
LAYER_TOL = 1e-6
# §16: SoftmaxWithLoss ≤ 8.5e-6 (the 1e-7 inside cross_entropy_error's log is ignored by the
# analytic backward); 2.6e-6 on the fixture below.
SOFTMAX_TOL = 1e-4


def mod(relpath):
    return load_module(ROOT, relpath)


@pytest.fixture(scope="module")
def F():
    return mod("common/functions.py")


@pytest.fixture(scope="module")
def G():
    return mod("common/gradient.py")


@pytest.fixture(scope="module")
def L():
    return mod("common/layers.py")


@pytest.fixture(scope="module")
def GM():
    return mod("ch04/gradient_method.py")


@pytest.fixture(scope="module")
def LN():
    return mod("ch05/layer_naive.py")


@pytest.fixture(scope="module")
def N4():
    return mod("ch04/two_layer_net.py")


@pytest.fixture(scope="module")
def N5():
    return mod("ch05/two_layer_net.py")


def first(result):
    """gradient_descent may return x or the book's (x, x_history) (contract §18)."""
    return result[0] if isinstance(result, tuple) else result


# ---- chapter 3: functions -------------------------------------------------------------------

def test_identity_step_sigmoid_relu(F):
    x = np.array([-1.0, 0.0, 2.0])
    assert F.identity_function(x) is x
    s = F.step_function(x)
    assert s.dtype.kind == "i" and s.tolist() == [0, 0, 1]
    np.testing.assert_array_equal(F.sigmoid(x), 1 / (1 + np.exp(-x)))
    assert F.sigmoid(np.array(0.0)) == 0.5
    np.testing.assert_array_equal(F.relu(np.array([-1.0, 0.0, 1.0, 3.5])), [0, 0, 1, 3.5])
    np.testing.assert_array_equal(F.sigmoid_grad(x), (1 - F.sigmoid(x)) * F.sigmoid(x))


@pytest.mark.parametrize("x, expected", [
    ([0.3, 2.9, 4.0], [0.01821127329554753, 0.24519181293507392, 0.7365969137693786]),
    ([1010, 1000, 990], [0.999954600070331, 4.539786860886666e-05, 2.061060046209062e-09]),
])
def test_softmax_oracle(F, x, expected):
    assert F.softmax(np.array(x, dtype=float)).tolist() == expected


def test_softmax_batch_is_per_row(F):
    X = np.random.default_rng(0).normal(size=(3, 4)) * 3
    X[1] += 1000  # overflow guard per row
    Y = F.softmax(X)
    assert Y.shape == (3, 4) and np.all(np.isfinite(Y))
    np.testing.assert_allclose(Y.sum(axis=1), 1.0, rtol=1e-12)
    for i in range(3):
        np.testing.assert_allclose(Y[i], F.softmax(X[i]), rtol=1e-12)


# ---- chapter 4: losses, numerical gradient, gradient descent --------------------------------

Y1 = [0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0]
Y2 = [0.1, 0.05, 0.1, 0.0, 0.05, 0.1, 0.0, 0.6, 0.0, 0.0]
T2 = [0, 0, 1, 0, 0, 0, 0, 0, 0, 0]


@pytest.mark.parametrize("y, t, expected", [
    (Y1, T2, 0.510825457099338),
    (Y1, 2, 0.510825457099338),  # 0-d label array with a 1-D y
    (Y2, T2, 2.302584092994546),
    ([Y1, Y2], [T2, T2], 1.406704775046942),
    ([Y1, Y2], [2, 2], 1.406704775046942),
])
def test_cross_entropy_error_oracle(F, y, t, expected):
    assert F.cross_entropy_error(np.array(y), np.array(t)) == expected


@pytest.mark.parametrize("name", ["mean_squared_error", "sum_squared_error"])
@pytest.mark.parametrize("y, expected", [(Y1, 0.09750000000000003), (Y2, 0.5975)])
def test_squared_error_oracle(F, name, y, expected):
    assert getattr(F, name)(np.array(y), np.array(T2)) == expected


def test_squared_error_not_batch_averaged(F):
    y, t = np.array([Y1, Y2]), np.array([T2, T2])
    assert F.mean_squared_error(y, t) == pytest.approx(0.09750000000000003 + 0.5975, rel=1e-12)


def test_softmax_loss(F):
    X = np.array([[0.3, 2.9, 4.0], [1.0, 2.0, 3.0]])
    assert F.softmax_loss(X, np.array([2, 0])) == pytest.approx(1.3566595913821025, rel=1e-12)


def test_numerical_diff_oracle(GM):
    f = lambda x: 0.01 * x**2 + 0.1 * x
    assert GM.numerical_diff(f, 5) == 0.1999999999990898
    assert GM.numerical_diff(f, 10) == 0.2999999999986347


@pytest.mark.parametrize("x, expected", [
    ([3.0, 4.0], [6.00000000000378, 7.999999999999119]),
    ([0.0, 2.0], [0.0, 4.000000000004]),
    ([3.0, 0.0], [6.000000000012662, 0.0]),
])
def test_numerical_gradient_oracle(G, x, expected):
    x = np.array(x)
    before = x.copy()
    grad = G.numerical_gradient(lambda x: np.sum(x**2), x)
    assert grad.tolist() == expected
    np.testing.assert_array_equal(x, before)  # restored bit for bit


def test_numerical_gradient_nd_in_place(G):
    """f ignores its argument and reads a shared array: the perturbation must be in place."""
    rng = np.random.default_rng(1)
    W = rng.normal(size=(2, 3, 4))
    R = rng.normal(size=W.shape)
    before = W.copy()
    grad = G.numerical_gradient(lambda _: np.sum(W * R), W)
    assert grad.shape == W.shape
    np.testing.assert_allclose(grad, R, rtol=1e-9)
    np.testing.assert_array_equal(W, before)


def test_numerical_gradient_2d_rows(G):
    X = np.array([[3.0, 4.0], [0.0, 2.0], [3.0, 0.0]])
    grad = G.numerical_gradient_2d(lambda x: np.sum(x**2), X)
    np.testing.assert_allclose(grad, 2 * X, atol=1e-9)
    np.testing.assert_allclose(G.numerical_gradient_2d(lambda x: np.sum(x**2), X[0]), [6, 8], atol=1e-9)


@pytest.mark.parametrize("lr, step_num, expected", [
    (0.1, 100, [-6.111107928998789e-10, 8.148143905314271e-10]),
    (10.0, 100, [-2.5898374737328363e13, -1.2952486168965398e12]),
    (1e-10, 100, [-2.999999939999995, 3.9999999199999934]),
    (0.1, 20, [-0.03458764513817675, 0.04611686018418694]),
])
def test_gradient_descent_oracle(GM, lr, step_num, expected):
    init_x = np.array([-3.0, 4.0])
    x = first(GM.gradient_descent(lambda x: x[0]**2 + x[1]**2, init_x, lr=lr, step_num=step_num))
    assert x.tolist() == expected
    assert init_x.tolist() == expected  # the book updates init_x in place


def test_simple_net_oracle(F, G):
    """ch04/gradient_simplenet.py: predict = x·W, loss = CEE(softmax), numerical dW."""
    W = np.array([[0.47355232, 0.9977393, 0.84668094], [0.85557411, 0.03563661, 0.69422093]])
    x, t = np.array([0.6, 0.9]), np.array([0, 0, 1])
    loss = lambda _: F.cross_entropy_error(F.softmax(np.dot(x, W)), t)
    np.testing.assert_allclose(np.dot(x, W), [1.054148091, 0.630716529, 1.132807401], rtol=1e-9)
    assert loss(W) == 0.9280682857864075
    assert G.numerical_gradient(loss, W).tolist() == [
        [0.2192475712392561, 0.14356242984070455, -0.3628100010055757],
        [0.3288713569016277, 0.21534364482433954, -0.5442150014739466]]


# ---- chapter 5: naive layers -----------------------------------------------------------------

def test_buy_apple(LN):
    mul_apple_layer, mul_tax_layer = LN.MulLayer(), LN.MulLayer()
    apple_price = mul_apple_layer.forward(100, 2)
    price = mul_tax_layer.forward(apple_price, 1.1)
    dapple_price, dtax = mul_tax_layer.backward(1)
    dapple, dapple_num = mul_apple_layer.backward(dapple_price)
    assert price == 220.00000000000003
    assert (dapple, dapple_num) == (2.2, 110.00000000000001)
    assert dtax == 200 and type(dtax) is int  # no type conversion
    assert (mul_apple_layer.x, mul_apple_layer.y) == (100, 2)


def test_buy_apple_orange(LN):
    mul_apple, mul_orange, add, mul_tax = LN.MulLayer(), LN.MulLayer(), LN.AddLayer(), LN.MulLayer()
    all_price = add.forward(mul_apple.forward(100, 2), mul_orange.forward(150, 3))
    price = mul_tax.forward(all_price, 1.1)
    dall_price, dtax = mul_tax.backward(1)
    dapple_price, dorange_price = add.backward(dall_price)
    dorange, dorange_num = mul_orange.backward(dorange_price)
    dapple, dapple_num = mul_apple.backward(dapple_price)
    assert price == 715.0000000000001
    assert dall_price == 1.1 and dtax == 650 and type(dtax) is int
    assert (dapple, dapple_num) == (2.2, 110.00000000000001)
    assert (dorange, dorange_num) == (3.3000000000000003, 165.0)


# ---- layers: oracles and properties ----------------------------------------------------------

SWL_X = [[0.3, 2.9, 4.0], [1.0, 2.0, 3.0]]
SWL_DX = [[0.00910563664777377, 0.12259590646753696, -0.13170154311531068],
          [-0.4549847134148098, 0.12236423552739882, 0.3326204778874109]]


@pytest.mark.parametrize("t", [[2, 0], [[0, 0, 1], [1, 0, 0]]], ids=["labels", "one-hot"])
@pytest.mark.parametrize("dout", [1, 5.0])
def test_softmax_with_loss_oracle(L, t, dout):
    layer = L.SoftmaxWithLoss()
    loss = layer.forward(np.array(SWL_X), np.array(t))
    assert loss == pytest.approx(1.3566595913821025, rel=1e-12) and layer.loss == loss
    np.testing.assert_allclose(layer.backward(dout), SWL_DX, rtol=1e-12)  # dout is ignored


def test_relu_grad_vs_relu_layer(F, L):
    x = np.array([-1.0, 0.0, 1.0])
    assert F.relu_grad(x).tolist() == [0, 1, 1]
    layer = L.Relu()
    out = layer.forward(x)
    assert out.tolist() == [0, 0, 1] and x.tolist() == [-1, 0, 1]  # forward returns a copy
    assert layer.backward(np.ones(3)).tolist() == [0, 0, 1]


def test_batchnorm_oracle(L):
    bn = L.BatchNormalization(np.ones(2), np.zeros(2))
    x = np.array([[1.0, 2.0], [3.0, 6.0], [5.0, 10.0]])
    out = bn.forward(x)
    np.testing.assert_allclose(out, [[-1.2247446417519903, -1.2247448139816772], [0, 0],
                                     [1.2247446417519903, 1.2247448139816772]], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(bn.running_mean, [0.29999999999999993, 0.5999999999999999], rtol=1e-12)
    np.testing.assert_allclose(bn.running_var, [0.2666666666666666, 1.0666666666666664], rtol=1e-12)
    bn.forward(x)
    np.testing.assert_allclose(bn.running_mean, [0.5699999999999998, 1.1399999999999997], rtol=1e-12)
    np.testing.assert_allclose(bn.running_var, [0.5066666666666666, 2.0266666666666664], rtol=1e-12)
    np.testing.assert_allclose(bn.forward(x, train_flg=False)[0], [0.6040972523218827, 0.6040976994329499],
                               rtol=1e-12)


def test_test_mode_of_fresh_batchnorm_and_dropout(L):
    x = np.random.default_rng(2).normal(size=(3, 4))
    bn = L.BatchNormalization(np.ones(4), np.zeros(4))
    np.testing.assert_allclose(bn.forward(x, train_flg=False), x * 1000, rtol=1e-12)
    drop = L.Dropout(0.3)
    np.testing.assert_allclose(drop.forward(x, train_flg=False), x * 0.7, rtol=1e-12)
    assert drop.mask is None  # test mode leaves the mask alone
    np.testing.assert_array_equal(drop.forward(x, False), drop.forward(x, False))


def test_dropout_train_mask(L):
    x = np.random.default_rng(3).normal(size=(4, 5))
    np.random.seed(0)
    out = L.Dropout(0.3).forward(x)
    np.random.seed(0)
    mask = np.random.rand(*x.shape) > 0.3
    np.testing.assert_array_equal(out, x * mask)  # no rescaling


def conv_fixture():
    W = (np.arange(18) / 10 - 0.5).reshape(2, 1, 3, 3)
    x = (np.arange(32) / 10).reshape(2, 1, 4, 4)
    return W, np.array([0.1, -0.2]), x


def test_convolution_oracle(L):
    W, b, x = conv_fixture()
    conv = L.Convolution(W, b, stride=1, pad=1)
    out = conv.forward(x)
    assert out.shape == (2, 2, 4, 4)
    np.testing.assert_allclose(out[0, 0, 0], [0.33, 0.41, 0.44, 0.23], rtol=1e-12)
    np.testing.assert_allclose(out[1, 1, 3], [7.35, 10.55, 10.94, 6.77], rtol=1e-12)
    dx = conv.backward(np.ones_like(out))
    assert dx.shape == x.shape and conv.dW.shape == W.shape and conv.db.shape == (2,)
    np.testing.assert_allclose(conv.db, [32, 32], rtol=1e-12)
    np.testing.assert_allclose(conv.dW[1, 0, 0], [23.4, 32.4, 25.2], rtol=1e-12)
    np.testing.assert_allclose(dx[0, 0, 0], [1.2, 2.4, 2.4, 2.0], rtol=1e-12)


def test_pooling_oracle(L):
    _, _, x = conv_fixture()
    out = L.Pooling(2, 2, 2).forward(x)
    assert out.shape == (2, 1, 2, 2)
    np.testing.assert_allclose(out[1, 0], [[2.1, 2.3], [2.9, 3.1]], rtol=1e-12)


def test_pooling_backward_first_max_and_overlaps(L):
    x = np.zeros((1, 1, 3, 3))  # all ties: every window's first max is its top-left element
    pool = L.Pooling(2, 2, stride=1)
    pool.forward(x)
    dx = pool.backward(np.ones((1, 1, 2, 2)))
    np.testing.assert_array_equal(dx[0, 0], [[1, 1, 0], [1, 1, 0], [0, 0, 0]])


# ---- layers: gradient checks (§16) -----------------------------------------------------------

def check_layer(forward, backward, inputs, params, tol, seed=0):
    """Gradient check of L = Σ forward(x)·R for x = inputs[0] and every (name, array, attr) in params.

    forward(x) → out; backward(dout) → dx; after backward, getattr(layer, attr) is the analytic
    gradient of the array. The numerical side perturbs each array in place.
    """
    x = inputs
    R = np.random.default_rng(seed + 100).normal(size=forward(x).shape)
    loss = lambda _: np.sum(forward(x) * R)
    forward(x)
    dx = backward(R.copy())
    assert dx.shape == x.shape, f"dx has shape {dx.shape}, expected the input's {x.shape}"
    analytic = {"x": dx} | {name: getattr(obj, attr) for name, obj, _, attr in params}
    numeric = {"x": numerical_grad(loss, x)} | {name: numerical_grad(loss, arr) for name, _, arr, _ in params}
    for name in analytic:
        err = rel_error(analytic[name], numeric[name])
        assert err <= tol, f"d{name}: norm relative error {err:.2e} > {tol:.0e}"


def rng_normal(seed, *shape):
    return np.random.default_rng(seed).normal(size=shape)


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.parametrize("kind", ["Relu", "Sigmoid"])
def test_gradcheck_activation(L, kind, seed):
    layer = getattr(L, kind)()
    check_layer(layer.forward, layer.backward, rng_normal(seed, 3, 5), [], LAYER_TOL, seed)


@pytest.mark.parametrize("x_shape", [(3, 5), (3, 2, 2, 3)], ids=["2-D", "4-D"])
def test_gradcheck_affine(L, x_shape):
    x = rng_normal(0, *x_shape)
    D = int(np.prod(x_shape[1:]))
    layer = L.Affine(rng_normal(1, D, 4), rng_normal(2, 4))
    check_layer(layer.forward, layer.backward, x,
                [("W", layer, layer.W, "dW"), ("b", layer, layer.b, "db")], LAYER_TOL)
    assert layer.dW.shape == (D, 4) and layer.db.shape == (4,)


@pytest.mark.parametrize("one_hot", [False, True], ids=["labels", "one-hot"])
def test_gradcheck_softmax_with_loss(L, one_hot):
    x = rng_normal(4, 3, 4)
    t = np.array([1, 3, 0])
    if one_hot:
        t = np.eye(4)[t]
    layer = L.SoftmaxWithLoss()
    layer.forward(x, t)
    dx = layer.backward(1)
    err = rel_error(dx, numerical_grad(lambda _: layer.forward(x, t), x))
    assert err <= SOFTMAX_TOL, f"dx: norm relative error {err:.2e}"


@pytest.mark.parametrize("seed", [0, 1])
def test_gradcheck_dropout(L, seed):
    layer = L.Dropout(0.3)

    def forward(x):
        np.random.seed(seed)  # one mask for every loss call (§16)
        return layer.forward(x, train_flg=True)

    check_layer(forward, layer.backward, rng_normal(seed, 3, 5), [], LAYER_TOL, seed)


@pytest.mark.parametrize("x_shape", [(4, 5), (4, 2, 2, 3)], ids=["2-D", "4-D"])
def test_gradcheck_batchnorm(L, x_shape):
    D = int(np.prod(x_shape[1:]))
    layer = L.BatchNormalization(1 + 0.5 * rng_normal(5, D), rng_normal(6, D))
    check_layer(lambda x: layer.forward(x, train_flg=True), layer.backward, rng_normal(7, *x_shape),
                [("gamma", layer, layer.gamma, "dgamma"), ("beta", layer, layer.beta, "dbeta")], LAYER_TOL)


@pytest.mark.parametrize("stride, pad", [(1, 0), (2, 1)])
def test_gradcheck_convolution(L, stride, pad):
    layer = L.Convolution(0.1 * rng_normal(8, 4, 2, 3, 3), 0.1 * rng_normal(9, 4), stride=stride, pad=pad)
    check_layer(layer.forward, layer.backward, rng_normal(10, 3, 2, 6, 7),
                [("W", layer, layer.W, "dW"), ("b", layer, layer.b, "db")], LAYER_TOL)


@pytest.mark.parametrize("pool, stride, hw", [(2, 2, (4, 6)), (3, 1, (5, 5))])
def test_gradcheck_pooling(L, pool, stride, hw):
    layer = L.Pooling(pool, pool, stride=stride)
    check_layer(layer.forward, layer.backward, rng_normal(11, 3, 2, *hw), [], LAYER_TOL)


# ---- two-layer nets ---------------------------------------------------------------------------

def tiny_batch(seed=0):
    """x: (3, 6) normal, labels t (3,) over 4 classes, and their one-hot form."""
    rng = np.random.default_rng(seed)
    t = np.array([0, 3, 1])
    return rng.normal(size=(3, 6)), t, np.eye(4)[t]


# Both nets on (6, 5, 4) with the default std 0.01: p_true ≈ 0.25, so the 1e-7 in the log
# floors the agreement at ≈ 1e-7 / 0.25 = 4e-7 (§16); measured ≤ 4.1e-7 over 10 seeds
# (every parameter, both nets, both label forms). Bound 1e-6.
NET_TOL = 1e-6


@pytest.mark.parametrize("net_file, label_form", [
    ("ch04/two_layer_net.py", "one-hot"),  # ch04 takes one-hot t only (§18)
    ("ch05/two_layer_net.py", "one-hot"),
    ("ch05/two_layer_net.py", "labels"),
])
def test_gradcheck_two_layer_net(net_file, label_form):
    x, labels, onehot = tiny_batch()
    t = onehot if label_form == "one-hot" else labels
    np.random.seed(0)
    net = mod(net_file).TwoLayerNet(6, 5, 4)
    analytic = net.gradient(x, t)
    numeric = net.numerical_gradient(x, t)
    for key in ("W1", "b1", "W2", "b2"):
        assert analytic[key].shape == net.params[key].shape
        err = rel_error(analytic[key], numeric[key])
        assert err <= NET_TOL, f"{net_file} {key}: norm relative error {err:.2e}"


def test_ch05_net_shares_params_with_layers(N5):
    net = N5.TwoLayerNet(6, 5, 4)
    assert list(net.layers) == ["Affine1", "Relu1", "Affine2"]
    assert isinstance(net.lastLayer, mod("common/layers.py").SoftmaxWithLoss)
    for i in (1, 2):
        assert net.layers[f"Affine{i}"].W is net.params[f"W{i}"]
        assert net.layers[f"Affine{i}"].b is net.params[f"b{i}"]


def test_ch05_predict_scores_and_accuracy_both_forms(N5):
    x, labels, onehot = tiny_batch(1)
    net = N5.TwoLayerNet(6, 5, 4, weight_init_std=1.0)
    y = net.predict(x)
    assert y.shape == (3, 4) and not np.allclose(y.sum(axis=1), 1)  # scores, not probabilities
    expected = np.mean(np.argmax(y, axis=1) == labels)
    assert net.accuracy(x, labels) == net.accuracy(x, onehot) == expected
    assert net.loss(x, labels) == pytest.approx(net.loss(x, onehot), rel=1e-12)


def test_ch04_predict_probabilities_and_accuracy(N4):
    x, labels, onehot = tiny_batch(1)
    net = N4.TwoLayerNet(6, 5, 4, weight_init_std=1.0)
    y = net.predict(x)
    np.testing.assert_allclose(y.sum(axis=1), 1.0, rtol=1e-12)
    assert net.accuracy(x, onehot) == np.mean(np.argmax(y, axis=1) == labels)
    assert set(net.params) == {"W1", "b1", "W2", "b2"}


# ---- chapter scripts -------------------------------------------------------------------------

@pytest.mark.parametrize("relpath", ["ch03/neuralnet_mnist.py", "ch04/gradient_method.py",
                                     "ch04/two_layer_net.py", "ch05/layer_naive.py", "ch05/two_layer_net.py"])
def test_import_has_no_side_effects(relpath, capsys):
    """A fresh import (under a name of its own) prints nothing and reads no data."""
    mod("common/layers.py")  # root on sys.path
    spec = importlib.util.spec_from_file_location("fresh_" + relpath.replace("/", "_")[:-3], ROOT / relpath)
    spec.loader.exec_module(importlib.util.module_from_spec(spec))
    assert capsys.readouterr() == ("", "")


@pytest.mark.parametrize("script, expected", [
    ("ch05/layer_naive.py", "price: 220\ndApple: 2.2\ndApple_num: 110\ndTax: 200\nprice: 715\n"),
    ("ch04/gradient_method.py", "0.1999999999990898\n0.2999999999986347\n"),
    ("ch03/neuralnet_mnist.py", "Accuracy:0.9352\n"),
])
def test_scripts_run_from_their_folder(script, expected):
    """The book's way: ``cd ch05; python layer_naive.py`` (sys.path.append(os.pardir))."""
    if script.startswith("ch03") and not os.environ.get("DLFS_DATA"):
        pytest.skip("set DLFS_DATA to the folder holding the four MNIST .gz files")
    path = ROOT / script
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    out = subprocess.run([sys.executable, path.name], cwd=path.parent, env=env,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith(expected)


# ---- MNIST oracles ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def data():
    if not os.environ.get("DLFS_DATA"):
        pytest.skip("set DLFS_DATA to the folder holding the four MNIST .gz files")
    return mod("dataset/mnist.py")


@pytest.fixture(scope="module")
def mnist(data):
    (x_train, t_train), (x_test, t_test) = data.load_mnist(normalize=True, flatten=True, one_hot_label=True)
    return x_train, t_train, x_test, t_test


def test_ch03_sample_weights_accuracy(data):
    n3 = mod("ch03/neuralnet_mnist.py")
    x, t = n3.get_data()
    network = n3.init_network()
    assert {k: v.shape for k, v in network.items()} == {
        "W1": (784, 50), "b1": (50,), "W2": (50, 100), "b2": (100,), "W3": (100, 10), "b3": (10,)}
    y0 = n3.predict(network, x[0])
    assert y0.shape == (10,) and y0.dtype == np.float32 and np.argmax(y0) == 7
    assert y0[7] == pytest.approx(0.997065, abs=5e-7)
    p = np.concatenate([np.argmax(n3.predict(network, x[i:i + 100]), axis=1) for i in range(0, len(x), 100)])
    assert np.flatnonzero(p != t)[:5].tolist() == [8, 33, 66, 92, 124]
    assert np.sum(p == t) / len(x) == 0.9352


# Seeded nets: exact values of the book's code; the losses go through np.dot over 784 inputs,
# so they are compared with rtol 1e-12 (BLAS may sum in another order).
@pytest.mark.parametrize("net_file, t_form, loss", [
    ("ch04/two_layer_net.py", "one-hot", 2.3047122656006844),
    ("ch05/two_layer_net.py", "one-hot", 2.304007112562981),
    ("ch05/two_layer_net.py", "labels", 2.304007112562981),
])
def test_seeded_two_layer_net(mnist, net_file, t_form, loss):
    x_train, t_train = mnist[0], mnist[1]
    x3, t3 = x_train[:3], t_train[:3]
    if t_form == "labels":
        t3 = np.argmax(t3, axis=1)
    np.random.seed(0)
    net = mod(net_file).TwoLayerNet(784, 50, 10)
    assert net.params["W1"][0, :3].tolist() == [0.017640523459676642, 0.004001572083672233, 0.009787379841057393]
    assert net.params["W2"][0, 0] == -0.015266704709224746
    assert net.loss(x3, t3) == pytest.approx(loss, rel=1e-12)


@pytest.mark.slow
@pytest.mark.parametrize("net_file, test_acc, train_acc", [
    ("ch05/two_layer_net.py", 0.9087, 0.9055833333333333),
    ("ch04/two_layer_net.py", 0.7952, 0.7861666666666667),
])
def test_seeded_training(mnist, net_file, test_acc, train_acc):
    """600 SGD steps (lr 0.1, batches of 100 by np.random.choice) from seed 0 (§15)."""
    x_train, t_train, x_test, t_test = mnist
    np.random.seed(0)
    net = mod(net_file).TwoLayerNet(784, 50, 10)
    for _ in range(600):
        batch_mask = np.random.choice(x_train.shape[0], 100)
        grads = net.gradient(x_train[batch_mask], t_train[batch_mask])
        for key in ("W1", "b1", "W2", "b2"):
            net.params[key] -= 0.1 * grads[key]
    assert net.accuracy(x_test, t_test) == test_acc
    assert net.accuracy(x_train, t_train) == train_acc
