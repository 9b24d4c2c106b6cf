"""Chapter 5 helpers run in the worker: build a ch5 TwoLayerNet without its ``__init__``.

The suites test each method of the student's ``TwoLayerNet`` on a net whose structure the judge
builds here (the book's 5.7.2 layout: params shared with ``Affine1``, ``Relu1``, ``Affine2`` and
``lastLayer``), so that a bug in ``__init__`` (tested on its own) does not cost the methods. The
layers are the student's own (``layers`` = their ``common/layers.py`` module) for end-to-end
tests, or the book's layers below for the isolated tests of one method; ``book`` replaces
``predict`` / ``loss`` on the instance by the book's two lines, so that e.g. ``gradient`` is
checked without the student's ``predict``. Nothing here is an answer: the judge compares the
results with the reference worker's.
"""
from __future__ import annotations

import types
from collections import OrderedDict

import numpy as np

PARAMS = ("W1", "b1", "W2", "b2")


def _softmax(x):
    x = x - np.max(x, axis=-1, keepdims=True)
    return np.exp(x) / np.sum(np.exp(x), axis=-1, keepdims=True)


def _cross_entropy_error(y, t):
    if y.ndim == 1:
        t = t.reshape(1, t.size)
        y = y.reshape(1, y.size)
    if t.size == y.size:
        t = t.argmax(axis=1)
    batch_size = y.shape[0]
    return -np.sum(np.log(y[np.arange(batch_size), t] + 1e-7)) / batch_size


class BookRelu:
    def __init__(self):
        self.mask = None

    def forward(self, x):
        self.mask = (x <= 0)
        out = x.copy()
        out[self.mask] = 0
        return out

    def backward(self, dout):
        dout = np.array(dout, copy=True)
        dout[self.mask] = 0
        return dout


class BookAffine:
    def __init__(self, W, b):
        self.W, self.b = W, b
        self.x = self.original_x_shape = self.dW = self.db = None

    def forward(self, x):
        self.original_x_shape = x.shape
        self.x = x.reshape(x.shape[0], -1)
        return np.dot(self.x, self.W) + self.b

    def backward(self, dout):
        dx = np.dot(dout, self.W.T)
        self.dW = np.dot(self.x.T, dout)
        self.db = np.sum(dout, axis=0)
        return dx.reshape(*self.original_x_shape)


class BookSoftmaxWithLoss:
    def __init__(self):
        self.loss = self.y = self.t = None

    def forward(self, x, t):
        self.t = t
        self.y = _softmax(x)
        self.loss = _cross_entropy_error(self.y, self.t)
        return self.loss

    def backward(self, dout=1):
        batch_size = self.t.shape[0]
        if self.t.size == self.y.size:
            return (self.y - self.t) / batch_size
        dx = self.y.copy()
        dx[np.arange(batch_size), self.t] -= 1
        return dx / batch_size


def _book_predict(self, x):
    for layer in self.layers.values():
        x = layer.forward(x)
    return x


def _book_loss(self, x, t):
    return self.lastLayer.forward(self.predict(x), t)


BOOK_METHODS = {"predict": _book_predict, "loss": _book_loss}


def two_layer_net(cls, params: dict, layers=None, book=()):
    """An instance of ``cls`` (the student's TwoLayerNet class) made without calling its
    ``__init__``: ``params`` (float64 copies of W1, b1, W2, b2), ``layers`` = OrderedDict
    Affine1, Relu1, Affine2 holding those very arrays, and ``lastLayer``, all built from the
    module ``layers`` (the student's common/layers.py) or from the book's layers above (None).
    ``book``: names among "predict", "loss" whose book version replaces the student's on this
    instance."""
    net = cls.__new__(cls)
    p = {k: np.array(params[k], dtype=np.float64) for k in PARAMS}
    if layers is None:
        affine, relu, last = BookAffine, BookRelu, BookSoftmaxWithLoss
    else:
        affine, relu, last = layers.Affine, layers.Relu, layers.SoftmaxWithLoss
    net.params = p
    net.layers = OrderedDict()
    net.layers["Affine1"] = affine(p["W1"], p["b1"])
    net.layers["Relu1"] = relu()
    net.layers["Affine2"] = affine(p["W2"], p["b2"])
    net.lastLayer = last()
    for name in book:
        setattr(net, name, types.MethodType(BOOK_METHODS[name], net))
    return net


def attribute_names(obj) -> list:
    """The names of ``obj``'s data attributes (to name a misspelt ``lastLayer``); methods set on
    the instance by ``two_layer_net(book=...)`` are left out."""
    return sorted(str(k) for k, v in vars(obj).items() if not callable(v))
