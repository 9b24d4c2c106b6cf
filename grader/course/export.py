"""``dlfs course export``: nbgrader's CSV of totals, plus the judge's points per exercise.

``grades.csv`` is exactly what ``nbgrader export`` writes (nbgrader's CsvExportPlugin on the
gradebook). ``ExerciseCsvExportPlugin`` adds one row per student, assignment and exercise; it is
an nbgrader export plugin, so ``nbgrader export --exporter=grader.course.export.ExerciseCsvExportPlugin``
works too.
"""
from __future__ import annotations

import csv
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.plugins.export import CsvExportPlugin, ExportPlugin

from grader.course import layout
from grader.course.course_dir import Course

EXERCISE_COLUMNS = ["assignment", "student_id", "exercise", "points", "max_points"]


class ExerciseCsvExportPlugin(ExportPlugin):
    """Per-exercise CSV: the auto (or manual, when a grader overrode it) score of every judge
    cell; a student who did not submit gets 0."""

    def export(self, gradebook: Gradebook) -> None:
        dest = self.to or "grades_per_exercise.csv"
        with open(dest, "w", newline="", encoding="utf-8") as fh:
            out = csv.writer(fh)
            out.writerow(EXERCISE_COLUMNS)
            for assignment in gradebook.assignments:
                if self.assignment and assignment.name not in self.assignment:
                    continue
                cells = [(nb.name, c) for nb in assignment.notebooks for c in nb.grade_cells]
                for student in gradebook.students:
                    if self.student and student.id not in self.student:
                        continue
                    for nb_name, cell in cells:
                        try:
                            score = gradebook.find_grade(cell.name, nb_name, assignment.name, student.id).score
                        except MissingEntry:
                            score = 0.0
                        out.writerow([assignment.name, student.id,
                                      layout.exercise_of_cell(cell.name) or cell.name,
                                      f"{score or 0:g}", f"{cell.max_score:g}"])


def export(course: Course, out: Path, per_exercise: Path | None = None) -> list[Path]:
    """Write nbgrader's grades CSV to ``out`` (and the per-exercise CSV); the files written."""
    api = course.api()
    written = []
    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gb:
        for plugin, dest in ((CsvExportPlugin, out), (ExerciseCsvExportPlugin, per_exercise)):
            if dest is not None:
                Path(dest).parent.mkdir(parents=True, exist_ok=True)
                plugin(config=api.config, to=str(dest)).export(gb)
                written.append(Path(dest))
    return written
