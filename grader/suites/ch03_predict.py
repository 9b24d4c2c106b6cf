"""Hidden suite, chapter 3: MNIST inference with the sample weights (ch03/neuralnet_mnist.py).

ch03.predict 28 points. Its own tests run the student's predict with the book's sigmoid and
softmax lent by the judge in place of the ones it imported (``student.lending(..., into=)``:
computed on the reference, never in the student's process), so a bug in common/functions.py
costs only that function; the end-to-end tests run it as it is.

Tolerances: float32 MNIST × float32 weights keeps float32 (contract §9). The reference and a
correct predict written with other but equivalent products (x @ W1, einsum, a float64 cast)
agree to ≤ 1.8e-7 measured (float32 rounding); 1e-5 leaves a 50x margin, and wiring mistakes
are off by ≥ 1.2e-3 even on image 0, which the net is 99.7 % sure of (missing bias 1.3e-3,
missing second sigmoid 3.4e-3). The float64 fixture agrees to ≤ 1e-16; 1e-10 there.
"""
from pathlib import Path

import contextlib

import numpy as np

from grader import data
from grader.judge import compare as check
from grader.judge.plugin import points

F, N3 = "common/functions.py", "ch03/neuralnet_mnist.py"
PARTS = ("sigmoid", "softmax")
TOL32 = 1e-5  # measured ≤ 1.8e-7 (float32 rounding of equivalent products); mistakes ≥ 1.2e-3
TOL64 = 1e-10  # measured ≤ 1e-16
BOOK_ACCURACY_HITS = 9352  # §15: 0.9352 on the book's sample weights, normalize=True
HITS_SLACK = 2  # argmax ties under float32 reordering; measured 0 on equivalent rewrites


def book_file_used() -> bool:
    """True when the sample weights are the book's sample_weight file (not the kit's own)."""
    try:
        src = Path(data.sample_weights_source())
    except data.DataError:
        return False
    return src.name.startswith("sample_weight") and src.resolve() != data.KIT_WEIGHTS.resolve()


def forward_mistakes(net, x):
    """What predict gives with a known wiring mistake at the output layer."""
    with np.errstate(all="ignore"):
        sig = lambda a: 1 / (1 + np.exp(-a))
        z2 = sig(sig(np.dot(x, net["W1"]) + net["b1"]).dot(net["W2"]) + net["b2"])
        a3 = np.dot(z2, net["W3"]) + net["b3"]
    return {"hint.predict_output_sigmoid": sig(a3), "hint.predict_output_scores": a3}


@contextlib.contextmanager
def book_functions(student):
    """Inside the block, ch03/neuralnet_mnist.py's sigmoid and softmax are the book's (lent)."""
    with student.lending(F, *PARTS, into=student.module(N3)):
        yield


def own_predict(student, net, x):
    """The student's predict(net, x) with the book's sigmoid and softmax."""
    with book_functions(student):
        return student.module(N3).predict(net, x)


def random_net(rng, sizes=(5, 4, 6, 3)):
    """float64 weights with non-zero biases; all sizes differ so any mix-up of W/b fails."""
    net = {}
    for i in range(3):
        net[f"W{i + 1}"] = rng.normal(size=(sizes[i], sizes[i + 1]))
        net[f"b{i + 1}"] = rng.normal(size=sizes[i + 1]) * 0.5
    return net


# ---- own tests: the student's wiring, the book's sigmoid/softmax ----------------------------
@points("ch03.predict", 6)
def test_predict_one_image_at_a_time(student, reference, mnist, book_weights):
    """The book's loop: predict(network, x[i]) for single images (784,) → (10,)."""
    (_, _), (x_test, _) = mnist
    ref = reference.module(N3)
    for i in range(3):
        x = np.ascontiguousarray(x_test[i])
        got = own_predict(student, book_weights, x)
        want = ref.predict(book_weights, x)
        check.close(got, want, f"predict(network, x[{i}]) for test image {i}", tol=TOL32,
                    hints=forward_mistakes(book_weights, x))
        if book_file_used() and i == 0:  # §15: image 0 is a 7 with probability 0.997065
            check.close_number(np.asarray(got)[7], 0.997065, "predict(network, x[0])[7]", tol=1e-5)


@points("ch03.predict", 6)
def test_predict_random_network_batch_and_sample(student, reference, rng):
    """float64 weights 5 → 4 → 6 → 3 with non-zero biases: a batch (3, 5) and one sample (5,)."""
    net = random_net(rng)
    ref = reference.module(N3)
    x = rng.normal(size=(3, 5))
    check.close(own_predict(student, net, x), ref.predict(net, x),
                "predict(network, x) for a batch x of shape (3, 5)", tol=TOL64, hints=forward_mistakes(net, x))
    check.close(own_predict(student, net, x[1]), ref.predict(net, x[1]),
                "predict(network, x) for one sample x of shape (5,)", tol=TOL64,
                hints=forward_mistakes(net, x[1]))


@points("ch03.predict", 4)
def test_predict_batch_gives_probabilities(student, mnist, book_weights):
    """A batch of 100 images → (100, 10), every row a probability distribution, and each row's
    argmax the same as predicting that image alone."""
    (_, _), (x_test, _) = mnist
    x = np.ascontiguousarray(x_test[:100])
    y = check.array(own_predict(student, book_weights, x), "predict(network, x) for x of shape (100, 784)",
                    (100, 10))
    wrong = check.diagnose(y, forward_mistakes(book_weights, x), tol=TOL32)
    check.holds(bool(np.all(np.abs(y.astype(np.float64).sum(axis=1) - 1.0) < 1e-5)),
                "predict(network, x) for x of shape (100, 784)",
                "the rows are not probabilities summing to 1 (is softmax the last step?)",
                hint=wrong.id if wrong else None)
    with book_functions(student):
        singles = [student.module(N3).predict(book_weights, np.ascontiguousarray(x_test[i]))
                   for i in range(0, 100, 10)]
    for i, yi in zip(range(0, 100, 10), singles):
        yi = check.array(yi, f"predict(network, x[{i}])", (10,))
        check.holds(int(np.argmax(yi)) == int(np.argmax(y[i])), f"predict(network, x[{i}])",
                    "one image alone gets a different answer than in the batch")


# ---- end to end: the student's predict with the student's functions -------------------------
@points("ch03.predict", 8, end_to_end=True)
def test_predict_accuracy_on_test_set(student, reference, mnist, book_weights):
    """All 10000 test images in one batch; hits counted as the book's neuralnet_mnist.py does."""
    (_, _), (x_test, t_test) = mnist
    y = check.array(student.module(N3).predict(book_weights, x_test), "predict(network, x_test)", (10000, 10))
    ref_hits = int(np.sum(np.argmax(reference.module(N3).predict(book_weights, x_test), axis=1) == t_test))
    hits = int(np.sum(np.argmax(y, axis=1) == t_test))
    want = BOOK_ACCURACY_HITS if book_file_used() else ref_hits
    check.close_number(hits / 10000, want / 10000, "accuracy of predict on the 10000 test images",
                       tol=HITS_SLACK / want)


@points("ch03.predict", 4, end_to_end=True)
def test_predict_one_image_with_own_functions(student, reference, mnist, book_weights):
    (_, _), (x_test, _) = mnist
    x = np.ascontiguousarray(x_test[0])
    check.close(student.module(N3).predict(book_weights, x), reference.module(N3).predict(book_weights, x),
                "predict(network, x[0]) with your sigmoid and softmax", tol=TOL32,
                hints=forward_mistakes(book_weights, x))
