"""The leak checks read files as students see them: .py, notebook cells, feedback HTML."""
from __future__ import annotations

import html
import json
from pathlib import Path

from grader.course import leaks

SOLUTIONS = Path(__file__).parents[1] / "solutions"
SECRET = "self.dW = np.dot(self.x.T, dout)"  # a line of the Affine.backward solution


def test_clean_scaffold_copy_has_no_leak(tmp_path):
    (tmp_path / "layers.py").write_text((Path(__file__).parents[1] / "scaffold/common/layers.py")
                                        .read_text(encoding="utf-8"), encoding="utf-8")
    assert leaks.leaks(tmp_path) == []


def test_solution_line_found_in_py_notebook_and_html(tmp_path):
    (tmp_path / "a.py").write_text(f"def f():\n    {SECRET}\n", encoding="utf-8")
    nb = {"cells": [{"cell_type": "code", "source": ["x = 1\n", f"{SECRET}\n"], "metadata": {},
                     "outputs": [], "execution_count": None}], "metadata": {}, "nbformat": 4,
          "nbformat_minor": 5}
    (tmp_path / "n.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    (tmp_path / "f.html").write_text("<pre><span class='n'>" + html.escape(SECRET).replace(" ", "</span> <span>")
                                     + "</span></pre>", encoding="utf-8")
    found = leaks.solution_leaks(tmp_path, SOLUTIONS)
    assert sorted(f.split(":")[0] for f in found) == ["a.py", "f.html", "n.ipynb"]


def test_hidden_test_line_found(tmp_path):
    line = sorted(leaks._test_lines())[0]
    (tmp_path / "feedback.html").write_text(f"<p>{html.escape(line)}</p>\n", encoding="utf-8")
    assert leaks.hidden_test_leaks(tmp_path) == [f"feedback.html:1: {line}"]


def test_remove_code_keeps_everything_else(tmp_path):
    (tmp_path / "common").mkdir()
    (tmp_path / "common" / "layers.py").write_text(SECRET, encoding="utf-8")
    (tmp_path / "ch05.html").write_text("ok", encoding="utf-8")
    leaks.remove_code(tmp_path)
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == ["ch05.html"]
