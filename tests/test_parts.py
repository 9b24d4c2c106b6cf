"""Judge parts: the book's functions and layers lent to the student's worker, computed on the
reference, never present in the student's process."""
from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import pytest

from grader.judge import numeric
from grader.judge.parts import PartLender
from grader.worker.client import StudentError, Worker
from grader.worker.sandbox import trusted_launcher

SOLUTIONS = Path(__file__).parents[1] / "solutions"


@pytest.fixture(scope="module")
def reference():
    with Worker(SOLUTIONS, launcher=trusted_launcher()) as w:
        yield w


@pytest.fixture
def student(tmp_path, reference):
    (tmp_path / "common").mkdir()
    (tmp_path / "common" / "__init__.py").touch()
    (tmp_path / "common" / "functions.py").write_text(textwrap.dedent("""
        import numpy as np
        def sigmoid(x):
            raise NotImplementedError("ch03.sigmoid: not yet")
        def uses_sigmoid(x):
            return sigmoid(x) * 2
        def build(Affine, W, b):
            return Affine(W, b)
        stash = []
        def keep(f):
            stash.append(f)
        def call_kept(x):
            return stash[0](x)
        def square(v):
            return v ** 2
    """))
    w = Worker(tmp_path)
    w.callback_handler = PartLender(reference)
    yield w
    w.close()


def test_a_lent_function_replaces_the_students_for_the_block(student):
    F = student.module("common/functions.py")
    x = np.linspace(-3, 3, 7)
    with student.lending("common/functions.py", "sigmoid", into=F):
        got = F.uses_sigmoid(x)
    np.testing.assert_allclose(got, 2 / (1 + np.exp(-x)), rtol=1e-15)
    with pytest.raises(StudentError, match="not implemented|not yet"):
        F.uses_sigmoid(x)  # the student's own again


def test_a_kept_part_answers_nothing_after_the_loan(student):
    F = student.module("common/functions.py")
    with student.lending("common/functions.py", "sigmoid") as book:
        F.keep(book["sigmoid"])
        assert F.call_kept(np.zeros(2)).tolist() == [0.5, 0.5]
    with pytest.raises(StudentError, match="not lent"):
        F.call_kept(np.zeros(2))


def test_a_lent_layer_keeps_state_in_the_worker_and_shares_arrays(student, reference):
    F = student.module("common/functions.py")
    rng = np.random.default_rng(0)
    W, b, x, dout = rng.normal(size=(5, 4)), rng.normal(size=4), rng.normal(size=(3, 5)), rng.normal(size=(3, 4))
    params = student.put({"W": W, "b": b})
    with student.lending("common/layers.py", "Affine") as book:
        layer = F.build(book["Affine"], params.item_ref("W"), params.item_ref("b"))
        assert student.same(layer.ref("W"), params.item_ref("W"))
        out = layer.forward(x)
        dx = layer.backward(dout)
        dW = layer.dW
    ref = reference.module("common/layers.py").Affine(W, b)
    np.testing.assert_array_equal(out, ref.forward(x))
    np.testing.assert_array_equal(dx, ref.backward(dout))
    np.testing.assert_array_equal(dW, ref.dW)


def test_a_lent_dropout_draws_from_the_students_rng(student, reference):
    x = np.random.default_rng(1).normal(size=(4, 6))
    with student.lending("common/layers.py", "Dropout") as book:
        student.seed(3)
        layer = book["Dropout"](0.3)
        got = layer.forward(x)
        mask = layer.mask
    reference.seed(3)
    want = reference.module("common/layers.py").Dropout(0.3).forward(x)
    np.testing.assert_array_equal(got, want)
    assert mask.dtype == bool


def test_numerical_gradient_is_formed_in_the_judge_and_restores_x(student, reference):
    reference.seed(0)
    net = reference.module("ch05/two_layer_net.py").TwoLayerNet(4, 3, 2)
    x, t = np.random.default_rng(2).normal(size=(3, 4)), np.array([0, 1, 1])
    before = net.params
    grads = numeric.net_numerical_gradient(reference, net, x, t, ["W1", "b2"])
    analytic = net.gradient(x, t)
    for k in ("W1", "b2"):
        assert np.linalg.norm(grads[k] - analytic[k]) / np.linalg.norm(analytic[k]) < 1e-6
        assert np.array_equal(net.params[k], before[k])


def test_lent_numerical_gradient_perturbs_the_callers_array(student):
    x = student.put(np.array([3.0, 4.0]))
    F = student.module("common/functions.py")
    with student.lending("common/gradient.py", "numerical_gradient") as book:
        square = student.recipe("weighted_sum_closure", F.ref("call_kept"), [x], {}, np.ones(2),
                                handle=True)
        F.keep(F.ref("square"))  # call_kept(x) = x**2, reading the array being perturbed
        grad = book["numerical_gradient"](square, x)
    np.testing.assert_allclose(grad, [6.0, 8.0], rtol=1e-8)
    assert student.fetch(x).tolist() == [3.0, 4.0]
