"""solutions/ → scaffold/: turn every solution region into a stub.

A solution region is::

        ### BEGIN SOLUTION ch05.Affine.backward
        dx = np.dot(dout, self.W.T)
        ...
        ### END SOLUTION

and becomes, at the marker's indentation::

        raise NotImplementedError("ch05.Affine.backward: dx = dout·Wᵀ (reshaped back), ...")

with the hint taken from the exercise catalogue (``grader/exercises.py``). Everything outside the
markers (imports, class shells, docstrings, provided helpers) is copied unchanged. The public
student tests (``grader/public/``) are copied to ``scaffold/tests/``.
"""
from __future__ import annotations

import filecmp
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from grader import exercises

BEGIN = re.compile(r"^(?P<indent>\s*)### BEGIN SOLUTION(?P<rest>.*)$")
END = re.compile(r"^\s*### END SOLUTION\s*$")
ID = re.compile(r"^ch\d\d\.[A-Za-z_][\w.]*$")
PUBLIC_TESTS = Path(__file__).parent / "public"
SKIP = {"__pycache__", ".pytest_cache"}


class MarkerError(ValueError):
    """A solution marker is malformed; the message names the file and line."""

    def __init__(self, path: Path | str, line: int, problem: str):
        super().__init__(f"{path}:{line}: {problem}")
        self.path, self.line, self.problem = str(path), line, problem


@dataclass(frozen=True)
class Region:
    exercise_id: str
    path: str  # relative to the solutions root, e.g. "common/layers.py"
    begin: int  # 1-based line numbers of the two marker lines
    end: int
    indent: str
    body: tuple[str, ...]  # the solution lines between the markers


def parse_regions(text: str, path: str) -> list[Region]:
    """All solution regions of one file; MarkerError on unbalanced, nested or id-less markers."""
    regions, open_ = [], None
    lines = text.splitlines()
    for no, line in enumerate(lines, 1):
        m = BEGIN.match(line)
        if m:
            if open_ is not None:
                raise MarkerError(path, no, f"nested BEGIN SOLUTION: the one at line {open_[0]} "
                                            "is not closed by an END SOLUTION")
            exercise_id = m["rest"].strip()
            if not exercise_id:
                raise MarkerError(path, no, "BEGIN SOLUTION without an exercise id "
                                            "(write e.g. '### BEGIN SOLUTION ch05.Affine.backward')")
            if not ID.match(exercise_id):
                raise MarkerError(path, no, f"malformed exercise id {exercise_id!r}")
            open_ = (no, exercise_id, m["indent"])
        elif END.match(line):
            if open_ is None:
                raise MarkerError(path, no, "END SOLUTION without a BEGIN SOLUTION")
            begin, exercise_id, indent = open_
            regions.append(Region(exercise_id, path, begin, no, indent, tuple(lines[begin:no - 1])))
            open_ = None
        elif "BEGIN SOLUTION" in line or "END SOLUTION" in line:
            raise MarkerError(path, no, "marker must be on its own line as '### BEGIN SOLUTION <id>' "
                                        "or '### END SOLUTION'")
    if open_ is not None:
        raise MarkerError(path, open_[0], f"BEGIN SOLUTION {open_[1]} is never closed")
    return regions


def stub_line(region: Region) -> str:
    hint = exercises.get(region.exercise_id).hint
    message = f"{region.exercise_id}: {hint}".replace("\\", "\\\\").replace('"', '\\"')
    return f'{region.indent}raise NotImplementedError("{message}")'


def stub_text(text: str, path: str) -> str:
    """The file with each solution region replaced by its NotImplementedError stub."""
    regions = parse_regions(text, path)
    for r in regions:
        if r.exercise_id not in exercises.BY_ID:
            raise MarkerError(path, r.begin, f"unknown exercise id {r.exercise_id!r} "
                                             "(not in grader/exercises.py)")
        expected = exercises.get(r.exercise_id).file
        if expected != path:
            raise MarkerError(path, r.begin, f"{r.exercise_id} belongs in {expected} "
                                             "according to grader/exercises.py")
    lines = text.splitlines()
    out, skip_to = [], 0
    starts = {r.begin: r for r in regions}
    for no, line in enumerate(lines, 1):
        if no <= skip_to:
            continue
        if no in starts:
            out.append(stub_line(starts[no]))
            skip_to = starts[no].end
        else:
            out.append(line)
    return "\n".join(out) + ("\n" if text.endswith("\n") else "")


def _files(root: Path):
    for p in sorted(root.rglob("*")):
        if p.is_file() and not SKIP.intersection(p.relative_to(root).parts):
            yield p


def all_regions(solutions: Path) -> list[Region]:
    """Every region in a solutions tree; MarkerError on a duplicated or missing exercise id."""
    regions = []
    for p in _files(solutions):
        if p.suffix == ".py":
            regions += parse_regions(p.read_text(encoding="utf-8"), p.relative_to(solutions).as_posix())
    seen: dict[str, Region] = {}
    for r in regions:
        if r.exercise_id in seen:
            first = seen[r.exercise_id]
            raise MarkerError(r.path, r.begin, f"{r.exercise_id} already has a solution at "
                                               f"{first.path}:{first.begin}")
        seen[r.exercise_id] = r
    missing = [e.id for e in exercises.EXERCISES if e.id not in seen]
    if missing:
        raise MarkerError(solutions, 0, "no solution region for " + ", ".join(missing))
    return regions


def generate(solutions: Path, out: Path) -> list[Path]:
    """Write the scaffold for ``solutions`` into ``out`` (replacing it); returns the files written."""
    all_regions(solutions)  # validates the whole tree before anything is written
    tmp = out.with_name(out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    written = []
    for src in _files(solutions):
        rel = src.relative_to(solutions)
        dst = tmp / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.suffix == ".py":
            dst.write_text(stub_text(src.read_text(encoding="utf-8"), rel.as_posix()), encoding="utf-8")
        else:
            shutil.copyfile(src, dst)
        written.append(out / rel)
    if PUBLIC_TESTS.is_dir():
        for src in _files(PUBLIC_TESTS):
            rel = src.relative_to(PUBLIC_TESTS)
            # scaffold root files (pytest.ini, README.md) live in public/_root/
            dst_rel = Path(*rel.parts[1:]) if rel.parts[0] == "_root" else Path("tests") / rel
            (tmp / dst_rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, tmp / dst_rel)
            written.append(out / dst_rel)
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)
    return written


def differences(solutions: Path, scaffold: Path) -> list[str]:
    """Files that differ between ``scaffold`` and what ``generate`` would write (empty = in sync)."""
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        fresh = Path(d) / "scaffold"
        generate(solutions, fresh)
        want = {p.relative_to(fresh).as_posix() for p in _files(fresh)}
        have = {p.relative_to(scaffold).as_posix() for p in _files(scaffold)} if scaffold.is_dir() else set()
        diffs = [f"missing: {f}" for f in sorted(want - have)]
        diffs += [f"extra: {f}" for f in sorted(have - want)]
        diffs += [f"differs: {f}" for f in sorted(want & have)
                  if not filecmp.cmp(fresh / f, scaffold / f, shallow=False)]
        return diffs


def leaked_lines(solutions: Path, tree: Path) -> list[str]:
    """Lines of solution code found in ``tree`` (a scaffold or a release): ``file:line: text``.

    A solution line is a stripped line from inside a region that does not also occur in provided
    (non-solution) code of the solutions tree, so ``return dx`` in a provided wrapper is no leak.
    """
    regions = all_regions(solutions)
    provided: set[str] = set()
    for p in _files(solutions):
        if p.suffix == ".py":
            text = p.read_text(encoding="utf-8")
            inside = {n for r in parse_regions(text, str(p)) for n in range(r.begin, r.end + 1)}
            provided |= {l.strip() for n, l in enumerate(text.splitlines(), 1) if n not in inside}
    secret = {l.strip() for r in regions for l in r.body} - provided - {""}
    secret = {s for s in secret if not s.startswith("#")}
    found = []
    for p in _files(tree):
        try:
            text = p.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        for no, line in enumerate(text.splitlines(), 1):
            if "BEGIN SOLUTION" in line or "END SOLUTION" in line or line.strip() in secret:
                found.append(f"{p.relative_to(tree)}:{no}: {line.strip()}")
    return found
