"""Public tests of a dlfs workspace: helpers, chapter markers, and failures that read like a tutor.

Your modules are imported from the workspace folder (the one holding common/, ch03/ …) exactly
as the book's scripts import them.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from grader import exercises
from grader.messages import Failed, exercise_hint
from grader.study.texts import text
from grader.worker.loader import load_module

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def load():
    """load("common/layers.py") → your module (chapter modules are loaded by file path)."""
    return lambda relpath: load_module(ROOT, relpath)


@pytest.fixture
def rng(request) -> np.random.Generator:
    """A generator seeded by the test name: the same inputs every run."""
    import zlib

    return np.random.default_rng(zlib.crc32(request.node.name.encode()))


def pytest_collection_modifyitems(config, items):
    """Chapter markers from the file name (test_ch05_layers.py → ch05), so ``-m ch05`` works;
    slow MNIST training tests run only when the -m expression names ``slow``."""
    slow_asked = "slow" in (config.getoption("markexpr", "") or "")
    keep, slow = [], []
    for item in items:
        chapter = Path(item.fspath).name.split("_")[1]
        if chapter in exercises.CHAPTERS:
            item.add_marker(getattr(pytest.mark, chapter))
        (slow if item.get_closest_marker("slow") and not slow_asked else keep).append(item)
    if slow:
        config.hook.pytest_deselected(items=slow)
        items[:] = keep


_NOTES = pytest.StashKey[dict]()


def pytest_configure(config):
    config.stash[_NOTES] = {"missing": {}, "failed": [], "passed": 0, "chapters": set()}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    notes = item.config.stash.get(_NOTES, None)
    if rep.when != "call" or notes is None:
        return
    chapter = Path(item.fspath).name.split("_")[1]
    if chapter in exercises.CHAPTERS:
        notes["chapters"].add(chapter)
    if call.excinfo is None:
        notes["passed"] += rep.passed
        return
    exc = call.excinfo.value
    missing = not_implemented_id(exc)
    if missing:
        notes["missing"][missing] = notes["missing"].get(missing, 0) + 1
    elif rep.failed:
        notes["failed"].append(item.nodeid)
    text = tutor_text(exc)
    if text:
        rep.longrepr = text


def not_implemented_id(exc: BaseException) -> str | None:
    """The exercise id of a stub's NotImplementedError("chNN.Name: hint"), else None."""
    if isinstance(exc, NotImplementedError) and exc.args:
        exercise_id = str(exc.args[0]).partition(": ")[0]
        if exercise_id in exercises.BY_ID:
            return exercise_id
    return None


def tutor_text(exc: BaseException) -> str | None:
    """A short explanation for the failures we understand; None leaves pytest's traceback."""
    exercise_id = not_implemented_id(exc)
    if exercise_id:
        ex = exercises.get(exercise_id)  # the stub's hint, in the learner's language ($LANG)
        return text("study.public_not_implemented", exercise=exercise_id, file=ex.file,
                    section=ex.section, hint=exercise_hint(exercise_id))
    if isinstance(exc, Failed):
        return str(exc)
    return None


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Where the learner is: what is not written yet, what fails, and what to do next."""
    notes = config.stash.get(_NOTES, None)
    if not notes or not (notes["passed"] or notes["missing"] or notes["failed"]):
        return
    tr = terminalreporter
    tr.section(text("summary.public_where"), sep="-")
    total = notes["passed"] + sum(notes["missing"].values()) + len(notes["failed"])
    tr.write_line(text("study.public_passed", passed=notes["passed"], total=total))
    order = [e.id for e in exercises.EXERCISES if e.id in notes["missing"]]
    if order:
        tr.write_line(text("study.public_not_written"))
        for exercise_id in order:
            ex = exercises.get(exercise_id)
            tr.write_line(f"  {exercise_id:<40} {ex.file:<34} {ex.section}")
    if notes["failed"]:
        tr.write_line(text("study.public_failing", n=len(notes["failed"])))
    chapters = " ".join(sorted(notes["chapters"]))
    if order and not notes["failed"]:
        ex = exercises.get(order[0])
        tr.write_line(text("study.public_next", exercise=ex.id, file=ex.file, section=ex.section))
    elif not order and not notes["failed"]:
        tr.write_line(text("study.public_next_check", chapters=chapters))
