"""Hints for common mistakes, one module per chapter (``HINTS = {"hint.<name>": "<template>"}``).

A hint is attached by a hidden-suite check when the wrong value the student's code returned is
the value a known mistake gives (grader.judge.compare.close(..., hints={id: wrong_value})).
Detected from behaviour, never from reading source text.
"""
