"""The pytest plugin of the judge: the ``points`` marker, the worker fixtures, and the outcome
of every test as a report row.

Suites declare points next to each test::

    @points("ch05.Affine.backward", 3)
    def test_backward_matches_reference(student, reference, rng): ...

    @points("ch05.TwoLayerNet.gradient", 4, end_to_end=True)   # relies on the layers too
    def test_gradient_check(student, reference): ...

The student's code is only ever reached through ``student`` (a Worker on a copy of the
submission); ``reference`` is a Worker on solutions/. Neither is imported into this process.
"""
from __future__ import annotations

import functools
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest

from grader import exercises
from grader.messages import Failed, Message, msg
from grader.worker import protocol
from grader.worker.client import (BudgetExhausted, ImportFailed, StaleHandle, StudentError, Worker, WorkerCrashed,
                                  WorkerError, WorkerTimeout)
from grader.worker.sandbox import Launcher, Limits, trusted_launcher


def points(exercise_id: str, n: int, *, end_to_end: bool = False):
    """Mark a test as worth ``n`` points of ``exercise_id``. ``end_to_end`` tests also depend on
    the exercises the catalogue lists in ``uses``; if one of those fails, the test is reported
    as blocked and scored by the exercise's own tests (see session.score)."""
    exercises.get(exercise_id)  # unknown ids fail at import of the suite
    return pytest.mark.points(exercise=exercise_id, n=n, end_to_end=end_to_end)


@dataclass
class Row:
    id: str
    exercise: str
    max_points: int
    end_to_end: bool
    outcome: str = "failed"  # passed / failed / error
    message: Message | None = None
    points: int = 0
    hint: Message | None = None  # a known mistake recognised from the values
    detail: str = ""  # student output or traceback tail, for feedback
    blocked_by: list = field(default_factory=list)


@dataclass
class Settings:
    submission: Path
    reference: Path
    chapters: tuple[str, ...] | None = None
    limits: Limits = field(default_factory=Limits)
    launcher: Launcher | None = None
    budget: float | None = 600.0
    progress: object = None  # callable(done: int, total: int, exercise_id: str) or None


class JudgePlugin:
    """Registered with pytest.main(plugins=[...]); holds no plain data attributes (pytest scans
    a plugin's attributes for fixtures), only ``_settings`` and the results."""

    def __init__(self, settings: Settings):
        self._settings = settings
        self._rows: dict[str, Row] = {}
        self._workers: list[Worker] = []

    @property
    def rows(self) -> dict[str, Row]:
        return self._rows

    @property
    def workers(self) -> list[Worker]:
        return self._workers

    # ---- fixtures ------------------------------------------------------------------------
    @pytest.fixture(scope="session")
    def student(self, reference) -> Worker:
        """The submission's worker; book parts it is lent are computed by ``reference``."""
        from grader.judge.parts import PartLender

        s = self._settings
        w = Worker(s.submission, limits=s.limits, launcher=s.launcher, budget=s.budget)
        w.callback_handler = PartLender(reference)
        self._workers.append(w)
        return w

    @pytest.fixture(scope="session")
    def reference(self) -> Worker:
        w = Worker(self._settings.reference, launcher=trusted_launcher(),
                   limits=Limits(call_timeout=300.0, cpu_seconds=10**6))
        self._workers.append(w)
        return w

    @pytest.fixture(scope="session")
    def mnist(self):
        """MNIST as the book loads it (normalize, flatten, labels), from grader.data's lookup:
        ((x_train (60000, 784) float32, t_train (60000,) uint8), (x_test, t_test)), read-only
        and decoded once per judge process."""
        return _mnist()

    @pytest.fixture(scope="session")
    def book_weights(self) -> dict:
        """The ch3 sample network (float32 W1 (784, 50) … b3 (10,)): the book's, else the kit's."""
        from grader.data import load_sample_weights

        return load_sample_weights()

    @pytest.fixture
    def rng(self, request) -> np.random.Generator:
        """A generator seeded by the test's id: the same inputs every run."""
        return np.random.default_rng(zlib.crc32(request.node.nodeid.encode()))

    # ---- collection ----------------------------------------------------------------------
    def pytest_ignore_collect(self, collection_path, config):
        """Suite modules of chapters not being graded are not even imported (chNN_topic.py)."""
        chapters = self._settings.chapters
        name = collection_path.name
        if chapters and collection_path.suffix == ".py" and name[:2] == "ch" and name[2:4].isdigit():
            return name[:4] not in chapters
        return None

    def pytest_collection_modifyitems(self, config, items):
        keep, drop = [], []
        for item in items:
            marks = list(item.iter_markers("points"))
            if len(marks) != 1:
                raise pytest.UsageError(f"{item.nodeid} must carry exactly one @points marker")
            m = marks[0].kwargs
            chapter = exercises.get(m["exercise"]).chapter
            if self._settings.chapters and chapter not in self._settings.chapters:
                drop.append(item)
                continue
            keep.append(item)
            self._rows[item.nodeid] = Row(item.nodeid, m["exercise"], m["n"], m["end_to_end"])
        if drop:
            config.hook.pytest_deselected(items=drop)
        items[:] = keep

    # ---- outcomes ------------------------------------------------------------------------
    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item, call):
        outcome = yield
        rep = outcome.get_result()
        row = self._rows.get(item.nodeid)
        if row is None or rep.when == "teardown" and rep.passed:
            return
        if rep.when == "call" and rep.passed:
            row.outcome, row.message = "passed", msg("judge.passed")
        elif rep.failed and call.excinfo is not None:
            exc = call.excinfo.value
            row.outcome, row.message, row.detail = explain(exc, item, row.exercise)
            row.hint = getattr(exc, "hint", None)

    def pytest_runtest_logfinish(self, nodeid):
        row, report = self._rows.get(nodeid), self._settings.progress
        if row is not None and report is not None:
            self._done = getattr(self, "_done", 0) + 1
            report(self._done, len(self._rows), row.exercise)

    def pytest_sessionfinish(self):
        for w in self._workers:
            w.close()


@functools.lru_cache(maxsize=1)
def _mnist():
    from grader.data import load_mnist

    data = load_mnist(normalize=True, flatten=True, one_hot_label=False)
    for split in data:
        for a in split:
            a.flags.writeable = False  # shared by every grading of this process
    return data


def explain(exc: BaseException, item, exercise_id: str) -> tuple[str, Message, str]:
    """(outcome, message, detail) for an exception that ended a test."""
    ex = exercises.get(exercise_id)
    call = _call_name(item)
    if isinstance(exc, Failed):
        return "failed", exc.message, ""
    if isinstance(exc, ImportFailed):
        if exc.missing:
            return "failed", msg("worker.missing_module", path=exc.path), ""
        where = f" ({exc.where})" if exc.where else ""
        return "failed", msg("worker.import_failed", path=exc.path, type=exc.type,
                             message=exc.message, where=where), exc.traceback
    if isinstance(exc, StudentError):
        where = f" ({exc.where})" if exc.where else ""
        if exc.not_implemented:
            return "failed", msg("worker.not_implemented", exercise=ex.id, hint=ex.hint), ""
        if exc.type == "AttributeError" and "has no attribute" in exc.message and not exc.where:
            name = exc.message.rsplit("'", 2)[-2] if exc.message.count("'") >= 2 else exc.message
            return "failed", msg("worker.missing_name", path=ex.file, name=name), ""
        return "failed", msg("worker.raised", call=call, type=exc.type, message=exc.message,
                             where=where), exc.traceback
    if isinstance(exc, WorkerTimeout):
        return "failed", msg("worker.timeout", call=call, seconds=f"{exc.seconds:g}"), ""
    if isinstance(exc, BudgetExhausted):
        return "failed", msg("worker.budget"), ""
    if isinstance(exc, StaleHandle):
        return "failed", msg("worker.stale", call=call), ""
    if isinstance(exc, WorkerCrashed | WorkerError):
        return "failed", msg("worker.crashed", call=call, reason=str(exc)), ""
    if isinstance(exc, protocol.ProtocolError):
        return "failed", msg("worker.garbage", call=call, reason=str(exc)), ""
    return "error", msg("judge.internal", test=item.name, type=type(exc).__name__,
                        message=str(exc)[:300]), ""


def _call_name(item) -> str:
    return exercises.get(item.get_closest_marker("points").kwargs["exercise"]).name


__all__ = ["points", "JudgePlugin", "Settings", "Row"]
