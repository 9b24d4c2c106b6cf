"""Autograde N submissions of ch05: ``dlfs course autograde`` against plain ``nbgrader autograde``.

    .venv/bin/python benchmarks/autograde_nbgrader.py [--students 30] [--jobs 2]

Two courses with the same release and the same submissions (a third the reference modules, a
third the reference with one planted bug each, a third the untouched stubs). Course A is
configured by ``dlfs course init`` (the judge's scores, N submissions at a time); course B is
plain nbgrader (it executes each notebook, one after the other). Both commands run as the
instructor would type them, as subprocesses, one after the other in this run; the script
prints both wall times, the ratio and the mean score of each.
"""
from __future__ import annotations

import argparse
import csv
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "tests"))

CH = "ch05"
BIN = Path(sys.executable).parent


def plain_config(course_a: Path, course_b: Path) -> None:
    """Course B: course A's config without the dlfs judge (nbgrader's default autograde)."""
    text = (course_a / "nbgrader_config.py").read_text(encoding="utf-8")
    keep = text.split("# Scores come from the dlfs judge")[0]
    (course_b / "nbgrader_config.py").write_text(keep, encoding="utf-8")


def submissions(release: Path, n: int) -> dict[str, Path]:
    """n submission folders (reference, planted bug, stubs in turn) in a temporary folder."""
    from bugs.ch05 import BUGS

    out, bugs = {}, [b for b in BUGS if b.file != "ch05/layer_naive.py"]
    root = Path(tempfile.mkdtemp(prefix="dlfs-bench-subs-"))
    for i in range(n):
        sub = root / f"s{i:02d}"
        shutil.copytree(release, sub)
        kind = i % 3
        if kind < 2:
            for p in sub.rglob("*.py"):
                shutil.copyfile(REPO / "solutions" / p.relative_to(sub), p)
        if kind == 1:
            bug = bugs[i % len(bugs)]
            path = sub / bug.file
            path.write_text(path.read_text(encoding="utf-8").replace(bug.old, bug.new, 1), encoding="utf-8")
        (sub / "timestamp.txt").write_text("2026-01-01 10:00:00.000000 UTC", encoding="utf-8")
        out[sub.name] = sub
    return out


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the command and all its processes)."""
    start, cpu = time.monotonic(), _cpu()
    proc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    seconds = time.monotonic() - start
    if proc.returncode != 0:
        print(proc.stdout[-3000:], file=sys.stderr)
        raise SystemExit(f"{' '.join(cmd)} failed (exit {proc.returncode})")
    return seconds, _cpu() - cpu


def mean_score(course: Path) -> float:
    run([str(BIN / "nbgrader"), "export", "--to", "bench.csv"], course)
    rows = [r for r in csv.DictReader(open(course / "bench.csv")) if r["assignment"] == CH]
    return sum(float(r["score"]) for r in rows) / max(1, len(rows))


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--students", type=int, default=30)
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = p.parse_args()
    os.environ["PATH"] = str(BIN) + os.pathsep + os.environ.get("PATH", "")
    os.environ.setdefault("DLFS_DATA", str(REPO.parent / "shared" / "data" / "mnist"))
    os.environ.setdefault("DLFS_BOOK_WEIGHTS", str(REPO.parent / "shared" / "data" / "book" / "sample_weight.npz"))

    from grader.course import release
    from grader.course.course_dir import Course, init_course

    root = Path(tempfile.mkdtemp(prefix="dlfs-bench-"))
    a = init_course(root / "a", exchange_root=root / "exchange")
    shutil.copytree(a.root / "source", root / "b" / "source")
    plain_config(a.root, root / "b")
    b = Course(root / "b")
    release.generate(a, CH)
    run([str(BIN / "nbgrader"), "generate_assignment", CH, "--force"], b.root)
    subs = submissions(a.root / "release" / CH, args.students)
    for course in (a, b):
        for sid, folder in subs.items():
            shutil.copytree(folder, course.path("submitted", sid, CH))

    load = os.getloadavg()[0]
    ours, ours_cpu = run([str(BIN / "dlfs"), "course", "autograde", CH, "--jobs", str(args.jobs)], a.root)
    plain, plain_cpu = run([str(BIN / "nbgrader"), "autograde", CH], b.root)
    print(f"{args.students} submissions of {CH} on {os.cpu_count()} CPUs (load average {load:.1f} at start)")
    print(f"  dlfs course autograde --jobs {args.jobs}: {ours:7.1f} s wall ({ours / args.students:.2f} s "
          f"each), {ours_cpu:6.1f} s CPU, mean score {mean_score(a.root):.1f}")
    print(f"  nbgrader autograde (runs notebooks): {plain:7.1f} s wall ({plain / args.students:.2f} s "
          f"each), {plain_cpu:6.1f} s CPU, mean score {mean_score(b.root):.1f}")
    print(f"  ratio nbgrader / dlfs: {plain / ours:.2f} wall, {plain_cpu / ours_cpu:.2f} CPU")
    shutil.rmtree(root, ignore_errors=True)
    shutil.rmtree(next(iter(subs.values())).parent, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
