"""``dlfs start DIR``: a learner's workspace is a copy of the scaffold (stubs, public tests,
README, pytest.ini) in a folder of their own.

The scaffold is looked for in this order (``scaffold_dir``):

1. ``$DLFS_SCAFFOLD`` (a folder made by ``dlfs scaffold``),
2. ``grader/_scaffold`` (a copy packaged with an installed kit),
3. ``scaffold/`` of the repository the ``grader`` package lives in (an editable install).
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import grader
from grader import exercises
from grader.study.texts import text

SCAFFOLD_ENV = "DLFS_SCAFFOLD"
IGNORE = shutil.ignore_patterns("__pycache__", ".pytest_cache", "*.pyc", ".dlfs")


class StudyError(Exception):
    """A study command cannot do what was asked; the message says why and what to do."""


def is_scaffold(path: Path) -> bool:
    """A scaffold holds the book's modules and the public tests."""
    return (path / "common" / "layers.py").is_file() and (path / "tests" / "conftest.py").is_file()


def scaffold_dir() -> Path:
    """The scaffold to copy from (see the module docstring); StudyError naming every place tried."""
    package = Path(grader.__file__).resolve().parent
    candidates = [(f"${SCAFFOLD_ENV}", os.environ.get(SCAFFOLD_ENV)),
                  ("the packaged copy", package / "_scaffold"),
                  ("the repository", package.parent / "scaffold")]
    tried = []
    for label, path in candidates:
        if not path:
            tried.append(f"{label} (not set)")
            continue
        path = Path(path).expanduser()
        if is_scaffold(path):
            return path.resolve()
        tried.append(f"{label} {path}")
    raise StudyError(text("study.no_scaffold", tried="; ".join(tried)))


def is_workspace(path: Path) -> bool:
    return (Path(path) / "common").is_dir()


def start(dest: Path, source: Path | None = None) -> list[Path]:
    """Copy the scaffold (``source``, default ``scaffold_dir()``) into ``dest``, which must not
    exist or be an empty folder. Returns the files written (relative to ``dest``).

    Nothing is overwritten: a non-empty ``dest`` raises StudyError before anything is copied.
    The copy is made next to ``dest`` and renamed into place, so an interrupted start leaves
    no half workspace."""
    dest = Path(dest).expanduser().absolute()
    if dest.exists() and not dest.is_dir():
        raise StudyError(text("study.not_a_folder", path=dest))
    if dest.is_dir() and any(dest.iterdir()):
        raise StudyError(text("study.not_empty", path=dest))
    source = Path(source) if source is not None else scaffold_dir()
    if not is_scaffold(source):
        raise StudyError(text("study.no_scaffold", tried=str(source)))
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.dlfs-start")
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        shutil.copytree(source, tmp, ignore=IGNORE)
        if dest.is_dir():
            dest.rmdir()  # empty (checked above); rmdir refuses if something appeared since
        tmp.rename(dest)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return sorted(p.relative_to(dest) for p in dest.rglob("*") if p.is_file())


def started_text(dest: Path, files: list[Path]) -> str:
    """What ``dlfs start`` prints: where the workspace is and the next three steps."""
    dest = Path(dest)
    books = {e.file for e in exercises.EXERCISES}
    shown = os.path.relpath(dest) if not os.path.relpath(dest).startswith("..") else str(dest)
    return "\n".join([
        text("study.started", path=dest, exercises=len(exercises.EXERCISES),
             files=sum(f.as_posix() in books for f in files)),
        "",
        text("study.next_steps", path=shown),
    ])
