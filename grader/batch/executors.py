"""Where ``grade_job`` runs: a local process pool (default) or a Dask cluster.

An executor has one method, ``map_unordered(fn, jobs)``, yielding ``(job, fn(job))`` as each
finishes, with at most a few jobs in flight so a class of any size costs constant memory.
"""
from __future__ import annotations

import ctypes
import multiprocessing
import signal
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool

from grader.batch import error_report


def _die_with_parent() -> None:
    """Pool processes end when the batch driver is killed (even with kill -9)."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        pass


DIED_TWICE = "the grading process died twice on this submission (out of memory?)"


class LocalExecutor:
    """A pool of ``workers`` processes, each grading one submission at a time."""

    def __init__(self, workers: int = 2):
        self.workers = max(1, int(workers))

    def _pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_die_with_parent)

    def map_unordered(self, fn, jobs):
        pending, inflight, retried = list(reversed(jobs)), {}, set()
        pool = self._pool()
        try:
            while pending or inflight:
                while pending and len(inflight) < 2 * self.workers:
                    job = pending.pop()
                    inflight[pool.submit(fn, job)] = job
                finished, _ = wait(inflight, return_when=FIRST_COMPLETED)
                broken = False
                for fut in finished:
                    job = inflight.pop(fut)
                    try:
                        yield job, fut.result()
                    except BrokenProcessPool:
                        broken = True
                        if job.student in retried:  # killed twice: report it, go on
                            yield job, error_report(job, DIED_TWICE)
                        else:
                            retried.add(job.student)
                            pending.append(job)
                if broken:
                    pending.extend(inflight.values())
                    inflight.clear()
                    pool.shutdown(wait=False, cancel_futures=True)
                    pool = self._pool()
        finally:
            pool.shutdown(wait=False, cancel_futures=True)
