"""Layers with forward/backward (the book's ``common/layers.py``).

Chapter 5 (5.5 Relu/Sigmoid, 5.6 Affine/Softmax-with-Loss), chapter 6 (6.3.2 Batch
Normalization, 6.4.3 Dropout) and chapter 7 (7.4 Convolution/Pooling). ``backward(dout)``
returns dx shaped like the forward input and stores parameter gradients as attributes.
"""
import numpy as np
from common.functions import *
from common.util import im2col, col2im


class Relu:
    """ReLU layer (5.5.1); ``mask`` is the bool array (x <= 0) of the last forward."""

    def __init__(self):
        self.mask = None

    def forward(self, x):
        """x: ndarray (any shape) → a copy with the entries where x <= 0 set to 0."""
        raise NotImplementedError("ch05.Relu.forward: self.mask = (x <= 0); out = x.copy(); out[self.mask] = 0")

    def backward(self, dout):
        """dout: x's shape → dx: dout with the masked entries zeroed (in place; gradient 0 at x = 0)."""
        raise NotImplementedError("ch05.Relu.backward: dout[self.mask] = 0; return dout (gradient 0 where x <= 0)")


class Sigmoid:
    """Sigmoid layer (5.5.2); ``out`` is σ(x) of the last forward."""

    def __init__(self):
        self.out = None

    def forward(self, x):
        """x: ndarray (any shape) float → σ(x), same shape (stored in self.out)."""
        raise NotImplementedError("ch05.Sigmoid.forward: self.out = sigmoid(x); return self.out")

    def backward(self, dout):
        """dout: x's shape → dx = dout·(1 - out)·out, a new array."""
        raise NotImplementedError("ch05.Sigmoid.backward: return dout * (1.0 - self.out) * self.out")


class Affine:
    """Affine (fully connected) layer (5.6.2). W: (D, M), b: (M,), shared with the net's params."""

    def __init__(self, W, b):
        self.W = W
        self.b = b

        self.x = None
        self.original_x_shape = None
        # gradients of the weight and bias parameters
        self.dW = None
        self.db = None

    def forward(self, x):
        """x: (N, D) or (N, C, H, W) with C·H·W = D → (N, M) float64; stores x flattened to (N, D)."""
        raise NotImplementedError("ch05.Affine.forward: remember x.shape, flatten x to (N, -1), store it in self.x, return x·W + b")

    def backward(self, dout):
        """dout: (N, M) float64 → dx: (N, D) (or the original 4-D shape); sets self.dW (D, M), self.db (M,)."""
        raise NotImplementedError("ch05.Affine.backward: dx = dout·Wᵀ (reshaped back), self.dW = xᵀ·dout, self.db = sum of dout over axis 0")


class SoftmaxWithLoss:
    """Softmax followed by the cross-entropy error (5.6.3)."""

    def __init__(self):
        self.loss = None
        self.y = None  # output of softmax
        self.t = None  # teacher data

    def forward(self, x, t):
        """x: (N, C) scores; t: (N, C) one-hot or (N,) labels → float loss; stores t, y, loss."""
        raise NotImplementedError("ch05.SoftmaxWithLoss.forward: self.t = t; self.y = softmax(x); self.loss = cross_entropy_error(self.y, self.t)")

    def backward(self, dout=1):
        """dout: ignored (the loss is the last layer) → dx: (N, C) = (y - t) / N."""
        raise NotImplementedError("ch05.SoftmaxWithLoss.backward: (y - t) / batch_size for one-hot t; for labels subtract 1 at each row's label, then / N")


class Dropout:
    """Dropout (6.4.3), http://arxiv.org/abs/1207.0580; ``mask`` is the last training mask (bool)."""

    def __init__(self, dropout_ratio=0.5):
        self.dropout_ratio = dropout_ratio
        self.mask = None

    def forward(self, x, train_flg=True):
        """x: ndarray (any shape) → train: x·mask with mask = rand(*x.shape) > ratio (no rescaling);
        test: x·(1 - ratio)."""
        raise NotImplementedError("ch06.Dropout.forward: train: self.mask = rand(*x.shape) > ratio, return x * mask; test: return x * (1 - ratio)")

    def backward(self, dout):
        """dout: x's shape → dout·mask (the mask of the last training forward)."""
        raise NotImplementedError("ch06.Dropout.backward: return dout * self.mask")


class BatchNormalization:
    """Batch Normalization (6.3.2), http://arxiv.org/abs/1502.03167.

    gamma, beta: (D,) float64, where D is the number of features after flattening (C·H·W for
    a 4-D input: per feature, not per channel). running_mean/running_var: (D,) or None
    (zeros on the first forward).
    """

    def __init__(self, gamma, beta, momentum=0.9, running_mean=None, running_var=None):
        self.gamma = gamma
        self.beta = beta
        self.momentum = momentum
        self.input_shape = None  # 4-D for a Conv layer, 2-D for a fully connected one

        # mean and variance used at test time
        self.running_mean = running_mean
        self.running_var = running_var

        # intermediate data used by backward
        self.batch_size = None
        self.xc = None
        self.xn = None
        self.std = None
        self.dgamma = None
        self.dbeta = None

    def forward(self, x, train_flg=True):
        """x: (N, D) or (N, C, H, W) → out of x's shape (4-D x is flattened to (N, C·H·W))."""
        self.input_shape = x.shape
        if x.ndim != 2:
            N, C, H, W = x.shape
            x = x.reshape(N, -1)

        out = self.__forward(x, train_flg)

        return out.reshape(*self.input_shape)

    def __forward(self, x, train_flg):
        """x: (N, D) float → (N, D) gamma·xn + beta; train mode also updates the running stats."""
        raise NotImplementedError("ch06.BatchNormalization.forward: train: normalise with batch mean/var (+10e-7), update running stats; test: use running stats")

    def backward(self, dout):
        """dout: (N, D) or (N, C, H, W) → dx of the input's shape; sets self.dgamma, self.dbeta (D,)."""
        if dout.ndim != 2:
            N, C, H, W = dout.shape
            dout = dout.reshape(N, -1)

        dx = self.__backward(dout)

        dx = dx.reshape(*self.input_shape)
        return dx

    def __backward(self, dout):
        """dout: (N, D) → dx: (N, D), back through xn = xc / std; sets self.dgamma, self.dbeta."""
        raise NotImplementedError("ch06.BatchNormalization.backward: dbeta = sum(dout), dgamma = sum(xn*dout), then back through xn = xc/std to dx")


class Convolution:
    """Convolution layer (7.4.3). W: (FN, C, FH, FW), b: (FN,)."""

    def __init__(self, W, b, stride=1, pad=0):
        self.W = W
        self.b = b
        self.stride = stride
        self.pad = pad

        # intermediate data (used by backward)
        self.x = None
        self.col = None
        self.col_W = None

        # gradients of the weight and bias parameters
        self.dW = None
        self.db = None

    def forward(self, x):
        """x: (N, C, H, W) → (N, FN, OH, OW) float64, OH = 1 + (H + 2·pad - FH) // stride."""
        raise NotImplementedError("ch07.Convolution.forward: col = im2col(x, FH, FW, stride, pad); col_W = W.reshape(FN, -1).T; out = col·col_W + b")

    def backward(self, dout):
        """dout: (N, FN, OH, OW) → dx: (N, C, H, W); sets self.dW (FN, C, FH, FW), self.db (FN,)."""
        raise NotImplementedError("ch07.Convolution.backward: dout to (-1, FN); db = sum; dW = colᵀ·dout reshaped; dx = col2im(dout·col_Wᵀ, …)")


class Pooling:
    """Max pooling layer (7.4.4); ``pad`` is kept for the signature but not supported (> 0 fails)."""

    def __init__(self, pool_h, pool_w, stride=2, pad=0):
        self.pool_h = pool_h
        self.pool_w = pool_w
        self.stride = stride
        self.pad = pad

        self.x = None
        self.arg_max = None

    def forward(self, x):
        """x: (N, C, H, W) → (N, C, OH, OW) float64 window maxima, OH = int(1 + (H - pool_h) / stride)."""
        raise NotImplementedError("ch07.Pooling.forward: im2col, reshape to (-1, pool_h*pool_w), keep arg_max, take the max, reshape to (N, C, OH, OW)")

    def backward(self, dout):
        """dout: (N, C, OH, OW) → dx: (N, C, H, W), each dout sent to its window's first max."""
        raise NotImplementedError("ch07.Pooling.backward: send each dout to its window's arg_max position, then col2im back to the input shape")
