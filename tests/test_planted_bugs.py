"""A planted bug costs exactly its exercise's points; everything else keeps full marks."""
from __future__ import annotations

import importlib
import pkgutil
import shutil
from pathlib import Path

import pytest

from grader import exercises
from grader.judge.session import grade

import bugs as bug_pkg

SOLUTIONS = Path(__file__).parents[1] / "solutions"
BUGS = [b for info in pkgutil.iter_modules(bug_pkg.__path__)
        for b in importlib.import_module(f"bugs.{info.name}").BUGS]


def plant(bug, tmp_path: Path) -> Path:
    sub = tmp_path / "submission"
    shutil.copytree(SOLUTIONS, sub, ignore=shutil.ignore_patterns("__pycache__"))
    path = sub / bug.file
    text = path.read_text(encoding="utf-8")
    assert text.count(bug.old) == 1, f"{bug.file} must contain {bug.old!r} exactly once"
    path.write_text(text.replace(bug.old, bug.new), encoding="utf-8")
    return sub


@pytest.mark.parametrize("bug", BUGS, ids=[f"{b.exercise}-{b.what}" for b in BUGS])
def test_planted_bug_costs_exactly_its_exercise(bug, tmp_path):
    report = grade(plant(bug, tmp_path), [exercises.get(bug.exercise).chapter])
    by_ex = {e["exercise"]: e for e in report.exercises()}
    hit = by_ex[bug.exercise]
    assert hit["points"] < hit["max_points"], f"{bug.what}: {bug.exercise} kept all its points"
    assert hit["message"], "the failure must say what is wrong"
    others = {k: f"{v['points']}/{v['max_points']}: {v['message']}" for k, v in by_ex.items()
              if k != bug.exercise and v["points"] != v["max_points"]}
    assert not others, f"{bug.what} also cost points elsewhere: {others}"
    if bug.hint:
        hints = {t["hint_id"] for t in report.to_json()["tests"] if t["exercise"] == bug.exercise}
        assert bug.hint in hints, f"expected hint {bug.hint}, got {hints - {''} or 'none'}"


def test_every_exercise_has_a_planted_bug():
    missing = sorted({e.id for e in exercises.EXERCISES} - {b.exercise for b in BUGS})
    assert not missing, f"no planted bug for {missing}"
