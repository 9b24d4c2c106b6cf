"""Chapter 3.6: MNIST inference with the sample weights (ch03/neuralnet_mnist.py).

Needs MNIST and the sample weights (see the kit's README: DLFS_DATA / DLFS_BOOK_WEIGHTS); the
tests are skipped when they are not found. Inference on the 10000 test images takes well under
a second.
"""
from pathlib import Path

import numpy as np
import pytest

from grader import data
from grader.judge import compare as check


@pytest.fixture
def book(load):
    mod = load("ch03/neuralnet_mnist.py")
    try:
        x, t = mod.get_data()
        network = mod.init_network()
    except data.DataError as e:
        pytest.skip(f"MNIST or the sample weights not found: {str(e).splitlines()[0]}")
    return mod, network, x, t


def book_weights_used() -> bool:
    src = Path(data.sample_weights_source())
    return src.name.startswith("sample_weight") and src.resolve() != data.KIT_WEIGHTS.resolve()


def test_predict_one_image(book):
    """predict(network, x[0]) → 10 probabilities; image 0 is a 7."""
    mod, network, x, _ = book
    y = check.array(mod.predict(network, x[0]), "predict(network, x[0])", (10,))
    check.close_number(float(np.sum(y)), 1.0, "np.sum(predict(network, x[0])) (softmax at the end)", tol=1e-5)
    check.equal(int(np.argmax(y)), 7, "np.argmax(predict(network, x[0])) (test image 0 is a 7)")


def test_predict_batch(book):
    """3.6.3: a batch of 100 images at once → (100, 10), the same answers as one by one."""
    mod, network, x, _ = book
    y = check.array(mod.predict(network, x[:100]), "predict(network, x[:100])", (100, 10))
    for i in (0, 1, 2, 57, 99):
        check.equal(int(np.argmax(y[i])), int(np.argmax(mod.predict(network, x[i]))),
                    f"np.argmax of row {i} of the batch vs predict(network, x[{i}])")


def test_accuracy(book):
    """3.6.2: the book prints Accuracy:0.9352 for its sample weights."""
    mod, network, x, t = book
    y = check.array(mod.predict(network, x), "predict(network, x) for the 10000 test images", (10000, 10))
    accuracy = float(np.mean(np.argmax(y, axis=1) == t))
    if book_weights_used():
        check.close_number(accuracy, 0.9352, "Accuracy of predict on the 10000 test images", tol=1e-12)
    else:
        check.holds(accuracy > 0.9, "Accuracy of predict on the 10000 test images",
                    "is not above 0.9 with the kit's sample weights")
