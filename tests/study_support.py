"""Helpers of the tests/test_study_*.py modules: a fresh scaffold, workspaces, planted bugs, and
the commands run as a learner runs them (subprocesses in the workspace)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grader import scaffold

ROOT = Path(__file__).parents[1]
SOLUTIONS = ROOT / "solutions"


@pytest.fixture(scope="session")
def fresh_scaffold(tmp_path_factory) -> Path:
    """What `dlfs scaffold` writes from solutions/ and grader/public/ now (the committed
    scaffold/ may lag behind while the public tests are being written)."""
    out = tmp_path_factory.mktemp("scaffold") / "scaffold"
    scaffold.generate(SOLUTIONS, out)
    return out


def env(scaffold_dir: Path | None = None) -> dict:
    e = dict(os.environ, DLFS_PROGRESS="0", PYTHONDONTWRITEBYTECODE="1")
    if scaffold_dir is not None:
        e["DLFS_SCAFFOLD"] = str(scaffold_dir)
    return e


def dlfs(*args, cwd: Path, scaffold_dir: Path | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    """`dlfs ARGS` in ``cwd``, as a learner types it."""
    return subprocess.run([sys.executable, "-m", "grader.cli", *map(str, args)], cwd=cwd, env=env(scaffold_dir),
                          capture_output=True, text=True, timeout=timeout)


def pytest_in(workspace: Path, *args) -> subprocess.CompletedProcess:
    """Plain `pytest ARGS` in a workspace (its pytest.ini and tests/)."""
    return subprocess.run([sys.executable, "-m", "pytest", *args], cwd=workspace, env=env(),
                          capture_output=True, text=True, timeout=600)


def reference_copy(dest: Path) -> Path:
    shutil.copytree(SOLUTIONS, dest, ignore=shutil.ignore_patterns("__pycache__"))
    return dest


def plant(root: Path, file: str, old: str, new: str) -> Path:
    """Replace the one occurrence of ``old`` in ``root/file`` by ``new``."""
    path = root / file
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{file} must contain {old!r} exactly once"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return root
