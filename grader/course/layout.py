"""What an nbgrader assignment of one chapter holds, and how its cells are named.

An assignment ``chNN`` is a folder in the book's layout (so the judge grades it as it is)::

    chNN.ipynb              the walkthrough notebook (not graded itself)
    common/…, chNN/…        the chapter's modules: stubs from scaffold/ that the student edits
    dataset/…               provided support code

The modules are the import closure of the chapter's exercise files in ``scaffold/``. A module
that holds any exercise (of this chapter or an earlier one, e.g. ``common/functions.py`` in
ch05) is a *student file*: autograde must not overwrite it (``Autograde.exclude_overwriting``).
Every other module is *support*: nbgrader restores it from the source at autograde.
"""
from __future__ import annotations

import ast
from pathlib import Path

import grader
from grader import exercises

REPO = Path(grader.__file__).resolve().parents[1]
SCAFFOLD = REPO / "scaffold"
SOURCES = REPO / "assignments" / "source"
CELL_PREFIX = "judge-"


def notebook_name(chapter: str) -> str:
    """``"ch05"`` → ``"ch05.ipynb"`` (one notebook per assignment, named like it)."""
    return f"{chapter}.ipynb"


def cell_id(exercise_id: str) -> str:
    """The nbgrader ``grade_id`` of an exercise's graded cell: ``judge-ch05-Affine-forward``."""
    return CELL_PREFIX + exercise_id.replace(".", "-")


_BY_CELL = {cell_id(e.id): e.id for e in exercises.EXERCISES}


def exercise_of_cell(grade_id: str) -> str | None:
    """The exercise id a graded cell stands for, or None for a cell that is not the judge's."""
    return _BY_CELL.get(grade_id)


def _imports(path: Path) -> set[str]:
    """Dotted module names imported by the file (``from common.layers import *`` → common.layers)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _module_files(name: str, root: Path) -> list[str]:
    """The scaffold files of a dotted module name and of its top package (``common.layers`` →
    ``common/layers.py``, ``common/__init__.py``); [] for a module outside the scaffold."""
    found = []
    for parts in (name.split("."), name.split(".")[:1]):
        for rel in (Path(*parts).with_suffix(".py"), Path(*parts) / "__init__.py"):
            if (root / rel).is_file():
                found.append(rel.as_posix())
                break
    return found


def chapter_files(chapter: str, scaffold: Path = SCAFFOLD, modules: tuple[str, ...] = ()) -> list[str]:
    """Paths (book layout, sorted) of the modules the chapter's assignment ships: its exercise
    files, the ``modules`` its notebook imports (dotted names, e.g. ``dataset.mnist``),
    everything those import from the scaffold, and the packages' ``__init__.py``."""
    todo = sorted({e.file for e in exercises.of_chapter(chapter)})
    if not todo:
        raise ValueError(f"unknown chapter {chapter!r} (choose from {', '.join(exercises.CHAPTERS)})")
    for name in modules:
        if not _module_files(name, scaffold):
            raise FileNotFoundError(f"the notebook of {chapter} imports {name}, which is not in {scaffold}")
        todo += _module_files(name, scaffold)
    seen: set[str] = set()
    while todo:
        rel = todo.pop()
        if rel in seen:
            continue
        if not (scaffold / rel).is_file():
            raise FileNotFoundError(f"{scaffold / rel} is missing: run `dlfs scaffold` first")
        seen.add(rel)
        for name in _imports(scaffold / rel):
            todo += _module_files(name, scaffold)
    return sorted(seen)


def student_files(files: list[str]) -> list[str]:
    """Those of an assignment's ``files`` that hold an exercise (any chapter's): the files the
    student edits and autograde must keep."""
    holding = {e.file for e in exercises.EXERCISES}
    return [f for f in files if f in holding]
