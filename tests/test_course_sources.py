"""assignments/source is generated from scaffold/ and stays in sync; its notebooks carry one
graded cell per exercise worth exactly the judge's maximum."""
from __future__ import annotations

import nbformat
import pytest

from grader import exercises
from grader.course import layout, leaks, notebook, points, sources


def test_sources_are_in_sync_with_scaffold_and_suites():
    diffs = sources.differences()
    assert not diffs, "run `dlfs course build-sources`:\n" + "\n".join(diffs)


@pytest.mark.parametrize("chapter", exercises.CHAPTERS)
def test_graded_cells_match_the_judge(chapter):
    nb = nbformat.read(layout.SOURCES / chapter / layout.notebook_name(chapter), as_version=4)
    graded = {c.metadata.nbgrader["grade_id"]: c.metadata.nbgrader for c in nb.cells
              if c.metadata.get("nbgrader", {}).get("grade")}
    want = {layout.cell_id(ex): n for ex, n in points.max_points(chapter).items()}
    assert {k: v["points"] for k, v in graded.items()} == want
    assert all(v["locked"] and not v["solution"] for v in graded.values())
    for ex in want:
        assert layout.exercise_of_cell(ex) in exercises.BY_ID


@pytest.mark.parametrize("chapter", exercises.CHAPTERS)
def test_sources_hold_no_solution_or_hidden_test(chapter):
    assert leaks.leaks(layout.SOURCES / chapter) == []


def test_student_files_are_the_ones_with_exercises():
    files = sources.chapter_files("ch05")
    assert {"common/layers.py", "ch05/two_layer_net.py", "dataset/mnist.py"} <= set(files)
    keep = layout.student_files(files)
    assert "common/functions.py" in keep  # ch03/ch04 work that ch05's layers call
    assert "dataset/mnist.py" not in keep and "common/__init__.py" not in keep


def test_a_notebook_must_walk_through_every_exercise(monkeypatch):
    c = notebook.content("ch03")
    monkeypatch.setattr(c, "CELLS", c.CELLS[:-1])  # drop ch03.predict
    with pytest.raises(ValueError, match="ch03.predict"):
        notebook.build("ch03", points.max_points("ch03"), sources.chapter_files("ch03"))


def test_each_chapters_tests_live_in_its_own_suite_files():
    """points.max_points collects only chNN_*.py: every test of a chapter must be there."""
    import contextlib
    import io
    from pathlib import Path

    import pytest as pt

    from grader.judge.plugin import JudgePlugin, Settings
    from grader.judge.session import SUITES, reference_dir

    plugin = JudgePlugin(Settings(Path("."), reference_dir()))
    with contextlib.redirect_stdout(io.StringIO()):
        pt.main([str(SUITES), "-c", str(SUITES / "suites.ini"), "--rootdir", str(SUITES), "-q",
                 "--collect-only", "-p", "no:cacheprovider", "--import-mode=importlib"], plugins=[plugin])
    assert plugin.rows
    misplaced = [r.id for r in plugin.rows.values()
                 if not Path(r.id.split("::")[0]).name.startswith(exercises.get(r.exercise).chapter + "_")]
    assert not misplaced
