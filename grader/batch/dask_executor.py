"""Run ``grade_job`` on a Dask cluster (``dlfs grade-batch --executor dask --scheduler ADDR``).

Why Dask: it is pure Python from PyPI (``pip install "dask[distributed]"``), its
``Client.submit`` / ``as_completed`` are exactly the executor interface here, and a
``LocalCluster`` gives tests a real cluster in-process. Each node needs the kit installed (the
same version: reports carry the suite version), bubblewrap for the sandbox, and MNIST
reachable through DLFS_DATA or its cache. ``--scheduler local`` starts a LocalCluster.
"""
from __future__ import annotations


class DaskExecutor:
    def __init__(self, address: str | None = None, workers: int = 2):
        try:
            from distributed import Client, LocalCluster
        except ImportError:  # pragma: no cover - depends on the installation
            raise RuntimeError('the Dask executor needs: pip install "dask[distributed]"') from None
        if not address or address == "local":
            self.cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                        dashboard_address=None)
            self.client = Client(self.cluster)
        else:
            self.cluster, self.client = None, Client(address)
        self.window = 2 * max(1, len(self.client.scheduler_info().get("workers", {})) or workers)

    def map_unordered(self, fn, jobs):
        from distributed import as_completed

        jobs = list(jobs)
        by_key, queue = {}, as_completed()
        for _ in range(min(self.window, len(jobs))):
            self._submit(fn, jobs.pop(0), by_key, queue)
        for fut in queue:
            job = by_key.pop(fut.key)
            yield job, fut.result()
            if jobs:
                self._submit(fn, jobs.pop(0), by_key, queue)

    def _submit(self, fn, job, by_key, queue) -> None:
        fut = self.client.submit(fn, job, key=f"dlfs-grade-{job.student}-{job.fingerprint[:16]}",
                                 pure=False)
        by_key[fut.key] = job
        queue.add(fut)

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass
