"""How the judge's points get into nbgrader's gradebook: the ``JudgeScores`` preprocessor.

nbgrader's Autograde app runs it (configured as ``Autograde.autograde_preprocessors``) on each
sanitized submission, in place of executing the notebook. For the submission's folder
(``autograded/<student>/chNN``: the student's modules, provided files restored) it takes the
stored judge result when its digest matches (``dlfs course autograde`` grades in parallel
first), or grades now (plain ``nbgrader autograde``). Then, for every graded cell of the
notebook *in the gradebook* — whether or not the student kept it — it sets
``Grade.auto_score`` to the judge's points for that exercise. The notebook itself is never
run, so a notebook that prints to stderr, lost its cells or raised cannot cost a point.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from nbgrader.api import Gradebook
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Unicode

from grader import exercises
from grader.course import judging, layout, report_cell
from grader.i18n import set_language
from grader.messages import msg


class ScoreMismatch(RuntimeError):
    """The gradebook's points for a cell are not the judge's maximum for its exercise."""


def judge_points(result: dict) -> dict[str, tuple[int, int]]:
    """{exercise id: (points, max points)} of a stored result."""
    return {e["exercise"]: (e["points"], e["max_points"]) for e in result["report"]["exercises"]}


def write_grades(gb: Gradebook, notebook, assignment: str, student: str, result: dict) -> list[str]:
    """Set the auto score of each graded cell of ``notebook`` (a gradebook Notebook) for the
    student from the judge result; returns notes for the feedback. Cells that are not the
    judge's (an instructor's own) are left for manual grading."""
    points, notes = judge_points(result), []
    for cell in notebook.grade_cells:
        grade = gb.find_grade(cell.name, notebook.name, assignment, student)
        exercise = layout.exercise_of_cell(cell.name)
        if exercise is None:
            grade.auto_score, grade.needs_manual_grade = None, True
            continue
        if exercise not in points:
            grade.auto_score, grade.needs_manual_grade = 0.0, True
            notes.append(msg("course.no_result", exercise=exercise).text)
            continue
        got, most = points[exercise]
        if float(most) != float(cell.max_score):
            raise ScoreMismatch(
                f"{assignment}: cell {cell.name} is worth {cell.max_score:g} points in the "
                f"gradebook but the judge's maximum for {exercise} is {most} (suite version "
                f"{result['suite_version']}): run `dlfs course build-sources`, copy the new "
                f"source into the course and release the assignment again")
        grade.auto_score = float(got)
        grade.needs_manual_grade = grade.manual_score is not None
    gb.db.commit()
    return notes


class JudgeScores(NbGraderPreprocessor):
    """nbgrader preprocessor: the dlfs judge's points as the autograder's scores."""

    results_directory = Unicode(
        "dlfs/results", help="Folder of the stored judge results (chNN/<student>.json), "
        "relative to the course root").tag(config=True)
    lang = Unicode(
        "", help="Language of the feedback: en, ko or ja (default: $DLFS_LANG, then the locale). "
        "Results the judge stored earlier keep the language they were graded in.").tag(config=True)

    def _result(self, folder: Path, chapter: str, student: str) -> tuple[dict, Path]:
        """(the judge result for the folder's files, where its learning-curve PNG would be)."""
        out = Path(self.results_directory)
        out = (out if out.is_absolute() else Path.cwd() / out) / chapter / f"{student}.json"
        files = judging.py_files(folder)
        d = judging.digest(files)
        result = judging.load_result(out)
        if not judging.is_current(result, d):
            self.log.info("Grading %s/%s with the dlfs judge", student, chapter)
            judging.judge(judging.Task(student, chapter, {k: str(v) for k, v in files.items()}, out, d))
            result = judging.load_result(out)
        return result, out.with_suffix(".png")

    def preprocess(self, nb, resources):
        set_language(self.lang or None)
        info = resources["nbgrader"]
        student, chapter, name = info["student"], info["assignment"], info["notebook"]
        if chapter not in exercises.CHAPTERS:
            raise ValueError(f"assignment {chapter!r} is not a dlfs chapter "
                             f"({', '.join(exercises.CHAPTERS)})")
        folder = Path(resources["metadata"]["path"]).resolve()
        result, curve_png = self._result(folder, chapter, student)
        notes = [n for n in [nb.metadata.get("dlfs", {}).get("notebook_note")] if n]
        with Gradebook(info["db_url"]) as gb:
            notebook = gb.find_notebook(name, chapter)
            max_scores = {c.name: c.max_score for c in notebook.grade_cells}
            restored = report_cell.restore_graded_cells(nb, notebook.source_cells, max_scores)
            notes += write_grades(gb, notebook, chapter, student, result)
        if restored:
            notes.append(msg("course.cells_restored", cells=", ".join(restored)).text)
        png = None
        if result.get("curve_png") and curve_png.is_file():
            png = folder / "learning_curve.png"
            shutil.copyfile(curve_png, png)
        files = sorted({e.file for e in exercises.of_chapter(chapter)})
        report_cell.put_first(nb, report_cell.feedback_cell(result, files, notes, png))
        return nb, resources
