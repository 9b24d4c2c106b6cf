"""The inputs and driver of every exercise for ``dlfs compare`` (one entry per id of
grader/exercises.py; tests/test_study_compare.py checks the two lists are the same).

Inputs are made in the judge from a generator seeded by the exercise id, with the testing
rules' shapes: batch ≠ features ≠ outputs, non-zero biases, mixed signs.
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Callable

import numpy as np

from grader.study import drivers as d
from grader.study.drivers import Fn

F, G, U = "common/functions.py", "common/gradient.py", "common/util.py"
MLN, MLNX = "common/multi_layer_net.py", "common/multi_layer_net_extend.py"
N3, GM, N4 = "ch03/neuralnet_mnist.py", "ch04/gradient_method.py", "ch04/two_layer_net.py"
LN, N5, CNN = "ch05/layer_naive.py", "ch05/two_layer_net.py", "ch07/simple_convnet.py"
Inputs = Callable[[np.random.Generator], dict]


@dataclass(frozen=True)
class Probe:
    exercise: str
    kind: str  # function / layer forward / layer backward / optimizer update / net method
    run: d.Driver
    inputs: Inputs

    def make_inputs(self) -> dict:
        return self.inputs(np.random.default_rng(zlib.crc32(self.exercise.encode())))


# ---- input makers ------------------------------------------------------------------------
def _x(shape, scale=1.0, zeros=True):
    def make(rng):
        x = rng.normal(size=shape) * scale
        if zeros:
            x.flat[[1, x.size // 2]] = 0.0
        return {"x": x, "dout": rng.normal(size=shape)}
    return make


def _softmax_x(rng):
    x = rng.normal(size=(3, 5)) * 3
    x[0] += 1000.0  # the book's 3.5.2 overflow example, in a batch
    return {"x": x}


def _predict_x(rng):
    from grader.data import DataError, load_mnist, load_sample_weights

    try:
        (_, _), (x_test, _) = load_mnist(normalize=True, flatten=True)
        x = np.array(x_test[:3])
    except DataError:  # no MNIST here: images of noise work as well for looking
        x = rng.uniform(size=(3, 784)).astype(np.float32)
    return {"network": load_sample_weights(), "x": x}


def _y_t(rng):
    y = np.exp(rng.normal(size=(3, 5)))
    y /= y.sum(axis=1, keepdims=True)
    t = np.array([2, 0, 4])
    return {"y": y, "t": t, "t_onehot": np.eye(5)[t], "y1": y[0], "t1": np.eye(5)[2]}


def _params(shapes: dict, scale=0.5, offset: dict | None = None):
    def make(rng):
        p = {k: rng.normal(size=s) * scale for k, s in shapes.items()}
        for k, v in (offset or {}).items():
            p[k] = p[k] + v
        return p
    return make


def _net_inputs(shapes, x_shape, classes, onehot=False, offset=None):
    def make(rng):
        t = rng.integers(0, classes, size=x_shape[0])
        return {"params": _params(shapes, offset=offset)(rng), "x": rng.normal(size=x_shape),
                "t": np.eye(classes)[t] if onehot else t}
    return make


def _mul(rng):
    return {"x": rng.normal(size=(2, 3)), "y": rng.normal(size=(2, 3)), "dout": rng.normal(size=(2, 3))}


def _affine(rng):
    return {"W": rng.normal(size=(5, 4)), "b": rng.normal(size=4), "x": rng.normal(size=(3, 5)),
            "dout": rng.normal(size=(3, 4))}


def _softmax_loss(rng):
    return {"x": rng.normal(size=(3, 4)) * 2, "t": np.array([2, 0, 3])}


def _bn(rng):
    return {"gamma": 1 + 0.3 * rng.normal(size=4), "beta": rng.normal(size=4),
            "x": rng.normal(size=(5, 4)) * 2 + 1, "x2": rng.normal(size=(3, 4)),
            "dout": rng.normal(size=(5, 4))}


def _opt(rng):
    return {"params": {"W": rng.normal(size=(3, 4)), "b": rng.normal(size=4)},
            "grads": [{"W": rng.normal(size=(3, 4)), "b": rng.normal(size=4)} for _ in range(3)]}


def _conv(rng):
    return {"W": rng.normal(size=(2, 2, 3, 3)) * 0.3, "b": rng.normal(size=2),
            "x": rng.normal(size=(2, 2, 4, 4)), "dout": rng.normal(size=(2, 2, 4, 4))}


def _pool(rng):
    return {"x": rng.normal(size=(2, 2, 4, 4)), "dout": rng.normal(size=(2, 2, 2, 2))}


def _im2col(rng):
    return {"x": np.arange(32.0).reshape(1, 2, 4, 4), "col": rng.normal(size=(16, 18))}


NET4 = {"W1": (6, 5), "b1": (5,), "W2": (5, 4), "b2": (4,)}
MLN_SHAPES = {"W1": (6, 5), "b1": (5,), "W2": (5, 4), "b2": (4,), "W3": (4, 3), "b3": (3,)}
BN_SHAPES = dict(MLN_SHAPES, gamma1=(5,), beta1=(5,), gamma2=(4,), beta2=(4,))
CNN_KW = {"input_dim": (1, 8, 8), "conv_param": {"filter_num": 3, "filter_size": 3, "pad": 1, "stride": 1},
          "hidden_size": 7, "output_size": 5, "weight_init_std": 0.1}
CNN_SHAPES = {"W1": (3, 1, 3, 3), "b1": (3,), "W2": (48, 7), "b2": (7,), "W3": (7, 5), "b3": (5,)}
MLNX_KW = {"use_batchnorm": True, "use_dropout": True, "dropout_ration": 0.2,
           "weight_decay_lambda": 0.1}


# ---- drivers used several times ----------------------------------------------------------
def _fwd(cls, ctor=(), path=d.L, attrs=(), **kw):
    return d.layer(cls, ctor, (("out", "forward", ("x",), kw),) + tuple((a, "@" + a) for a in attrs), path)


def _bwd(cls, ctor=(), grads=(), path=d.L, fwd=("x",), kw=None, seed=None):
    steps = (("seed", seed),) if seed is not None else ()
    steps += ((None, "forward", fwd, kw or {}), ("dx", "backward", ("dout",), {}))
    return d.layer(cls, ctor, steps + tuple((g, "@" + g) for g in grads), path)


def _call(method, *args, **kw):
    return ((method, method, args, kw),)


def _fn(path, name, *args, alt=()):
    return d.function(path, (*alt, name), (("out", args),))


def _p(exercise, kind, run, inputs):
    return Probe(exercise, kind, run, inputs)


FUNC, FWD, BWD, OPT, NET = "function", "layer forward", "layer backward", "optimizer update", "net method"
_TLN4 = (N4, "TwoLayerNet", (6, 5, 4))
_TLN5 = (N5, "TwoLayerNet", (6, 5, 4))
_MLN = (MLN, "MultiLayerNet", (6, [5, 4], 3), {"weight_decay_lambda": 0.1})
_MLNX = (MLNX, "MultiLayerNetExtend", (6, [5, 4], 3), MLNX_KW)
_NET4_IN = _net_inputs(NET4, (3, 6), 4, onehot=True)
_NET5_IN = _net_inputs(NET4, (3, 6), 4)
_MLN_IN = _net_inputs(MLN_SHAPES, (3, 6), 3)
_MLNX_IN = _net_inputs(BN_SHAPES, (3, 6), 3, offset={"gamma1": 1.0, "gamma2": 1.0})
_CNN_IN = _net_inputs(CNN_SHAPES, (3, 1, 8, 8), 5)
_X35 = _x((3, 5), 2.0)


def _init_variants(path, cls, ctor, kw=None, inits=("relu", "sigmoid", 0.1)):
    return d.variants(*[(f"weight_init_std={w!r}", d.net(path, cls, ctor, dict(kw or {}, weight_init_std=w),
                                                         set_params=False, show=("params",)))
                        for w in inits])


PROBES: tuple[Probe, ...] = (
    # chapter 3
    _p("ch03.step_function", FUNC, _fn(F, "step_function", "x"), _X35),
    _p("ch03.sigmoid", FUNC, _fn(F, "sigmoid", "x"), _X35),
    _p("ch03.relu", FUNC, _fn(F, "relu", "x"), _X35),
    _p("ch03.identity_function", FUNC, _fn(F, "identity_function", "x"), _X35),
    _p("ch03.softmax", FUNC, _fn(F, "softmax", "x"), _softmax_x),
    _p("ch03.predict", FUNC, _fn(N3, "predict", "network", "x"), _predict_x),
    # chapter 4
    _p("ch04.mean_squared_error", FUNC,
       d.function(F, ("mean_squared_error", "sum_squared_error"), (("out", ("y", "t_onehot")),)), _y_t),
    _p("ch04.cross_entropy_error", FUNC,
       d.function(F, ("cross_entropy_error",), (("one-hot t", ("y", "t_onehot")), ("labels t", ("y", "t")),
                                               ("one sample", ("y1", "t1")))), _y_t),
    _p("ch04.numerical_diff", FUNC,
       d.function(GM, ("numerical_diff",), (("f'(5)", ("f", "x5")), ("f'(10)", ("f", "x10")))),
       lambda rng: {"f": Fn("function_1"), "x5": 5.0, "x10": 10.0}),
    _p("ch04.numerical_gradient", FUNC, _fn(G, "numerical_gradient", "f", "x"),
       lambda rng: {"f": Fn("sum_squares"), "x": rng.normal(size=(2, 3))}),
    _p("ch04.gradient_descent", FUNC, _fn(GM, "gradient_descent", "f", "init_x", "lr", "step_num"),
       lambda rng: {"f": Fn("sum_squares"), "init_x": np.array([-3.0, 4.0]), "lr": 0.1, "step_num": 20}),
    _p("ch04.TwoLayerNet.__init__", NET, d.net(*_TLN4, set_params=False, show=("params",)), _NET4_IN),
    _p("ch04.TwoLayerNet.predict", NET, d.net(*_TLN4, steps=_call("predict", "x")), _NET4_IN),
    _p("ch04.TwoLayerNet.loss", NET, d.net(*_TLN4, steps=_call("loss", "x", "t")), _NET4_IN),
    _p("ch04.TwoLayerNet.accuracy", NET, d.net(*_TLN4, steps=_call("accuracy", "x", "t")), _NET4_IN),
    _p("ch04.TwoLayerNet.numerical_gradient", NET,
       d.net(*_TLN4, steps=_call("numerical_gradient", "x", "t")), _NET4_IN),
    _p("ch04.TwoLayerNet.gradient", NET, d.net(*_TLN4, steps=_call("gradient", "x", "t")), _NET4_IN),
    # chapter 5
    _p("ch05.MulLayer.forward", FWD, d.layer("MulLayer", (), (("out", "forward", ("x", "y"), {}),), LN), _mul),
    _p("ch05.MulLayer.backward", BWD, _bwd("MulLayer", path=LN, fwd=("x", "y")), _mul),
    _p("ch05.AddLayer.forward", FWD, d.layer("AddLayer", (), (("out", "forward", ("x", "y"), {}),), LN), _mul),
    _p("ch05.AddLayer.backward", BWD, _bwd("AddLayer", path=LN, fwd=("x", "y")), _mul),
    _p("ch05.Relu.forward", FWD, _fwd("Relu", attrs=("mask",)), _X35),
    _p("ch05.Relu.backward", BWD, _bwd("Relu"), _X35),
    _p("ch05.Sigmoid.forward", FWD, _fwd("Sigmoid"), _X35),
    _p("ch05.Sigmoid.backward", BWD, _bwd("Sigmoid"), _X35),
    _p("ch05.Affine.forward", FWD, _fwd("Affine", ("W", "b")), _affine),
    _p("ch05.Affine.backward", BWD, _bwd("Affine", ("W", "b"), ("dW", "db")), _affine),
    _p("ch05.SoftmaxWithLoss.forward", FWD,
       d.layer("SoftmaxWithLoss", (), (("loss", "forward", ("x", "t"), {}), ("y", "@y"))), _softmax_loss),
    _p("ch05.SoftmaxWithLoss.backward", BWD,
       d.layer("SoftmaxWithLoss", (), ((None, "forward", ("x", "t"), {}), ("dx", "backward", (), {}))),
       _softmax_loss),
    _p("ch05.TwoLayerNet.__init__", NET, d.net(*_TLN5, set_params=False, show=("params", "layers")), _NET5_IN),
    _p("ch05.TwoLayerNet.predict", NET, d.net(*_TLN5, steps=_call("predict", "x")), _NET5_IN),
    _p("ch05.TwoLayerNet.loss", NET, d.net(*_TLN5, steps=_call("loss", "x", "t")), _NET5_IN),
    _p("ch05.TwoLayerNet.accuracy", NET, d.net(*_TLN5, steps=_call("accuracy", "x", "t")), _NET5_IN),
    _p("ch05.TwoLayerNet.gradient", NET, d.net(*_TLN5, steps=_call("gradient", "x", "t")), _NET5_IN),
    # chapter 6
    _p("ch06.SGD.update", OPT, d.optimizer("SGD", {"lr": 0.1}), _opt),
    _p("ch06.Momentum.update", OPT, d.optimizer("Momentum", {"lr": 0.1}), _opt),
    _p("ch06.Nesterov.update", OPT, d.optimizer("Nesterov", {"lr": 0.1}), _opt),
    _p("ch06.AdaGrad.update", OPT, d.optimizer("AdaGrad", {"lr": 0.1}), _opt),
    _p("ch06.RMSprop.update", OPT, d.optimizer("RMSprop", {"lr": 0.1}), _opt),
    _p("ch06.Adam.update", OPT, d.optimizer("Adam", {"lr": 0.1}), _opt),
    _p("ch06.MultiLayerNet.__init_weight", NET, _init_variants(MLN, "MultiLayerNet", (6, [5, 4], 3)), _MLN_IN),
    _p("ch06.MultiLayerNet.loss", NET, d.net(*_MLN, steps=_call("loss", "x", "t")), _MLN_IN),
    _p("ch06.MultiLayerNet.gradient", NET, d.net(*_MLN, steps=_call("gradient", "x", "t")), _MLN_IN),
    _p("ch06.BatchNormalization.forward", FWD,
       d.layer("BatchNormalization", ("gamma", "beta"),
               (("train out", "forward", ("x",), {"train_flg": True}), ("running_mean", "@running_mean"),
                ("running_var", "@running_var"), ("test out", "forward", ("x2",), {"train_flg": False}))), _bn),
    _p("ch06.BatchNormalization.backward", BWD, _bwd("BatchNormalization", ("gamma", "beta"), ("dgamma", "dbeta")),
       _bn),
    _p("ch06.Dropout.forward", FWD,
       d.layer("Dropout", (), (("seed", 7), ("train out", "forward", ("x",), {"train_flg": True}),
                               ("test out", "forward", ("x",), {"train_flg": False})), ctor_kwargs={"dropout_ratio": 0.3}),
       _X35),
    _p("ch06.Dropout.backward", BWD,
       d.layer("Dropout", (), (("seed", 7), (None, "forward", ("x",), {"train_flg": True}),
                               ("dx", "backward", ("dout",), {})), ctor_kwargs={"dropout_ratio": 0.3}), _X35),
    _p("ch06.MultiLayerNetExtend.__init__", NET,
       d.net(*_MLNX, set_params=False, show=("params", "layers")), _MLNX_IN),
    _p("ch06.MultiLayerNetExtend.predict", NET,
       d.net(*_MLNX, steps=(("test mode", "predict", ("x",), {"train_flg": False}), ("seed", 3),
                            ("train mode", "predict", ("x",), {"train_flg": True}))), _MLNX_IN),
    _p("ch06.MultiLayerNetExtend.gradient", NET,
       d.net(*_MLNX, steps=(("seed", 3),) + _call("gradient", "x", "t")), _MLNX_IN),
    # chapter 7
    _p("ch07.im2col", FUNC, d.function(U, ("im2col",), (("out", ("x", "f", "f", "s", "p")),)),
       lambda rng: dict(_im2col(rng), f=3, s=1, p=1)),
    _p("ch07.col2im", FUNC, d.function(U, ("col2im",), (("out", ("col", "shape", "f", "f", "s", "p")),)),
       lambda rng: dict(_im2col(rng), shape=(1, 2, 4, 4), f=3, s=1, p=1)),
    _p("ch07.Convolution.forward", FWD,
       d.layer("Convolution", ("W", "b"), (("out", "forward", ("x",), {}),), ctor_kwargs={"pad": 1}), _conv),
    _p("ch07.Convolution.backward", BWD,
       d.layer("Convolution", ("W", "b"), ((None, "forward", ("x",), {}), ("dx", "backward", ("dout",), {}),
                                           ("dW", "@dW"), ("db", "@db")), ctor_kwargs={"pad": 1}), _conv),
    _p("ch07.Pooling.forward", FWD, d.layer("Pooling", (), (("out", "forward", ("x",), {}),),
                                            ctor_kwargs={"pool_h": 2, "pool_w": 2, "stride": 2}), _pool),
    _p("ch07.Pooling.backward", BWD,
       d.layer("Pooling", (), ((None, "forward", ("x",), {}), ("dx", "backward", ("dout",), {})),
               ctor_kwargs={"pool_h": 2, "pool_w": 2, "stride": 2}), _pool),
    _p("ch07.SimpleConvNet.__init__", NET,
       d.net(CNN, "SimpleConvNet", (), CNN_KW, set_params=False, show=("params", "layers")), _CNN_IN),
    _p("ch07.SimpleConvNet.gradient", NET,
       d.net(CNN, "SimpleConvNet", (), CNN_KW, steps=_call("gradient", "x", "t")), _CNN_IN),
)

BY_ID: dict[str, Probe] = {p.exercise: p for p in PROBES}
