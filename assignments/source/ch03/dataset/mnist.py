"""The book's ``dataset/mnist.py``: provided by the kit, not an exercise.

The book downloads MNIST and pickles it next to this file; the kit ships a verified loader
instead (``grader.data``), and this module only re-exports it so that the book's
``from dataset.mnist import load_mnist`` works unchanged.

``load_mnist(normalize=True, flatten=True, one_hot_label=False)`` →
``((x_train, t_train), (x_test, t_test))``; ``load_sample_weights()`` → the book's
``sample_weight.pkl`` as a dict of float32 ``W1, b1, W2, b2, W3, b3`` (chapter 3.6).
"""
from grader.data import load_mnist, load_sample_weights

__all__ = ["load_mnist", "load_sample_weights"]
