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
        raise NotImplementedError("ch04.TwoLayerNet.__init__: params W1 = weight_init_std * randn(input, hidden), b1 = zeros, then W2, b2")

    def predict(self, x):
        """x: (N, input_size) → (N, output_size) softmax probabilities."""
        raise NotImplementedError("ch04.TwoLayerNet.predict: a1 = x·W1 + b1, z1 = sigmoid(a1), a2 = z1·W2 + b2, return softmax(a2)")

    # x: input data, t: teacher data
    def loss(self, x, t):
        """x: (N, input_size), t: (N, output_size) one-hot (or labels) → float cross-entropy error."""
        raise NotImplementedError("ch04.TwoLayerNet.loss: return cross_entropy_error(self.predict(x), t)")

    def accuracy(self, x, t):
        """x: (N, input_size), t: (N, output_size) one-hot → float fraction of correct argmaxes."""
        raise NotImplementedError("ch04.TwoLayerNet.accuracy: argmax of predict(x) and of one-hot t per row; return hits / N")

    # x: input data, t: teacher data
    def numerical_gradient(self, x, t):
        """→ dict W1, b1, W2, b2 of numerical gradients of loss(x, t), each of its param's shape."""
        raise NotImplementedError("ch04.TwoLayerNet.numerical_gradient: loss_W = lambda W: self.loss(x, t); grads['W1'] = numerical_gradient(loss_W, self.params['W1']) …")

    def gradient(self, x, t):
        """x: (N, input_size), t: (N, output_size) one-hot → dict W1, b1, W2, b2 of analytic
        gradients (backpropagation written out by hand, chapter 5 preview)."""
        raise NotImplementedError("ch04.TwoLayerNet.gradient: forward, dy = (y - t) / N, then dW2 = z1ᵀ·dy, db2 = sum(dy), da1 = dy·W2ᵀ, dz1 = sigmoid_grad(a1)·da1 …")
