"""`dlfs check`: arguments, statuses, remembered progress and the text, on made-up reports."""
from __future__ import annotations

import json

import pytest

from grader.judge.plugin import Row
from grader.judge.session import Report
from grader.messages import msg
from grader.study import check
from grader.study.check import DONE, NOT_STARTED, PARTLY


@pytest.mark.parametrize("items,chapters,folder", [
    ([], [], "."),
    (["ch03"], ["ch03"], "."),
    (["3", "CH5", "ch05", "work"], ["ch03", "ch05"], "work"),
    (["./ch03"], [], "ch03"),  # a folder called ch03 is named with a path
])
def test_split_args(items, chapters, folder):
    got_chapters, got_folder = check.split_args(items)
    assert got_chapters == chapters and str(got_folder) == folder


@pytest.mark.parametrize("items,problem", [(["ch08"], "unknown chapter 'ch08'"), (["12"], "unknown chapter"),
                                           (["a", "b"], "more than one folder given (a, b)")])
def test_split_args_refuses(items, problem):
    with pytest.raises(ValueError, match=problem.replace("(", r"\(").replace(")", r"\)")):
        check.split_args(items)


def row(exercise, n, outcome="passed", message=None, hint=None, suffix=""):
    r = Row(f"{exercise}{suffix}", exercise, n, False, outcome, message or msg("judge.passed"))
    r.points = n if outcome == "passed" else 0
    r.hint = hint
    return r


def not_implemented(exercise):
    return msg("worker.not_implemented", exercise=exercise, hint="…")


def report() -> Report:
    wrong = msg("check.value", what="softmax(x)", error=0.5, tol=1e-12, expected="[…]", got="[…]")
    rows = [row("ch03.step_function", 12),
            row("ch03.softmax", 5),
            row("ch03.softmax", 7, "failed", wrong, msg("hint.softmax_whole_batch"), "-2"),
            row("ch03.relu", 6, "failed", not_implemented("ch03.relu")),
            row("ch03.sigmoid", 4, "failed", msg("check.exact", what="sigmoid", expected=1, got=2))]
    return Report("/ws", rows)


def test_statuses():
    by_id = {s.exercise: s for s in check.statuses(report(), now=100.0)}
    assert by_id["ch03.step_function"].status == DONE
    assert by_id["ch03.softmax"].status == PARTLY and by_id["ch03.softmax"].points == 5
    assert by_id["ch03.softmax"].hint_id == "hint.softmax_whole_batch"
    assert by_id["ch03.relu"].status == NOT_STARTED
    assert by_id["ch03.sigmoid"].status == PARTLY  # written, but wrong: started
    assert list(by_id) == ["ch03.step_function", "ch03.sigmoid", "ch03.relu", "ch03.softmax"]  # book order


def test_render_puts_hints_first_in_view():
    rep = report()
    fresh = check.statuses(rep)
    out = check.render(rep, fresh, {s.exercise: s for s in fresh})
    lines = out.splitlines()
    i = next(n for n, l in enumerate(lines) if "ch03.softmax" in l and "5/12" in l)
    assert lines[i].lstrip().startswith("✗")
    assert "softmax(x): differs from the book's result" in lines[i + 1]
    hint = next(l for l in lines[i + 1:] if ">>> hint:" in l)
    assert hint.strip().startswith(">>> hint: for a batch (N, C) each row is one sample")
    assert lines.index(hint) <= i + 4  # right under the exercise, after its (wrapped) failure
    assert "Known mistakes recognised in your code (fix these first):" in out
    assert "· ch03.relu" in out and "not started" in out
    assert "Next: ch03.sigmoid" in out  # started but unfinished comes before not started
    ch03 = next(l for l in lines if l.startswith("  ch03  neural networks"))
    assert "1 done,  2 partly,  3 not started   17/34" in ch03  # 2 exercises never graded count as not started
    assert "not checked yet: dlfs check ch07" in out


def test_progress_is_remembered_and_merged(tmp_path):
    first = check.statuses(report(), now=1000.0)
    check.save_progress(tmp_path, first, "v1")
    later = [check.Status("ch05.Relu.forward", 5, 5, DONE, checked=2000.0)]
    merged = check.save_progress(tmp_path, later, "v1")
    assert set(merged) == {s.exercise for s in first} | {"ch05.Relu.forward"}
    saved = json.loads((tmp_path / ".dlfs" / "progress.json").read_text())
    assert saved["exercises"]["ch03.softmax"]["points"] == 5
    summary = "\n".join(check.summary_lines(merged, later, now=1000.0 + 3 * 3600))
    assert "(as of 3 h ago)" in summary and "1 done" in summary


def test_unreadable_progress_is_ignored(tmp_path):
    (tmp_path / ".dlfs").mkdir()
    (tmp_path / ".dlfs" / "progress.json").write_text("{not json")
    assert check.load_progress(tmp_path) == {}


def test_bar_text():
    assert check.bar_text(0.5, 10) == "█████░░░░░" and check.bar_text(2, 4) == "████"
