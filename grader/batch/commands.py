"""``dlfs grade-batch SUBMISSIONS_DIR --out RESULTS_DIR [--workers N]``."""
from __future__ import annotations

import sys
from pathlib import Path

from grader import exercises


def cmd_grade_batch(args) -> int:
    from grader.batch import run_batch
    from grader.judge.session import GradingError
    from grader.progress import bar

    sandbox = "require" if args.require_sandbox else "none" if args.no_sandbox else "auto"
    executor = None
    if args.executor == "dask":
        from grader.batch.dask_executor import DaskExecutor

        executor = DaskExecutor(args.scheduler)
    try:
        with bar("grading the class", unit="student") as progress:
            summary = run_batch(Path(args.submissions), Path(args.out), workers=args.workers,
                                chapters=args.chapter, sandbox=sandbox, executor=executor,
                                force=args.force, progress=progress)
    except (NotADirectoryError, GradingError) as e:
        print(f"dlfs grade-batch: {e}", file=sys.stderr)
        return 2
    print(f"{summary.total} submissions: {summary.graded} graded now, "
          f"{summary.skipped} already graded (same files, same suites)")
    for note in summary.notes:
        print(f"note: {note}")
    if summary.failures:
        print(f"{len(summary.failures)} could not be graded (score 0, see their reports):")
        for student, why in summary.failures:
            print(f"  {student}: {why.splitlines()[0] if why else ''}")
    print(f"grades: {Path(args.out) / 'grades.csv'}")
    return 0


def register(sub) -> None:
    p = sub.add_parser("grade-batch", help="grade a class: one folder or .zip per student")
    p.add_argument("submissions", help="folder holding one folder or .zip per student")
    p.add_argument("--out", required=True, help="results folder (reports/, grades.csv)")
    p.add_argument("--workers", type=int, default=2, help="submissions graded at once")
    p.add_argument("--chapter", action="append", choices=exercises.CHAPTERS)
    p.add_argument("--force", action="store_true", help="regrade students already graded")
    p.add_argument("--executor", choices=("local", "dask"), default="local")
    p.add_argument("--scheduler", help="Dask scheduler address (with --executor dask)")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--require-sandbox", action="store_true",
                   help="fail instead of grading without bubblewrap")
    g.add_argument("--no-sandbox", action="store_true", help="grade without bubblewrap")
    p.set_defaults(func=cmd_grade_batch)
