"""Load a module of a submission in the book's layout by its path.

``ch04/two_layer_net.py`` and ``ch05/two_layer_net.py`` share a module name, and ``ch03/`` …
``ch07/`` are plain folders, so chapter modules are loaded by file path under a name of their
own (``ch05.two_layer_net`` becomes ``dlfs_ch05_two_layer_net``). ``common/`` and ``dataset/``
are packages and are imported normally, with the submission root first on ``sys.path``.
"""
from __future__ import annotations

import importlib
import importlib.util
import sys
from pathlib import Path
from types import ModuleType


class ModuleMissing(ImportError):
    """The file for a module is not in the submission."""


def module_name(relpath: str) -> str:
    """``"common/layers.py"`` → ``"common.layers"``; ``"ch05/two_layer_net.py"`` →
    ``"dlfs_ch05_two_layer_net"`` (chapter folders are not packages)."""
    parts = Path(relpath).with_suffix("").parts
    if parts[0] in ("common", "dataset"):
        return ".".join(parts)
    return "dlfs_" + "_".join(parts)


def put_root_on_path(root: str | Path) -> None:
    root = str(Path(root).resolve())
    if root in sys.path:
        sys.path.remove(root)
    sys.path.insert(0, root)


def load_module(root: str | Path, relpath: str) -> ModuleType:
    """Import ``root/relpath`` (a path in the book's layout) and return the module.

    Raises ModuleMissing when the file does not exist; any error raised while the module runs
    (SyntaxError, NameError, …) propagates unchanged.
    """
    root = Path(root).resolve()
    path = root / relpath
    name = module_name(relpath)
    if name in sys.modules:
        return sys.modules[name]
    if not path.is_file():
        raise ModuleMissing(f"{relpath} not found")
    put_root_on_path(root)
    if "." in name:
        return importlib.import_module(name)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    return module
