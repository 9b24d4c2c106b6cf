"""The judge's points in nbgrader's gradebook (JudgeScores' core), on a real sqlite gradebook."""
from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from grader.course import layout, report_cell
from grader.course.course_dir import quiet_nbgrader, tools_on_path
from grader.course.scoring import ScoreMismatch, write_grades

SIGMOID, RELU = layout.cell_id("ch03.sigmoid"), layout.cell_id("ch03.relu")


def result(sigmoid=(9, 14), relu=None):
    rows = [{"exercise": "ch03.sigmoid", "title": "sigmoid | function", "section": "3.2.4",
             "points": sigmoid[0], "max_points": sigmoid[1], "message": "sigmoid(x): differs\nbadly",
             "hint": "exp(-x), not exp(x)"}]
    if relu:
        rows.append({"exercise": "ch03.relu", "title": "ReLU", "section": "3.2.7", "points": relu[0],
                     "max_points": relu[1], "message": "", "hint": ""})
    return {"chapter": "ch03", "suite_version": "abc", "curve": None, "curve_note": "",
            "report": {"score": sum(r["points"] for r in rows),
                       "max_score": sum(r["max_points"] for r in rows), "exercises": rows}}


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """A gradebook with ch03 (two judge cells, one instructor's cell) and one submission; made
    once (nbgrader runs `alembic` for a new database), copied for each test."""
    tools_on_path()
    quiet_nbgrader()
    path = tmp_path_factory.mktemp("gradebook") / "gradebook.db"
    with Gradebook(f"sqlite:///{path}", "dlfs") as gb:
        gb.update_or_create_assignment("ch03")
        gb.update_or_create_notebook("ch03", "ch03")
        for name, pts, kind in ((SIGMOID, 14, "code"), (RELU, 12, "code"), ("essay", 5, "markdown")):
            gb.update_or_create_grade_cell(name, "ch03", "ch03", max_score=pts, cell_type=kind)
            gb.update_or_create_source_cell(name, "ch03", "ch03", cell_type=kind, locked=True,
                                            source=f"# {name}", checksum="0")
        gb.add_student("ann")
        gb.add_submission("ch03", "ann")
    return path


@pytest.fixture
def gb(template, tmp_path):
    shutil.copyfile(template, tmp_path / "gradebook.db")
    with Gradebook(f"sqlite:///{tmp_path}/gradebook.db", "dlfs") as gb:
        yield gb


def test_auto_scores_are_the_judges_points(gb):
    notes = write_grades(gb, gb.find_notebook("ch03", "ch03"), "ch03", "ann", result(relu=(12, 12)))
    grade = gb.find_grade(SIGMOID, "ch03", "ch03", "ann")
    assert (grade.auto_score, grade.needs_manual_grade) == (9.0, False)
    assert gb.find_grade(RELU, "ch03", "ch03", "ann").auto_score == 12.0
    essay = gb.find_grade("essay", "ch03", "ch03", "ann")  # an instructor's own cell
    assert essay.auto_score is None and essay.needs_manual_grade
    assert gb.find_submission("ch03", "ann").score == 21.0 and notes == []


def test_an_exercise_without_result_scores_zero_and_says_so(gb):
    notes = write_grades(gb, gb.find_notebook("ch03", "ch03"), "ch03", "ann", result())
    assert gb.find_grade(RELU, "ch03", "ch03", "ann").auto_score == 0.0
    assert any("ch03.relu" in n for n in notes)


def test_points_that_disagree_with_the_judge_stop_autograde(gb):
    with pytest.raises(ScoreMismatch, match="build-sources"):
        write_grades(gb, gb.find_notebook("ch03", "ch03"), "ch03", "ann", result(sigmoid=(9, 15)))


def test_deleted_graded_cells_come_back(gb):
    notebook = gb.find_notebook("ch03", "ch03")
    nb = nbformat.v4.new_notebook()
    max_scores = {c.name: c.max_score for c in notebook.grade_cells}
    assert sorted(report_cell.restore_graded_cells(nb, notebook.source_cells, max_scores)) == \
        sorted([SIGMOID, RELU, "essay"])
    assert {c.metadata.nbgrader["points"] for c in nb.cells} == {14, 12, 5}
    assert report_cell.restore_graded_cells(nb, notebook.source_cells, max_scores) == []


def test_feedback_cell_shows_messages_not_code():
    cell = report_cell.feedback_cell(result(relu=(12, 12)), ["common/functions.py"], ["a note"], None)
    text = cell.source
    assert "ch03: 21 / 26 points" in text and "9 / 14" in text and "a note" in text
    assert "sigmoid(x): differs badly" in text and "hint: exp(-x), not exp(x)" in text
    assert "sigmoid \\| function" in text  # a | in a title does not break the table
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("old", id=report_cell.FEEDBACK_ID)])
    report_cell.put_first(nb, cell)
    assert [c.source for c in nb.cells] == [text]
