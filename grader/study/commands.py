"""The study sub-commands of ``dlfs``: start, check, compare, plot (registered by grader/cli.py).

Exit codes: 0 done (for ``check``: every exercise checked has all its points), 1 ``check``
found exercises still to do, 2 the command could not do its job (the message says why).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from grader.study.texts import text
from grader.study.workspace import StudyError


def _fail(command: str, problem) -> int:
    print(f"dlfs {command}: {problem}", file=sys.stderr)
    return 2


def cmd_start(args) -> int:
    from grader.study import workspace

    try:
        files = workspace.start(Path(args.dir))
    except StudyError as e:
        return _fail("start", e)
    print(workspace.started_text(Path(args.dir), files))
    return 0


def cmd_check(args) -> int:
    from grader.judge.session import GradingError, grade
    from grader.progress import bar
    from grader.report import write_json
    from grader.study import check
    from grader.study.workspace import is_workspace

    try:
        chapters, folder = check.split_args(args.items)
    except ValueError as e:
        return _fail("check", e)
    if not is_workspace(folder):
        return _fail("check", text("study.not_workspace", path=folder))
    try:
        with bar("checking", unit="test") as progress:
            report = grade(folder, chapters or None, progress=progress)
    except GradingError as e:
        return _fail("check", e)
    if args.json:
        write_json(report, Path(args.json))
    fresh = check.statuses(report)
    merged = check.save_progress(folder, fresh, report.version)
    print(check.render(report, fresh, merged))
    return 0 if all(s.status == check.DONE for s in fresh) else 1


def cmd_compare(args) -> int:
    from grader.study import compare
    from grader.study.workspace import is_workspace

    if not is_workspace(Path(args.dir)):
        return _fail("compare", text("study.not_workspace", path=args.dir))
    try:
        result = compare.compare(args.exercise, Path(args.dir))
    except StudyError as e:
        return _fail("compare", e)
    print(compare.render(result, rows=args.rows))
    return 0


def cmd_plot(args) -> int:
    from grader.progress import bar
    from grader.study import plots
    from grader.study.workspace import is_workspace

    if not is_workspace(Path(args.dir)):
        return _fail("plot", text("study.not_workspace", path=args.dir))
    out = Path(args.output or f"{args.kind}.png")
    try:
        with bar(f"plot {args.kind}", unit="run") as progress:
            fig, data = plots.make(args.kind, Path(args.dir), progress=progress)
    except StudyError as e:
        return _fail("plot", e)
    plots.save(fig, out)
    print(text("study.plot_written", path=out, what=plots.WHAT[args.kind]))
    if args.data:
        from grader.study.plotdata import save_npz

        print(text("study.plot_written", path=save_npz(data, Path(args.data)), what="the numbers plotted"))
    for who, errs in sorted(data.errors.items()):
        for part, problem in errs.items():
            label = "your code" if who == "learner" else "the reference (please report it)"
            print(f"  {label}, {part}: {problem}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    from grader.study.plotdata import KINDS

    s = sub.add_parser("start", help="make a new workspace for studying the book alone")
    s.add_argument("dir", help="a new (or empty) folder")
    s.set_defaults(func=cmd_start)

    c = sub.add_parser("check", help="run the hidden tests on your workspace: points and progress",
                       description="dlfs check [CHAPTER ...] [DIR]: chapters as ch03 (or 3); DIR "
                                   "defaults to the current folder. Exit 0 when every exercise "
                                   "checked has all its points, 1 when some are still to do.")
    c.add_argument("items", nargs="*", metavar="CHAPTER|DIR")
    c.add_argument("--json", metavar="OUT.json", help="also write the full report as JSON")
    c.set_defaults(func=cmd_check)

    m = sub.add_parser("compare", help="run one exercise on your code and the reference, side by side")
    m.add_argument("exercise", help="an exercise id, e.g. ch05.Affine.backward (`dlfs exercises`)")
    m.add_argument("dir", nargs="?", default=".", help="your workspace (default: here)")
    m.add_argument("--rows", type=int, default=3, help="rows of each array to show (default 3)")
    m.set_defaults(func=cmd_compare)

    p = sub.add_parser("plot", help="the book's figures from your code next to the reference's")
    p.add_argument("kind", choices=KINDS)
    p.add_argument("dir", nargs="?", default=".", help="your workspace (default: here)")
    p.add_argument("-o", "--output", metavar="FILE.png", help="where to write (default KIND.png)")
    p.add_argument("--data", metavar="FILE.npz", help="also write the plotted numbers (yours and "
                   "the reference's) as .npz arrays")
    p.set_defaults(func=cmd_plot)
