# coding: utf-8
"""The book's ``common/multi_layer_net_extend.py``: MultiLayerNet with Batch Normalization
(section 6.3) and Dropout (section 6.4.3).

Building the layers, ``predict`` with ``train_flg`` and ``gradient`` with gamma/beta are the
exercises; weight initialisation repeats MultiLayerNet's, as in the book.
"""
import numpy as np
from collections import OrderedDict
from common.layers import *
from common.gradient import numerical_gradient


class MultiLayerNetExtend:
    """Extended fully connected multi-layer neural network:
    Weight Decay, Dropout and Batch Normalization.

    Parameters
    ----------
    input_size : input size (784 for MNIST)
    hidden_size_list : list of hidden layer sizes (e.g. [100, 100, 100])
    output_size : output size (10 for MNIST)
    activation : 'relu' or 'sigmoid'
    weight_init_std : standard deviation of the weights (e.g. 0.01);
        'relu' or 'he' gives "He initialisation", 'sigmoid' or 'xavier' "Xavier initialisation"
    weight_decay_lambda : strength of weight decay (L2 norm)
    use_dropout : whether to use Dropout
    dropout_ration : the Dropout ratio (spelt as in the book)
    use_batchnorm : whether to use Batch Normalization

    params: float64 'W{i}', 'b{i}' as MultiLayerNet's; with use_batchnorm also 'gamma{i}'
    (ones) and 'beta{i}' (zeros) of shape (hidden_size_list[i-1],) for every hidden layer i.
    Layers share these arrays.
    """
    def __init__(self, input_size, hidden_size_list, output_size,
                 activation='relu', weight_init_std='relu', weight_decay_lambda=0,
                 use_dropout = False, dropout_ration = 0.5, use_batchnorm=False):
        self.input_size = input_size
        self.output_size = output_size
        self.hidden_size_list = hidden_size_list
        self.hidden_layer_num = len(hidden_size_list)
        self.use_dropout = use_dropout
        self.weight_decay_lambda = weight_decay_lambda
        self.use_batchnorm = use_batchnorm
        self.params = {}

        # initialise the weights
        self.__init_weight(weight_init_std)

        raise NotImplementedError("ch06.MultiLayerNetExtend.__init__: per hidden layer: Affine, [BatchNorm with gamma/beta in params], Activation_function, [Dropout]")

    def __init_weight(self, weight_init_std):
        """Set the initial weights (as MultiLayerNet's).

        Parameters
        ----------
        weight_init_std : standard deviation of the weights (e.g. 0.01);
            'relu' or 'he': "He initialisation", scale sqrt(2 / n_prev);
            'sigmoid' or 'xavier': "Xavier initialisation", scale sqrt(1 / n_prev)
        """
        all_size_list = [self.input_size] + self.hidden_size_list + [self.output_size]
        for idx in range(1, len(all_size_list)):
            scale = weight_init_std
            if str(weight_init_std).lower() in ('relu', 'he'):
                scale = np.sqrt(2.0 / all_size_list[idx - 1])  # recommended with ReLU
            elif str(weight_init_std).lower() in ('sigmoid', 'xavier'):
                scale = np.sqrt(1.0 / all_size_list[idx - 1])  # recommended with sigmoid
            self.params['W' + str(idx)] = scale * np.random.randn(all_size_list[idx-1], all_size_list[idx])
            self.params['b' + str(idx)] = np.zeros(all_size_list[idx])

    def predict(self, x, train_flg=False):
        """x: (N, input_size) → scores (N, output_size).

        train_flg is passed to the Dropout and BatchNorm layers (True: training mode, draws
        Dropout masks and moves the BatchNorm running statistics).
        """
        raise NotImplementedError("ch06.MultiLayerNetExtend.predict: pass train_flg to layers whose key contains 'Dropout' or 'BatchNorm'; others forward(x)")

    def loss(self, x, t, train_flg=False):
        """Compute the loss.

        x : input data, (N, input_size); t : labels (N,) or one-hot (N, output_size).
        Returns the SoftmaxWithLoss loss plus 0.5 * lambda * sum(W**2) over every W.
        """
        y = self.predict(x, train_flg)

        weight_decay = 0
        for idx in range(1, self.hidden_layer_num + 2):
            W = self.params['W' + str(idx)]
            weight_decay += 0.5 * self.weight_decay_lambda * np.sum(W**2)

        return self.last_layer.forward(y, t) + weight_decay

    def accuracy(self, X, T):
        """Fraction of rows classified right, in test mode (T labels or one-hot)."""
        Y = self.predict(X, train_flg=False)
        Y = np.argmax(Y, axis=1)
        if T.ndim != 1 : T = np.argmax(T, axis=1)

        accuracy = np.sum(Y == T) / float(X.shape[0])
        return accuracy

    def numerical_gradient(self, X, T):
        """Gradients by numerical differentiation (loss in training mode).

        Parameters
        ----------
        X : input data
        T : labels

        Returns
        -------
        dict with the gradient of every layer:
            grads['W1'], grads['W2'], … are the weights' gradients
            grads['b1'], grads['b2'], … are the biases' gradients
            with use_batchnorm also grads['gamma1'], grads['beta1'], … of the hidden layers
        """
        loss_W = lambda W: self.loss(X, T, train_flg=True)

        grads = {}
        for idx in range(1, self.hidden_layer_num+2):
            grads['W' + str(idx)] = numerical_gradient(loss_W, self.params['W' + str(idx)])
            grads['b' + str(idx)] = numerical_gradient(loss_W, self.params['b' + str(idx)])

            if self.use_batchnorm and idx != self.hidden_layer_num+1:
                grads['gamma' + str(idx)] = numerical_gradient(loss_W, self.params['gamma' + str(idx)])
                grads['beta' + str(idx)] = numerical_gradient(loss_W, self.params['beta' + str(idx)])

        return grads

    def gradient(self, x, t):
        """Gradients by backpropagation, the forward pass in training mode.

        x : input data, (N, input_size); t : labels (N,) or one-hot (N, output_size).
        Returns a dict shaped like params: 'W{i}' = dW + lambda * W, 'b{i}' = db, and with
        use_batchnorm 'gamma{i}' = dgamma, 'beta{i}' = dbeta for the hidden layers.
        """
        raise NotImplementedError("ch06.MultiLayerNetExtend.gradient: forward with train_flg=True, backprop, W with weight decay, gamma/beta from dgamma/dbeta")
