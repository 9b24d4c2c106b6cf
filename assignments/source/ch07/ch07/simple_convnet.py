# coding: utf-8
"""The book's ``ch07/simple_convnet.py``: conv - relu - pool - affine - relu - affine - softmax
(section 7.5).

Building the parameters and layers and backpropagation are the exercises.
"""
import pickle
import numpy as np
from collections import OrderedDict
from common.layers import *
from common.gradient import numerical_gradient


class SimpleConvNet:
    """A simple ConvNet.

    conv - relu - pool - affine - relu - affine - softmax

    Parameters
    ----------
    input_dim : (C, H, W) of one input, square (H == W); (1, 28, 28) for MNIST
    conv_param : 'filter_num', 'filter_size', 'pad', 'stride' of the convolution
    hidden_size : number of neurons of the hidden Affine layer (e.g. 100)
    output_size : output size (10 for MNIST)
    weight_init_std : standard deviation of the weights (e.g. 0.01)

    params: float64 'W1' (filter_num, C, filter_size, filter_size), 'b1' (filter_num,),
    'W2' (pool_output_size, hidden_size), 'b2' (hidden_size,), 'W3' (hidden_size,
    output_size), 'b3' (output_size,), shared with Conv1, Affine1 and Affine2.
    """
    def __init__(self, input_dim=(1, 28, 28),
                 conv_param={'filter_num':30, 'filter_size':5, 'pad':0, 'stride':1},
                 hidden_size=100, output_size=10, weight_init_std=0.01):
        filter_num = conv_param['filter_num']
        filter_size = conv_param['filter_size']
        filter_pad = conv_param['pad']
        filter_stride = conv_param['stride']
        input_size = input_dim[1]
        conv_output_size = (input_size - filter_size + 2*filter_pad) / filter_stride + 1
        pool_output_size = int(filter_num * (conv_output_size/2) * (conv_output_size/2))

        raise NotImplementedError("ch07.SimpleConvNet.__init__: W1 (FN, C, FS, FS), W2 (pool_output_size, hidden), W3; layers Conv1 Relu1 Pool1 Affine1 Relu2 Affine2")

    def predict(self, x):
        """x: (N, C, H, W) → scores (N, output_size)."""
        for layer in self.layers.values():
            x = layer.forward(x)

        return x

    def loss(self, x, t):
        """Compute the loss.

        x : input data, (N, C, H, W); t : labels (N,) or one-hot (N, output_size)
        """
        y = self.predict(x)
        return self.last_layer.forward(y, t)

    def accuracy(self, x, t, batch_size=100):
        """Hits over int(N / batch_size) full batches, divided by N (t labels or one-hot)."""
        if t.ndim != 1 : t = np.argmax(t, axis=1)

        acc = 0.0

        for i in range(int(x.shape[0] / batch_size)):
            tx = x[i*batch_size:(i+1)*batch_size]
            tt = t[i*batch_size:(i+1)*batch_size]
            y = self.predict(tx)
            y = np.argmax(y, axis=1)
            acc += np.sum(y == tt)

        return acc / x.shape[0]

    def numerical_gradient(self, x, t):
        """Gradients by numerical differentiation.

        Parameters
        ----------
        x : input data
        t : labels

        Returns
        -------
        dict with the gradient of every layer:
            grads['W1'], grads['W2'], … are the weights' gradients
            grads['b1'], grads['b2'], … are the biases' gradients
        """
        loss_w = lambda w: self.loss(x, t)

        grads = {}
        for idx in (1, 2, 3):
            grads['W' + str(idx)] = numerical_gradient(loss_w, self.params['W' + str(idx)])
            grads['b' + str(idx)] = numerical_gradient(loss_w, self.params['b' + str(idx)])

        return grads

    def gradient(self, x, t):
        """Gradients by backpropagation.

        Parameters
        ----------
        x : input data, (N, C, H, W)
        t : labels (N,) or one-hot (N, output_size)

        Returns
        -------
        dict with the gradient of every layer, shaped like params:
            grads['W1'], grads['b1'] from Conv1, 'W2'/'b2' from Affine1, 'W3'/'b3' from Affine2
        """
        raise NotImplementedError("ch07.SimpleConvNet.gradient: loss, last_layer.backward(1), layers in reverse; grads W1/b1 from Conv1, W2/b2 Affine1, W3/b3 Affine2")

    def save_params(self, file_name="params.pkl"):
        """Pickle params (a dict of arrays) to file_name."""
        params = {}
        for key, val in self.params.items():
            params[key] = val
        with open(file_name, 'wb') as f:
            pickle.dump(params, f)

    def load_params(self, file_name="params.pkl"):
        """Load params from file_name and point Conv1, Affine1, Affine2 at the new arrays."""
        with open(file_name, 'rb') as f:
            params = pickle.load(f)
        for key, val in params.items():
            self.params[key] = val

        for i, key in enumerate(['Conv1', 'Affine1', 'Affine2']):
            self.layers[key].W = self.params['W' + str(i+1)]
            self.layers[key].b = self.params['b' + str(i+1)]
