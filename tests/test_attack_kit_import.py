"""Attack: every exercise answered with whatever the kit's worker package holds.

The student's code runs in the worker process, next to ``grader.worker`` (recipes, judge
parts, …), and can import it. If any module there implements an exercise (the book's softmax,
a trusted Convolution, the book's predict …), a submission whose exercise body just borrows it
scores the points. So: for each chapter, a copy of the solutions where EVERY exercise's solution
region calls the first callable found anywhere in ``grader.worker`` under the exercise's name
(or a Book* / _* / trusted* variant, also as a value of a module-level dict) must get none of
its exercises' full points.

The finder walks every module of the package, so it catches a book implementation
reintroduced under any of these names; ``test_the_finder_finds_a_planted_book_layer`` checks
that on a fake package.
"""
from __future__ import annotations

import ast
import shutil
import sys
import textwrap
from pathlib import Path

import pytest

from grader import exercises, scaffold
from grader.judge.session import grade

SOLUTIONS = Path(__file__).parents[1] / "solutions"

# Appended to every attacked file: the borrowing helper (runs in the worker).
FINDER = '''

def _dlfs_borrow(class_name, name, package="grader.worker"):
    """The first callable in ``package`` named like ``class_name.name`` (or ``name``)."""
    import importlib
    import pkgutil

    def norm(n):
        n = n.lstrip("_").lower()
        for prefix in ("book_", "book", "trusted_", "trusted", "judge_", "ref_", "reference_"):
            if n.startswith(prefix) and len(n) > len(prefix):
                return n[len(prefix):].lstrip("_")
        return n

    root = importlib.import_module(package)
    mods = [root]
    for info in pkgutil.walk_packages(getattr(root, "__path__", []), package + "."):
        try:
            mods.append(importlib.import_module(info.name))
        except Exception:
            pass
    pool = []
    for mod in mods:
        for key, value in list(vars(mod).items()):
            pool.append((key, value))
            if isinstance(value, dict):
                pool += [(k, v) for k, v in list(value.items()) if isinstance(k, str)]
    if class_name is None:
        for key, value in pool:
            if norm(key) == norm(name) and callable(value):
                return value
    else:
        for key, value in pool:
            if norm(key) == norm(class_name) and isinstance(value, type) and name in vars(value):
                return vars(value)[name]
        for key, value in pool:  # a loose method, e.g. _book_predict(self, x)
            if norm(key) == norm(name) and callable(value) and not isinstance(value, type):
                return value
    raise NotImplementedError("nothing to borrow in " + package)
'''


def enclosing_def(tree: ast.AST, line: int):
    """(class name or None, the innermost function definition around ``line``)."""
    best = None

    def visit(node, cls):
        nonlocal best
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.ClassDef)) and child.lineno <= line <= child.end_lineno:
                if isinstance(child, ast.FunctionDef):
                    best = (cls, child)
                visit(child, child.name if isinstance(child, ast.ClassDef) else cls)

    visit(tree, None)
    return best


def borrowing_body(region: scaffold.Region, text: str) -> list[str]:
    """The region's replacement: call the borrowed callable with the function's own arguments."""
    cls, fn = enclosing_def(ast.parse(text), region.begin)
    params = [a.arg for a in fn.args.args]
    if cls is not None:
        call = f"_dlfs_borrow({cls!r}, {fn.name!r})({', '.join(params)})"  # params[0] is self
    else:
        call = f"_dlfs_borrow(None, {fn.name!r})({', '.join(params)})"
    if fn.name == "__init__":
        return [f"{region.indent}{call}"]
    return [f"{region.indent}return {call}"]


def attacked(chapter: str, dest: Path) -> Path:
    """The solutions with every exercise of ``chapter`` replaced by borrowing."""
    sub = dest / "submission"
    shutil.copytree(SOLUTIONS, sub, ignore=shutil.ignore_patterns("__pycache__"))
    files = sorted({e.file for e in exercises.of_chapter(chapter)})
    for rel in files:
        path = sub / rel
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        regions = [r for r in scaffold.parse_regions(text, rel)
                   if exercises.get(r.exercise_id).chapter == chapter]
        for region in sorted(regions, key=lambda r: r.begin, reverse=True):
            lines[region.begin - 1:region.end] = borrowing_body(region, text)
        path.write_text("\n".join(lines) + "\n" + FINDER, encoding="utf-8")
    return sub


@pytest.mark.parametrize("chapter", exercises.CHAPTERS)
def test_borrowing_from_the_worker_package_scores_nothing(chapter, tmp_path):
    report = grade(attacked(chapter, tmp_path), [chapter])
    full = [f"{e['exercise']} {e['points']}/{e['max_points']}" for e in report.exercises()
            if e["points"] == e["max_points"]]
    assert not full, f"full marks by borrowing from grader.worker (it implements them): {full}"


def test_the_finder_finds_a_planted_book_layer(tmp_path, monkeypatch):
    """The finder is not vacuous: it finds a book layer, function or loose method hidden in a
    package's submodules under a Book* / _* / dict-valued name."""
    pkg = tmp_path / "fakekit" / "worker" / "recipes"
    pkg.mkdir(parents=True)
    for d in (pkg.parents[1], pkg.parent, pkg):
        (d / "__init__.py").touch()
    (pkg / "chx.py").write_text(textwrap.dedent('''
        def _im2col(x, fh, fw, stride=1, pad=0):
            return "im2col"
        class BookConvolution:
            def forward(self, x):
                return "conv"
        class _Pool:
            def backward(self, dout):
                return "pool"
        _TRUSTED = {"Pooling": _Pool}
        def _book_gradient(self, x, t):
            return "grad"
    '''))
    monkeypatch.syspath_prepend(str(tmp_path))
    ns: dict = {}
    exec(FINDER, ns)
    borrow = lambda c, n: ns["_dlfs_borrow"](c, n, package="fakekit.worker")  # noqa: E731
    assert borrow(None, "im2col")(None, 1, 1) == "im2col"
    assert borrow("Convolution", "forward")(None, None) == "conv"
    assert borrow("Pooling", "backward")(None, None) == "pool"
    assert borrow("SimpleConvNet", "gradient")(None, None, None) == "grad"
    with pytest.raises(NotImplementedError):
        borrow(None, "col2im")
    for name in list(sys.modules):
        if name.startswith("fakekit"):
            del sys.modules[name]
