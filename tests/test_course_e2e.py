"""A whole nbgrader course, headless, with real nbgrader commands and its own exchange:

init → release ch05 → three students fetch and submit through the exchange (the reference
modules, the reference with a planted bug, the untouched scaffold; with a noisy, an empty and a
deleted notebook) → collect → autograde (the judge, 2 at a time) → feedback → export.
The CSV must hold exactly what ``grade()`` gives on the students' folders, and nothing handed to
students may contain solution or hidden-test code.
"""
from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grader import cli
from grader.course import leaks
from grader.judge.session import grade

from bugs.ch05 import BUGS

SOLUTIONS = Path(__file__).parents[1] / "solutions"
NBGRADER = str(Path(sys.executable).parent / "nbgrader")
CH = "ch05"
BUG = next(b for b in BUGS if b.exercise == "ch05.Affine.backward")

pytestmark = pytest.mark.slow


def student_env(home: Path) -> dict:
    """A student's own HOME and Jupyter folders: nothing of the instructor's config leaks in."""
    env = dict(os.environ, HOME=str(home), JUPYTER_CONFIG_DIR=str(home / ".jupyter"),
               JUPYTER_DATA_DIR=str(home / ".local"))
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    return env


def as_students(tmp: Path, exchange: Path, names: list[str], *argv: str) -> None:
    """Run ``nbgrader ARGV`` for each student at once, each in their home with their id."""
    procs = []
    for name in names:
        home = tmp / name
        home.mkdir(exist_ok=True)
        (home / "nbgrader_config.py").write_text(
            "c = get_config()\n"
            "c.CourseDirectory.course_id = 'dlfs'\n"
            f"c.CourseDirectory.student_id = {name!r}\n"
            f"c.Exchange.root = {str(exchange)!r}\n"
            f"c.Exchange.cache = {str(home / '.cache')!r}\n")
        procs.append(subprocess.Popen([NBGRADER, *argv], cwd=home, env=student_env(home),
                                      stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
    for name, p in zip(names, procs):
        out, _ = p.communicate(timeout=120)
        assert p.returncode == 0, f"nbgrader {' '.join(argv)} as {name} failed:\n{out}"


def dlfs(*argv: str) -> None:
    assert cli.main(list(argv)) == 0, f"dlfs {' '.join(argv)} failed"


def use_solutions(folder: Path) -> None:
    for p in folder.rglob("*.py"):
        shutil.copyfile(SOLUTIONS / p.relative_to(folder), p)


def noisy_notebook(path: Path) -> None:
    """The student ran cells that printed to stderr and raised, outputs saved."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"] = [{"output_type": "stream", "name": "stderr", "text": "warning!\n"},
                               {"output_type": "error", "ename": "ValueError", "evalue": "boom",
                                "traceback": []}]
    path.write_text(json.dumps(nb), encoding="utf-8")


def test_course_end_to_end(tmp_path):
    course, exchange = tmp_path / "course", tmp_path / "exchange"
    dlfs("course", "init", str(course), "--exchange", str(exchange))
    dlfs("course", "release", CH, "--course-dir", str(course))
    assert leaks.leaks(course / "release" / CH) == []
    assert leaks.leaks(exchange / "dlfs" / "outbound" / CH) == []

    students = ["alice", "bob", "carol"]
    as_students(tmp_path, exchange, students, "fetch_assignment", CH)
    alice, bob, carol = (tmp_path / s / CH for s in students)
    use_solutions(alice)
    noisy_notebook(alice / f"{CH}.ipynb")
    use_solutions(bob)
    layers = bob / BUG.file
    layers.write_text(layers.read_text(encoding="utf-8").replace(BUG.old, BUG.new), encoding="utf-8")
    (bob / f"{CH}.ipynb").write_text(json.dumps(
        {"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}), encoding="utf-8")
    (carol / f"{CH}.ipynb").unlink()  # carol hands in the untouched stubs and no notebook
    as_students(tmp_path, exchange, students, "submit", CH)

    dlfs("course", "collect", CH, "--course-dir", str(course))
    dlfs("course", "autograde", CH, "--course-dir", str(course), "--jobs", "2")
    dlfs("course", "feedback", CH, "--course-dir", str(course))
    dlfs("course", "export", "--course-dir", str(course), "--to", str(tmp_path / "grades.csv"),
         "--per-exercise", str(tmp_path / "exercises.csv"))

    expected = {s: grade(tmp_path / s / CH, [CH]) for s in students}
    rows = {r["student_id"]: r for r in csv.DictReader(open(tmp_path / "grades.csv"))
            if r["assignment"] == CH}
    scores = {s: float(rows[s]["score"]) for s in students}
    assert scores == {s: float(r.score) for s, r in expected.items()}
    assert scores["alice"] == float(rows["alice"]["max_score"]) == expected["alice"].max_score
    assert 0 < scores["bob"] < scores["alice"]
    assert scores["carol"] == 0
    per_ex = {(r["student_id"], r["exercise"]): float(r["points"])
              for r in csv.DictReader(open(tmp_path / "exercises.csv")) if r["assignment"] == CH}
    for s, report in expected.items():
        assert {e["exercise"]: float(e["points"]) for e in report.exercises()} == \
            {ex: p for (who, ex), p in per_ex.items() if who == s}

    feedback = course / "feedback"
    assert not list(feedback.rglob("*.py")), "students' modules must stay out of the feedback"
    assert leaks.leaks(feedback) == []
    html = {s: (feedback / s / CH / f"{CH}.html").read_text(encoding="utf-8") for s in students}
    for s, report in expected.items():
        assert f"{CH}: {report.score} / {report.max_score} points" in html[s]
    assert "Affine.backward" in html["bob"]
    assert "was not in the submission" in html["carol"]
    assert (feedback / "alice" / CH / "learning_curve.png").is_file()
    assert "No learning curve" in html["carol"]
