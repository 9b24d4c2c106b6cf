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
        with bar(text("cli.progress_checking"), unit="test") as progress:
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
    print(text("study.plot_written", path=out, what=plots.what(args.kind)))
    if args.data:
        from grader.study.plotdata import save_npz

        print(text("study.plot_written", path=save_npz(data, Path(args.data)), what=text("plot.numbers")))
    for who, errs in sorted(data.errors.items()):
        for part, problem in errs.items():
            label = text("plot.your_code") if who == "learner" else text("plot.reference_code")
            print(f"  {label}, {part}: {problem}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    from grader.study.plotdata import KINDS

    s = sub.add_parser("start", help=text("cli.start"))
    s.add_argument("dir", help=text("cli.start_dir"))
    s.set_defaults(func=cmd_start)

    c = sub.add_parser("check", help=text("cli.check"), description=text("cli.check_description"))
    c.add_argument("items", nargs="*", metavar="CHAPTER|DIR")
    c.add_argument("--json", metavar="OUT.json", help=text("cli.json"))
    c.set_defaults(func=cmd_check)

    m = sub.add_parser("compare", help=text("cli.compare"))
    m.add_argument("exercise", help=text("cli.compare_exercise"))
    m.add_argument("dir", nargs="?", default=".", help=text("cli.workspace"))
    m.add_argument("--rows", type=int, default=3, help=text("cli.compare_rows"))
    m.set_defaults(func=cmd_compare)

    p = sub.add_parser("plot", help=text("cli.plot"))
    p.add_argument("kind", choices=KINDS)
    p.add_argument("dir", nargs="?", default=".", help=text("cli.workspace"))
    p.add_argument("-o", "--output", metavar="FILE.png", help=text("cli.plot_output"))
    p.add_argument("--data", metavar="FILE.npz", help=text("cli.plot_data"))
    p.set_defaults(func=cmd_plot)
