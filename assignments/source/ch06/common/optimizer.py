# coding: utf-8
"""Parameter update rules of the book's ``common/optimizer.py`` (section 6.1).

Every optimizer has ``update(params, grads)``: ``params`` and ``grads`` are dicts with the
same keys (``'W1'``, ``'b1'``, … or ``'x'``, ``'y'``) whose values are float64 ndarrays or
Python floats. Entries are updated by augmented assignment (``params[key] -= ...``), so the
arrays the layers share with ``params`` change in place. Optimizer state (v, h, m) is built
lazily at the first ``update`` as ``np.zeros_like`` of each parameter.
"""
import numpy as np


class SGD:
    """Stochastic gradient descent (6.1.2): W <- W - lr * dL/dW."""

    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        """params, grads: dicts of the same keys (ndarray or float); updates params in place."""
        raise NotImplementedError("ch06.SGD.update: for each key: params[key] -= self.lr * grads[key]")


class Momentum:
    """Momentum SGD (6.1.4): v <- momentum*v - lr*dL/dW; W <- W + v."""

    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.v = None

    def update(self, params, grads):
        """params, grads: dicts of the same keys (ndarray or float); updates params in place.

        self.v: dict of zeros_like(params[key]) built at the first call.
        """
        raise NotImplementedError("ch06.Momentum.update: v starts as zeros_like each param; v = momentum*v - lr*grad; params[key] += v")


class Nesterov:
    """Nesterov's Accelerated Gradient (http://arxiv.org/abs/1212.0901), 6.1.4."""

    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.v = None

    def update(self, params, grads):
        """params, grads: dicts of the same keys (ndarray or float); updates params in place.

        Per key: W += momentum² * v (the previous v); W -= (1 + momentum) * lr * grad;
        then v = momentum * v - lr * grad. self.v is built at the first call.
        """
        raise NotImplementedError("ch06.Nesterov.update: params += momentum² * v; params -= (1 + momentum) * lr * grad; then update v as Momentum")


class AdaGrad:
    """AdaGrad (6.1.5): h <- h + grad²; W <- W - lr * grad / (sqrt(h) + 1e-7)."""

    def __init__(self, lr=0.01):
        self.lr = lr
        self.h = None

    def update(self, params, grads):
        """params, grads: dicts of the same keys (ndarray or float); updates params in place.

        self.h: dict of zeros_like(params[key]) built at the first call.
        """
        raise NotImplementedError("ch06.AdaGrad.update: h += grad²; params[key] -= lr * grad / (sqrt(h) + 1e-7)")


class RMSprop:
    """RMSprop (6.1.5): AdaGrad whose h forgets the past at decay_rate."""

    def __init__(self, lr=0.01, decay_rate=0.99):
        self.lr = lr
        self.decay_rate = decay_rate
        self.h = None

    def update(self, params, grads):
        """params, grads: dicts of the same keys (ndarray or float); updates params in place.

        Per key: h = decay_rate*h + (1 - decay_rate)*grad²; W -= lr*grad/(sqrt(h) + 1e-7).
        """
        raise NotImplementedError("ch06.RMSprop.update: h = decay_rate*h + (1 - decay_rate)*grad²; params[key] -= lr * grad / (sqrt(h) + 1e-7)")


class Adam:
    """Adam (http://arxiv.org/abs/1412.6980v8), 6.1.6."""

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999):
        self.lr = lr
        self.beta1 = beta1
        self.beta2 = beta2
        self.iter = 0
        self.m = None
        self.v = None

    def update(self, params, grads):
        """params, grads: dicts of the same keys (ndarray or float); updates params in place.

        Once per call: iter += 1, lr_t = lr * sqrt(1 - beta2**iter) / (1 - beta1**iter).
        Per key: m += (1 - beta1)*(grad - m); v += (1 - beta2)*(grad² - v);
        W -= lr_t * m / (sqrt(v) + 1e-7). self.m, self.v are built at the first call.
        """
        raise NotImplementedError("ch06.Adam.update: iter += 1; lr_t = lr*sqrt(1 - beta2**iter)/(1 - beta1**iter); m += (1-beta1)(g-m); v += (1-beta2)(g²-v)")
