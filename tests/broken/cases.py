"""Broken submissions: the reference solutions with one thing wrong the way real folders are
wrong. Each must be graded with a clear message and the expected points, never a crash.

``lose``: exercises that must score 0 (the rest keeps the reference's points; "*": all of
the chapter); ``says``: a regex every lost exercise's message matches; ``note``: a regex one
of the report's notes matches (files left out of the copy).
"""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from grader import exercises

G = "ch04/gradient_method.py"
G_ALL = ("ch04.numerical_diff", "ch04.gradient_descent")
MSE = ("ch04.mean_squared_error",)
NET4 = tuple(e.id for e in exercises.EXERCISES if e.id.startswith("ch04.TwoLayerNet."))
IN_CH04_FOLDER = tuple(e.id for e in exercises.EXERCISES if e.chapter == "ch04" and e.file.startswith("ch04/"))


@dataclass(frozen=True)
class Broken:
    name: str
    patch: Callable[[Path], None]  # breaks the reference copy in place
    lose: tuple[str, ...] = ()
    says: str = ""
    note: str = ""
    chapter: str = "ch04"


def append(file: str, code: str) -> Callable[[Path], None]:
    def patch(root: Path) -> None:
        with open(root / file, "a", encoding="utf-8") as f:
            f.write("\n\n" + code.strip("\n") + "\n")
    return patch


def write(file: str, content: str | bytes) -> Callable[[Path], None]:
    def patch(root: Path) -> None:
        data = content.encode() if isinstance(content, str) else content
        (root / file).write_bytes(data)
    return patch


def replace(file: str, old: str, new: str) -> Callable[[Path], None]:
    def patch(root: Path) -> None:
        text = (root / file).read_text(encoding="utf-8")
        assert old in text, f"{file} has no {old!r}"
        (root / file).write_text(text.replace(old, new), encoding="utf-8")
    return patch


def remove(path: str) -> Callable[[Path], None]:
    def patch(root: Path) -> None:
        target = root / path
        shutil.rmtree(target) if target.is_dir() else target.unlink()
    return patch


def empty(root: Path) -> None:
    for child in root.iterdir():
        shutil.rmtree(child) if child.is_dir() else child.unlink()


def big_sparse_file(root: Path) -> None:
    """A 200 MB file (sparse: no disk used) beside the code, e.g. a saved dataset."""
    with open(root / "ch04" / "mnist_cache.bin", "wb") as f:
        f.truncate(200 * 10**6)


def symlinks_outside(root: Path) -> None:
    """Links out of the folder: to a system file, to /root, and the graded module itself
    replaced by a link to someone else's (the reference's) file."""
    os.symlink("/etc/passwd", root / "common" / "passwd.py")
    os.symlink("/root", root / "home_of_root")
    target = (root / G).resolve()
    other = root.parent / "someone_else.py"
    shutil.copyfile(target, other)
    (root / G).unlink()
    os.symlink(other, root / G)


CASES = [
    Broken("syntax-error", append(G, "def numerical_diff(f, x)\n    return 0\n"), G_ALL,
           says=r"ch04/gradient_method\.py could not be imported: SyntaxError"),
    Broken("missing-file", remove(G), G_ALL, says=r"ch04/gradient_method\.py not found"),
    Broken("missing-folder", remove("ch04"), IN_CH04_FOLDER, says=r"not found"),
    Broken("empty-folder", empty, ("*",), says=r"not found"),
    Broken("no-init-in-common", remove("common/__init__.py")),  # a namespace package still imports
    Broken("wrong-class-name", replace("ch04/two_layer_net.py", "class TwoLayerNet", "class TwoLayerNetwork"),
           NET4, says=r"has no TwoLayerNet"),
    Broken("wrong-return-shape", append("common/functions.py", """
def mean_squared_error(y, t):
    return np.full(3, 0.5 * np.sum((y - t) ** 2))
"""), MSE, says=r"shape \(\), got \(3,\)|shape \(3,\)"),
    Broken("wrong-dtype", append("common/functions.py", """
def mean_squared_error(y, t):
    return np.complex128(0.5 * np.sum((y - t) ** 2))
"""), MSE, says=r"complex128|expected a number"),
    Broken("returns-a-generator", append("common/functions.py", """
def mean_squared_error(y, t):
    yield 0.5 * np.sum((y - t) ** 2)
"""), MSE, says=r"generator"),
    Broken("nan-and-inf-everywhere", append(G, """
import numpy as np
def numerical_diff(f, x):
    return np.inf
def gradient_descent(f, init_x, lr=0.01, step_num=100):
    init_x[...] = np.nan
    return init_x
"""), G_ALL, says=r"nan|inf|differs"),
    Broken("non-utf8-source", write(G, b'TITLE = "r\xe9sum\xe9"  # saved as latin-1\ndef numerical_diff(f, x):\n    return 0\n'),
           G_ALL, says=r"could not be imported: SyntaxError: .*'utf-8' codec can't decode"),
    Broken("null-bytes-in-source", write(G, b"def numerical_diff(f, x):\n    return 0\x00\n"),
           G_ALL, says=r"could not be imported: (SyntaxError|ValueError): .*null bytes"),
    Broken("big-file-left-out", big_sparse_file, note=r"mnist_cache\.bin: 190 MiB is over the 16 MiB file limit"),
    Broken("symlinks-outside-left-out", symlinks_outside, G_ALL, says=r"not found",
           note=r"gradient_method\.py: symbolic link left out"),
    Broken("common-init-raises", write("common/__init__.py", "raise RuntimeError('broken package')\n"),
           ("*",), says=r"RuntimeError: broken package|blocked|not checked"),
    Broken("megabytes-printed-at-import", append("common/functions.py", """
import sys
for _ in range(2000):
    print("debug " * 2000)
    sys.stderr.write("warn " * 2000 + "\\n")
""")),
    Broken("deep-recursion", append(G, """
def numerical_diff(f, x):
    return numerical_diff(f, x)
"""), ("ch04.numerical_diff",), says=r"RecursionError"),
    Broken("getattr-that-lies", append("ch04/two_layer_net.py", """
class TwoLayerNet:
    def __init__(self, *args, **kwargs):
        pass
    def __getattr__(self, name):
        return lambda *a, **k: np.zeros(3)
"""), NET4),
    Broken("swapped-arguments", append(G, """
def numerical_diff(x, f):
    h = 1e-4
    return (f(x + h) - f(x - h)) / (2 * h)
"""), ("ch04.numerical_diff",), says=r"raised|TypeError|not callable"),
]

assert len({c.name for c in CASES}) == len(CASES)
