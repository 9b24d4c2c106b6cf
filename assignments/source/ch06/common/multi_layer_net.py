# coding: utf-8
"""The book's ``common/multi_layer_net.py``: a fully connected net of any depth (chapter 6).

Weight initialisation with He / Xavier scales (section 6.2.2) and weight decay in the loss and
the gradient (section 6.4.2) are the exercises; the layers come from ``common/layers.py``.
"""
import numpy as np
from collections import OrderedDict
from common.layers import *
from common.gradient import numerical_gradient


class MultiLayerNet:
    """Fully connected multi-layer neural network.

    Parameters
    ----------
    input_size : input size (784 for MNIST)
    hidden_size_list : list of hidden layer sizes (e.g. [100, 100, 100])
    output_size : output size (10 for MNIST)
    activation : 'relu' or 'sigmoid'
    weight_init_std : standard deviation of the weights (e.g. 0.01);
        'relu' or 'he' gives "He initialisation", 'sigmoid' or 'xavier' "Xavier initialisation"
    weight_decay_lambda : strength of weight decay (L2 norm)

    params: dict of float64 arrays 'W1' (input_size, hidden_size_list[0]), 'b1' (…,), …,
    'W{L+1}' (hidden_size_list[-1], output_size), 'b{L+1}' (output_size,); the Affine layers
    hold the very same arrays.
    """
    def __init__(self, input_size, hidden_size_list, output_size,
                 activation='relu', weight_init_std='relu', weight_decay_lambda=0):
        self.input_size = input_size
        self.output_size = output_size
        self.hidden_size_list = hidden_size_list
        self.hidden_layer_num = len(hidden_size_list)
        self.weight_decay_lambda = weight_decay_lambda
        self.params = {}

        # initialise the weights
        self.__init_weight(weight_init_std)

        # build the layers
        activation_layer = {'sigmoid': Sigmoid, 'relu': Relu}
        self.layers = OrderedDict()
        for idx in range(1, self.hidden_layer_num+1):
            self.layers['Affine' + str(idx)] = Affine(self.params['W' + str(idx)],
                                                      self.params['b' + str(idx)])
            self.layers['Activation_function' + str(idx)] = activation_layer[activation]()

        idx = self.hidden_layer_num + 1
        self.layers['Affine' + str(idx)] = Affine(self.params['W' + str(idx)],
            self.params['b' + str(idx)])

        self.last_layer = SoftmaxWithLoss()

    def __init_weight(self, weight_init_std):
        """Set the initial weights.

        Parameters
        ----------
        weight_init_std : standard deviation of the weights (e.g. 0.01);
            'relu' or 'he': "He initialisation", scale sqrt(2 / n_prev);
            'sigmoid' or 'xavier': "Xavier initialisation", scale sqrt(1 / n_prev)

        Fills self.params: 'W{i}' = scale * np.random.randn(n_prev, n_i) (float64), drawn for
        i = 1, 2, … in order, and 'b{i}' = np.zeros(n_i).
        """
        raise NotImplementedError("ch06.MultiLayerNet.__init_weight: scale = sqrt(2/n_prev) for 'relu'/'he', sqrt(1/n_prev) for 'sigmoid'/'xavier', else the number")

    def predict(self, x):
        """x: (N, input_size) → scores (N, output_size) (no softmax)."""
        for layer in self.layers.values():
            x = layer.forward(x)

        return x

    def loss(self, x, t):
        """Compute the loss.

        Parameters
        ----------
        x : input data, (N, input_size)
        t : labels (N,) or one-hot (N, output_size)

        Returns
        -------
        float: the SoftmaxWithLoss loss plus 0.5 * lambda * sum(W**2) over every W
        """
        raise NotImplementedError("ch06.MultiLayerNet.loss: add 0.5 * lambda * sum(W**2) for every W1 … W(L+1) to last_layer.forward(predict(x), t)")

    def accuracy(self, x, t):
        """Fraction of rows whose argmax score equals the label (t labels or one-hot)."""
        y = self.predict(x)
        y = np.argmax(y, axis=1)
        if t.ndim != 1 : t = np.argmax(t, axis=1)

        accuracy = np.sum(y == t) / float(x.shape[0])
        return accuracy

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
        loss_W = lambda W: self.loss(x, t)

        grads = {}
        for idx in range(1, self.hidden_layer_num+2):
            grads['W' + str(idx)] = numerical_gradient(loss_W, self.params['W' + str(idx)])
            grads['b' + str(idx)] = numerical_gradient(loss_W, self.params['b' + str(idx)])

        return grads

    def gradient(self, x, t):
        """Gradients by backpropagation.

        Parameters
        ----------
        x : input data, (N, input_size)
        t : labels (N,) or one-hot (N, output_size)

        Returns
        -------
        dict with the gradient of every layer, shaped like params:
            grads['W1'], grads['W2'], … = dW + lambda * W (weight decay)
            grads['b1'], grads['b2'], … = db
        """
        raise NotImplementedError("ch06.MultiLayerNet.gradient: backprop as in ch5; grads['W%d'] = dW + lambda * W for every Affine layer")
