"""``dlfs course feedback CH``: nbgrader's generate_feedback, kept free of code.

Each student's ``feedback/<student>/chNN/`` gets nbgrader's HTML of their autograded notebook
(the judge's table first, hidden tests cleared by ``ClearHiddenTests``) and the learning-curve
PNG. nbgrader would also copy every other file of the autograded folder — the student's
modules — so the hook below removes ``.py`` files, and the leak check refuses feedback that
still holds solution or hidden-test code before anything is released to students.
"""
from __future__ import annotations

from pathlib import Path

from grader.course import leaks
from grader.course.course_dir import Course
from grader.course.release import check_chapter, nbgrader_ok


def strip_code_hook(assignment=None, student=None, notebooks=(), **_) -> None:
    """``GenerateFeedback.post_convert_hook``: drop the modules nbgrader copied into the
    feedback of the students just converted (runs with the course root as working folder)."""
    for nb in notebooks or ():
        who = Path(nb).parts[-3]  # autograded/<student>/<assignment>/<notebook>.ipynb
        leaks.remove_code(Path.cwd() / "feedback" / who / str(assignment))


def generate(course: Course, chapter: str, release: bool = False) -> list[Path]:
    """Generate (and with ``release`` hand out) the chapter's feedback; the HTML files."""
    api = course.api()
    nbgrader_ok(api.generate_feedback(check_chapter(chapter), force=True),
                f"nbgrader generate_feedback {chapter}")
    root = Path(api.coursedir.format_path(api.coursedir.feedback_directory, ".", "."))
    folders = sorted(p for p in root.glob(f"*/{chapter}") if p.is_dir())
    for folder in folders:
        leaks.remove_code(folder)
        leaks.check(folder, "the feedback")
    if release:
        nbgrader_ok(api.release_feedback(chapter), f"nbgrader release_feedback {chapter}")
    return sorted(p for f in folders for p in f.glob("*.html"))
