"""The whole loop as a new learner lives it: start, pytest fails with exercise ids, write one
chapter (here: the reference bodies of chapter 3 copied over the stubs), pytest and
`dlfs check ch03` pass, progress is remembered; a known mistake shows its hint prominently."""
from __future__ import annotations

import json
import shutil

import pytest

from study_support import SOLUTIONS, dlfs, fresh_scaffold, plant, pytest_in  # noqa: F401

pytestmark = pytest.mark.skipif(not (SOLUTIONS / "common").is_dir(), reason="needs solutions/")


@pytest.fixture
def workspace(fresh_scaffold, tmp_path):
    dest = tmp_path / "dlfs-work"
    res = dlfs("start", dest, cwd=tmp_path, scaffold_dir=fresh_scaffold)
    assert res.returncode == 0, res.stderr
    return dest


def test_a_new_learner_goes_around_the_loop(workspace):
    fresh = pytest_in(workspace, "-m", "ch03")
    assert fresh.returncode == 1, fresh.stdout[-2000:]
    assert "ch03.step_function is not implemented yet (common/functions.py, book section 3.2.3)" in fresh.stdout
    assert "where you are" in fresh.stdout and "next: ch03.step_function" in fresh.stdout

    everything = pytest_in(workspace)
    assert everything.returncode == 1 and "ch05.Affine.forward is not implemented yet" in everything.stdout

    before = dlfs("check", "ch03", cwd=workspace)
    assert before.returncode == 1, before.stderr
    assert "0 done,  0 partly,  6 not started" in before.stdout

    for rel in ("common/functions.py", "ch03/neuralnet_mnist.py"):  # the learner writes chapter 3
        shutil.copyfile(SOLUTIONS / rel, workspace / rel)

    done = pytest_in(workspace, "-m", "ch03")
    assert done.returncode == 0, done.stdout[-3000:]
    assert "next: `dlfs check ch03`" in done.stdout
    narrowed = pytest_in(workspace, "-k", "ch03")
    assert narrowed.returncode == 0, narrowed.stdout[-3000:]

    check = dlfs("check", "ch03", cwd=workspace)
    assert check.returncode == 0, check.stdout + check.stderr
    out = check.stdout
    assert "✓ ch03.softmax" in out and "100/100" in out
    assert "6 done,  0 partly,  0 not started" in out
    assert "not checked yet: dlfs check ch05" in out and "6 of 58 exercises done" in out
    saved = json.loads((workspace / ".dlfs" / "progress.json").read_text())
    assert saved["exercises"]["ch03.predict"]["status"] == "done"

    later = dlfs("check", "ch05", cwd=workspace)  # chapter 3 is still in the summary
    assert later.returncode == 1
    assert "(as of just now)" in later.stdout and "ch05.Affine.backward" in later.stdout


def test_a_known_mistake_is_shown_as_a_hint(workspace):
    shutil.copyfile(SOLUTIONS / "common/functions.py", workspace / "common/functions.py")
    plant(workspace, "common/functions.py", "x = x - np.max(x, axis=-1, keepdims=True)  # overflow guard",
          "x = x - np.max(x)")
    plant(workspace, "common/functions.py", "return np.exp(x) / np.sum(np.exp(x), axis=-1, keepdims=True)",
          "return np.exp(x) / np.sum(np.exp(x))")
    res = dlfs("check", "3", str(workspace), "--json", "report.json", cwd=workspace.parent)
    assert res.returncode == 1
    report = json.loads((workspace.parent / "report.json").read_text())
    hints = {t["hint_id"]: t["hint"] for t in report["tests"] if t["exercise"] == "ch03.softmax" and t["hint_id"]}
    assert "hint.softmax_whole_batch" in hints, hints
    lines = res.stdout.splitlines()
    shown = [l.strip() for l in lines if l.strip().startswith(">>> hint:")]
    assert shown and shown[0].removeprefix(">>> hint: ") in hints.values()
    assert "Known mistakes recognised in your code (fix these first):" in res.stdout
    assert any(l.startswith("  ch03.softmax: ") for l in lines)
    assert "Next: ch03.softmax" in res.stdout


def test_check_refuses_what_it_cannot_check(tmp_path, workspace):
    res = dlfs("check", "ch08", cwd=workspace)
    assert res.returncode == 2 and "unknown chapter 'ch08'" in res.stderr
    res = dlfs("check", cwd=tmp_path)
    assert res.returncode == 2 and "does not look like a dlfs workspace" in res.stderr
    res = dlfs("check", str(workspace), str(tmp_path), cwd=tmp_path)
    assert res.returncode == 2 and "more than one folder" in res.stderr


def test_public_tests_pass_on_the_book_s_code_in_every_chapter(workspace):
    for path in SOLUTIONS.rglob("*.py"):
        rel = path.relative_to(SOLUTIONS)
        if (workspace / rel).is_file():
            shutil.copyfile(path, workspace / rel)
    res = pytest_in(workspace)
    assert res.returncode == 0, res.stdout[-3000:]
    assert " passed" in res.stdout and "failed" not in res.stdout
