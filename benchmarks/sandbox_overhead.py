"""What the bubblewrap sandbox costs: grading the reference with the plain launcher and with
bwrap, in the same process, and the start-up of one worker alone.

    .venv/bin/python benchmarks/sandbox_overhead.py [--chapter ch05] [--repeat 5] [--markdown]

Runs alternate (plain, bwrap, plain, …) so a change in the machine's load hits both alike;
each figure is the median of --repeat runs. "start-up" is one worker from nothing to its
first answer (process start, sandbox set-up, the copy, Python and numpy imported: the worker
imports numpy before it listens). Needs MNIST only for ch03 (DLFS_DATA).
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from grader import exercises  # noqa: E402
from grader.judge.session import grade, reference_dir  # noqa: E402
from grader.worker.bwrap import BwrapLauncher, unavailable_reason  # noqa: E402
from grader.worker.client import Worker  # noqa: E402
from grader.worker.sandbox import Launcher  # noqa: E402

LAUNCHERS = {"plain": Launcher, "bwrap": BwrapLauncher}


def grade_once(make, chapter: str) -> float:
    start = time.perf_counter()
    report = grade(reference_dir(), [chapter], launcher=make())
    took = time.perf_counter() - start
    if report.score != report.max_score:
        sys.exit(f"the reference did not get full marks in {chapter} ({report.score}/{report.max_score})")
    return took


def start_once(make) -> float:
    """Seconds from nothing to a worker's first reply (a ping), the worker closed after."""
    start = time.perf_counter()
    with Worker(reference_dir(), launcher=make()) as w:
        assert w.request({"op": "ping"}) == "pong"
        took = time.perf_counter() - start
    return took


def measure(what, repeat: int) -> dict[str, float]:
    runs: dict[str, list[float]] = {name: [] for name in LAUNCHERS}
    for _ in range(repeat):
        for name, make in LAUNCHERS.items():
            runs[name].append(what(make))
    return {name: statistics.median(times) for name, times in runs.items()}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--chapter", default="ch05", choices=exercises.CHAPTERS)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = p.parse_args(argv)
    reason = unavailable_reason()
    if reason:
        print(f"cannot measure the sandbox: {reason}", file=sys.stderr)
        return 2
    grade_once(Launcher, args.chapter)  # warm the caches (suites, MNIST, page cache)
    rows = [(f"grade {args.chapter} (reference)", measure(lambda m: grade_once(m, args.chapter), args.repeat)),
            ("one worker's start-up", measure(start_once, args.repeat))]
    head = ("what", "plain s", "bwrap s", "bwrap/plain", "bwrap − plain s")
    lines = [(what, f"{t['plain']:.3f}", f"{t['bwrap']:.3f}", f"{t['bwrap'] / t['plain']:.2f}",
              f"{t['bwrap'] - t['plain']:+.3f}") for what, t in rows]
    if args.markdown:
        print("| " + " | ".join(head) + " |\n|" + "---|" * len(head))
        for line in lines:
            print("| " + " | ".join(line) + " |")
    else:
        widths = [max(len(r[i]) for r in [head, *lines]) for i in range(len(head))]
        for line in [head, *lines]:
            print("  ".join(c.ljust(w) for c, w in zip(line, widths)))
    print(f"median of {args.repeat} runs each, load average {os.getloadavg()[0]:.1f}, "
          f"{os.cpu_count()} cores", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
