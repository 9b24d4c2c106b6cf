"""Build a chapter's walkthrough notebook from its content module (grader/course/content/chNN.py).

A content module declares, in book order::

    TITLE = "Chapter 5 — Backpropagation"
    MODULES = ("dataset.mnist",)        # modules the notebook imports besides the exercise files
    CELLS = (md("…"), code("…"), ex("ch05.Affine.forward", "demo code"), …)

``ex`` becomes a heading cell (book section, title, file to edit, points) and a graded cell:
an nbgrader "autograded tests" code cell (locked), ``grade_id`` = ``layout.cell_id(id)``,
``points`` = the judge's maximum for that exercise. The cell's code only *shows* the
student's result; the score is written by ``dlfs course autograde`` from the judge. Exercises
without hidden tests yet get an ungraded demo cell. Every exercise of the chapter must appear.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType

import nbformat

from grader import exercises
from grader.course import layout

SCHEMA = 3  # nbgrader cell-metadata schema version


@dataclass(frozen=True)
class Md:
    text: str


@dataclass(frozen=True)
class Code:
    source: str


@dataclass(frozen=True)
class Ex:
    exercise_id: str
    demo: str
    text: str = ""


def md(text: str) -> Md:
    return Md(text.strip("\n"))


def code(source: str) -> Code:
    return Code(source.strip("\n"))


def ex(exercise_id: str, demo: str, text: str = "") -> Ex:
    exercises.get(exercise_id)
    return Ex(exercise_id, demo.strip("\n"), text.strip("\n"))


_TRAINING = """
from dataset.mnist import load_mnist
from {chapter}.two_layer_net import TwoLayerNet
(x_train, t_train), (x_test, t_test) = load_mnist(normalize=True, one_hot_label=True)
x_train, t_train = x_train[:{samples}], t_train[:{samples}]
np.random.seed(0)
net = TwoLayerNet(input_size=784, hidden_size=50, output_size=10)
losses = []
for i in range({iters}):
    batch = np.random.choice(x_train.shape[0], 100)
    grads = net.gradient(x_train[batch], t_train[batch])
    for key in ("W1", "b1", "W2", "b2"):
        net.params[key] -= {lr} * grads[key]
    losses.append(net.loss(x_train[batch], t_train[batch]))
print("test accuracy:", net.accuracy(x_test[:2000], t_test[:2000]))
plt.plot(losses)
plt.xlabel("iteration")
plt.ylabel("loss")
plt.show()
"""


def training(chapter: str, samples: int, iters: int, lr: float) -> Code:
    """The book's mini-batch SGD loop on an MNIST subset with the chapter's TwoLayerNet, and
    its loss curve (ch04 and ch05 notebooks)."""
    return code(_TRAINING.format(chapter=chapter, samples=samples, iters=iters, lr=lr))


def content(chapter: str) -> ModuleType:
    """The content module of a chapter (TITLE, MODULES, CELLS)."""
    return importlib.import_module(f"grader.course.content.{chapter}")


def _heading(e: Ex, points: int | None) -> str:
    x = exercises.get(e.exercise_id)
    worth = f"{points} points" if points else "not graded yet"
    lines = [f"### {x.section} {x.title} — `{x.id}` ({worth})", "",
             f"Edit `{x.file}`: {x.hint}."]
    if e.text:
        lines += ["", e.text]
    return "\n".join(lines)


def _graded_cell(e: Ex, points: int, cell_id: str):
    x = exercises.get(e.exercise_id)
    source = (f"# {x.id}: graded by the dlfs judge from your {x.file} (hidden tests);\n"
              f"# this cell only shows your result.\n{e.demo}")
    cell = nbformat.v4.new_code_cell(source, id=cell_id)
    cell.metadata = {"deletable": False, "editable": False, "nbgrader": {
        "grade": True, "grade_id": cell_id, "locked": True, "points": points,
        "schema_version": SCHEMA, "solution": False, "task": False}}
    return cell


SETUP = """%load_ext autoreload
%autoreload 2
%matplotlib inline
import numpy as np
import matplotlib.pyplot as plt
np.set_printoptions(precision=4, suppress=True)"""


def intro(chapter: str, title: str, points: dict[str, int], files: list[str]) -> str:
    """The first cell: what the assignment is, which files to edit, what carries over."""
    own = sorted({e.file for e in exercises.of_chapter(chapter)})
    before = exercises.CHAPTERS[:exercises.CHAPTERS.index(chapter)]
    earlier = sorted({e.file for ch in before for e in exercises.of_chapter(ch)} & set(files) - set(own))
    lines = [f"# {title}", "",
             "This notebook walks you through the exercises of the chapter in the book's order. "
             "**Your answers go into the Python modules** next to it, not into the notebook: the "
             "dlfs judge grades the modules with hidden tests when the assignment is collected. "
             "The cells below import your modules and show what they compute; after an edit, "
             "re-run a cell (autoreload picks up the change).", "",
             "Files to edit: " + ", ".join(f"`{f}`" for f in own) + "."]
    if earlier:
        lines += ["", "This chapter builds on earlier ones: copy your own " +
                  ", ".join(f"`{f}`" for f in earlier) + " from your earlier assignments over the "
                  "stubs here (the judge uses them, e.g. a layer calls your `softmax`)."]
    total = sum(points.values())
    lines += ["", f"Points: {total} in all, one graded cell per exercise. Submit with "
                  f"`nbgrader submit {chapter}` (or the Assignments tab)."]
    return "\n".join(lines)


def build(chapter: str, points: dict[str, int], files: list[str]) -> nbformat.NotebookNode:
    """The chapter's notebook. ``points``: the judge's max points per exercise
    (points.max_points); ``files``: the assignment's modules (layout.chapter_files)."""
    c = content(chapter)
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                   "language_info": {"name": "python"}}
    nb.cells.append(nbformat.v4.new_markdown_cell(intro(chapter, c.TITLE, points, files),
                                                  id=f"{chapter}-intro"))
    nb.cells.append(nbformat.v4.new_code_cell(SETUP, id=f"{chapter}-setup"))
    seen = []
    for item in c.CELLS:
        n = len(nb.cells)
        if isinstance(item, Md):
            nb.cells.append(nbformat.v4.new_markdown_cell(item.text, id=f"{chapter}-{n:02d}"))
        elif isinstance(item, Code):
            nb.cells.append(nbformat.v4.new_code_cell(item.source, id=f"{chapter}-{n:02d}"))
        else:
            if exercises.get(item.exercise_id).chapter != chapter:
                raise ValueError(f"{item.exercise_id} is not an exercise of {chapter}")
            seen.append(item.exercise_id)
            pts = points.get(item.exercise_id)
            nb.cells.append(nbformat.v4.new_markdown_cell(_heading(item, pts), id=f"{chapter}-{n:02d}"))
            if pts:
                nb.cells.append(_graded_cell(item, pts, layout.cell_id(item.exercise_id)))
            else:
                nb.cells.append(nbformat.v4.new_code_cell(item.demo, id=f"{chapter}-{n + 1:02d}"))
    missing = [e.id for e in exercises.of_chapter(chapter) if e.id not in seen]
    if missing or len(seen) != len(set(seen)):
        raise ValueError(f"grader/course/content/{chapter}.py must walk through each exercise "
                         f"once; missing: {', '.join(missing) or 'none'}")
    unknown = sorted(set(points) - set(seen))
    if unknown:
        raise ValueError(f"the judge grades {', '.join(unknown)}, which the {chapter} notebook lacks")
    nbformat.validate(nb)
    return nb


def text(nb: nbformat.NotebookNode) -> str:
    """The notebook as its file text (nbformat's canonical JSON)."""
    return nbformat.writes(nb) + "\n"
