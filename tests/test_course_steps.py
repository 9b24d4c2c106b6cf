"""The course steps on one small course: init's config, release refusing solution code,
autograde's staging, and plain ``nbgrader autograde`` taking the judge's scores."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from grader.course import autograde, layout, release
from grader.course.course_dir import Course, CourseError, init_course

SOLUTIONS = Path(__file__).parents[1] / "solutions"


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Course:
    root = tmp_path_factory.mktemp("course")
    course = init_course(root / "course", "dlfs-test", root / "exchange")
    release.generate(course, "ch03")
    return course


def test_init_writes_plain_nbgrader_config(course):
    cfg = course.config()
    assert cfg.CourseDirectory.course_id == "dlfs-test"
    assert "common/functions.py" in cfg.Autograde.exclude_overwriting["ch05"]
    assert "dataset/mnist.py" not in cfg.Autograde.exclude_overwriting["ch05"]
    assert "grader.course.scoring.JudgeScores" in cfg.Autograde.autograde_preprocessors
    assert "nbgrader.preprocessors.ClearHiddenTests" in cfg.GenerateFeedback.preprocessors
    with pytest.raises(CourseError, match="--force"):
        init_course(course.root)


def test_release_with_solution_code_fails_and_hands_out_nothing(course):
    shutil.copyfile(SOLUTIONS / "common" / "layers.py", course.root / "source" / "ch05" / "common" / "layers.py")
    with pytest.raises(CourseError, match=r"(?s)contains solution.*common/layers.py:\d+: "):
        release.release(course, "ch05")
    assert not (course.root.parent / "exchange" / "dlfs-test" / "outbound" / "ch05").exists()


def submit(course: Course, student: str) -> Path:
    sub = course.path("submitted", student, "ch03")
    shutil.copytree(course.root / "release" / "ch03", sub)
    (sub / "timestamp.txt").write_text("2026-01-01 10:00:00.000000 UTC", encoding="utf-8")
    return sub


@pytest.mark.parametrize("damage, note", [
    (lambda p: p.unlink(), "was not in the submission"),
    (lambda p: p.write_text("{not json", encoding="utf-8"), "could not be read"),
])
def test_staging_replaces_a_missing_or_broken_notebook(course, damage, note):
    sub = submit(course, "dan")
    damage(sub / "ch03.ipynb")
    before = sorted(p.name for p in sub.iterdir())
    staged = autograde.stage(course, "ch03", "dan")
    nb = nbformat.read(staged / "ch03.ipynb", as_version=4)
    assert note in nb.metadata["dlfs"]["notebook_note"]
    assert len(nb.cells) > 10
    assert sorted(p.name for p in sub.iterdir()) == before, "submitted/ must stay as handed in"
    shutil.rmtree(sub.parent)


def test_staging_keeps_a_good_notebook(course):
    sub = submit(course, "eve")
    staged = autograde.stage(course, "ch03", "eve")
    assert (staged / "ch03.ipynb").read_bytes() == (sub / "ch03.ipynb").read_bytes()
    shutil.rmtree(sub.parent)


def test_plain_nbgrader_autograde_uses_the_judge(course):
    """`nbgrader autograde` as the instructor types it: JudgeScores grades on the spot."""
    from nbgrader.api import Gradebook

    from grader.judge.session import grade

    sub = submit(course, "fay")
    for rel in ("common/functions.py", "ch03/neuralnet_mnist.py"):
        shutil.copyfile(SOLUTIONS / rel, sub / rel)
    functions = sub / "common" / "functions.py"  # one bug: sigmoid with exp(x)
    functions.write_text(functions.read_text(encoding="utf-8").replace("np.exp(-x)", "np.exp(x)"),
                         encoding="utf-8")
    proc = subprocess.run([str(Path(sys.executable).parent / "nbgrader"), "autograde", "ch03"],
                          cwd=course.root, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = grade(sub, ["ch03"])
    assert 0 < report.score < report.max_score
    with Gradebook(course.api().coursedir.db_url, "dlfs-test") as gb:
        assert gb.find_submission("ch03", "fay").score == report.score
        for e in report.exercises():
            cell = layout.cell_id(e["exercise"])
            assert gb.find_grade(cell, "ch03", "ch03", "fay").auto_score == e["points"]
    assert (course.results("ch03") / "fay.json").is_file()
