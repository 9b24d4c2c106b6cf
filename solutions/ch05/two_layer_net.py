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
        ### BEGIN SOLUTION ch05.TwoLayerNet.__init__
        # initialise the weights
        self.params = {}
        self.params['W1'] = weight_init_std * np.random.randn(input_size, hidden_size)
        self.params['b1'] = np.zeros(hidden_size)
        self.params['W2'] = weight_init_std * np.random.randn(hidden_size, output_size)
        self.params['b2'] = np.zeros(output_size)

        # create the layers
        self.layers = OrderedDict()
        self.layers['Affine1'] = Affine(self.params['W1'], self.params['b1'])
        self.layers['Relu1'] = Relu()
        self.layers['Affine2'] = Affine(self.params['W2'], self.params['b2'])

        self.lastLayer = SoftmaxWithLoss()
        ### END SOLUTION

    def predict(self, x):
        """x: (N, input_size) → (N, output_size) scores (no softmax)."""
        ### BEGIN SOLUTION ch05.TwoLayerNet.predict
        for layer in self.layers.values():
            x = layer.forward(x)

        return x
        ### END SOLUTION

    # x: input data, t: teacher data
    def loss(self, x, t):
        """x: (N, input_size), t: (N, output_size) one-hot or (N,) labels → float loss."""
        ### BEGIN SOLUTION ch05.TwoLayerNet.loss
        y = self.predict(x)
        return self.lastLayer.forward(y, t)
        ### END SOLUTION

    def accuracy(self, x, t):
        """x: (N, input_size), t: one-hot or labels → float fraction of correct argmaxes."""
        ### BEGIN SOLUTION ch05.TwoLayerNet.accuracy
        y = self.predict(x)
        y = np.argmax(y, axis=1)
        if t.ndim != 1 : t = np.argmax(t, axis=1)

        accuracy = np.sum(y == t) / float(x.shape[0])
        return accuracy
        ### END SOLUTION

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
        ### BEGIN SOLUTION ch05.TwoLayerNet.gradient
        # forward
        self.loss(x, t)

        # backward
        dout = 1
        dout = self.lastLayer.backward(dout)

        layers = list(self.layers.values())
        layers.reverse()
        for layer in layers:
            dout = layer.backward(dout)

        # settings
        grads = {}
        grads['W1'], grads['b1'] = self.layers['Affine1'].dW, self.layers['Affine1'].db
        grads['W2'], grads['b2'] = self.layers['Affine2'].dW, self.layers['Affine2'].db

        return grads
        ### END SOLUTION
