"""A two-layer net trained by numerical or analytic gradients (chapter 4.5.1, ``ch04/two_layer_net.py``).

Sigmoid hidden layer, softmax output, no layer objects. The teacher data t is **one-hot**
(N, output_size) for ``accuracy`` and ``gradient``.
"""
import sys, os
sys.path.append(os.pardir)  # so that the parent directory's packages can be imported
from common.functions import *
from common.gradient import numerical_gradient


class TwoLayerNet:
    """params: W1 (input, hidden), b1 (hidden,), W2 (hidden, output), b2 (output,), float64."""

    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01):
        """Draws W1 then W2 from np.random.randn scaled by weight_init_std; biases are zeros."""
        ### BEGIN SOLUTION ch04.TwoLayerNet.__init__
        # initialise the weights
        self.params = {}
        self.params['W1'] = weight_init_std * np.random.randn(input_size, hidden_size)
        self.params['b1'] = np.zeros(hidden_size)
        self.params['W2'] = weight_init_std * np.random.randn(hidden_size, output_size)
        self.params['b2'] = np.zeros(output_size)
        ### END SOLUTION

    def predict(self, x):
        """x: (N, input_size) → (N, output_size) softmax probabilities."""
        ### BEGIN SOLUTION ch04.TwoLayerNet.predict
        W1, W2 = self.params['W1'], self.params['W2']
        b1, b2 = self.params['b1'], self.params['b2']

        a1 = np.dot(x, W1) + b1
        z1 = sigmoid(a1)
        a2 = np.dot(z1, W2) + b2
        y = softmax(a2)

        return y
        ### END SOLUTION

    # x: input data, t: teacher data
    def loss(self, x, t):
        """x: (N, input_size), t: (N, output_size) one-hot (or labels) → float cross-entropy error."""
        ### BEGIN SOLUTION ch04.TwoLayerNet.loss
        y = self.predict(x)

        return cross_entropy_error(y, t)
        ### END SOLUTION

    def accuracy(self, x, t):
        """x: (N, input_size), t: (N, output_size) one-hot → float fraction of correct argmaxes."""
        ### BEGIN SOLUTION ch04.TwoLayerNet.accuracy
        y = self.predict(x)
        y = np.argmax(y, axis=1)
        t = np.argmax(t, axis=1)

        accuracy = np.sum(y == t) / float(x.shape[0])
        return accuracy
        ### END SOLUTION

    # x: input data, t: teacher data
    def numerical_gradient(self, x, t):
        """→ dict W1, b1, W2, b2 of numerical gradients of loss(x, t), each of its param's shape."""
        ### BEGIN SOLUTION ch04.TwoLayerNet.numerical_gradient
        loss_W = lambda W: self.loss(x, t)

        grads = {}
        grads['W1'] = numerical_gradient(loss_W, self.params['W1'])
        grads['b1'] = numerical_gradient(loss_W, self.params['b1'])
        grads['W2'] = numerical_gradient(loss_W, self.params['W2'])
        grads['b2'] = numerical_gradient(loss_W, self.params['b2'])

        return grads
        ### END SOLUTION

    def gradient(self, x, t):
        """x: (N, input_size), t: (N, output_size) one-hot → dict W1, b1, W2, b2 of analytic
        gradients (backpropagation written out by hand, chapter 5 preview)."""
        ### BEGIN SOLUTION ch04.TwoLayerNet.gradient
        W1, W2 = self.params['W1'], self.params['W2']
        b1, b2 = self.params['b1'], self.params['b2']
        grads = {}

        batch_num = x.shape[0]

        # forward
        a1 = np.dot(x, W1) + b1
        z1 = sigmoid(a1)
        a2 = np.dot(z1, W2) + b2
        y = softmax(a2)

        # backward
        dy = (y - t) / batch_num
        grads['W2'] = np.dot(z1.T, dy)
        grads['b2'] = np.sum(dy, axis=0)

        da1 = np.dot(dy, W2.T)
        dz1 = sigmoid_grad(a1) * da1
        grads['W1'] = np.dot(x.T, dz1)
        grads['b1'] = np.sum(dz1, axis=0)

        return grads
        ### END SOLUTION
