"""``dlfs course …``: an nbgrader course graded by the dlfs judge, one sub-command per step.

    dlfs course build-sources [--check]        assignments/source/chNN from scaffold/
    dlfs course init DIR [--exchange EX]       nbgrader_config.py, source/, exchange, gradebook
    dlfs course release CH                     generate_assignment + leak check + release_assignment
    dlfs course collect CH                     nbgrader collect
    dlfs course autograde CH [--jobs N]        the judge in parallel → nbgrader's gradebook
    dlfs course feedback CH [--release]        generate_feedback (+ leak check, release_feedback)
    dlfs course export [--to grades.csv]       nbgrader's CSV (+ --per-exercise CSV)
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from grader import exercises


def _course(args):
    from grader.course.course_dir import Course

    return Course.at(args.course_dir)


def cmd_build_sources(args) -> int:
    from grader.course import layout, sources

    out, chapters = Path(args.out), tuple(args.chapter or exercises.CHAPTERS)
    if args.check:
        diffs = sources.differences(out, chapters)
        for d in diffs:
            print(d)
        if diffs:
            print(f"{out} is not what `dlfs course build-sources` generates from {layout.SCAFFOLD}",
                  file=sys.stderr)
            return 1
        print(f"{out} is up to date")
        return 0
    written = sources.build(out, chapters)
    print(f"wrote {len(written)} files to {out}")
    return 0


def cmd_init(args) -> int:
    from grader.course.course_dir import init_course

    course = init_course(Path(args.dir), args.course_id, args.exchange and Path(args.exchange),
                         force=args.force)
    print(f"course {args.course_id!r} in {course.root} (config {course.root / 'nbgrader_config.py'})")
    print(f"next: cd {course.root} && dlfs course release ch03")
    return 0


def cmd_release(args) -> int:
    from grader.course import release

    where = release.release(_course(args), args.chapter, force=args.force)
    print(f"released {args.chapter} to {where} (no solution or hidden-test code in it)")
    return 0


def cmd_collect(args) -> int:
    from grader.course import release

    students = release.collect(_course(args), args.chapter)
    print(f"{len(students)} submissions of {args.chapter} collected: {', '.join(students) or 'none'}")
    return 0


def cmd_autograde(args) -> int:
    from grader.course import autograde
    from grader.progress import bar

    course = _course(args)
    with bar(f"judging {args.chapter}", unit="student") as progress:
        summary = autograde.autograde(course, args.chapter, jobs=args.jobs, force=args.force,
                                      students=args.student, progress=progress)
    for o in summary.outcomes:
        status = "FAILED" if o.student in summary.failed else o.status
        print(f"  {o.student:<24} {o.score:>4}/{o.max_score:<4} {status}")
    for student, why in summary.failed.items():
        print(f"dlfs course autograde: {student}: {why}", file=sys.stderr)
    counts = {s: sum(o.status == s for o in summary.outcomes) for s in ("graded", "reused")}
    print(f"{args.chapter}: {counts['graded']} graded, {counts['reused']} unchanged, "
          f"{len(summary.failed)} failed; {len(summary.applied)} written to the gradebook")
    return 0 if summary.ok else 1


def cmd_feedback(args) -> int:
    from grader.course import feedback

    files = feedback.generate(_course(args), args.chapter, release=args.release)
    print(f"feedback for {len(files)} students in feedback/*/{args.chapter}/"
          + (" (released)" if args.release else ""))
    return 0


def cmd_export(args) -> int:
    from grader.course import export

    for path in export.export(_course(args), Path(args.to), args.per_exercise and Path(args.per_exercise)):
        print(f"wrote {path}")
    return 0


def _run(func):
    def run(args) -> int:
        from grader.course.course_dir import CourseError
        from grader.judge.session import GradingError

        try:
            return func(args)
        except (CourseError, GradingError, FileNotFoundError, ValueError) as e:
            print(f"dlfs course {args.course_command}: {e}", file=sys.stderr)
            return 2
    return run


def register(subparsers) -> None:
    p = subparsers.add_parser("course", help="an nbgrader course graded by the dlfs judge")
    sub = p.add_subparsers(dest="course_command", required=True)

    def step(name, func, help, chapter=True, course_dir=True):
        s = sub.add_parser(name, help=help)
        if chapter:
            s.add_argument("chapter", choices=exercises.CHAPTERS)
        if course_dir:
            s.add_argument("--course-dir", default=os.curdir, help="the course folder (default: here)")
        s.set_defaults(func=_run(func))
        return s

    b = step("build-sources", cmd_build_sources, "generate assignments/source/chNN from scaffold/",
             chapter=False, course_dir=False)
    b.add_argument("--out", default=str(Path("assignments") / "source"))
    b.add_argument("--chapter", action="append", choices=exercises.CHAPTERS)
    b.add_argument("--check", action="store_true", help="only check that OUT is up to date (exit 1 if not)")

    i = step("init", cmd_init, "create an nbgrader course folder", chapter=False, course_dir=False)
    i.add_argument("dir")
    i.add_argument("--course-id", default="dlfs")
    i.add_argument("--exchange", help="the nbgrader exchange folder (default: DIR/exchange)")
    i.add_argument("--force", action="store_true", help="overwrite the config and source/")

    r = step("release", cmd_release, "generate, check for leaks and release an assignment")
    r.add_argument("--force", action="store_true", help="replace an earlier release in the exchange")
    step("collect", cmd_collect, "collect the submissions from the exchange")

    a = step("autograde", cmd_autograde, "grade the collected submissions with the judge")
    a.add_argument("--jobs", "-j", type=int, default=max(1, (os.cpu_count() or 1)),
                   help="submissions graded at once (default: the number of CPUs)")
    a.add_argument("--force", action="store_true", help="grade again even if nothing changed")
    a.add_argument("--student", action="append", help="only this student (repeatable)")

    f = step("feedback", cmd_feedback, "generate each student's feedback")
    f.add_argument("--release", action="store_true", help="also release it to the exchange")

    e = step("export", cmd_export, "write the grades CSV", chapter=False)
    e.add_argument("--to", default="grades.csv")
    e.add_argument("--per-exercise", metavar="CSV", help="also write points per exercise")
