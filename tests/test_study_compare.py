"""`dlfs compare EXERCISE [DIR]`: every exercise has a probe; the reference agrees with itself;
a stub and a planted bug show up where they are."""
from __future__ import annotations

import numpy as np
import pytest

from grader import exercises
from grader.study import compare
from grader.study.probes import BY_ID, PROBES
from grader.study.workspace import StudyError
from grader.worker.client import Worker
from study_support import dlfs, fresh_scaffold, plant, reference_copy  # noqa: F401  (fixture)


def test_every_exercise_has_exactly_one_probe():
    assert [p.exercise for p in PROBES] == [e.id for e in exercises.EXERCISES]
    assert len(BY_ID) == len(PROBES) == 58


def test_inputs_are_deterministic():
    for p in PROBES[:10]:
        a, b = p.make_inputs(), p.make_inputs()
        for k in a:
            if isinstance(a[k], np.ndarray):
                assert np.array_equal(a[k], b[k]), (p.exercise, k)


@pytest.fixture(scope="module")
def reference():
    with compare.reference_worker() as w:
        yield w


@pytest.fixture(scope="module")
def learner_reference(tmp_path_factory):
    """The reference solutions as a learner's folder (a plain, limited worker on a copy)."""
    with Worker(reference_copy(tmp_path_factory.mktemp("learner") / "ws")) as w:
        yield w


@pytest.mark.parametrize("exercise_id", list(BY_ID))
def test_the_reference_as_learner_is_the_same_everywhere(exercise_id, learner_reference, reference):
    c = compare.run_probe(BY_ID[exercise_id], learner_reference, reference)
    assert not c.learner.error and not c.reference.error, (c.learner.error, c.reference.error)
    assert c.learner.outputs and c.same, c.differences()
    assert "✗" not in compare.render(c)


def test_stubs_say_not_implemented(fresh_scaffold, reference):
    with Worker(fresh_scaffold) as stub:
        for p in PROBES:
            c = compare.run_probe(p, stub, reference)
            assert "NotImplementedError" in c.learner.error, (p.exercise, c.learner.error)
            assert not c.reference.error and c.reference.outputs, p.exercise
            assert "yours: raised NotImplementedError" in compare.render(c)


def test_a_planted_bug_shows_in_its_output_only(tmp_path):
    ws = plant(reference_copy(tmp_path / "ws"), "common/layers.py", "self.dW = np.dot(self.x.T, dout)",
               "self.dW = np.dot(dout.T, self.x)")
    c = compare.compare("ch05.Affine.backward", ws)
    err = c.differences()
    assert err["dx"] == 0.0 and err["db"] == 0.0 and err["dW"] == float("inf")
    text = compare.render(c)
    assert "✗ different shapes: yours (4, 5), reference (5, 4)" in text
    assert text.count("✓ same") == 2 and "some outputs differ" in text


def test_values_that_differ_show_both_numbers(tmp_path):
    ws = plant(reference_copy(tmp_path / "ws"), "common/optimizer.py",
               "self.v[key] = self.momentum*self.v[key] - self.lr*grads[key]",
               "self.v[key] = self.momentum*self.v[key] + self.lr*grads[key]")
    c = compare.compare("ch06.Momentum.update", ws)
    text = compare.render(c)
    assert "params after 1 update['W']" in text and "✗ different" in text
    assert c.differences()["params after 3 updates['b']"] > 0.1


def test_cli_compare(tmp_path):
    ws = reference_copy(tmp_path / "ws")
    res = dlfs("compare", "ch03.softmax", ws, cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert "yours" in res.stdout and "reference" in res.stdout and "relative error 0" in res.stdout
    assert "all outputs are the same as the reference's" in res.stdout
    res = dlfs("compare", "ch05.affine.backward", ws, cwd=tmp_path)
    assert res.returncode == 2 and "did you mean ch05.Affine.backward" in res.stderr
    with pytest.raises(StudyError, match="unknown exercise 'softmax'.*ch03.softmax"):
        compare.probe("softmax")
