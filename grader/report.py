"""Reports for people: the terminal table of ``dlfs grade`` and the JSON file written atomically."""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from grader.judge.session import Report


def table(report: Report, width: int = 100) -> str:
    """Per exercise: points, status and the first line of the first failure; then the total."""
    lines = [f"dlfs grade: {report.submission}", ""]
    head = f"{'exercise':<38} {'points':>9}  status"
    lines += [head, "-" * min(width, 100)]
    chapter = None
    for e in report.exercises():
        if e["chapter"] != chapter:
            chapter = e["chapter"]
            lines.append(f"[{chapter}]")
        status = "ok" if e["points"] == e["max_points"] else (
            "partly" if e["points"] else "FAIL")
        pts = f"{e['points']}/{e['max_points']}"
        lines.append(f"  {e['exercise']:<36} {pts:>9}  {status}")
        if e["message"]:
            first = e["message"].splitlines()[0]
            limit = width - 6
            lines.append("      " + (first if len(first) <= limit else first[: limit - 1] + "…"))
        if e.get("hint"):
            lines.append("      hint: " + e["hint"])
    lines += ["-" * min(width, 100), f"{'total':<38} {report.score:>4}/{report.max_score:<4}"]
    if report.sandbox == "none":
        lines.append("warning: graded without a sandbox (bubblewrap not used)")
    for note in report.notes:
        lines.append(f"note: {note}")
    return "\n".join(lines)


def write_json(report: Report, path: Path) -> None:
    """Write the JSON report so that a reader never sees half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(report.to_json(), f, indent=2, ensure_ascii=False)
        f.write("\n")
    os.replace(tmp, path)
