"""`dlfs start DIR`: a copy of the scaffold in a new folder, never over an existing one."""
from __future__ import annotations

from pathlib import Path

import pytest

import grader
from grader.study import workspace
from grader.study.workspace import StudyError
from study_support import dlfs, fresh_scaffold  # noqa: F401  (fixture)


def test_start_copies_the_scaffold_and_prints_three_steps(fresh_scaffold, tmp_path):
    dest = tmp_path / "my-dlfs"
    res = dlfs("start", dest, cwd=tmp_path, scaffold_dir=fresh_scaffold)
    assert res.returncode == 0, res.stderr
    for rel in ("README.md", "pytest.ini", "tests/conftest.py", "common/layers.py", "ch03/neuralnet_mnist.py"):
        assert (dest / rel).is_file(), rel
    assert (dest / "common/functions.py").read_text() == (fresh_scaffold / "common/functions.py").read_text()
    assert not list(dest.rglob("__pycache__"))
    assert "1. cd my-dlfs" in res.stdout and "2. pytest -m ch03" in res.stdout and "3. dlfs check ch03" in res.stdout
    assert "58 exercises" in res.stdout


def test_start_into_an_empty_folder_is_fine(fresh_scaffold, tmp_path):
    dest = tmp_path / "empty"
    dest.mkdir()
    files = workspace.start(dest, fresh_scaffold)
    assert Path("README.md") in files and (dest / "common" / "optimizer.py").is_file()


def test_start_refuses_a_non_empty_folder_and_changes_nothing(fresh_scaffold, tmp_path):
    dest = tmp_path / "work"
    dest.mkdir()
    (dest / "notes.txt").write_text("my notes")
    res = dlfs("start", dest, cwd=tmp_path, scaffold_dir=fresh_scaffold)
    assert res.returncode == 2
    assert "already exists and is not empty: nothing was copied" in res.stderr
    assert [p.name for p in dest.iterdir()] == ["notes.txt"] and (dest / "notes.txt").read_text() == "my notes"


def test_start_refuses_a_file(fresh_scaffold, tmp_path):
    target = tmp_path / "file"
    target.write_text("x")
    with pytest.raises(StudyError, match="is not a folder"):
        workspace.start(target, fresh_scaffold)
    assert target.read_text() == "x"


def test_scaffold_locator_order_and_clear_error(fresh_scaffold, tmp_path, monkeypatch):
    monkeypatch.setenv("DLFS_SCAFFOLD", str(fresh_scaffold))
    assert workspace.scaffold_dir() == fresh_scaffold.resolve()
    monkeypatch.delenv("DLFS_SCAFFOLD")
    repo = Path(grader.__file__).resolve().parents[1] / "scaffold"
    if workspace.is_scaffold(repo):
        assert workspace.scaffold_dir() == repo.resolve()
    # an installed kit without any scaffold: the error names every place it looked
    fake = tmp_path / "site-packages" / "grader" / "__init__.py"
    fake.parent.mkdir(parents=True)
    monkeypatch.setattr(grader, "__file__", str(fake))
    monkeypatch.setenv("DLFS_SCAFFOLD", str(tmp_path / "nowhere"))
    with pytest.raises(StudyError) as e:
        workspace.scaffold_dir()
    message = str(e.value)
    assert "scaffold was not found" in message and str(tmp_path / "nowhere") in message
    assert "_scaffold" in message and "DLFS_SCAFFOLD" in message
