"""scaffold/ → assignments/source/: one nbgrader source folder per chapter.

``assignments/source/chNN/`` holds ``chNN.ipynb`` (built from grader/course/content/chNN.py
with the judge's points) and the chapter's modules copied from scaffold/ — the stubs, never
solutions/. ``differences`` says whether the checked-in sources are what ``build`` writes.
"""
from __future__ import annotations

import filecmp
import shutil
import tempfile
from pathlib import Path

from grader import exercises
from grader.course import layout, notebook, points


def chapter_files(chapter: str, scaffold: Path = layout.SCAFFOLD) -> list[str]:
    """The modules of the chapter's assignment (exercise files + the notebook's imports)."""
    return layout.chapter_files(chapter, scaffold, notebook.content(chapter).MODULES)


def build_chapter(chapter: str, out: Path, scaffold: Path = layout.SCAFFOLD) -> list[Path]:
    """Write the chapter's source folder into ``out`` (which must not exist); files written."""
    files = chapter_files(chapter, scaffold)
    nb = notebook.build(chapter, points.max_points(chapter), files)
    out.mkdir(parents=True)
    written = [out / layout.notebook_name(chapter)]
    written[0].write_text(notebook.text(nb), encoding="utf-8")
    for rel in files:
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(scaffold / rel, out / rel)
        written.append(out / rel)
    return written


def build(out: Path = layout.SOURCES, chapters: tuple[str, ...] = exercises.CHAPTERS,
          scaffold: Path = layout.SCAFFOLD) -> list[Path]:
    """(Re)write ``out/chNN`` for each chapter; a chapter's folder is replaced as a whole only
    once it is complete, so an error leaves the old one in place."""
    written = []
    out.mkdir(parents=True, exist_ok=True)
    for chapter in chapters:
        tmp = out / f".{chapter}.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        try:
            written += [out / chapter / p.relative_to(tmp) for p in build_chapter(chapter, tmp, scaffold)]
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        shutil.rmtree(out / chapter, ignore_errors=True)
        tmp.rename(out / chapter)
    return written


def _files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts and ".ipynb_checkpoints" not in p.parts}


def differences(sources: Path = layout.SOURCES, chapters: tuple[str, ...] = exercises.CHAPTERS,
                scaffold: Path = layout.SCAFFOLD) -> list[str]:
    """Files of ``sources`` that differ from what ``build`` would write (empty = in sync)."""
    diffs = []
    with tempfile.TemporaryDirectory() as d:
        for chapter in chapters:
            fresh, have = Path(d) / chapter, sources / chapter
            build_chapter(chapter, fresh, scaffold)
            want, got = _files(fresh), _files(have) if have.is_dir() else set()
            diffs += [f"missing: {chapter}/{f}" for f in sorted(want - got)]
            diffs += [f"extra: {chapter}/{f}" for f in sorted(got - want)]
            diffs += [f"differs: {chapter}/{f}" for f in sorted(want & got)
                      if not filecmp.cmp(fresh / f, have / f, shallow=False)]
    return diffs
