"""dlfs grade-batch: a class graded, killed with SIGKILL, restarted: the same grades.csv."""
from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from grader.batch import discover, fingerprint, run_batch
from grader.batch.zips import UnsafeZip, ZipLimits, extract

SOLUTIONS = Path(__file__).parents[1] / "solutions"
SIGMOID = ("return 1 / (1 + np.exp(-x))", "return 1 / (1 + np.exp(x))")
RELU = ("return np.maximum(0, x)", "return np.maximum(x, 0) * 0")


def make_class(root: Path, n: int) -> Path:
    """n students: correct ones, buggy ones (sigmoid / relu), zips, an empty folder, a bad zip."""
    root.mkdir()
    ignore = shutil.ignore_patterns("__pycache__")
    for i in range(n):
        name = f"s{i:02d}"
        dest = root / name
        kind = i % 5
        if kind == 3:
            (root / name).mkdir()  # an empty folder
            continue
        if kind == 4 and i % 2:
            (root / f"{name}.zip").write_bytes(b"PK\x03\x04 not really a zip")
            continue
        shutil.copytree(SOLUTIONS, dest, ignore=ignore)
        bug = {1: SIGMOID, 2: RELU}.get(kind)
        if bug:
            f = dest / "common" / "functions.py"
            f.write_text(f.read_text().replace(*bug))
        if kind == 4:
            shutil.make_archive(str(root / name), "zip", root, name)
            shutil.rmtree(dest)
    return root


def batch_cmd(submissions: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "grader.cli", "grade-batch", str(submissions), "--out", str(out),
            "--workers", "2", "--chapter", "ch03", "--no-sandbox"]


def test_sigkill_and_restart_give_the_same_csv(tmp_path):
    klass = make_class(tmp_path / "class", 20)
    whole, resumed = tmp_path / "whole", tmp_path / "resumed"
    subprocess.run(batch_cmd(klass, whole), check=True, capture_output=True, timeout=600)

    proc = subprocess.Popen(batch_cmd(klass, resumed), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    reports = resumed / "reports"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if reports.is_dir() and len(list(reports.glob("*.json"))) >= 5:
            break
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    killed_with = len(list(reports.glob("*.json")))
    assert 5 <= killed_with < 20, "the kill should land mid-batch"

    out = subprocess.run(batch_cmd(klass, resumed), check=True, capture_output=True, text=True,
                         timeout=600).stdout
    assert f"{killed_with} already graded" in out
    assert (resumed / "grades.csv").read_text() == (whole / "grades.csv").read_text()
    rows = (whole / "grades.csv").read_text().splitlines()
    assert len(rows) == 21 and len({r.split(",")[0] for r in rows}) == 21  # no duplicate, none lost
    assert not list(reports.glob(".*.tmp"))


def test_failures_are_reported_and_the_rest_go_on(tmp_path):
    klass = make_class(tmp_path / "class", 10)
    summary = run_batch(klass, tmp_path / "out", workers=2, chapters=["ch03"], sandbox="none")
    assert summary.total == 10 and summary.graded == 10
    assert [s for s, _ in summary.failures] == ["s09"]  # the unreadable zip
    csv = {line.split(",")[0]: line.split(",") for line in
           (tmp_path / "out" / "grades.csv").read_text().splitlines()[1:]}
    assert csv["s00"][1] == csv["s04"][1] == csv["s05"][1]  # folder and zip graded alike
    assert int(csv["s01"][1]) < int(csv["s00"][1]) and int(csv["s02"][1]) < int(csv["s00"][1])
    assert csv["s03"][1] == "0" and csv["s03"][3] == "graded"  # an empty folder scores 0
    assert csv["s09"][3] == "error"
    again = run_batch(klass, tmp_path / "out", workers=2, chapters=["ch03"], sandbox="none")
    assert again.graded == 0 and again.skipped == 10
    f = klass / "s01" / "common" / "functions.py"
    f.write_text(f.read_text().replace(*reversed(SIGMOID)))  # the student resubmits
    assert run_batch(klass, tmp_path / "out", chapters=["ch03"], sandbox="none").graded == 1


def test_discover_names_and_notes(tmp_path):
    (tmp_path / "a b").mkdir()
    (tmp_path / "a b.zip").write_bytes(b"")
    (tmp_path / "readme.txt").write_text("x")
    (tmp_path / "link").symlink_to(tmp_path / "a b")
    jobs, notes = discover(tmp_path)
    assert [j.student for j in jobs] == ["a_b"]
    assert any("second submission" in n for n in notes)
    assert any("readme.txt" in n for n in notes) and any("link" in n for n in notes)


def test_fingerprint_changes_with_content(tmp_path):
    (tmp_path / "common").mkdir()
    f = tmp_path / "common" / "functions.py"
    f.write_text("a")
    before = fingerprint(tmp_path)
    f.write_text("b")
    assert fingerprint(tmp_path) != before


def _zip(path: Path, members: dict, links=()) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
        for name in links:
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            z.writestr(info, "/etc/passwd")
    return path


@pytest.mark.parametrize("members,links,match", [
    ({"../evil.py": "x"}, (), "outside"),
    ({"/abs/evil.py": "x"}, (), "outside"),
    ({"common/x.py": "x"}, ("common/link",), "symbolic link"),
    ({"bomb.txt": "0" * (80 * 2**20)}, (), "zip bomb"),
    ({f"f{i}.py": "" for i in range(30)}, (), "files"),
])
def test_unsafe_zips_are_refused(tmp_path, members, links, match):
    archive = _zip(tmp_path / "s.zip", members, links)
    with pytest.raises(UnsafeZip, match=match):
        extract(archive, tmp_path / "out", ZipLimits(max_files=20, max_file_bytes=100 * 2**20))
    assert not (tmp_path / "evil.py").exists()


def test_zip_with_a_top_folder_finds_the_submission_root(tmp_path):
    archive = _zip(tmp_path / "s.zip", {"alice/common/__init__.py": "", "alice/common/functions.py": ""})
    assert extract(archive, tmp_path / "out") == tmp_path / "out" / "alice"


def test_dask_executor_gives_the_same_grades_as_the_local_pool(tmp_path):
    pytest.importorskip("distributed")
    from grader.batch.dask_executor import DaskExecutor

    klass = make_class(tmp_path / "class", 6)
    run_batch(klass, tmp_path / "local", workers=2, chapters=["ch03"], sandbox="none")
    executor = DaskExecutor("local", workers=2)
    try:
        run_batch(klass, tmp_path / "dask", chapters=["ch03"], sandbox="none", executor=executor)
    finally:
        executor.close()
    assert (tmp_path / "dask" / "grades.csv").read_text() == (tmp_path / "local" / "grades.csv").read_text()
