"""Public tests of a dlfs workspace: helpers, chapter markers, and failures that read like a tutor.

Your modules are imported from the workspace folder (the one holding common/, ch03/ …) exactly
as the book's scripts import them.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from grader import exercises
from grader.messages import Failed
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
    for item in items:
        chapter = Path(item.fspath).name.split("_")[1]  # test_ch05_layers.py → ch05
        if chapter in exercises.CHAPTERS:
            item.add_marker(getattr(pytest.mark, chapter))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    if call.excinfo is None or rep.when != "call":
        return
    exc = call.excinfo.value
    text = tutor_text(exc)
    if text:
        rep.longrepr = text


def tutor_text(exc: BaseException) -> str | None:
    """A short explanation for the failures we understand; None leaves pytest's traceback."""
    if isinstance(exc, NotImplementedError) and exc.args:
        exercise_id, _, hint = str(exc.args[0]).partition(": ")
        if exercise_id in exercises.BY_ID:
            ex = exercises.get(exercise_id)
            return (f"{exercise_id} is not implemented yet ({ex.file}, book section {ex.section}).\n"
                    f"  hint: {hint}")
    if isinstance(exc, Failed):
        return str(exc)
    return None
