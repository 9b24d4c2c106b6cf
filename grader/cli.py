"""The ``dlfs`` command line: one sub-command per job, each a small function."""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

# One BLAS thread per process, set before numpy is imported: the book's small matrices gain
# nothing from threads, and on a 2-core machine two threaded processes slow each other ~30x.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

from grader import exercises
from grader.i18n import LANGUAGES
from grader.messages import msg


def cmd_grade(args) -> int:
    from grader.judge.session import GradingError, grade
    from grader.report import table, write_json

    from grader.progress import bar
    from grader.worker.bwrap import select_launcher

    try:
        launcher = select_launcher(require=args.require_sandbox, disable=args.no_sandbox)
        with bar("grading", unit="test") as progress:
            report = grade(Path(args.submission), args.chapter or None, launcher=launcher,
                           progress=progress)
    except GradingError as e:
        print(f"dlfs grade: {e}", file=sys.stderr)
        return 2
    if args.json:
        write_json(report, Path(args.json))
    print(table(report))
    return 0


def cmd_scaffold(args) -> int:
    from grader import scaffold

    solutions, out = Path(args.solutions), Path(args.out)
    try:
        if args.check:
            diffs = scaffold.differences(solutions, out)
            leaks = scaffold.leaked_lines(solutions, out) if out.is_dir() else []
            for d in diffs + [f"solution line: {l}" for l in leaks]:
                print(d)
            if diffs or leaks:
                print(f"{out} is not what `dlfs scaffold` generates from {solutions}", file=sys.stderr)
                return 1
            print(f"{out} is up to date")
            return 0
        written = scaffold.generate(solutions, out)
    except scaffold.MarkerError as e:
        print(f"dlfs scaffold: {e}", file=sys.stderr)
        return 2
    print(f"wrote {len(written)} files to {out}")
    return 0


def cmd_demo(args) -> int:
    from grader import demo
    from grader.data import DataError

    try:
        return demo.run(Path(args.out), args.epochs)
    except DataError as e:
        print(f"dlfs demo: {e}", file=sys.stderr)
        return 2


def cmd_exercises(args) -> int:
    for e in exercises.EXERCISES:
        if not args.chapter or e.chapter in args.chapter:
            print(f"{e.id:<40} §{e.section:<6} {e.file:<32} {e.title}")
    return 0


# Sub-commands defined next to the code they drive; each module has register(subparsers).
COMMAND_MODULES = (
    "grader.batch.commands",  # grade-batch
    "grader.course.commands",  # course init / release / collect / autograde / feedback / export
    "grader.study.commands",  # start / check / compare / plot
    "grader.i18n_commands",  # i18n extract / compile / check
)


def _register_modules(sub) -> None:
    import importlib

    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as e:
            if e.name and name.startswith(e.name):  # that part of the kit is not there (yet)
                continue
            raise
        module.register(sub)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="dlfs", description="Auto-graded exercises for "
                                "Deep Learning from Scratch, chapters 3-7.")
    p.add_argument("--lang", choices=LANGUAGES, help=msg("cli.lang").text)  # taken out by main()
    sub = p.add_subparsers(dest="command", required=True)

    g = sub.add_parser("grade", help="grade a submission folder with the hidden suites")
    g.add_argument("submission", help="folder in the book's layout (common/, ch03/ …)")
    g.add_argument("--chapter", action="append", choices=exercises.CHAPTERS,
                   help="grade only this chapter (repeatable)")
    g.add_argument("--json", metavar="OUT.json", help="also write the report as JSON")
    sandbox = g.add_mutually_exclusive_group()
    sandbox.add_argument("--require-sandbox", action="store_true",
                         help="fail instead of grading without the bubblewrap sandbox")
    sandbox.add_argument("--no-sandbox", action="store_true",
                         help="grade in a plain limited subprocess (marked sandbox: none)")
    g.set_defaults(func=cmd_grade)

    s = sub.add_parser("scaffold", help="generate the student skeleton from the solutions")
    s.add_argument("--solutions", default="solutions")
    s.add_argument("--out", default="scaffold")
    s.add_argument("--check", action="store_true",
                   help="only check that OUT is what would be generated (exit 1 if not)")
    s.set_defaults(func=cmd_scaffold)

    d = sub.add_parser("demo", help="train the reference net and grade a bundled example")
    d.add_argument("--out", default="demo-out", help="folder for the PNG and the report")
    d.add_argument("--epochs", type=int, default=10)
    d.set_defaults(func=cmd_demo)

    e = sub.add_parser("exercises", help="list the exercises")
    e.add_argument("--chapter", action="append", choices=exercises.CHAPTERS)
    e.set_defaults(func=cmd_exercises)
    _register_modules(sub)
    return p


def take_lang(argv: list[str]) -> tuple[str | None, list[str]]:
    """Take every ``--lang X`` / ``--lang=X`` out of ``argv``, wherever it stands (``dlfs check
    --lang ko ch03`` as well as ``dlfs --lang ko check``): (the last one given, the rest)."""
    lang, rest, i = None, [], 0
    while i < len(argv):
        a = argv[i]
        if a == "--":
            rest += argv[i:]
            break
        if a == "--lang" and i + 1 < len(argv):
            lang, i = argv[i + 1], i + 2
        elif a.startswith("--lang="):
            lang, i = a.split("=", 1)[1], i + 1
        else:
            rest.append(a)
            i += 1
    return lang, rest


def main(argv: list[str] | None = None) -> int:
    from grader import i18n

    lang, argv = take_lang(list(sys.argv[1:] if argv is None else argv))
    if lang is not None:
        if lang not in LANGUAGES:
            print(f"dlfs: unknown language {lang!r} (choose from {', '.join(LANGUAGES)})", file=sys.stderr)
            return 2
        os.environ["DLFS_LANG"] = lang  # for the processes a command starts (course judging)
    i18n.set_language(lang)  # before the parser is built: the help is in that language too
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
