"""dlfs grade end to end: full marks for the reference, zero for the scaffold, the same JSON every
time, and a complete report whatever the submission does."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grader import exercises
from grader.judge.session import grade

ROOT = Path(__file__).parents[1]
SOLUTIONS, SCAFFOLD = ROOT / "solutions", ROOT / "scaffold"


def dlfs(*args, timeout=900) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "grader.cli", *args], capture_output=True,
                          text=True, timeout=timeout)


def stable(report: dict) -> dict:
    """What must not change between runs: scores, outcomes, messages."""
    return {"score": report["score"], "max_score": report["max_score"],
            "tests": [(t["id"], t["points"], t["outcome"], t["message"]) for t in report["tests"]]}


@pytest.fixture(scope="module")
def reference_report(tmp_path_factory):
    out = tmp_path_factory.mktemp("ref") / "r.json"
    result = dlfs("grade", str(SOLUTIONS), "--json", str(out))
    assert result.returncode == 0, result.stderr
    return json.loads(out.read_text())


def test_reference_gets_full_marks(reference_report):
    assert reference_report["score"] == reference_report["max_score"] > 0
    graded = {t["exercise"] for t in reference_report["tests"]}
    assert graded == set(exercises.BY_ID), f"no hidden test for {set(exercises.BY_ID) - graded}"
    for t in reference_report["tests"]:
        assert set(t) >= {"id", "exercise", "points", "max_points", "outcome", "message"}
        assert t["outcome"] == "passed", t


def test_scaffold_gets_zero_and_every_failure_names_its_exercise(tmp_path):
    out = tmp_path / "s.json"
    assert dlfs("grade", str(SCAFFOLD), "--json", str(out)).returncode == 0
    report = json.loads(out.read_text())
    assert report["score"] == 0 and report["max_score"] > 0
    for t in report["tests"]:
        assert t["outcome"] == "failed", t
        assert t["exercise"] in t["message"] or "blocked" in t["message"] or \
            any(u in t["message"] for u in exercises.get(t["exercise"]).uses), t


@pytest.mark.parametrize("chapter", exercises.CHAPTERS)
def test_grading_is_deterministic(chapter, reference_report):
    """A second grading of each chapter equals the CLI's full grading, row for row."""
    again = stable(grade(SOLUTIONS, [chapter]).to_json())["tests"]
    first = [(t["id"], t["points"], t["outcome"], t["message"]) for t in reference_report["tests"]
             if exercises.get(t["exercise"]).chapter == chapter]
    assert again == first


def test_a_buggy_submission_is_graded_the_same_twice(tmp_path):
    bug = tmp_path / "bug"
    shutil.copytree(SOLUTIONS, bug, ignore=shutil.ignore_patterns("__pycache__"))
    f = bug / "common" / "layers.py"
    f.write_text(f.read_text().replace("out[self.mask] = 0", "out[self.mask] = 0.5", 1))
    runs = [stable(grade(bug, ["ch05"]).to_json()) for _ in range(2)]
    assert runs[0] == runs[1] and runs[0]["score"] < runs[0]["max_score"]


def test_five_runs_same_json(tmp_path):
    reports = []
    for i in range(5):
        out = tmp_path / f"r{i}.json"
        assert dlfs("grade", str(SOLUTIONS), "--chapter", "ch04", "--json", str(out)).returncode == 0
        reports.append(stable(json.loads(out.read_text())))
    assert all(r == reports[0] for r in reports)


MISBEHAVING = {
    "hangs": "def softmax(x):\n    while True:\n        pass\n",
    "exits": "import os\ndef softmax(x):\n    os._exit(0)\n",
    "raises_on_import": "raise ImportError('nope')\n",
    "prints_megabytes": "import sys\nfor _ in range(100):\n    print('x' * 100000)\n"
                        "def softmax(x):\n    sys.stderr.write('y' * 10**6)\n    return x\n",
}


@pytest.mark.parametrize("kind", MISBEHAVING)
def test_misbehaving_submission_gets_a_complete_report(kind, tmp_path):
    sub = tmp_path / "sub"
    shutil.copytree(SOLUTIONS, sub, ignore=shutil.ignore_patterns("__pycache__"))
    f = sub / "common" / "functions.py"
    text = f.read_text()
    f.write_text(text + "\n" + MISBEHAVING[kind] if kind != "raises_on_import"
                 else MISBEHAVING[kind] + text)
    from grader.worker.sandbox import Limits

    report = grade(sub, ["ch03"], limits=Limits(call_timeout=3.0)).to_json()
    ref = grade(SOLUTIONS, ["ch03"]).to_json()
    assert [t["id"] for t in report["tests"]] == [t["id"] for t in ref["tests"]]
    softmax = [t for t in report["tests"] if t["exercise"] == "ch03.softmax"]
    assert all(t["message"] for t in report["tests"])
    assert sum(t["points"] for t in softmax) < sum(t["max_points"] for t in softmax)
    if kind != "raises_on_import":  # the other exercises of the file are untouched
        others = [e for e in report["exercises"] if e["exercise"] != "ch03.softmax"]
        assert all(e["points"] == e["max_points"] for e in others), others
    if kind == "hangs":
        assert any("did not finish" in t["message"] for t in softmax)


def test_cli_errors_when_grading_cannot_run(tmp_path):
    zipfile = tmp_path / "sub.zip"
    zipfile.write_bytes(b"PK")
    result = dlfs("grade", str(zipfile))
    assert result.returncode != 0 and "is not a folder" in result.stderr
    result = dlfs("grade", str(tmp_path / "missing"))
    assert result.returncode != 0 and "is not a folder" in result.stderr


def test_missing_module_is_that_exercises_failure(tmp_path):
    sub = tmp_path / "sub"
    shutil.copytree(SOLUTIONS, sub, ignore=shutil.ignore_patterns("__pycache__"))
    (sub / "ch05" / "layer_naive.py").unlink()
    report = grade(sub, ["ch05"]).to_json()
    for e in report["exercises"]:
        if exercises.get(e["exercise"]).file == "ch05/layer_naive.py":
            assert e["points"] == 0 and "ch05/layer_naive.py not found" in e["message"]
        else:
            assert e["points"] == e["max_points"], e
