"""Files written so that a reader, or a run restarted after ``kill -9``, never sees half of one.

    with atomic_file(path, "w", encoding="utf-8") as f:   # a temp file next to path
        f.write(...)                                       # raise to abandon it
    # fsynced and renamed over path; on an exception the temp file is removed, path untouched

Used for reports, grades.csv, nbgrader results, progress files and MNIST downloads.
"""
from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path


@contextlib.contextmanager
def atomic_file(path, mode: str = "w", suffix: str = ".tmp", **open_kwargs):
    """A file object to write ``path``'s new content to; the rename happens on a clean exit.

    The file gets mode 0644 (mkstemp's 0600 would hide shared caches and reports)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=suffix)
    try:
        with os.fdopen(fd, mode, **open_kwargs) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_atomic(path, data: str | bytes) -> None:
    """Replace ``path``'s content with ``data`` (str is written as UTF-8) in one step."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    with atomic_file(path, "wb") as f:
        f.write(data)
