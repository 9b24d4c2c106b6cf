"""How long a learner waits for `pytest -m chNN` in a workspace made by `dlfs start`.

    .venv/bin/python benchmarks/public_pytest.py [--repeat 3] [--markdown]

For each chapter, `python -m pytest -m chNN` runs in two fresh workspaces: one as `dlfs start`
leaves it (every exercise a stub: the tests fail fast) and one with the reference bodies copied
in (every test runs to the end). The baseline is `python -m pytest` on an empty test file, run
the same way (a subprocess: interpreter start, pytest start, numpy import), so "tests" is the
time the public tests themselves take. Each figure is the median of --repeat runs. Target: a
chapter's whole run ≤ 3 s.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = 3.0
CHAPTERS = ("ch03", "ch04", "ch05", "ch06", "ch07")


def timed(args: list[str], cwd: Path, repeat: int) -> tuple[float, int]:
    """Median wall time of ``args`` in ``cwd`` and the last exit code."""
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", PYTHONDONTWRITEBYTECODE="1")
    times, code = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        code = subprocess.run(args, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL).returncode
        times.append(time.perf_counter() - start)
    return statistics.median(times), code


def workspaces(tmp: Path) -> tuple[Path, Path, Path]:
    """(stubs, written, baseline) folders."""
    from grader import scaffold
    from grader.study import workspace

    source = tmp / "scaffold"
    scaffold.generate(ROOT / "solutions", source)  # the scaffold as `dlfs scaffold` writes it now
    stubs, written = tmp / "stubs", tmp / "written"
    workspace.start(stubs, source)
    workspace.start(written, source)
    for path in (ROOT / "solutions").rglob("*.py"):
        rel = path.relative_to(ROOT / "solutions")
        if (written / rel).is_file():
            shutil.copyfile(path, written / rel)
    baseline = tmp / "baseline"
    (baseline / "tests").mkdir(parents=True)
    (baseline / "tests" / "test_empty.py").write_text("import numpy\n")
    shutil.copyfile(stubs / "pytest.ini", baseline / "pytest.ini")
    return stubs, written, baseline


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = p.parse_args(argv)
    pytest = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider"]
    with tempfile.TemporaryDirectory() as d:
        stubs, written, baseline = workspaces(Path(d))
        base, _ = timed(pytest, baseline, args.repeat)
        rows = []
        for ch in CHAPTERS:
            fresh, _ = timed(pytest + ["-m", ch], stubs, args.repeat)
            full, code = timed(pytest + ["-m", ch], written, args.repeat)
            rows.append((ch, fresh, full, full - base, code))
        everything, code = timed(pytest, written, args.repeat)
        rows.append(("all", timed(pytest, stubs, args.repeat)[0], everything, everything - base, code))
    sep = " | " if args.markdown else "  "
    head = ["chapter", "stubs (s)", "written (s)", "tests alone (s)", "target", "exit"]
    lines = [sep.join(head)]
    if args.markdown:
        lines = ["| " + lines[0] + " |", "|" + "---|" * len(head)]
    for ch, fresh, full, alone, code in rows:
        ok = "ok" if full <= TARGET or ch == "all" else "OVER"
        cells = [ch, f"{fresh:.2f}", f"{full:.2f}", f"{alone:.2f}", f"≤ {TARGET:g} s: {ok}" if ch != "all" else "-",
                 str(code)]
        lines.append(("| " + sep.join(cells) + " |") if args.markdown else sep.join(f"{c:<14}" for c in cells))
    lines.append(f"baseline (pytest on an empty test file): {base:.2f} s; median of {args.repeat} runs; "
                 f"exit 5 = no public tests for that chapter yet")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
