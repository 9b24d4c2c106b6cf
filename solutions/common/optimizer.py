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
        ### BEGIN SOLUTION ch06.SGD.update
        for key in params.keys():
            params[key] -= self.lr * grads[key]
        ### END SOLUTION


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
        ### BEGIN SOLUTION ch06.Momentum.update
        if self.v is None:
            self.v = {}
            for key, val in params.items():
                self.v[key] = np.zeros_like(val)

        for key in params.keys():
            self.v[key] = self.momentum*self.v[key] - self.lr*grads[key]
            params[key] += self.v[key]
        ### END SOLUTION


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
        ### BEGIN SOLUTION ch06.Nesterov.update
        if self.v is None:
            self.v = {}
            for key, val in params.items():
                self.v[key] = np.zeros_like(val)

        for key in params.keys():
            params[key] += self.momentum * self.momentum * self.v[key]
            params[key] -= (1 + self.momentum) * self.lr * grads[key]
            self.v[key] *= self.momentum
            self.v[key] -= self.lr * grads[key]
        ### END SOLUTION


class AdaGrad:
    """AdaGrad (6.1.5): h <- h + grad²; W <- W - lr * grad / (sqrt(h) + 1e-7)."""

    def __init__(self, lr=0.01):
        self.lr = lr
        self.h = None

    def update(self, params, grads):
        """params, grads: dicts of the same keys (ndarray or float); updates params in place.

        self.h: dict of zeros_like(params[key]) built at the first call.
        """
        ### BEGIN SOLUTION ch06.AdaGrad.update
        if self.h is None:
            self.h = {}
            for key, val in params.items():
                self.h[key] = np.zeros_like(val)

        for key in params.keys():
            self.h[key] += grads[key] * grads[key]
            params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + 1e-7)
        ### END SOLUTION


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
        ### BEGIN SOLUTION ch06.RMSprop.update
        if self.h is None:
            self.h = {}
            for key, val in params.items():
                self.h[key] = np.zeros_like(val)

        for key in params.keys():
            self.h[key] *= self.decay_rate
            self.h[key] += (1 - self.decay_rate) * grads[key] * grads[key]
            params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + 1e-7)
        ### END SOLUTION


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
        ### BEGIN SOLUTION ch06.Adam.update
        if self.m is None:
            self.m, self.v = {}, {}
            for key, val in params.items():
                self.m[key] = np.zeros_like(val)
                self.v[key] = np.zeros_like(val)

        self.iter += 1
        lr_t = self.lr * np.sqrt(1.0 - self.beta2**self.iter) / (1.0 - self.beta1**self.iter)

        for key in params.keys():
            self.m[key] += (1 - self.beta1) * (grads[key] - self.m[key])
            self.v[key] += (1 - self.beta2) * (grads[key]**2 - self.v[key])

            params[key] -= lr_t * self.m[key] / (np.sqrt(self.v[key]) + 1e-7)
        ### END SOLUTION
