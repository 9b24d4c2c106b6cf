"""Inference on MNIST with the book's sample weights (chapter 3.6.2, ``ch03/neuralnet_mnist.py``).

Run ``python neuralnet_mnist.py`` from this folder to print the accuracy (Accuracy:0.9352).
"""
import sys, os
sys.path.append(os.pardir)  # so that the parent directory's packages can be imported
import numpy as np
from dataset.mnist import load_mnist, load_sample_weights
from common.functions import sigmoid, softmax


def get_data():
    """→ (x_test (10000, 784) float32 in [0, 1], t_test (10000,) uint8 labels) (provided)."""
    (x_train, t_train), (x_test, t_test) = load_mnist(normalize=True, flatten=True, one_hot_label=False)
    return x_test, t_test


def init_network():
    """→ the book's sample weights: dict of float32 W1 (784, 50), b1 (50,), W2 (50, 100), b2 (100,),
    W3 (100, 10), b3 (10,) (provided; the book unpickles sample_weight.pkl)."""
    network = load_sample_weights()
    return network


def predict(network, x):
    """network: dict of W1, b1, W2, b2, W3, b3; x: (784,) or (N, 784) → (10,) or (N, 10)
    probabilities (float32 in → float32 out): sigmoid, sigmoid, softmax."""
    raise NotImplementedError("ch03.predict: a1 = x·W1 + b1, z1 = sigmoid(a1), … three layers, softmax at the end")


if __name__ == "__main__":
    x, t = get_data()
    network = init_network()
    accuracy_cnt = 0
    for i in range(len(x)):
        y = predict(network, x[i])
        p = np.argmax(y)  # index of the most probable element
        if p == t[i]:
            accuracy_cnt += 1

    print("Accuracy:" + str(float(accuracy_cnt) / len(x)))
