"""``dlfs course autograde CH``: the judge on the whole class in parallel, then nbgrader.

1. ``judging.run``: every collected submission is graded by the judge, N processes at a time
   (nbgrader's own autograde is serial), each result stored atomically and reused on a rerun.
2. ``stage``: each submission is copied to ``dlfs/staged`` with its notebook made readable —
   a deleted or corrupt notebook is replaced by the released one (noted in the feedback), so
   nbgrader has a notebook to put the scores on. ``submitted/`` itself is never touched.
3. nbgrader's Autograde app per student (on the staged copy): it records the submission and
   timestamp, restores the provided files, sanitizes the notebook, and ``JudgeScores`` writes
   the judge's points into the gradebook (see scoring.py). Steps 2–3 run in this process for
   each student as soon as the judge's result arrives, while the pool judges the next ones.
"""
from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from grader.course import judging, layout
from grader.course.course_dir import STAGED, Course
from grader.course.release import check_chapter, submitted_students
from grader.messages import msg


@dataclass
class Summary:
    outcomes: list[judging.Outcome]
    applied: list[str] = field(default_factory=list)  # students written to the gradebook now
    failed: dict[str, str] = field(default_factory=dict)  # student → why

    @property
    def ok(self) -> bool:
        return not self.failed


def keep_files(course: Course, chapter: str) -> list[str]:
    """The chapter's student files as the course config lists them (Autograde.exclude_overwriting)."""
    return list(course.config().Autograde.get("exclude_overwriting", {}).get(chapter, []))


def tasks(course: Course, chapter: str, students: list[str]) -> list[judging.Task]:
    keep, source = keep_files(course, chapter), course.root / "source" / chapter
    out = []
    for s in students:
        files = judging.graded_files(course.path("submitted", s, chapter), source, keep)
        out.append(judging.Task(s, chapter, {k: str(v) for k, v in files.items()},
                                course.results(chapter) / f"{s}.json", judging.digest(files)))
    return out


def _released_notebook(course: Course, chapter: str, note: str):
    nb = nbformat.read(course.root / "release" / chapter / layout.notebook_name(chapter), as_version=4)
    nb.metadata["dlfs"] = {"notebook_note": note}
    return nb


def stage(course: Course, chapter: str, student: str, replace_reason: str = "") -> Path:
    """Copy the submission to the staging folder; a missing or unreadable notebook (or any one
    when ``replace_reason`` is given) is replaced by the released notebook."""
    dest = course.path(STAGED, student, chapter)
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(course.path("submitted", student, chapter), dest)
    name = layout.notebook_name(chapter)
    path, note = dest / name, ""
    if replace_reason:
        note = msg("course.notebook_unreadable", notebook=name, reason=replace_reason).text
    elif not path.is_file():
        note = msg("course.notebook_missing", notebook=name).text
    else:
        try:
            nbformat.validate(nbformat.read(path, as_version=4))
        except Exception as e:  # not JSON, not a notebook, a newer format …
            note = msg("course.notebook_unreadable", notebook=name, reason=type(e).__name__).text
    if note:
        if path.exists():
            path.rename(path.with_name(name + ".unreadable"))
        nbformat.write(_released_notebook(course, chapter, note), path)
    return dest


def _stored_score(course: Course, api, chapter: str, student: str) -> float | None:
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gb:
        try:
            return gb.find_submission(chapter, student).score
        except MissingEntry:
            return None


def needs_writing(course: Course, api, chapter: str, o: judging.Outcome) -> bool:
    """A result not yet in the gradebook (or not the same score) must be written."""
    done = course.path("autograded", o.student, chapter) / layout.notebook_name(chapter)
    return o.status == "graded" or not done.is_file() or \
        _stored_score(course, api, chapter, o.student) != float(o.score)


def write_to_gradebook(course: Course, api, chapter: str, student: str) -> str:
    """nbgrader's Autograde for one student on the staged copy; "" or why it failed."""
    stage(course, chapter, student)
    result = api.autograde(chapter, student, force=True, create=True)
    if not result.get("success"):  # e.g. nbgrader rejects the notebook's cell metadata
        stage(course, chapter, student, replace_reason="nbgrader could not process it")
        result = api.autograde(chapter, student, force=True, create=True)
    shutil.rmtree(course.path(STAGED, student, chapter), ignore_errors=True)
    if result.get("success"):
        return ""
    return ((result.get("error") or "") + (result.get("log") or ""))[-1500:].strip() or "nbgrader autograde failed"


def autograde(course: Course, chapter: str, jobs: int = 1, force: bool = False,
              students: list[str] | None = None, progress=None) -> Summary:
    """Judge and record every collected submission of ``chapter`` (or only ``students``); each
    result goes into the gradebook as soon as it arrives, while the pool judges the next."""
    students = students or submitted_students(course, check_chapter(chapter))
    api = course.api(submitted_directory=STAGED)
    summary = Summary([])

    def record(o: judging.Outcome) -> None:
        if o.status == "failed":
            summary.failed[o.student] = o.error
        elif force or needs_writing(course, api, chapter, o):
            why = write_to_gradebook(course, api, chapter, o.student)
            if why:
                summary.failed[o.student] = why
            else:
                summary.applied.append(o.student)

    summary.outcomes = judging.run(tasks(course, chapter, students), jobs, force, progress, record)
    return summary
