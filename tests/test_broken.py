"""Broken submissions (tests/broken/cases.py) are graded, with a clear message per lost
exercise and the expected points, under the launcher `dlfs grade` uses by default."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile

import pytest

from attacks.harness import REPO_SOLUTIONS, expected_points
from broken.cases import CASES
from grader.judge.session import GradingError, grade
from grader.worker.bwrap import select_launcher


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_broken_submission(case, tmp_path):
    root = tmp_path / "submission"
    shutil.copytree(REPO_SOLUTIONS, root, ignore=shutil.ignore_patterns("__pycache__"))
    case.patch(root)
    report = grade(root, [case.chapter], launcher=select_launcher())
    got = {e["exercise"]: e for e in report.exercises()}
    want = expected_points(case.chapter, case.lose)
    assert {ex: e["points"] for ex, e in got.items()} == want
    assert report.score == sum(want.values())
    internal = [r.message.text for r in report.rows if r.outcome == "error"]
    assert not internal, f"the judge itself failed: {internal}"
    for ex in want:
        if ("*" in case.lose or ex in case.lose) and got[ex]["max_points"]:
            message = got[ex]["message"]
            assert message and len(message) < 3000, (ex, message)
            assert re.search(case.says, message), f"{ex}: {message!r} does not match {case.says!r}"
    if case.note:
        assert any(re.search(case.note, n) for n in report.notes), report.notes
    assert len(repr(report.to_json())) < 1_000_000


def test_a_zip_instead_of_a_folder(tmp_path):
    archive = tmp_path / "submission.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(REPO_SOLUTIONS / "common" / "functions.py", "common/functions.py")
    with pytest.raises(GradingError, match="is not a folder"):
        grade(archive, ["ch04"])
    done = subprocess.run([sys.executable, "-m", "grader.cli", "grade", str(archive), "--chapter", "ch04"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode != 0 and "is not a folder" in done.stderr, (done.returncode, done.stderr)


def test_a_missing_path(tmp_path):
    with pytest.raises(GradingError, match="is not a folder"):
        grade(tmp_path / "nowhere", ["ch04"])
