"""Realistic one-line bugs, planted into a copy of solutions/ by tests/test_planted_bugs.py.

One module per chapter (``bugs/ch05.py``) with ``BUGS = [Bug(...), ...]``. Each bug replaces
one exact snippet of one solutions file; grading the bugged copy must cost the bug's exercise
points while every other exercise of the graded chapters keeps all of its points.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Bug:
    exercise: str  # the exercise that must lose points
    file: str  # solutions-relative path
    old: str  # exact text, present exactly once in the file
    new: str  # what a learner wrote instead
    what: str  # the mistake in words (becomes the test id)
    hint: str | None = None  # the hint id the report must carry, if the mistake has one
