"""solutions/ → scaffold/: markers, stubs, the committed scaffold, and no leaked solution line."""
from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest

from grader import exercises, scaffold
from grader.scaffold import MarkerError

ROOT = Path(__file__).parents[1]
SOLUTIONS, SCAFFOLD = ROOT / "solutions", ROOT / "scaffold"

GOOD = '''def relu(x):
    """x: ndarray → max(0, x)."""
    ### BEGIN SOLUTION ch03.relu
    return np.maximum(0, x)
    ### END SOLUTION
'''


def test_stub_replaces_the_region_at_its_indentation():
    out = scaffold.stub_text(GOOD, "common/functions.py")
    assert "return np.maximum(0, x)" not in out and "SOLUTION" not in out
    assert '    raise NotImplementedError("ch03.relu: ' in out
    assert out.startswith('def relu(x):\n    """x: ndarray → max(0, x)."""\n')
    ast.parse(out)


@pytest.mark.parametrize("text,line,problem", [
    ("x = 1\n    ### END SOLUTION\n", 2, "END SOLUTION without a BEGIN"),
    ("def f():\n    ### BEGIN SOLUTION ch03.relu\n    return 1\n", 2, "never closed"),
    ("def f():\n    ### BEGIN SOLUTION ch03.relu\n    ### BEGIN SOLUTION ch03.sigmoid\n", 3, "nested"),
    ("def f():\n    ### BEGIN SOLUTION\n    pass\n    ### END SOLUTION\n", 2, "without an exercise id"),
    ("def f():\n    ### BEGIN SOLUTION ch05 Affine\n    pass\n    ### END SOLUTION\n", 2, "malformed"),
    ("def f():\n    x = 1  ### BEGIN SOLUTION ch03.relu\n", 2, "on its own line"),
])
def test_bad_markers_name_file_and_line(text, line, problem):
    with pytest.raises(MarkerError) as e:
        scaffold.parse_regions(text, "common/functions.py")
    assert e.value.line == line and problem in str(e.value)
    assert str(e.value).startswith(f"common/functions.py:{line}: ")


@pytest.mark.parametrize("text,path,problem", [
    (GOOD.replace("ch03.relu", "ch03.nonsense"), "common/functions.py", "unknown exercise id"),
    (GOOD, "common/layers.py", "belongs in common/functions.py"),
])
def test_ids_must_be_in_the_catalogue_and_file(text, path, problem):
    with pytest.raises(MarkerError, match=problem):
        scaffold.stub_text(text, path)


def test_duplicate_and_missing_ids_are_refused(tmp_path):
    tree = tmp_path / "solutions"
    shutil.copytree(SOLUTIONS, tree, ignore=shutil.ignore_patterns("__pycache__"))
    functions = tree / "common" / "functions.py"
    functions.write_text(functions.read_text() + "\n\n" + GOOD.replace("def relu", "def relu2"))
    with pytest.raises(MarkerError, match="already has a solution"):
        scaffold.all_regions(tree)
    functions.write_text(functions.read_text().replace(GOOD.replace("def relu", "def relu2"), ""))
    text = functions.read_text()
    start = text.index("    ### BEGIN SOLUTION ch03.relu")
    end = text.index("### END SOLUTION", start) + len("### END SOLUTION")
    functions.write_text(text[:start] + "    return np.maximum(0, x)" + text[end:])
    with pytest.raises(MarkerError, match="no solution region for ch03.relu"):
        scaffold.all_regions(tree)


def test_every_exercise_has_exactly_one_region():
    regions = scaffold.all_regions(SOLUTIONS)
    assert sorted(r.exercise_id for r in regions) == sorted(exercises.BY_ID)


def test_committed_scaffold_is_what_the_generator_writes():
    assert scaffold.differences(SOLUTIONS, SCAFFOLD) == [], "run `dlfs scaffold` and commit scaffold/"


def test_scaffold_contains_no_solution_line():
    assert scaffold.leaked_lines(SOLUTIONS, SCAFFOLD) == []


def test_leak_check_finds_a_pasted_solution_line(tmp_path):
    tree = tmp_path / "release"
    shutil.copytree(SCAFFOLD, tree)
    (tree / "common" / "functions.py").write_text("x = 1\n    return np.maximum(0, x)\n")
    assert any("np.maximum" in line for line in scaffold.leaked_lines(SOLUTIONS, tree))


def _stubs(path: Path):
    """(exercise id, enclosing class, enclosing function) for every stub raise in a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))

    def walk(node, cls=None, fn=None):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ClassDef):
                yield from walk(child, child.name, fn)
            elif isinstance(child, ast.FunctionDef):
                yield from walk(child, cls, child.name)
            elif isinstance(child, ast.Raise) and isinstance(child.exc, ast.Call) \
                    and getattr(child.exc.func, "id", "") == "NotImplementedError":
                yield child.exc.args[0].value.split(":")[0], cls, fn
            else:
                yield from walk(child, cls, fn)

    return list(walk(tree))


@pytest.mark.parametrize("ex", exercises.EXERCISES, ids=lambda e: e.id)
def test_each_stub_raises_its_id_in_the_right_place(ex):
    stubs = [s for s in _stubs(SCAFFOLD / ex.file) if s[0] == ex.id]
    assert len(stubs) == 1, f"{ex.file} must hold one stub for {ex.id}"
    _, cls, fn = stubs[0]
    *owner, method = ex.name.split(".")
    assert fn in (method, f"__{method}"), f"{ex.id}'s stub is in {fn}()"
    assert (owner[0] if owner else None) == cls, f"{ex.id}'s stub is in class {cls}"


def test_regenerating_changes_nothing(tmp_path):
    out = tmp_path / "scaffold"
    scaffold.generate(SOLUTIONS, out)
    first = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    scaffold.generate(SOLUTIONS, out)
    assert first == {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
