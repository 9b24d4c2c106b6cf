"""Chapter 7 loops and fixtures the judge runs in the worker (called as ``ch07.<name>``).

* ``layer_call`` / ``layer_backward_from_state``: call a student's Convolution / Pooling with
  the judge's own im2col / col2im swapped in for the duration of the call (``trusted_util``),
  so a bug in the student's im2col costs only ``ch07.im2col``. The backward tests also set the
  forward's cached state (x, col, col_W / x, arg_max) themselves instead of running the
  student's forward.
* ``build_convnet``: a SimpleConvNet object of the student's class whose params and layers are
  wired here, as the book's ``__init__`` does, from either the student's layer classes or the
  trusted layers below; so the tests of ``SimpleConvNet.gradient`` never depend on the
  student's ``__init__``.
* ``train_convnet``: the book's SGD loop on a net (mini-batches by ``np.random.choice``).

Everything here runs next to the student's code; the judge treats the results as the
student's answers and compares them with the reference's values or exact oracles.
"""
from __future__ import annotations

import contextlib
import sys
import types
from collections import OrderedDict

import numpy as np


# ---- the judge's own im2col / col2im (the book's algorithm, section 7.4.3) ------------------
def _im2col(input_data, filter_h, filter_w, stride=1, pad=0):
    N, C, H, W = input_data.shape
    out_h = (H + 2 * pad - filter_h) // stride + 1
    out_w = (W + 2 * pad - filter_w) // stride + 1
    img = np.pad(np.asarray(input_data, dtype=np.float64), [(0, 0), (0, 0), (pad, pad), (pad, pad)])
    col = np.zeros((N, C, filter_h, filter_w, out_h, out_w))
    for y in range(filter_h):
        for x in range(filter_w):
            col[:, :, y, x] = img[:, :, y:y + stride * out_h:stride, x:x + stride * out_w:stride]
    return col.transpose(0, 4, 5, 1, 2, 3).reshape(N * out_h * out_w, -1)


def _col2im(col, input_shape, filter_h, filter_w, stride=1, pad=0):
    N, C, H, W = input_shape
    out_h = (H + 2 * pad - filter_h) // stride + 1
    out_w = (W + 2 * pad - filter_w) // stride + 1
    col = np.asarray(col, dtype=np.float64).reshape(N, out_h, out_w, C, filter_h, filter_w)
    col = col.transpose(0, 3, 4, 5, 1, 2)
    img = np.zeros((N, C, H + 2 * pad + stride - 1, W + 2 * pad + stride - 1))
    for y in range(filter_h):
        for x in range(filter_w):
            img[:, :, y:y + stride * out_h:stride, x:x + stride * out_w:stride] += col[:, :, y, x]
    return img[:, :, pad:H + pad, pad:W + pad]


@contextlib.contextmanager
def _trusted_util(obj, on: bool = True):
    """im2col / col2im replaced by the judge's in the module of ``obj``'s class and in
    common.util, restored afterwards."""
    if not on:
        yield
        return
    targets = [sys.modules.get(type(obj).__module__), sys.modules.get("common.util")]
    saved = []
    for mod in targets:
        if mod is None:
            continue
        for name, fn in (("im2col", _im2col), ("col2im", _col2im)):
            saved.append((mod, name, mod.__dict__.get(name, _MISSING)))
            setattr(mod, name, fn)
    try:
        yield
    finally:
        for mod, name, old in reversed(saved):
            if old is _MISSING:
                mod.__dict__.pop(name, None)
            else:
                setattr(mod, name, old)


_MISSING = object()


def layer_call(layer, method: str, *args, trusted_util: bool = True, state=(), **kwargs) -> dict:
    """{"out": layer.<method>(*args), plus the attributes named in ``state``} (None if unset)."""
    with _trusted_util(layer, trusted_util):
        out = getattr(layer, method)(*args, **kwargs)
    result = {"out": out}
    for name in state:
        result[name] = getattr(layer, name, None)
    return result


def layer_backward_from_state(layer, state: dict, dout, grads=(), trusted_util: bool = True) -> dict:
    """Set the forward's cached attributes (``state``) on the layer, then dx = backward(dout);
    returns {"dx": dx, plus the gradient attributes named in ``grads``}."""
    for name, value in state.items():
        setattr(layer, name, value)
    with _trusted_util(layer, trusted_util):
        dx = layer.backward(np.array(dout))
    result = {"dx": dx}
    for name in grads:
        result[name] = getattr(layer, name, None)
    return result


# ---- trusted layers (the book's code) for wiring tests of a net's gradient --------------------
class _Relu:
    def __init__(self):
        self.mask = None

    def forward(self, x):
        self.mask = x <= 0
        out = x.copy()
        out[self.mask] = 0
        return out

    def backward(self, dout):
        dout = np.array(dout, dtype=np.float64)
        dout[self.mask] = 0
        return dout


class _Affine:
    def __init__(self, W, b):
        self.W, self.b = W, b
        self.x = self.original_x_shape = self.dW = self.db = None

    def forward(self, x):
        self.original_x_shape = x.shape
        self.x = x.reshape(x.shape[0], -1)
        return self.x @ self.W + self.b

    def backward(self, dout):
        dx = dout @ self.W.T
        self.dW = self.x.T @ dout
        self.db = np.sum(dout, axis=0)
        return dx.reshape(*self.original_x_shape)


class _SoftmaxWithLoss:
    def __init__(self):
        self.loss = self.y = self.t = None

    def forward(self, x, t):
        self.t = t
        e = np.exp(x - x.max(axis=-1, keepdims=True))
        self.y = e / e.sum(axis=-1, keepdims=True)
        y, n = self.y, self.y.shape[0]
        labels = t.argmax(axis=1) if t.size == y.size else t
        self.loss = -np.sum(np.log(y[np.arange(n), labels] + 1e-7)) / n
        return self.loss

    def backward(self, dout=1):
        n = self.t.shape[0]
        if self.t.size == self.y.size:
            return (self.y - self.t) / n
        dx = self.y.copy()
        dx[np.arange(n), self.t] -= 1
        return dx / n


class _Convolution:
    def __init__(self, W, b, stride=1, pad=0):
        self.W, self.b, self.stride, self.pad = W, b, stride, pad
        self.x = self.col = self.col_W = self.dW = self.db = None

    def forward(self, x):
        FN, C, FH, FW = self.W.shape
        N, C, H, W = x.shape
        out_h = 1 + (H + 2 * self.pad - FH) // self.stride
        out_w = 1 + (W + 2 * self.pad - FW) // self.stride
        self.x, self.col = x, _im2col(x, FH, FW, self.stride, self.pad)
        self.col_W = self.W.reshape(FN, -1).T
        out = self.col @ self.col_W + self.b
        return out.reshape(N, out_h, out_w, -1).transpose(0, 3, 1, 2)

    def backward(self, dout):
        FN, C, FH, FW = self.W.shape
        dout = dout.transpose(0, 2, 3, 1).reshape(-1, FN)
        self.db = np.sum(dout, axis=0)
        self.dW = (self.col.T @ dout).transpose(1, 0).reshape(FN, C, FH, FW)
        return _col2im(dout @ self.col_W.T, self.x.shape, FH, FW, self.stride, self.pad)


class _Pooling:
    def __init__(self, pool_h, pool_w, stride=2, pad=0):
        self.pool_h, self.pool_w, self.stride, self.pad = pool_h, pool_w, stride, pad
        self.x = self.arg_max = None

    def forward(self, x):
        N, C, H, W = x.shape
        out_h = int(1 + (H - self.pool_h) / self.stride)
        out_w = int(1 + (W - self.pool_w) / self.stride)
        col = _im2col(x, self.pool_h, self.pool_w, self.stride, self.pad)
        col = col.reshape(-1, self.pool_h * self.pool_w)
        self.x, self.arg_max = x, np.argmax(col, axis=1)
        return np.max(col, axis=1).reshape(N, out_h, out_w, C).transpose(0, 3, 1, 2)

    def backward(self, dout):
        dout = dout.transpose(0, 2, 3, 1)
        size = self.pool_h * self.pool_w
        dmax = np.zeros((dout.size, size))
        dmax[np.arange(self.arg_max.size), self.arg_max.flatten()] = dout.flatten()
        dcol = dmax.reshape(dout.shape[0] * dout.shape[1] * dout.shape[2], -1)
        return _col2im(dcol, self.x.shape, self.pool_h, self.pool_w, self.stride, self.pad)


_TRUSTED = {"Convolution": _Convolution, "Relu": _Relu, "Pooling": _Pooling, "Affine": _Affine,
            "SoftmaxWithLoss": _SoftmaxWithLoss}


def build_convnet(net_class, params: dict, conv_param: dict, layers_module=None):
    """A ``net_class`` object (the student's SimpleConvNet, its ``__init__`` not run) wired as
    the book's ``__init__`` does: ``params`` (copies of the given arrays) shared with Conv1,
    Affine1, Affine2; layers Conv1 Relu1 Pool1 Affine1 Relu2 Affine2; last_layer. The layer
    classes come from ``layers_module`` (the student's common/layers.py) or, when it is None,
    are the trusted ones above (and then the book's ``predict`` / ``loss`` are bound to the
    instance too, so only the student's ``gradient`` runs)."""
    L = (lambda name: getattr(layers_module, name)) if layers_module is not None else _TRUSTED.get
    net = net_class.__new__(net_class)
    net.params = {k: np.array(v, dtype=np.float64) for k, v in params.items()}
    p = net.params
    net.layers = OrderedDict()
    net.layers["Conv1"] = L("Convolution")(p["W1"], p["b1"], conv_param["stride"], conv_param["pad"])
    net.layers["Relu1"] = L("Relu")()
    net.layers["Pool1"] = L("Pooling")(pool_h=2, pool_w=2, stride=2)
    net.layers["Affine1"] = L("Affine")(p["W2"], p["b2"])
    net.layers["Relu2"] = L("Relu")()
    net.layers["Affine2"] = L("Affine")(p["W3"], p["b3"])
    net.last_layer = L("SoftmaxWithLoss")()
    if layers_module is None:  # isolated: the book's predict / loss (provided code) on the instance
        net.predict = types.MethodType(_book_predict, net)
        net.loss = types.MethodType(_book_loss, net)
    return net


def _book_predict(self, x):
    for layer in self.layers.values():
        x = layer.forward(x)
    return x


def _book_loss(self, x, t):
    return self.last_layer.forward(self.predict(x), t)


def train_convnet(net, x_train, t_train, iters: int, batch_size: int, lr: float, seed: int) -> dict:
    """np.random.seed(seed), then ``iters`` × [batch = np.random.choice(N, batch_size);
    grads = net.gradient(x[batch], t[batch]); params[key] -= lr · grads[key]]; returns copies
    of the final params."""
    np.random.seed(seed)
    n = x_train.shape[0]
    for _ in range(iters):
        batch = np.random.choice(n, batch_size)
        grads = net.gradient(x_train[batch], t_train[batch])
        for key in ("W1", "b1", "W2", "b2", "W3", "b3"):
            net.params[key] -= lr * grads[key]
    return {k: np.array(v) for k, v in net.params.items()}
