"""Is there solution or hidden-test code in a folder that students get (a release, feedback)?

nbgrader copies ``.py`` files verbatim (it strips solution markers only inside notebooks), so a
release made from the wrong folder would hand out the answers. These checks read every file
as a student would see it: notebooks by their cells' text, HTML as text without tags.
"""
from __future__ import annotations

import html
import json
import re
import shutil
import tempfile
from pathlib import Path

from grader import scaffold
from grader.course import layout
from grader.judge.session import SUITES, reference_dir

_TAG = re.compile(r"<[^>]*>")
MIN_TEST_LINE = 20  # shorter suite lines (``x = rng.random(3)``) are too common to mean a leak


def _as_text(path: Path) -> str | None:
    """A file's text as a reader sees it, or None for a binary file."""
    try:
        raw = path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        return None
    if path.suffix == ".ipynb":
        try:
            nb = json.loads(raw)
        except ValueError:
            return raw
        parts = []
        for cell in nb.get("cells", []) if isinstance(nb, dict) else []:
            src = cell.get("source", "")
            parts.append(src if isinstance(src, str) else "".join(src))
            for out in cell.get("outputs", []):
                for value in [out.get("text", "")] + list(out.get("data", {}).values()):
                    parts.append(value if isinstance(value, str) else "".join(value))
        return "\n".join(parts)
    if path.suffix in (".html", ".htm"):
        return html.unescape(_TAG.sub("", raw))
    return raw


def _readable_copy(tree: Path, out: Path) -> None:
    for p in sorted(tree.rglob("*")):
        if p.is_file():
            text = _as_text(p)
            if text is not None:
                dest = out / p.relative_to(tree)
                dest.parent.mkdir(parents=True, exist_ok=True)
                dest.write_text(text, encoding="utf-8")


def solution_leaks(tree: Path, solutions: Path | None = None) -> list[str]:
    """``file:line: text`` for every line of solution code found in ``tree`` (any file type)."""
    solutions = solutions or reference_dir()
    with tempfile.TemporaryDirectory() as d:
        _readable_copy(Path(tree), Path(d))
        return scaffold.leaked_lines(solutions, Path(d))


def _test_lines() -> set[str]:
    """Stripped lines of the hidden suites that appear nowhere in the kit's student material."""
    lines = set()
    for p in SUITES.rglob("*.py"):
        for line in p.read_text(encoding="utf-8").splitlines():
            s = line.strip()
            if len(s) >= MIN_TEST_LINE and not s.startswith(("#", "import ", "from ", '"""', "'''")):
                lines.add(s)
    public = set()
    for root in (layout.SCAFFOLD, reference_dir()):
        for p in root.rglob("*"):
            text = _as_text(p) if p.is_file() else None
            if text:
                public |= {l.strip() for l in text.splitlines()}
    return lines - public


def hidden_test_leaks(tree: Path) -> list[str]:
    """``file:line: text`` for every line of the hidden suites found in ``tree``."""
    secret, found = _test_lines(), []
    for p in sorted(Path(tree).rglob("*")):
        text = _as_text(p) if p.is_file() else None
        for no, line in enumerate((text or "").splitlines(), 1):
            if line.strip() in secret:
                found.append(f"{p.relative_to(tree)}:{no}: {line.strip()}")
    return found


def leaks(tree: Path) -> list[str]:
    """All solution and hidden-test lines in ``tree`` (empty = safe to hand out)."""
    return solution_leaks(tree) + [f"hidden test: {l}" for l in hidden_test_leaks(tree)]


def check(tree: Path, what: str) -> None:
    """Raise CourseError naming the first leaks when ``tree`` is not safe to hand out."""
    from grader.course.course_dir import CourseError

    found = leaks(tree)
    if found:
        shown = "\n  ".join(found[:20]) + (f"\n  … and {len(found) - 20} more" if len(found) > 20 else "")
        raise CourseError(f"{what} {tree} contains solution or hidden-test code; nothing was "
                          f"handed out:\n  {shown}")


def remove_code(tree: Path) -> list[Path]:
    """Delete the ``.py`` files under ``tree`` (a student's modules in their feedback folder)."""
    removed = sorted(Path(tree).rglob("*.py"))
    for p in removed:
        p.unlink()
    for d in sorted(Path(tree).rglob("__pycache__")):
        shutil.rmtree(d, ignore_errors=True)
    return removed
