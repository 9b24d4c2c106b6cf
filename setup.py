"""Build hook only: pyproject.toml holds the package's configuration.

Building the package (a wheel, or ``pip install .``) copies the reference solutions and the
generated scaffold into the package (``grader/_reference``, ``grader/_scaffold``: where
grader.judge.session.reference_dir and ``dlfs start`` look first), and compiles the message catalogues
``grader/locale/<lang>/LC_MESSAGES/dlfs.po`` to ``dlfs.mo`` inside the build, with Babel, so an
installed kit speaks Korean and Japanese without a compile step of its own. The source tree is
not written to (an editable checkout runs ``dlfs i18n compile``, which the Makefile does).
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


ROOT = Path(__file__).resolve().parent


class build_py_with_catalogues(build_py):
    """``build_py`` that also writes the compiled ``.mo`` next to each ``.po`` in build_lib."""

    def run(self) -> None:
        super().run()
        sys.path.insert(0, str(ROOT))  # grader.i18n needs only the standard library and Babel
        from grader.i18n import compile_catalogues

        target = Path(self.build_lib) / "grader" / "locale"
        for mo in compile_catalogues(ROOT / "grader" / "locale", target):  # fuzzy entries left out
            self.announce(f"compiled {mo.relative_to(target)}", level=2)
        for tree, name in (("solutions", "_reference"), ("scaffold", "_scaffold")):
            dest = Path(self.build_lib) / "grader" / name
            shutil.rmtree(dest, ignore_errors=True)
            shutil.copytree(ROOT / tree, dest, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


setup(cmdclass={"build_py": build_py_with_catalogues})
