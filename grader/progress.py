"""Progress bars (tqdm) for anything that grades or trains for more than a second.

    with bar("grading", unit="test") as progress:
        grade(folder, progress=progress)      # progress(done, total, label)

The bar goes to stderr and only when stderr is a terminal (or DLFS_PROGRESS=1), so logs, CI
and JSON output stay clean.
"""
from __future__ import annotations

import contextlib
import os
import sys


@contextlib.contextmanager
def bar(desc: str, unit: str = "it"):
    show = os.environ.get("DLFS_PROGRESS", "1" if sys.stderr.isatty() else "0") == "1"
    if not show:
        yield None
        return
    from tqdm import tqdm

    state = {"bar": None}

    def update(done: int, total: int, label: str = "") -> None:
        if state["bar"] is None:
            state["bar"] = tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, leave=False)
        b = state["bar"]
        b.total = total
        b.n = done
        b.set_postfix_str(label, refresh=False)
        b.refresh()

    try:
        yield update
    finally:
        if state["bar"] is not None:
            state["bar"].close()
