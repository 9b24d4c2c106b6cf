"""The judge's maximum points per exercise, read from the hidden suites without running them.

The notebook of an assignment has one graded cell per exercise whose ``points`` must equal
what the judge can give for that exercise, so that nbgrader's max scores, the formgrader and
``nbgrader export`` add up to the judge's totals.
"""
from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

from grader import exercises
from grader.judge.plugin import JudgePlugin, Settings
from grader.judge.session import SUITES, GradingError, reference_dir


def max_points(chapter: str) -> dict[str, int]:
    """{exercise id: max points} for the chapter's exercises that have hidden tests, in
    catalogue order. Collects the suites (``--collect-only``); no worker is started."""
    if chapter not in exercises.CHAPTERS:
        raise GradingError(f"unknown chapter {chapter!r} (choose from {', '.join(exercises.CHAPTERS)})")
    plugin = JudgePlugin(Settings(Path("."), reference_dir(), (chapter,)))
    files = [str(p) for p in sorted(SUITES.glob(f"{chapter}_*.py"))]  # this chapter's suites only
    if not files:
        return {}
    args = [*files, "-c", str(SUITES / "suites.ini"), "--rootdir", str(SUITES), "-q",
            "--collect-only", "-p", "no:cacheprovider", "--import-mode=importlib", "-W", "ignore"]
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = pytest.main(args, plugins=[plugin])
    if code not in (pytest.ExitCode.OK, pytest.ExitCode.NO_TESTS_COLLECTED):
        raise GradingError(f"the hidden suites could not be collected (pytest exit {int(code)}):\n"
                           + out.getvalue()[-3000:])
    totals: dict[str, int] = {}
    for row in plugin.rows.values():
        totals[row.exercise] = totals.get(row.exercise, 0) + row.max_points
    return {e.id: totals[e.id] for e in exercises.of_chapter(chapter) if e.id in totals}
