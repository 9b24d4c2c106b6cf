"""Learner-facing texts of the course feedback, by stable id (same scheme as grader/messages.py).

They are added to ``grader.messages.TEMPLATES`` when this module is imported, so
``msg("course.…", …)`` works like any other message; an id that already exists is an error.
"""
from __future__ import annotations

from grader import messages

TEMPLATES: dict[str, str] = {
    "course.feedback_title": "{chapter}: {score} / {max_score} points",
    "course.feedback_intro": "Graded by the dlfs judge: hidden tests on your modules "
                             "({files}). The notebook is your walkthrough; it is not run for grading.",
    "course.notebook_missing": "Your notebook {notebook} was not in the submission; the released "
                               "notebook stands in for it (your modules are what is graded).",
    "course.notebook_unreadable": "Your notebook {notebook} could not be read ({reason}); the "
                                  "released notebook stands in for it (your modules are what is graded).",
    "course.cells_restored": "Graded cells missing from your notebook were put back: {cells}.",
    "course.curve_caption": "Learning curve: your {net} and the reference, trained with the same "
                            "seed and the same {samples} MNIST images for {iterations} iterations, "
                            "both evaluated with the reference's loss and accuracy.",
    "course.curve_failed": "No learning curve: training your {net} failed: {reason}",
    "course.no_result": "not graded: the judge has no result for {exercise}",
}


messages.register(TEMPLATES, "grader/course/messages.py")
