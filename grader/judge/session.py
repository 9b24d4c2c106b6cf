"""Grade one submission: run the hidden suites as a pytest session with the judge plugin, then
score the rows.

``grade(submission) -> Report`` is a pure function of (submission folder, suite version): the
same folder always gets the same report, which is what makes batch grading resumable and
swappable onto another executor.
"""
from __future__ import annotations

import contextlib
import hashlib
import io
import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest

import grader
from grader import exercises
from grader.i18n import current_language
from grader.judge.plugin import JudgePlugin, Row, Settings
from grader.messages import exercise_title, msg
from grader.worker.sandbox import Launcher, Limits

SUITES = Path(grader.__file__).parent / "suites"


class GradingError(Exception):
    """Grading itself could not run (not the student's fault): the CLI exits non-zero."""


def reference_dir() -> Path:
    """The reference submission: $DLFS_REFERENCE, else the packaged copy, else the repo's."""
    candidates = [os.environ.get("DLFS_REFERENCE"), Path(grader.__file__).parent / "_reference",
                  Path(grader.__file__).parents[1] / "solutions"]
    for c in candidates:
        if c and (Path(c) / "common" / "layers.py").is_file():
            return Path(c).resolve()
    raise GradingError("the reference solutions were not found (set DLFS_REFERENCE to the "
                       "solutions/ folder of the dlfs repository)")


def suite_version() -> str:
    """A hash of the hidden suites and the reference: reports are comparable within one version."""
    h = hashlib.sha256()
    for root in (SUITES, reference_dir()):
        for p in sorted(root.rglob("*.py")):
            h.update(p.relative_to(root).as_posix().encode())
            h.update(p.read_bytes())
    return h.hexdigest()[:12]


@dataclass
class Report:
    submission: str
    rows: list[Row]
    sandbox: str = "none"
    notes: list[str] = field(default_factory=list)
    version: str = ""

    @property
    def score(self) -> int:
        return sum(r.points for r in self.rows)

    @property
    def max_score(self) -> int:
        return sum(r.max_points for r in self.rows)

    def exercises(self) -> list[dict]:
        """One entry per exercise, in catalogue order: points, max_points, first failure."""
        out = []
        for ex in exercises.EXERCISES:
            rows = [r for r in self.rows if r.exercise == ex.id]
            if not rows:
                continue
            failed = [r for r in rows if r.outcome != "passed"]
            out.append({"exercise": ex.id, "chapter": ex.chapter, "section": ex.section,
                        "title": exercise_title(ex.id), "points": sum(r.points for r in rows),
                        "max_points": sum(r.max_points for r in rows),
                        "passed": sum(r.outcome == "passed" for r in rows), "tests": len(rows),
                        "message": failed[0].message.text if failed else "",
                        "hint": next((r.hint.text for r in failed if r.hint), "")})
        return out

    def to_json(self) -> dict:
        return {
            "submission": self.submission, "score": self.score, "max_score": self.max_score,
            "sandbox": self.sandbox, "suite_version": self.version, "notes": self.notes,
            "language": current_language(),
            "tests": [{"id": r.id, "exercise": r.exercise, "points": r.points,
                       "max_points": r.max_points, "outcome": r.outcome,
                       "message": r.message.text if r.message else "",
                       "message_id": r.message.id if r.message else "",
                       "message_params": r.message.json_params() if r.message else {},
                       "hint": r.hint.text if r.hint else "",
                       "hint_id": r.hint.id if r.hint else "",
                       "hint_params": r.hint.json_params() if r.hint else {},
                       "blocked_by": r.blocked_by}
                      for r in self.rows],
            "exercises": self.exercises(),
        }


def grade(submission: Path, chapters: list[str] | None = None, *, limits: Limits | None = None,
          launcher: Launcher | None = None, budget: float | None = 900.0,
          progress=None) -> Report:
    """Run the hidden suites on ``submission`` and return the scored report.

    ``chapters``: e.g. ["ch05"] (default all); ``progress(done, total, exercise_id)`` is called
    after every test; ``budget``: seconds of worker time for the whole submission;
    ``launcher``: how the student's worker runs (default: grader.worker.bwrap.select_launcher(),
    the bubblewrap sandbox when available, else a limited subprocess marked "sandbox": "none")."""
    submission = Path(submission)
    if not submission.is_dir():
        raise GradingError(f"{submission} is not a folder")
    for ch in chapters or ():
        if ch not in exercises.CHAPTERS:
            raise GradingError(f"unknown chapter {ch!r} (choose from {', '.join(exercises.CHAPTERS)})")
    if launcher is None:  # the sandbox when bubblewrap works here, else the plain subprocess
        from grader.worker.bwrap import select_launcher

        launcher = select_launcher()
    settings = Settings(submission.resolve(), reference_dir(), tuple(chapters or ()) or None,
                        limits or Limits(), launcher, budget, progress)
    plugin = JudgePlugin(settings)
    args = [str(SUITES), "-c", str(SUITES / "suites.ini"), "--rootdir", str(SUITES), "-q",
            "--tb=no", "-p", "no:cacheprovider", "--import-mode=importlib", "-W", "ignore"]
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        code = pytest.main(args, plugins=[plugin])
    if code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED) or not plugin.rows:
        raise GradingError(f"the hidden suites could not run (pytest exit {int(code)}):\n"
                           + out.getvalue()[-3000:])
    rows = list(plugin.rows.values())
    score(rows)
    notes = [n for w in plugin.workers for n in getattr(w.launcher, "notes", [])]
    notes += [e for w in plugin.workers for e in w.events]
    sandbox = launcher.name if launcher else "none"
    return Report(str(submission), rows, sandbox, notes, suite_version())


def score(rows: list[Row]) -> None:
    """Give each row its points. A failed end-to-end test whose ``uses`` include a failing
    exercise is blocked: it keeps its points when the exercise's own tests all passed (the
    student's part is right; the failure belongs to the other exercise), else it scores 0."""
    own_ok: dict[str, bool] = {}
    for r in rows:
        if not r.end_to_end:
            own_ok[r.exercise] = own_ok.get(r.exercise, True) and r.outcome == "passed"
    failing = {ex for ex, ok in own_ok.items() if not ok}
    for r in rows:
        r.blocked_by = []
        if r.outcome == "passed":
            r.points = r.max_points
            continue
        r.points = 0
        if r.end_to_end and r.outcome == "failed":
            r.blocked_by = sorted(u for u in uses_closure(r.exercise) if u in failing)
            if r.blocked_by:
                uses = ", ".join(r.blocked_by)
                if own_ok.get(r.exercise):
                    r.points, r.outcome = r.max_points, "passed"
                    r.message = msg("judge.blocked", uses=uses, exercise=r.exercise)
                else:
                    r.message = msg("judge.blocked_failed", uses=uses, exercise=r.exercise)


def uses_closure(exercise_id: str) -> set[str]:
    seen, todo = set(), list(exercises.get(exercise_id).uses)
    while todo:
        u = todo.pop()
        if u not in seen:
            seen.add(u)
            todo.extend(exercises.get(u).uses)
    return seen
