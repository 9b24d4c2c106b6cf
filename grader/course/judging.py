"""The judge on every collected submission of a chapter, N at a time, resumable.

Each submission is graded as nbgrader's autograde will leave it: the student's ``.py`` files
with the provided (non-student) files restored from ``source/``. The result — the judge's
report, the learning curve, the digest of the graded files and the suite version — is written
atomically to ``dlfs/results/chNN/<student>.json``; a result whose digest and suite version
still match is reused, so a rerun after an interruption only grades what is missing.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

from grader.atomic import write_atomic

SKIP = {"__pycache__", ".ipynb_checkpoints"}


def py_files(root: Path) -> dict[str, Path]:
    """{book-layout path: file} of the ``.py`` files under ``root`` (caches left out)."""
    return {p.relative_to(root).as_posix(): p for p in sorted(Path(root).rglob("*.py"))
            if p.is_file() and not SKIP.intersection(p.relative_to(root).parts)}


def graded_files(submitted: Path, source: Path, keep: list[str]) -> dict[str, Path]:
    """The ``.py`` files the judge grades for one submission, as nbgrader's autograde leaves
    them: the submission's, with every source file not in ``keep`` (the student files) on top."""
    files = py_files(submitted)
    files.update({rel: p for rel, p in py_files(source).items() if rel not in keep})
    return files


def digest(files: dict[str, Path]) -> str:
    """sha256 of the graded files (paths and bytes): same digest, same grade."""
    h = hashlib.sha256()
    for rel in sorted(files):
        h.update(rel.encode() + b"\0" + files[rel].read_bytes() + b"\0")
    return h.hexdigest()


@dataclass(frozen=True)
class Task:
    student: str
    chapter: str
    files: dict  # book-layout path → absolute path of the file to grade
    result: Path  # where the result JSON goes
    digest: str


@dataclass(frozen=True)
class Outcome:
    student: str
    status: str  # "graded", "reused" or "failed"
    score: int = 0
    max_score: int = 0
    error: str = ""
    seconds: float = 0.0


def load_result(path: Path) -> dict | None:
    """The stored result, or None when there is none or it is unreadable."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and "report" in data else None


def is_current(result: dict | None, file_digest: str) -> bool:
    from grader.judge.session import suite_version

    return bool(result) and result.get("digest") == file_digest and \
        result.get("suite_version") == suite_version()


def judge(task: Task) -> Outcome:
    """Grade one submission and store its result (runs in a pool process or in this one)."""
    from grader.course import curve
    from grader.judge.session import reference_dir

    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="dlfs-course-") as d:
        sub = Path(d) / task.student
        for rel, src in task.files.items():
            (sub / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, sub / rel)
        from grader.judge.session import grade

        report = grade(sub, [task.chapter]).to_json()
        report["submission"] = f"{task.student}/{task.chapter}"
        lc, why = curve.learning_curve(sub, task.chapter, reference_dir())
    png = ""
    if lc is not None:
        png = task.result.with_suffix(".png").name
        tmp = curve.plot(lc, task.result.with_name(f".{png}.tmp.png"))
        os.replace(tmp, task.result.with_name(png))
    result = {"student": task.student, "chapter": task.chapter, "digest": task.digest,
              "suite_version": report["suite_version"], "report": report,
              "curve": lc.to_json() if lc else None, "curve_png": png, "curve_note": why}
    write_atomic(task.result, json.dumps(result, indent=1, ensure_ascii=False).encode("utf-8"))
    return Outcome(task.student, "graded", report["score"], report["max_score"],
                   seconds=time.monotonic() - start)


def _safe_judge(task: Task) -> Outcome:
    try:
        return judge(task)
    except Exception as e:  # one student's failure must not stop the class
        return Outcome(task.student, "failed", error=f"{type(e).__name__}: {e}"[:2000])


class _CtrlC:
    """Remembers a Ctrl-C even when pytest or nbgrader swallow the KeyboardInterrupt (both turn
    it into a failure and carry on), so that an interrupted run stops instead of recording
    interrupted students as failed."""

    def __init__(self):
        self.hit, self._old = False, None

    def _handler(self, signum, frame):
        self.hit = True
        raise KeyboardInterrupt

    def __enter__(self):
        if threading.current_thread() is threading.main_thread():
            self._old = signal.signal(signal.SIGINT, self._handler)
        return self

    def __exit__(self, *exc):
        if self._old is not None:
            signal.signal(signal.SIGINT, self._old)

    def check(self) -> None:
        if self.hit:
            raise KeyboardInterrupt


def run(tasks: list[Task], jobs: int = 1, force: bool = False, progress=None,
        on_outcome=None) -> list[Outcome]:
    """Judge every task whose stored result is not current (all with ``force``), ``jobs`` at a
    time in separate processes. ``on_outcome(outcome)`` is called in this process as each
    result arrives (e.g. to record it while the pool goes on); ``progress(done, total,
    student)`` after each. Outcomes in the order of ``tasks``. Ctrl-C stops the run; every
    result stored before it is kept and reused by the next run."""
    with _CtrlC() as ctrl_c:
        return _run(tasks, jobs, force, progress, on_outcome, ctrl_c)


def _run(tasks, jobs, force, progress, on_outcome, ctrl_c: _CtrlC) -> list[Outcome]:
    outcomes: dict[str, Outcome] = {}

    def arrived(o: Outcome) -> None:
        ctrl_c.check()  # an outcome cut short by Ctrl-C is no result
        outcomes[o.student] = o
        if on_outcome:
            on_outcome(o)
            ctrl_c.check()
        if progress:
            progress(len(outcomes), len(tasks), o.student)

    todo = []
    for t in tasks:
        old = None if force else load_result(t.result)
        if is_current(old, t.digest):
            rep = old["report"]
            arrived(Outcome(t.student, "reused", rep["score"], rep["max_score"]))
        else:
            todo.append(t)
    if jobs <= 1 or len(todo) <= 1:
        for t in todo:
            arrived(_safe_judge(t))
        return [outcomes[t.student] for t in tasks]
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn"))
    try:
        futures = {pool.submit(_safe_judge, t): t for t in todo}
        for f in as_completed(futures):
            try:
                o = f.result()
            except Exception as e:  # the pool process itself died
                o = Outcome(futures[f].student, "failed", error=f"{type(e).__name__}: {e}")
            arrived(o)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return [outcomes[t.student] for t in tasks]
