"""The judge on many submissions: what is graded, when a result is reused, failures, parallel."""
from __future__ import annotations

import shutil
from pathlib import Path

from grader.course import judging, layout

SOLUTIONS = Path(__file__).parents[1] / "solutions"
SOURCE = layout.SOURCES / "ch03"
KEEP = ["ch03/neuralnet_mnist.py", "common/functions.py"]


def submission(root: Path, name: str) -> Path:
    """A ch03 submission as nbgrader collects it: the release with the reference modules."""
    sub = root / "submitted" / name / "ch03"
    shutil.copytree(SOURCE, sub)
    for rel in KEEP:
        shutil.copyfile(SOLUTIONS / rel, sub / rel)
    return sub


def task(root: Path, name: str) -> judging.Task:
    files = judging.graded_files(root / "submitted" / name / "ch03", SOURCE, KEEP)
    return judging.Task(name, "ch03", {k: str(v) for k, v in files.items()},
                        root / "results" / f"{name}.json", judging.digest(files))


def test_graded_files_keep_student_files_and_restore_the_rest(tmp_path):
    sub = submission(tmp_path, "ann")
    (sub / "dataset" / "mnist.py").write_text("raise SystemExit('tampered')\n", encoding="utf-8")
    files = judging.graded_files(sub, SOURCE, KEEP)
    assert files["common/functions.py"] == sub / "common/functions.py"
    assert files["dataset/mnist.py"] == SOURCE / "dataset/mnist.py"
    assert "ch03.ipynb" not in files


def test_digest_follows_content(tmp_path):
    sub = submission(tmp_path, "ann")
    before = judging.digest(judging.py_files(sub))
    (sub / "common" / "functions.py").write_text("# changed\n", encoding="utf-8")
    assert judging.digest(judging.py_files(sub)) != before


def test_results_are_reused_until_the_files_change(tmp_path):
    sub = submission(tmp_path, "ann")
    first = judging.run([task(tmp_path, "ann")])
    assert first[0].status == "graded" and first[0].score == first[0].max_score > 0
    assert judging.run([task(tmp_path, "ann")])[0].status == "reused"
    assert judging.run([task(tmp_path, "ann")], force=True)[0].status == "graded"
    functions = sub / "common" / "functions.py"
    functions.write_text(functions.read_text(encoding="utf-8").replace("np.exp(-x)", "np.exp(x)"),
                         encoding="utf-8")
    again = judging.run([task(tmp_path, "ann")])[0]
    assert again.status == "graded" and again.score < first[0].score
    assert not list((tmp_path / "results").glob(".*.tmp")), "no half-written result left behind"


def test_a_failing_student_is_reported_and_the_rest_go_on(tmp_path):
    submission(tmp_path, "ann")
    submission(tmp_path, "bea")
    broken = task(tmp_path, "bea")
    broken.files["common/functions.py"] = str(tmp_path / "gone.py")  # vanished under our feet
    seen = []
    out = judging.run([broken, task(tmp_path, "ann")], jobs=2, progress=lambda d, t, s: seen.append(d))
    assert [o.status for o in out] == ["failed", "graded"]
    assert "gone.py" in out[0].error
    assert judging.load_result(tmp_path / "results" / "bea.json") is None
    assert judging.load_result(tmp_path / "results" / "ann.json")["report"]["score"] == out[1].score
    assert seen[-1] == 2


RUNNER = """
import sys
from pathlib import Path
sys.path.insert(0, {tests!r})
from test_course_judging import task
from grader.course import judging
root = Path({root!r})
out = judging.run([task(root, n) for n in ("ann", "bea", "cid")])
print(" ".join(o.status for o in out))
"""


def test_ctrl_c_stops_the_run_and_loses_nothing(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    for name in ("ann", "bea", "cid"):
        submission(tmp_path, name)
    code = RUNNER.format(tests=str(Path(__file__).parent), root=str(tmp_path))
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    first = tmp_path / "results" / "ann.json"
    deadline = time.monotonic() + 120
    while not first.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C while bea is being graded
    out, err = proc.communicate(timeout=60)
    assert proc.returncode != 0 and "KeyboardInterrupt" in err, out + err
    assert judging.load_result(first) is not None
    assert not list((tmp_path / "results").glob(".*.tmp"))
    statuses = judging.run([task(tmp_path, n) for n in ("ann", "bea", "cid")])
    assert [o.status for o in statuses][0] == "reused"
    assert all(o.status in ("reused", "graded") for o in statuses)
