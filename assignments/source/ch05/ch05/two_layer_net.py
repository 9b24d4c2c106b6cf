"""A two-layer net built from layers, trained by backpropagation (chapter 5.7.2, ``ch05/two_layer_net.py``).

Affine → Relu → Affine → SoftmaxWithLoss. The Affine layers hold the very same arrays as
``params`` (so in-place updates of ``params`` train the layers). t may be one-hot or labels.
"""
import sys, os
sys.path.append(os.pardir)  # so that the parent directory's packages can be imported
import numpy as np
from common.layers import *
from common.gradient import numerical_gradient
from collections import OrderedDict


class TwoLayerNet:
    """params: W1 (input, hidden), b1 (hidden,), W2 (hidden, output), b2 (output,), float64;
    layers: OrderedDict Affine1, Relu1, Affine2; lastLayer: SoftmaxWithLoss."""

    def __init__(self, input_size, hidden_size, output_size, weight_init_std = 0.01):
        """Draws W1 then W2 from np.random.randn scaled by weight_init_std; biases are zeros."""
        raise NotImplementedError("ch05.TwoLayerNet.__init__: params as in ch04; layers = OrderedDict Affine1, Relu1, Affine2 sharing params; lastLayer")

    def predict(self, x):
        """x: (N, input_size) → (N, output_size) scores (no softmax)."""
        raise NotImplementedError("ch05.TwoLayerNet.predict: for layer in self.layers.values(): x = layer.forward(x); return x (scores, no softmax)")

    # x: input data, t: teacher data
    def loss(self, x, t):
        """x: (N, input_size), t: (N, output_size) one-hot or (N,) labels → float loss."""
        raise NotImplementedError("ch05.TwoLayerNet.loss: return self.lastLayer.forward(self.predict(x), t)")

    def accuracy(self, x, t):
        """x: (N, input_size), t: one-hot or labels → float fraction of correct argmaxes."""
        raise NotImplementedError("ch05.TwoLayerNet.accuracy: argmax of predict(x); argmax t too if t.ndim != 1; return hits / N")

    # x: input data, t: teacher data
    def numerical_gradient(self, x, t):
        """→ dict W1, b1, W2, b2 of numerical gradients of loss(x, t) (provided)."""
        loss_W = lambda W: self.loss(x, t)

        grads = {}
        grads['W1'] = numerical_gradient(loss_W, self.params['W1'])
        grads['b1'] = numerical_gradient(loss_W, self.params['b1'])
        grads['W2'] = numerical_gradient(loss_W, self.params['W2'])
        grads['b2'] = numerical_gradient(loss_W, self.params['b2'])

        return grads

    def gradient(self, x, t):
        """x: (N, input_size), t: one-hot or labels → dict W1, b1, W2, b2 by backpropagation."""
        raise NotImplementedError("ch05.TwoLayerNet.gradient: loss, dout = lastLayer.backward(1), layers in reverse, then grads from Affine1/Affine2 dW, db")
