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
        ### BEGIN SOLUTION ch05.Relu.forward
        self.mask = (x <= 0)
        out = x.copy()
        out[self.mask] = 0

        return out
        ### END SOLUTION

    def backward(self, dout):
        """dout: x's shape → dx: dout with the masked entries zeroed (in place; gradient 0 at x = 0)."""
        ### BEGIN SOLUTION ch05.Relu.backward
        dout[self.mask] = 0
        dx = dout

        return dx
        ### END SOLUTION


class Sigmoid:
    """Sigmoid layer (5.5.2); ``out`` is σ(x) of the last forward."""

    def __init__(self):
        self.out = None

    def forward(self, x):
        """x: ndarray (any shape) float → σ(x), same shape (stored in self.out)."""
        ### BEGIN SOLUTION ch05.Sigmoid.forward
        out = sigmoid(x)
        self.out = out
        return out
        ### END SOLUTION

    def backward(self, dout):
        """dout: x's shape → dx = dout·(1 - out)·out, a new array."""
        ### BEGIN SOLUTION ch05.Sigmoid.backward
        dx = dout * (1.0 - self.out) * self.out

        return dx
        ### END SOLUTION


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
        ### BEGIN SOLUTION ch05.Affine.forward
        # tensor support
        self.original_x_shape = x.shape
        x = x.reshape(x.shape[0], -1)
        self.x = x

        out = np.dot(self.x, self.W) + self.b

        return out
        ### END SOLUTION

    def backward(self, dout):
        """dout: (N, M) float64 → dx: (N, D) (or the original 4-D shape); sets self.dW (D, M), self.db (M,)."""
        ### BEGIN SOLUTION ch05.Affine.backward
        dx = np.dot(dout, self.W.T)
        self.dW = np.dot(self.x.T, dout)
        self.db = np.sum(dout, axis=0)

        dx = dx.reshape(*self.original_x_shape)  # back to the input's shape (tensor support)
        return dx
        ### END SOLUTION


class SoftmaxWithLoss:
    """Softmax followed by the cross-entropy error (5.6.3)."""

    def __init__(self):
        self.loss = None
        self.y = None  # output of softmax
        self.t = None  # teacher data

    def forward(self, x, t):
        """x: (N, C) scores; t: (N, C) one-hot or (N,) labels → float loss; stores t, y, loss."""
        ### BEGIN SOLUTION ch05.SoftmaxWithLoss.forward
        self.t = t
        self.y = softmax(x)
        self.loss = cross_entropy_error(self.y, self.t)

        return self.loss
        ### END SOLUTION

    def backward(self, dout=1):
        """dout: ignored (the loss is the last layer) → dx: (N, C) = (y - t) / N."""
        ### BEGIN SOLUTION ch05.SoftmaxWithLoss.backward
        batch_size = self.t.shape[0]
        if self.t.size == self.y.size:  # teacher data is one-hot
            dx = (self.y - self.t) / batch_size
        else:
            dx = self.y.copy()
            dx[np.arange(batch_size), self.t] -= 1
            dx = dx / batch_size

        return dx
        ### END SOLUTION


class Dropout:
    """Dropout (6.4.3), http://arxiv.org/abs/1207.0580; ``mask`` is the last training mask (bool)."""

    def __init__(self, dropout_ratio=0.5):
        self.dropout_ratio = dropout_ratio
        self.mask = None

    def forward(self, x, train_flg=True):
        """x: ndarray (any shape) → train: x·mask with mask = rand(*x.shape) > ratio (no rescaling);
        test: x·(1 - ratio)."""
        ### BEGIN SOLUTION ch06.Dropout.forward
        if train_flg:
            self.mask = np.random.rand(*x.shape) > self.dropout_ratio
            return x * self.mask
        else:
            return x * (1.0 - self.dropout_ratio)
        ### END SOLUTION

    def backward(self, dout):
        """dout: x's shape → dout·mask (the mask of the last training forward)."""
        ### BEGIN SOLUTION ch06.Dropout.backward
        return dout * self.mask
        ### END SOLUTION


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
        ### BEGIN SOLUTION ch06.BatchNormalization.forward
        if self.running_mean is None:
            N, D = x.shape
            self.running_mean = np.zeros(D)
            self.running_var = np.zeros(D)

        if train_flg:
            mu = x.mean(axis=0)
            xc = x - mu
            var = np.mean(xc**2, axis=0)
            std = np.sqrt(var + 10e-7)
            xn = xc / std

            self.batch_size = x.shape[0]
            self.xc = xc
            self.xn = xn
            self.std = std
            self.running_mean = self.momentum * self.running_mean + (1-self.momentum) * mu
            self.running_var = self.momentum * self.running_var + (1-self.momentum) * var
        else:
            xc = x - self.running_mean
            xn = xc / ((np.sqrt(self.running_var + 10e-7)))

        out = self.gamma * xn + self.beta
        return out
        ### END SOLUTION

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
        ### BEGIN SOLUTION ch06.BatchNormalization.backward
        dbeta = dout.sum(axis=0)
        dgamma = np.sum(self.xn * dout, axis=0)
        dxn = self.gamma * dout
        dxc = dxn / self.std
        dstd = -np.sum((dxn * self.xc) / (self.std * self.std), axis=0)
        dvar = 0.5 * dstd / self.std
        dxc += (2.0 / self.batch_size) * self.xc * dvar
        dmu = np.sum(dxc, axis=0)
        dx = dxc - dmu / self.batch_size

        self.dgamma = dgamma
        self.dbeta = dbeta

        return dx
        ### END SOLUTION


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
        ### BEGIN SOLUTION ch07.Convolution.forward
        FN, C, FH, FW = self.W.shape
        N, C, H, W = x.shape
        out_h = 1 + int((H + 2*self.pad - FH) / self.stride)
        out_w = 1 + int((W + 2*self.pad - FW) / self.stride)

        col = im2col(x, FH, FW, self.stride, self.pad)
        col_W = self.W.reshape(FN, -1).T

        out = np.dot(col, col_W) + self.b
        out = out.reshape(N, out_h, out_w, -1).transpose(0, 3, 1, 2)

        self.x = x
        self.col = col
        self.col_W = col_W

        return out
        ### END SOLUTION

    def backward(self, dout):
        """dout: (N, FN, OH, OW) → dx: (N, C, H, W); sets self.dW (FN, C, FH, FW), self.db (FN,)."""
        ### BEGIN SOLUTION ch07.Convolution.backward
        FN, C, FH, FW = self.W.shape
        dout = dout.transpose(0, 2, 3, 1).reshape(-1, FN)

        self.db = np.sum(dout, axis=0)
        self.dW = np.dot(self.col.T, dout)
        self.dW = self.dW.transpose(1, 0).reshape(FN, C, FH, FW)

        dcol = np.dot(dout, self.col_W.T)
        dx = col2im(dcol, self.x.shape, FH, FW, self.stride, self.pad)

        return dx
        ### END SOLUTION


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
        ### BEGIN SOLUTION ch07.Pooling.forward
        N, C, H, W = x.shape
        out_h = int(1 + (H - self.pool_h) / self.stride)
        out_w = int(1 + (W - self.pool_w) / self.stride)

        col = im2col(x, self.pool_h, self.pool_w, self.stride, self.pad)
        col = col.reshape(-1, self.pool_h*self.pool_w)

        arg_max = np.argmax(col, axis=1)
        out = np.max(col, axis=1)
        out = out.reshape(N, out_h, out_w, C).transpose(0, 3, 1, 2)

        self.x = x
        self.arg_max = arg_max

        return out
        ### END SOLUTION

    def backward(self, dout):
        """dout: (N, C, OH, OW) → dx: (N, C, H, W), each dout sent to its window's first max."""
        ### BEGIN SOLUTION ch07.Pooling.backward
        dout = dout.transpose(0, 2, 3, 1)

        pool_size = self.pool_h * self.pool_w
        dmax = np.zeros((dout.size, pool_size))
        dmax[np.arange(self.arg_max.size), self.arg_max.flatten()] = dout.flatten()
        dmax = dmax.reshape(dout.shape + (pool_size,))

        dcol = dmax.reshape(dmax.shape[0] * dmax.shape[1] * dmax.shape[2], -1)
        dx = col2im(dcol, self.x.shape, self.pool_h, self.pool_w, self.stride, self.pad)

        return dx
        ### END SOLUTION
