"""Grading one submission: wall time of `dlfs grade solutions` (all chapters and each chapter)
against the *floor* — the same calls of the submission's code run in one plain Python process,
with no worker, no isolation, no pytest, no encoding — measured in the same run.

How the floor is measured: while grading, every request the judge sends to the student's worker
is recorded (and, for calls of lent book parts, the judge's replies); then those requests are
replayed in this process on an in-process ``grader.worker.server.Server`` over the reference
solutions, calling the operations directly. So the floor does exactly the student-side
computation of a grading and nothing else.

    python benchmarks/grade_one.py [--repeat 3] [--chapter ch05 ...]

Prints one table: figure, seconds (median), ratio to the floor, target, met?
Also the peak RSS of a grading run in a child process.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from grader import exercises  # noqa: E402
from grader.judge.session import grade, reference_dir  # noqa: E402
from grader.worker import client  # noqa: E402


class Recorder:
    """Records the student worker's top-level requests and the judge's callback replies."""

    def __init__(self):
        self.events: list = []
        self.student = None
        self.depth = 0
        self._request = client.Worker.request
        self._answer = client.Worker._answer_callback

    def __enter__(self):
        rec = self

        def request(worker, msg, timeout=None, what="the call"):
            if worker.callback_handler is not None:  # the student's worker (it has a lender)
                rec.student = worker
                if rec.depth == 0:
                    rec.events.append(("request", client._to_wire(msg, worker)))
            rec.depth += worker.callback_handler is not None
            try:
                return rec._request(worker, msg, timeout, what)
            finally:
                rec.depth -= worker.callback_handler is not None

        def answer(worker, payload, clock, what):
            nested = len(rec.events)
            rec.depth -= 1  # the lender's own requests to this worker are replayed as nested
            try:
                handler = worker.callback_handler
                values = []

                def capture(w, p):
                    v = handler(w, p)
                    values.append(v)
                    return v

                worker.callback_handler = capture
                try:
                    rec._answer(worker, payload, clock, what)
                finally:
                    worker.callback_handler = handler
            finally:
                rec.depth += 1
            inner = rec.events[nested:]
            del rec.events[nested:]
            rec.events.append(("callback", inner, client._to_wire(values[0], worker) if values else None))

        client.Worker.request, client.Worker._answer_callback = request, answer
        return self

    def __exit__(self, *exc):
        client.Worker.request, client.Worker._answer_callback = self._request, self._answer


def replay(events: list) -> float:
    """Seconds to run the recorded requests in this process on the reference."""
    from grader.worker import protocol
    from grader.worker.server import Server

    queue = list(events)
    server = Server(str(reference_dir()))
    errors = []

    def refs_like_encode(value, depth=0):
        """Make the handles protocol.encode would make for a reply (same order, same ids)."""
        import numpy as np

        if value is None or isinstance(value, (bool, str, int, float, np.ndarray, np.generic,
                                                protocol.Ref)) or depth > protocol.MAX_DEPTH:
            return
        if type(value) in (list, tuple):
            for v in value:
                refs_like_encode(v, depth + 1)
        elif isinstance(value, dict) and type(value).__module__ in ("builtins", "collections"):
            for k, v in list(value.items()):
                refs_like_encode(k, depth + 1)
                refs_like_encode(v, depth + 1)
        else:
            server.make_ref(value)

    def run(msg):
        msg = dict(msg)
        op = getattr(server, "op_" + msg.pop("op"))
        try:
            result = op(**msg)
        except Exception as e:  # the grading saw the same exception (e.g. a probe of a name)
            errors.append(f"{op.__name__}: {type(e).__name__}")
            return None
        refs_like_encode(result)
        return result

    def link_call(payload):
        refs_like_encode(payload)  # packing the callback made handles (e.g. the f given to a part)
        while queue and queue[0][0] != "callback":
            run(queue.pop(0)[1])
        _, nested, reply = queue.pop(0)
        for kind, msg in nested:
            run(msg)
        if not isinstance(reply, dict):
            raise RuntimeError("no recorded reply")
        return server.resolve(reply)

    server.link.call = link_call
    _ = protocol  # the floor decodes nothing: requests are used as recorded
    replay.errors = errors
    start = time.perf_counter()
    while queue:
        kind, *rest = queue.pop(0)
        if kind == "request":
            run(rest[0])
        else:  # a callback whose call was not reached in replay: run its nested part
            for _, msg in rest[0]:
                run(msg)
    return time.perf_counter() - start


def measure(chapters, repeat: int) -> tuple[list[float], list[float], int]:
    walls, floors, score = [], [], 0
    for _ in range(repeat):
        with Recorder() as rec:
            start = time.perf_counter()
            report = grade(reference_dir(), chapters)
            walls.append(time.perf_counter() - start)
        assert report.score == report.max_score, "the reference must get full marks"
        score = report.max_score
        floors.append(replay(rec.events))
        measure.requests = sum(1 for e in rec.events if e[0] == "request")
        measure.errors = len(replay.errors)
    return walls, floors, score


def peak_rss(chapters) -> float:
    """MiB: peak RSS of the judge process and of its largest worker, for one grading."""
    code = ("import resource,sys; from grader.judge.session import grade, reference_dir; "
            f"grade(reference_dir(), {chapters!r}); "
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "
            "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    judge, worker = (int(v) / 1024 for v in out.stdout.split()[-2:])
    return judge, worker


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--chapter", action="append", choices=exercises.CHAPTERS)
    parser.add_argument("--no-total", action="store_true", help="skip the all-chapters run")
    args = parser.parse_args()
    rows = []
    runs = [] if args.no_total else [("all chapters", None)]
    for label, chapters in runs + [(c, [c]) for c in (args.chapter or exercises.CHAPTERS)]:
        walls, floors, score = measure(chapters, args.repeat)
        wall, floor = statistics.median(walls), statistics.median(floors)
        rows.append((label, score, wall, floor))
        print(f"{label}: {measure.requests} requests replayed, {measure.errors} raised "
              "(as they did when graded)", file=sys.stderr)
    judge_mb, worker_mb = peak_rss(None)
    print(f"{'figure':<34} {'points':>6} {'grade s':>8} {'floor s':>8} {'ratio':>6}  target           met?")
    for label, score, wall, floor in rows:
        target = "≤ 15 s, ≤ 2× floor" if label == "all chapters" else "≤ 2× floor"
        met = (wall <= 15 if label == "all chapters" else True) and wall <= 2 * floor
        print(f"{'grade ' + label:<34} {score:>6} {wall:>8.2f} {floor:>8.2f} {wall / floor:>6.1f}  "
              f"{target:<16} {'yes' if met else 'no'}")
    print(f"peak RSS, one full grading: judge {judge_mb:.0f} MiB, largest worker {worker_mb:.0f} MiB")


if __name__ == "__main__":
    main()
