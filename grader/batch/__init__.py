"""Grade a class: one folder or ``.zip`` per student → one JSON report each + ``grades.csv``.

Grading one submission is a pure function, ``grade_job(Job) -> dict``, of the submission's
files and the suite version. That is what makes the batch

* **resumable**: a report is written atomically when its student is done; a restarted batch
  (after ``kill -9`` at any moment) skips students whose report has the same submission
  fingerprint and suite version, and rebuilds ``grades.csv`` from the reports, so no row is
  lost or duplicated;
* **swappable**: the executor (local process pool by default, Dask for a cluster) only maps
  ``grade_job`` over jobs.
"""
from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from grader import exercises
from grader.atomic import atomic_file, write_atomic

SAFE_ID = re.compile(r"[^A-Za-z0-9_.@+-]")


@dataclass(frozen=True)
class Job:
    student: str
    path: str  # the student's folder or .zip
    fingerprint: str  # sha256 of the submission's files
    chapters: tuple[str, ...] | None = None
    sandbox: str = "auto"  # auto / require / none


@dataclass
class Summary:
    total: int
    graded: int  # this run
    skipped: int  # already done with the same fingerprint and suite version
    failures: list[tuple[str, str]]  # (student, why) for reports with status "error"
    notes: list[str]


def fingerprint(path: Path) -> str:
    """A content hash of a submission folder (regular files, by relative path) or of a zip."""
    h = hashlib.sha256()
    if path.is_file():
        with open(path, "rb") as f:
            while chunk := f.read(1 << 20):
                h.update(chunk)
        return h.hexdigest()
    for dirpath, dirnames, filenames in os.walk(path, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for name in sorted(filenames):
            p = Path(dirpath) / name
            h.update(p.relative_to(path).as_posix().encode() + b"\0")
            if p.is_symlink() or not p.is_file():
                h.update(b"<link or special>")
                continue
            st = p.stat()
            if st.st_size > 16 * 2**20:  # never read huge files: size and mtime stand for them
                h.update(f"{st.st_size}:{st.st_mtime_ns}".encode())
                continue
            h.update(p.read_bytes())
    return h.hexdigest()


def discover(submissions: Path, chapters=None, sandbox: str = "auto") -> tuple[list[Job], list[str]]:
    """One Job per student folder or .zip in ``submissions``; notes for what was left out."""
    if not submissions.is_dir():
        raise NotADirectoryError(f"{submissions} is not a folder of submissions")
    jobs, notes, seen = [], [], {}
    for entry in sorted(submissions.iterdir()):
        if entry.name.startswith("."):
            continue
        if entry.is_symlink():
            notes.append(f"{entry.name}: symbolic link left out")
            continue
        if not (entry.is_dir() or entry.suffix.lower() == ".zip"):
            notes.append(f"{entry.name}: not a folder or .zip, left out")
            continue
        student = SAFE_ID.sub("_", entry.stem if entry.is_file() else entry.name)
        if student in seen:
            notes.append(f"{entry.name}: a second submission of {student} "
                         f"(next to {seen[student]}), left out")
            continue
        seen[student] = entry.name
        jobs.append(Job(student, str(entry.resolve()), fingerprint(entry),
                        tuple(chapters) if chapters else None, sandbox))
    return jobs, notes


def _launcher(mode: str):
    from grader.worker.bwrap import select_launcher

    return select_launcher(require=mode == "require", disable=mode == "none")


def grade_job(job: Job) -> dict:
    """The report of one student's submission; never raises (errors become an error report)."""
    from grader.batch.zips import UnsafeZip, extract
    from grader.judge.session import GradingError, grade, suite_version

    base = {"student": job.student, "fingerprint": job.fingerprint,
            "chapters": list(job.chapters or ())}
    try:
        with tempfile.TemporaryDirectory(prefix="dlfs-batch-") as tmp:
            root = Path(job.path)
            if root.is_file():
                root = extract(root, Path(tmp) / "unzipped")
            report = grade(root, list(job.chapters) if job.chapters else None,
                           launcher=_launcher(job.sandbox))
            data = report.to_json()
        data["submission"] = job.student
        return {**data, **base, "status": "graded"}
    except (UnsafeZip, GradingError) as e:
        why = str(e)
    except Exception as e:  # a bug of ours must not lose the other students' grades
        why = f"internal error: {type(e).__name__}: {e}"
    try:
        version = suite_version()
    except Exception:
        version = ""
    return error_report(job, why, version)


def error_report(job: Job, why: str, version: str = "") -> dict:
    """The report of a submission that could not be graded: score 0, the reason in "error".
    An empty ``version`` makes the next run grade it again (see is_done)."""
    return {"student": job.student, "fingerprint": job.fingerprint, "submission": job.student,
            "chapters": list(job.chapters or ()), "status": "error", "error": why, "score": 0,
            "max_score": None, "suite_version": version, "tests": [], "exercises": []}


def is_done(report_path: Path, job: Job, version: str) -> bool:
    try:
        data = json.loads(report_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (data.get("fingerprint") == job.fingerprint and data.get("suite_version") == version
            and data.get("chapters") == list(job.chapters or ()))


def write_csv(path: Path, jobs: list[Job], reports: Path, chapters=None) -> None:
    """``grades.csv`` from the reports on disk, one row per student (read one report at a time)."""
    columns = [e.id for e in exercises.EXERCISES if not chapters or e.chapter in chapters]
    with atomic_file(path, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["student", "score", "max_score", "status", "message"] + columns)
        for job in jobs:
            try:
                data = json.loads((reports / f"{job.student}.json").read_text(encoding="utf-8"))
            except (OSError, ValueError):
                out.writerow([job.student, "", "", "missing", "no report"] + [""] * len(columns))
                continue
            points = {e["exercise"]: e["points"] for e in data.get("exercises", [])}
            out.writerow([job.student, data.get("score", 0), data.get("max_score") or "",
                          data.get("status", ""), data.get("error", "")]
                         + [points.get(c, "") for c in columns])


def run_batch(submissions: Path, out: Path, *, workers: int = 2, chapters=None,
              sandbox: str = "auto", executor=None, force: bool = False, progress=None) -> Summary:
    """Grade every submission not yet graded; write reports/<student>.json and grades.csv."""
    from grader.batch.executors import LocalExecutor
    from grader.judge.session import suite_version

    jobs, notes = discover(Path(submissions), chapters, sandbox)
    reports = Path(out) / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    version = suite_version()
    todo = [j for j in jobs if force or not is_done(reports / f"{j.student}.json", j, version)]
    executor = executor or LocalExecutor(workers)
    done = len(jobs) - len(todo)
    if progress:
        progress(done, len(jobs), "")
    for job, data in executor.map_unordered(grade_job, todo):
        write_atomic(reports / f"{job.student}.json", json.dumps(data, indent=2, ensure_ascii=False))
        done += 1
        if progress:
            progress(done, len(jobs), job.student)
    write_csv(Path(out) / "grades.csv", jobs, reports, chapters)
    failures = []
    for job in jobs:
        data = json.loads((reports / f"{job.student}.json").read_text(encoding="utf-8"))
        if data.get("status") == "error":
            failures.append((job.student, data.get("error", "")))
    summary = Summary(len(jobs), len(todo), len(jobs) - len(todo), failures, notes)
    write_atomic(Path(out) / "summary.json", json.dumps(asdict(summary), indent=2))
    return summary
