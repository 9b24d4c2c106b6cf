"""The reference solutions of chapters 6-7 against the contract: optimizers (§4), common/util.py
(§5), MultiLayerNet (§6), MultiLayerNetExtend (§7), Trainer (§8) and SimpleConvNet (§13).

Three kinds of check: the §15 oracles (exact outputs of the book's code), properties (shared
arrays updated in place, optimizer state kept between calls, layer order) and §16 gradient
checks on tiny float64 nets. MNIST tests read the data with ``grader.data.load_mnist`` and
need ``DLFS_DATA`` (the folder holding the four MNIST .gz files); they are skipped without it.
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from grader.worker.loader import load_module
from gradcheck import numerical_grad, rel_error

ROOT = Path(__file__).resolve().parents[1] / "solutions"
H = 1e-4  # the book's central-difference step

# ---- gradient-check bounds (norm relative error ‖a-b‖ / max(‖a‖, ‖b‖), §16) ------------------
# The fixtures below are asserted to have p_true ≥ 0.1 (softmax probability of the correct
# class, every sample) and no ReLU kink / max-pool tie within reach of a ±h step, so the only
# error left is the 1e-7 inside cross_entropy_error's log, which the analytic backward ignores:
# ≈ 1.2e-7 / p_true ≤ 1.2e-6 per parameter. Real bugs measure ≥ 4.5e-2.
# MultiLayerNet (relu/he, sigmoid/xavier, λ 0 / 0.1): measured ≤ 9.0e-7 on the seeds below,
# ≤ 1.4e-6 on every fixture-clean seed of 0-11; 2x margin over the worst.
MLN_TOL = 3e-6
# MultiLayerNetExtend, BatchNorm (± Dropout 0.3), λ = 0.1: BN's backward adds its own ~1e-7
# (its dx alone measured 3e-7, §16); measured ≤ 1.0e-6 on every fixture-clean seed of 0-11; 3x.
BN_TOL = 3e-6
# Biases right before a BatchNorm have true gradient 0 (BN removes the batch mean): analytic
# ≈ 1e-13, numerical ≈ 1e-12, so relative error reads 1.0. Absolute bound instead (§16).
ZERO_GRAD_ABS = 1e-8
# SimpleConvNet (3 filters 3x3 pad 1, hidden 7, 5 classes, std 0.1, biases ~N(0, 0.01)) on
# kink-free random-normal input: measured ≤ 6.4e-7 on every fixture-clean seed of 0-11 (1, 4, 9,
# 10, 11); 3x margin. Seeds whose fixture has a kink within ±h measured up to 0.1.
CNN_TOL = 2e-6


def mod(relpath):
    """Load ``solutions/relpath`` and make sure it is the reference file, not another tree's."""
    m = load_module(ROOT, relpath)
    assert Path(m.__file__).resolve() == (ROOT / relpath).resolve(), (
        f"{relpath} was already imported from {m.__file__}, not from {ROOT}")
    return m


@pytest.fixture(scope="module")
def O():
    return mod("common/optimizer.py")


@pytest.fixture(scope="module")
def U():
    return mod("common/util.py")


@pytest.fixture(scope="module")
def MLN():
    return mod("common/multi_layer_net.py").MultiLayerNet


@pytest.fixture(scope="module")
def MLNX():
    return mod("common/multi_layer_net_extend.py").MultiLayerNetExtend


@pytest.fixture(scope="module")
def Trainer():
    return mod("common/trainer.py").Trainer


@pytest.fixture(scope="module")
def CNN():
    return mod("ch07/simple_convnet.py").SimpleConvNet


@pytest.fixture(scope="module")
def mnist():
    """((x_train, t_train), (x_test, t_test)): float32 (N, 784) in [0, 1], uint8 labels."""
    if not os.environ.get("DLFS_DATA"):
        pytest.skip("set DLFS_DATA to the folder holding the four MNIST .gz files")
    from grader.data import load_mnist
    return load_mnist(normalize=True, flatten=True, one_hot_label=False)


def one_hot(t, k):
    out = np.zeros((t.size, k))
    out[np.arange(t.size), t] = 1
    return out


# ---- §4 optimizers ---------------------------------------------------------------------------

# f(x, y) = x²/20 + y² from (-7, 2); (class, kwargs, after 1 update, after 30 updates) — §15.
OPTIMIZER_ORACLES = [
    ("SGD", {"lr": 0.95}, (-6.335, -1.7999999999999998),
     (-0.3503929957523197, 0.0847823165504322)),
    ("Momentum", {"lr": 0.1}, (-6.93, 1.6), (0.896413858493733, 0.08808560171506971)),
    ("Nesterov", {"lr": 0.1}, (-6.867, 1.24), (0.6896149016966209, -0.0006799058361171969)),
    ("AdaGrad", {"lr": 1.5}, (-5.500000214285683, 0.5000000374999991),
     (-0.12016232231416045, 2.486389893984459e-17)),
    ("RMSprop", {"lr": 0.1}, (-6.000001428569388, 1.000000249999938),
     (-0.6974203096807907, 1.4834621508315574e-08)),
    ("Adam", {"lr": 0.3}, (-6.700001355255732, 1.700000237170637),
     (0.13600685239498186, 0.31824537553721943)),
]
OPTIMIZER_IDS = [o[0] for o in OPTIMIZER_ORACLES]


def run_quadratic(opt, form, steps):
    """Trajectory of f = x²/20 + y² from (-7, 2): params as two floats or as one array."""
    if form == "floats":
        params = {"x": -7.0, "y": 2.0}
        grads_of = lambda p: {"x": p["x"] / 10.0, "y": 2.0 * p["y"]}
        point = lambda p: (float(p["x"]), float(p["y"]))
    else:
        params = {"xy": np.array([-7.0, 2.0])}
        grads_of = lambda p: {"xy": np.array([p["xy"][0] / 10.0, 2.0 * p["xy"][1]])}
        point = lambda p: tuple(float(v) for v in p["xy"])
    path = []
    for _ in range(steps):
        opt.update(params, grads_of(params))
        path.append(point(params))
    return path, params


@pytest.mark.parametrize("form", ["floats", "array"])
@pytest.mark.parametrize("name, kwargs, after1, after30", OPTIMIZER_ORACLES, ids=OPTIMIZER_IDS)
def test_optimizer_quadratic_oracle(O, name, kwargs, after1, after30, form):
    # 30 updates of one instance: the state (v, h, m, iter) must carry over between calls.
    path, _ = run_quadratic(getattr(O, name)(**kwargs), form, 30)
    np.testing.assert_allclose(path[0], after1, rtol=1e-12, err_msg=f"{name}: after 1 update")
    np.testing.assert_allclose(path[29], after30, rtol=1e-10, atol=1e-25,
                               err_msg=f"{name}: after 30 updates")


@pytest.mark.parametrize("name", OPTIMIZER_IDS)
def test_optimizer_defaults(O, name):
    defaults = {"SGD": {"lr": 0.01}, "Momentum": {"lr": 0.01, "momentum": 0.9},
                "Nesterov": {"lr": 0.01, "momentum": 0.9}, "AdaGrad": {"lr": 0.01},
                "RMSprop": {"lr": 0.01, "decay_rate": 0.99},
                "Adam": {"lr": 0.001, "beta1": 0.9, "beta2": 0.999, "iter": 0}}[name]
    opt = getattr(O, name)()
    for attr, value in defaults.items():
        assert getattr(opt, attr) == value, f"{name}.{attr}"


@pytest.mark.parametrize("name, kwargs", [(o[0], o[1]) for o in OPTIMIZER_ORACLES], ids=OPTIMIZER_IDS)
def test_optimizer_updates_arrays_in_place(O, name, kwargs):
    rng = np.random.default_rng(0)
    params = {"W1": rng.standard_normal((3, 4)), "b1": rng.standard_normal(4)}
    arrays = {k: v for k, v in params.items()}
    before = {k: v.copy() for k, v in params.items()}
    opt = getattr(O, name)(**kwargs)
    for _ in range(3):
        opt.update(params, {k: rng.standard_normal(v.shape) for k, v in params.items()})
    for k in params:
        assert params[k] is arrays[k], f"{name}.update rebound params[{k!r}] (use -= / +=)"
        assert not np.allclose(params[k], before[k]), f"{name}.update left params[{k!r}] unchanged"


@pytest.mark.parametrize("name, kwargs", [(o[0], o[1]) for o in OPTIMIZER_ORACLES], ids=OPTIMIZER_IDS)
def test_optimizer_moves_the_layers_of_a_net(O, MLN, name, kwargs):
    # The net's Affine layers hold the very arrays of params: an update must reach them.
    np.random.seed(0)
    net = MLN(6, [5, 4], 3)
    rng = np.random.default_rng(1)
    x, t = rng.standard_normal((4, 6)), np.array([0, 2, 1, 1])
    before = net.predict(x).copy()
    opt = getattr(O, name)(**kwargs)
    for _ in range(2):
        opt.update(net.params, net.gradient(x, t))
    for i in (1, 2, 3):
        assert net.layers[f"Affine{i}"].W is net.params[f"W{i}"], f"{name}: Affine{i}.W is not params['W{i}']"
        assert net.layers[f"Affine{i}"].b is net.params[f"b{i}"], f"{name}: Affine{i}.b is not params['b{i}']"
    assert not np.allclose(net.predict(x), before), f"{name}: the net's predictions did not change"


# ---- §5 common/util.py -----------------------------------------------------------------------

def test_im2col_oracles(U):
    col = U.im2col(np.arange(16).reshape(1, 1, 4, 4), 2, 2, stride=2)
    assert col.dtype == np.float64
    np.testing.assert_array_equal(col, [[0, 1, 4, 5], [2, 3, 6, 7], [8, 9, 12, 13], [10, 11, 14, 15]])
    col = U.im2col(np.arange(18).reshape(1, 2, 3, 3), 2, 2)
    assert col.shape == (4, 8)
    np.testing.assert_array_equal(col[0], [0, 1, 3, 4, 9, 10, 12, 13])
    col = U.im2col(np.arange(9).reshape(1, 1, 3, 3), 3, 3, pad=1)
    assert col.shape == (9, 9)
    np.testing.assert_array_equal(col[0], [0, 0, 0, 0, 0, 1, 0, 3, 4])
    np.testing.assert_array_equal(col[4], np.arange(9))


def test_im2col_row_and_column_order(U):
    # rows (n, oh, ow), columns (c, fh, fw), against a direct loop; N, C, H, W all different.
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 3, 5, 4))
    fh, fw, stride, pad = 3, 2, 2, 1
    col = U.im2col(x, fh, fw, stride, pad)
    xp = np.pad(x, [(0, 0), (0, 0), (pad, pad), (pad, pad)])
    oh, ow = (5 + 2 * pad - fh) // stride + 1, (4 + 2 * pad - fw) // stride + 1
    expected = [xp[n, :, i * stride:i * stride + fh, j * stride:j * stride + fw].ravel()
                for n in range(2) for i in range(oh) for j in range(ow)]
    np.testing.assert_array_equal(col, expected)


def test_col2im_oracle(U):
    img = U.col2im(U.im2col(np.ones((1, 1, 4, 4)), 3, 3), (1, 1, 4, 4), 3, 3)
    np.testing.assert_array_equal(img, [[[[1, 2, 2, 1], [2, 4, 4, 2], [2, 4, 4, 2], [1, 2, 2, 1]]]])


@pytest.mark.parametrize("fh, fw, stride, pad", [(3, 3, 1, 0), (3, 2, 2, 1), (2, 2, 2, 0), (3, 3, 1, 2)])
def test_col2im_is_the_adjoint_of_im2col(U, fh, fw, stride, pad):
    # <im2col(x), c> == <x, col2im(c)> for every x, c: overlaps summed, padding cropped.
    rng = np.random.default_rng(1)
    shape = (2, 3, 6, 5)
    x = rng.standard_normal(shape)
    col = U.im2col(x, fh, fw, stride, pad)
    c = rng.standard_normal(col.shape)
    img = U.col2im(c, shape, fh, fw, stride, pad)
    assert img.shape == shape
    np.testing.assert_allclose(np.sum(col * c), np.sum(x * img), rtol=1e-12)


def test_smooth_curve(U):
    y = U.smooth_curve(np.array([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9], dtype=float))
    assert len(y) == 15
    np.testing.assert_allclose([y[0], y[7], y[14]],
                               [3.3029475055758026, 5.068380626039386, 7.572487353091052], rtol=1e-12)
    np.testing.assert_allclose(U.smooth_curve(np.full(20, 2.5)), np.full(20, 2.5), rtol=1e-12)


def test_conv_output_size(U):
    assert U.conv_output_size(28, 5) == 24.0
    assert U.conv_output_size(7, 3, 2, 1) == 4.0
    assert U.conv_output_size(6, 3, 2) == 2.5  # true division, not floored


def test_shuffle_dataset(U):
    np.random.seed(0)
    x, t = U.shuffle_dataset(np.arange(12).reshape(6, 2), np.arange(6))
    assert t.tolist() == [5, 2, 1, 3, 0, 4]
    np.testing.assert_array_equal(x, np.arange(12).reshape(6, 2)[[5, 2, 1, 3, 0, 4]])
    x4 = np.arange(6 * 8).reshape(6, 2, 2, 2)
    np.random.seed(0)
    y4, t4 = U.shuffle_dataset(x4, np.arange(6))
    np.testing.assert_array_equal(y4, x4[t4])


# ---- §6/§7 structure -------------------------------------------------------------------------

@pytest.mark.parametrize("init, stds", [
    ("relu", [np.sqrt(2 / 784), np.sqrt(2 / 300), np.sqrt(2 / 200)]),
    ("He", [np.sqrt(2 / 784), np.sqrt(2 / 300), np.sqrt(2 / 200)]),
    ("sigmoid", [np.sqrt(1 / 784), np.sqrt(1 / 300), np.sqrt(1 / 200)]),
    ("xavier", [np.sqrt(1 / 784), np.sqrt(1 / 300), np.sqrt(1 / 200)]),
    (0.01, [0.01, 0.01, 0.01]),
])
@pytest.mark.parametrize("net_name", ["MLN", "MLNX"])
def test_weight_init_draws(request, net_name, init, stds):
    Net = request.getfixturevalue(net_name)
    np.random.seed(3)
    net = Net(784, [300, 200], 10, weight_init_std=init)
    np.random.seed(3)
    sizes = [784, 300, 200, 10]
    for i in range(1, 4):  # W1, W2, W3 drawn in order, biases zeros
        expected = stds[i - 1] * np.random.randn(sizes[i - 1], sizes[i])
        np.testing.assert_allclose(net.params[f"W{i}"], expected, rtol=1e-12, err_msg=f"W{i}")
        np.testing.assert_array_equal(net.params[f"b{i}"], np.zeros(sizes[i]))


def test_multi_layer_net_layers(MLN):
    net = MLN(6, [5, 4], 3, activation="sigmoid")
    assert list(net.layers) == ["Affine1", "Activation_function1", "Affine2", "Activation_function2", "Affine3"]
    assert type(net.layers["Activation_function1"]).__name__ == "Sigmoid"
    assert type(net.last_layer).__name__ == "SoftmaxWithLoss"
    assert (net.input_size, net.output_size, net.hidden_layer_num) == (6, 3, 2)
    assert sorted(net.params) == ["W1", "W2", "W3", "b1", "b2", "b3"]
    for i in (1, 2, 3):
        assert net.layers[f"Affine{i}"].W is net.params[f"W{i}"]


def test_multi_layer_net_extend_layers(MLNX):
    net = MLNX(6, [5, 4], 3, use_dropout=True, dropout_ration=0.3, use_batchnorm=True)
    assert list(net.layers) == ["Affine1", "BatchNorm1", "Activation_function1", "Dropout1",
                                "Affine2", "BatchNorm2", "Activation_function2", "Dropout2", "Affine3"]
    assert net.layers["Dropout1"].dropout_ratio == 0.3
    assert net.use_dropout and net.use_batchnorm
    for i, n in ((1, 5), (2, 4)):
        np.testing.assert_array_equal(net.params[f"gamma{i}"], np.ones(n))
        np.testing.assert_array_equal(net.params[f"beta{i}"], np.zeros(n))
        assert net.layers[f"BatchNorm{i}"].gamma is net.params[f"gamma{i}"]
        assert net.layers[f"BatchNorm{i}"].beta is net.params[f"beta{i}"]
    plain = MLNX(6, [5, 4], 3)
    assert list(plain.layers) == ["Affine1", "Activation_function1", "Affine2", "Activation_function2", "Affine3"]
    assert sorted(plain.params) == ["W1", "W2", "W3", "b1", "b2", "b3"]


def test_multi_layer_net_extend_train_flg(MLNX):
    # test mode is deterministic (Dropout scales by 1 - ratio, BN uses running stats);
    # train mode draws masks; accuracy runs in test mode.
    np.random.seed(0)
    net = MLNX(6, [5, 4], 3, use_dropout=True, dropout_ration=0.3)
    x, t = np.random.default_rng(0).standard_normal((4, 6)), np.array([0, 1, 2, 1])
    np.testing.assert_array_equal(net.predict(x), net.predict(x, train_flg=False))
    np.random.seed(1)
    a = net.predict(x, train_flg=True)
    np.random.seed(2)
    b = net.predict(x, train_flg=True)
    assert not np.allclose(a, b), "predict(train_flg=True) must pass the flag to Dropout"
    y = net.predict(x)
    assert net.accuracy(x, t) == np.mean(np.argmax(y, axis=1) == t)
    np.random.seed(0)
    fresh = MLNX(6, [5, 4], 3, use_dropout=True, dropout_ration=0.3)
    g = fresh.gradient(x, t)
    assert fresh.layers["Dropout1"].mask is not None, "gradient must run the forward with train_flg=True"
    assert sorted(g) == ["W1", "W2", "W3", "b1", "b2", "b3"]


def test_multi_layer_net_loss_label_forms_and_decay(MLN):
    np.random.seed(0)
    net = MLN(6, [5, 4], 3, weight_decay_lambda=0.1)
    x, t = np.random.default_rng(0).standard_normal((4, 6)), np.array([0, 2, 1, 1])
    decay = sum(0.5 * 0.1 * np.sum(net.params[f"W{i}"] ** 2) for i in (1, 2, 3))
    assert net.loss(x, t) == pytest.approx(net.last_layer.forward(net.predict(x), t) + decay, rel=1e-12)
    assert net.loss(x, one_hot(t, 3)) == pytest.approx(net.loss(x, t), rel=1e-12)
    g, g1 = net.gradient(x, t), net.gradient(x, one_hot(t, 3))
    for k in g:
        np.testing.assert_allclose(g[k], g1[k], rtol=1e-12, err_msg=k)
    assert net.accuracy(x, t) == net.accuracy(x, one_hot(t, 3))


# ---- §15 seeded nets on MNIST ----------------------------------------------------------------

@pytest.mark.parametrize("kwargs, w00, loss", [
    ({}, 0.08909809830012662, 2.6155416125485913),
    ({"weight_decay_lambda": 0.1}, 0.08909809830012662, 23.530622384307193),
    ({"activation": "sigmoid", "weight_init_std": "xavier"}, 0.06300186949884513, 2.497268799993022),
])
def test_seeded_multi_layer_net(MLN, mnist, kwargs, w00, loss):
    x3, l3 = mnist[0][0][:3], mnist[0][1][:3]
    np.random.seed(0)
    net = MLN(784, [100, 100], 10, **kwargs)
    assert net.params["W1"][0, 0] == pytest.approx(w00, rel=1e-12)
    assert net.loss(x3, l3) == pytest.approx(loss, rel=1e-10)
    assert net.loss(x3, one_hot(l3, 10)) == pytest.approx(loss, rel=1e-10)


@pytest.mark.parametrize("kwargs, train_flg, loss", [
    ({"use_batchnorm": True}, True, 3.107623038636449),
    ({"use_dropout": True, "dropout_ration": 0.2}, False, 2.4830963056374107),
])
def test_seeded_multi_layer_net_extend(MLNX, mnist, kwargs, train_flg, loss):
    x3, l3 = mnist[0][0][:3], mnist[0][1][:3]
    np.random.seed(0)
    net = MLNX(784, [100, 100], 10, **kwargs)
    assert net.loss(x3, l3, train_flg=train_flg) == pytest.approx(loss, rel=1e-10)


def test_seeded_simple_convnet(CNN, mnist):
    x3, l3 = mnist[0][0][:3].reshape(3, 1, 28, 28), mnist[0][1][:3]
    np.random.seed(0)
    net = CNN()
    assert net.params["W1"].shape == (30, 1, 5, 5)
    assert net.params["W2"].shape == (4320, 100)
    assert net.params["W3"].shape == (100, 10)
    assert net.loss(x3, l3) == pytest.approx(2.302280715886352, rel=1e-10)
    assert list(net.layers) == ["Conv1", "Relu1", "Pool1", "Affine1", "Relu2", "Affine2"]
    for layer, i in (("Conv1", 1), ("Affine1", 2), ("Affine2", 3)):
        assert net.layers[layer].W is net.params[f"W{i}"] and net.layers[layer].b is net.params[f"b{i}"]


# ---- §8 Trainer on MNIST ---------------------------------------------------------------------

def test_trainer_multi_layer_net_sgd(MLN, Trainer, mnist):
    (x, t), (xt, tt) = mnist
    np.random.seed(0)
    net = MLN(784, [50], 10)
    trainer = Trainer(net, x[:1000], t[:1000], xt[:1000], tt[:1000], epochs=3, mini_batch_size=100,
                      optimizer="sgd", optimizer_param={"lr": 0.1}, verbose=False)
    trainer.train()
    assert trainer.train_acc_list == pytest.approx([0.119, 0.632, 0.79], abs=1e-12)
    assert trainer.test_acc_list == pytest.approx([0.138, 0.56, 0.694], abs=1e-12)
    assert len(trainer.train_loss_list) == 30
    assert trainer.train_loss_list[-1] == pytest.approx(0.6278561805453066, rel=1e-10)
    assert net.accuracy(xt[:1000], tt[:1000]) == pytest.approx(0.691, abs=1e-12)


def test_trainer_partial_epoch_adam(MLN, Trainer, mnist):
    (x, t), (xt, tt) = mnist
    np.random.seed(0)
    trainer = Trainer(MLN(784, [50], 10), x[:1050], t[:1050], xt[:1000], tt[:1000], epochs=3,
                      mini_batch_size=100, optimizer="adam", optimizer_param={"lr": 0.001}, verbose=False)
    assert trainer.iter_per_epoch == 10.5 and trainer.max_iter == 31 and trainer.batch_size == 100
    trainer.train()
    assert len(trainer.train_loss_list) == 31
    assert len(trainer.train_acc_list) == len(trainer.test_acc_list) == 2  # iters 0 and 21 only


def test_trainer_simple_convnet_adam(CNN, Trainer, mnist):
    # ≈ 5 s.
    (x, t), (xt, tt) = mnist
    x, xt = x[:1000].reshape(-1, 1, 28, 28), xt[:1000].reshape(-1, 1, 28, 28)
    np.random.seed(0)
    net = CNN()
    trainer = Trainer(net, x, t[:1000], xt, tt[:1000], epochs=2, optimizer="Adam",
                      optimizer_param={"lr": 0.001}, evaluate_sample_num_per_epoch=500, verbose=False)
    trainer.train()
    assert trainer.train_acc_list == pytest.approx([0.268, 0.228], abs=1e-12)
    assert trainer.test_acc_list == pytest.approx([0.232, 0.234], abs=1e-12)
    assert net.accuracy(xt, tt[:1000]) == pytest.approx(0.467, abs=1e-12)


@pytest.mark.parametrize("name", ["SGD", "momentum", "Nesterov", "adagrad", "RMSprop", "ADAM"])
def test_trainer_optimizer_names_and_verbose(O, MLN, Trainer, capsys, name):
    rng = np.random.default_rng(0)
    x, t = rng.standard_normal((20, 6)), rng.integers(0, 3, 20)
    np.random.seed(0)
    trainer = Trainer(MLN(6, [5], 3), x, t, x[:10], t[:10], epochs=2, mini_batch_size=10,
                      optimizer=name, optimizer_param={"lr": 0.01})
    assert type(trainer.optimizer) is {"sgd": O.SGD, "momentum": O.Momentum, "nesterov": O.Nesterov,
                                       "adagrad": O.AdaGrad, "rmsprop": O.RMSprop, "adam": O.Adam}[name.lower()]
    trainer.train()
    out = capsys.readouterr().out.splitlines()
    assert sum(line.startswith("train loss:") for line in out) == 4
    assert out[1].startswith("=== epoch:1, train acc:") and ", test acc:" in out[1]
    assert out[-2:] == ["=============== Final Test Accuracy ===============",
                        "test acc:" + str(trainer.network.accuracy(x[:10], t[:10]))]


# ---- §13 SimpleConvNet: accuracy, save/load --------------------------------------------------

def test_simple_convnet_accuracy_and_params_file(CNN, tmp_path):
    rng = np.random.default_rng(0)
    conv = {"filter_num": 3, "filter_size": 3, "pad": 1, "stride": 1}
    np.random.seed(0)
    net = CNN(input_dim=(1, 8, 8), conv_param=conv, hidden_size=7, output_size=5, weight_init_std=0.1)
    assert net.params["W2"].shape == (3 * 4 * 4, 7)
    x, t = rng.standard_normal((6, 1, 8, 8)), rng.integers(0, 5, 6)
    hits = np.sum(np.argmax(net.predict(x), axis=1) == t)
    assert net.accuracy(x, t, batch_size=3) == pytest.approx(hits / 6)
    assert net.accuracy(x, one_hot(t, 5), batch_size=2) == pytest.approx(hits / 6)
    scores = net.predict(x)
    file_name = str(tmp_path / "params.pkl")
    net.save_params(file_name)
    np.random.seed(1)
    other = CNN(input_dim=(1, 8, 8), conv_param=conv, hidden_size=7, output_size=5, weight_init_std=0.1)
    other.load_params(file_name)
    np.testing.assert_array_equal(other.predict(x), scores)
    for layer, i in (("Conv1", 1), ("Affine1", 2), ("Affine2", 3)):
        assert other.layers[layer].W is other.params[f"W{i}"]


# ---- §16 gradient checks ---------------------------------------------------------------------

def p_true(scores, t):
    """Smallest softmax probability of the correct class over the batch."""
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    return float((e / e.sum(axis=1, keepdims=True))[np.arange(len(t)), t].min())


def check_gradients(net, loss, grads, tol, zero_keys=()):
    """Compare grads (analytic) with the central difference of loss() for every param."""
    assert sorted(grads) == sorted(net.params), f"gradient keys {sorted(grads)} ≠ params keys {sorted(net.params)}"
    for key, param in net.params.items():
        assert grads[key].shape == param.shape, f"grads[{key!r}] is {grads[key].shape}, params is {param.shape}"
    failures = []
    for key, param in net.params.items():
        num = numerical_grad(lambda _: loss(), param)
        if key in zero_keys:
            err = float(np.abs(grads[key] - num).max())
            if err > ZERO_GRAD_ABS or np.abs(grads[key]).max() > ZERO_GRAD_ABS:
                failures.append(f"{key}: true gradient 0, max |analytic - numerical| = {err:.2e}")
        else:
            err = rel_error(grads[key], num)
            if err > tol:
                failures.append(f"{key}: norm relative error {err:.2e} > {tol:.0e}")
    assert not failures, "; ".join(failures)


def relu_margin(a, reach):
    assert np.abs(a).min() > reach, f"fixture has a ReLU kink within ±h: min |a| = {np.abs(a).min():.1e}"


@pytest.mark.parametrize("lam", [0, 0.1])
@pytest.mark.parametrize("activation, init", [("relu", "he"), ("sigmoid", "xavier")])
@pytest.mark.parametrize("seed", [1, 2, 6])
def test_multi_layer_net_gradient(MLN, seed, activation, init, lam):
    rng = np.random.default_rng(seed)
    x, t = rng.standard_normal((3, 6)), np.array([2, 0, 1])
    np.random.seed(seed)
    net = MLN(6, [5, 4], 3, activation=activation, weight_init_std=init, weight_decay_lambda=lam)
    for k in ("b1", "b2", "b3"):
        net.params[k][...] = rng.normal(0, 0.1, net.params[k].shape)  # in place: shared with Affine
    assert p_true(net.predict(x), t) >= 0.1, "fixture: p_true < 0.1 raises the 1e-7 floor"
    if activation == "relu":
        # a ±h step on one weight moves a pre-activation by at most h·(largest input to it),
        # and a2 also through W2 (factor ≤ 2 here); keep every pre-activation beyond that
        a1 = x @ net.params["W1"] + net.params["b1"]
        z1 = np.maximum(a1, 0)
        relu_margin(a1, H * max(np.abs(x).max(), 1.0))
        relu_margin(z1 @ net.params["W2"] + net.params["b2"], 2 * H * max(np.abs(x).max(), z1.max(), 1.0))
    check_gradients(net, lambda: net.loss(x, t), net.gradient(x, t), MLN_TOL)


def test_multi_layer_net_numerical_gradient_method(MLN):
    # the provided numerical_gradient must perturb the shared arrays themselves
    rng = np.random.default_rng(2)
    x, t = rng.standard_normal((3, 6)), np.array([2, 0, 1])
    np.random.seed(2)
    net = MLN(6, [5], 3, activation="sigmoid", weight_init_std="xavier", weight_decay_lambda=0.1)
    g, n = net.gradient(x, t), net.numerical_gradient(x, t)
    for k in g:
        assert rel_error(g[k], n[k]) < MLN_TOL, k


def bn_net(MLNX, seed, rng, **kwargs):
    np.random.seed(seed)
    net = MLNX(6, [5, 4], 3, weight_decay_lambda=0.1, use_batchnorm=True, **kwargs)
    for k in ("gamma1", "gamma2"):  # gamma ≠ 1, beta ≠ 0, last bias ≠ 0 (in place)
        net.params[k][...] = rng.uniform(0.5, 1.5, net.params[k].shape)
    for k in ("beta1", "beta2", "b3"):
        net.params[k][...] = rng.normal(0, 0.1, net.params[k].shape)
    return net


@pytest.mark.parametrize("seed", [0, 1, 8])
def test_multi_layer_net_extend_batchnorm_gradient(MLNX, seed):
    rng = np.random.default_rng(seed)
    x, t = rng.standard_normal((5, 6)), np.array([2, 0, 1, 1, 0])
    net = bn_net(MLNX, seed, rng)
    assert p_true(net.predict(x, train_flg=True), t) >= 0.1, "fixture: p_true < 0.1"
    grads = net.gradient(x, t)
    assert sorted(grads) == sorted(net.params)
    check_gradients(net, lambda: net.loss(x, t, train_flg=True), grads, BN_TOL, zero_keys=("b1", "b2"))


@pytest.mark.parametrize("seed", [0, 1, 8])
def test_multi_layer_net_extend_batchnorm_dropout_gradient(MLNX, seed):
    rng = np.random.default_rng(seed)
    x, t = rng.standard_normal((5, 6)), np.array([2, 0, 1, 1, 0])
    net = bn_net(MLNX, seed, rng, use_dropout=True, dropout_ration=0.3)

    def loss():  # one Dropout mask for every loss call: re-seed before each (§16)
        np.random.seed(1234)
        return net.loss(x, t, train_flg=True)

    np.random.seed(1234)
    assert p_true(net.predict(x, train_flg=True), t) >= 0.1, "fixture: p_true < 0.1"
    np.random.seed(1234)
    grads = net.gradient(x, t)
    check_gradients(net, loss, grads, BN_TOL, zero_keys=("b1", "b2"))


def cnn_fixture(CNN, seed):
    """SimpleConvNet (1,12,12), 3 filters 3x3 pad 1, hidden 7, 5 classes, std 0.1, biases ~N(0, 0.01),
    on random-normal x (3,1,12,12); asserted free of ReLU kinks and max-pool ties within ±h."""
    rng = np.random.default_rng(seed)
    x, t = rng.standard_normal((3, 1, 12, 12)), np.array([4, 0, 2])
    np.random.seed(seed)
    net = CNN(input_dim=(1, 12, 12), conv_param={"filter_num": 3, "filter_size": 3, "pad": 1, "stride": 1},
              hidden_size=7, output_size=5, weight_init_std=0.1)
    for k in ("b1", "b2", "b3"):
        net.params[k][...] = rng.normal(0, 0.01, net.params[k].shape)
    # conv pre-activations computed directly (not by the code under test)
    win = np.lib.stride_tricks.sliding_window_view(np.pad(x, [(0, 0), (0, 0), (1, 1), (1, 1)]), (3, 3), axis=(2, 3))
    a = np.einsum("nchwij,fcij->nfhw", win, net.params["W1"]) + net.params["b1"][:, None, None]
    reach = H * max(np.abs(x).max(), 1.0)  # a ±h step on W1 or b1 moves a by at most this
    # Relu1 then Pool1 computes max(0, a1, a2, a3, a4) per 2x2 window: its kinks are where the
    # top two of {0, a1 … a4} meet, so they must stay more than 2·reach apart.
    win4 = a.reshape(3, 3, 6, 2, 6, 2).transpose(0, 1, 2, 4, 3, 5).reshape(3, 3, 6, 6, 4)
    top2 = np.sort(np.concatenate([win4, np.zeros(win4.shape[:-1] + (1,))], axis=-1), axis=-1)[..., -2:]
    gap = top2[..., 1] - top2[..., 0]
    assert gap.min() > 2 * reach, f"fixture has a ReLU kink or max-pool tie within ±h: gap {gap.min():.1e}"
    # Relu2: the hidden pre-activations move by ≤ reach·Σ|W2| (from W1) or h·max pooled (from W2)
    pooled = top2[..., 1].reshape(3, -1)
    hidden = pooled @ net.params["W2"] + net.params["b2"]
    relu_margin(hidden, reach * np.abs(net.params["W2"]).sum(axis=0).max() + H * max(pooled.max(), 1.0))
    assert p_true(net.predict(x), t) >= 0.1, "fixture: p_true < 0.1"
    return net, x, t


@pytest.mark.parametrize("seed", [1, 4, 9])
@pytest.mark.parametrize("t_form", ["labels", "one-hot"])
def test_simple_convnet_gradient(CNN, seed, t_form):
    net, x, t = cnn_fixture(CNN, seed)
    if t_form == "one-hot":
        t = one_hot(t, 5)
    check_gradients(net, lambda: net.loss(x, t), net.gradient(x, t), CNN_TOL)
