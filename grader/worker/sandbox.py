"""How a worker process is launched: a private copy of the submission, a clean environment,
resource limits, and a kill that takes the whole process tree.

``Launcher.prepare`` turns the worker's argv into the command actually run; a sandboxing
launcher (bubblewrap) wraps it without the suites or the client changing.
"""
from __future__ import annotations

import os
import resource
import shutil
import signal
import stat
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

MiB = 2**20


@dataclass(frozen=True)
class Limits:
    """Resource limits of one worker (all per process; CPU time is for the worker's lifetime)."""

    cpu_seconds: int = 300
    memory_bytes: int = 4096 * MiB
    file_size_bytes: int = 64 * MiB
    open_files: int = 256
    processes: int = 64
    call_timeout: float = 30.0  # wall clock, per request
    max_reply_bytes: int = 256 * MiB
    max_callbacks: int = 2_000_000  # judge-part calls over the worker's life
    callback_seconds: float = 60.0  # judge time answering lent parts, per request
    # what is copied of a submission
    max_file_bytes: int = 16 * MiB
    max_total_bytes: int = 128 * MiB
    max_files: int = 5000


def copy_submission(src: Path, dst: Path, limits: Limits) -> list[str]:
    """Copy the regular files of ``src`` into ``dst`` within the limits; symlinks, special files
    and oversized files are left out. Returns one note per file left out."""
    notes, total, count = [], 0, 0
    for dirpath, dirnames, filenames in os.walk(src, followlinks=False):
        rel_dir = Path(dirpath).relative_to(src)
        dirnames[:] = sorted(d for d in dirnames if d not in ("__pycache__", ".git"))
        for d in list(dirnames):
            if os.path.islink(os.path.join(dirpath, d)):
                notes.append(f"{rel_dir / d}: symbolic link left out")
                dirnames.remove(d)
        (dst / rel_dir).mkdir(parents=True, exist_ok=True)
        for name in sorted(filenames):
            path, rel = Path(dirpath) / name, rel_dir / name
            st = os.lstat(path)
            if stat.S_ISLNK(st.st_mode):
                notes.append(f"{rel}: symbolic link left out")
            elif not stat.S_ISREG(st.st_mode):
                notes.append(f"{rel}: not a regular file, left out")
            elif st.st_size > limits.max_file_bytes:
                notes.append(f"{rel}: {st.st_size // MiB} MiB is over the "
                             f"{limits.max_file_bytes // MiB} MiB file limit, left out")
            elif total + st.st_size > limits.max_total_bytes or count >= limits.max_files:
                notes.append(f"{rel}: submission size limit reached, left out")
            else:
                shutil.copyfile(path, dst / rel, follow_symlinks=False)
                total, count = total + st.st_size, count + 1
    return notes


def worker_env(home: Path) -> dict[str, str]:
    """A minimal environment: nothing of the judge's (no tokens, no DLFS_* paths)."""
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin", "HOME": str(home), "TMPDIR": str(home),
        "MPLBACKEND": "Agg", "MPLCONFIGDIR": str(home), "LANG": "C.UTF-8",
        "PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1", "PYTHONIOENCODING": "utf-8",
        "PYTHONUNBUFFERED": "1",
        # one BLAS thread per worker: two workers on two cores must not fight
        "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
    }
    for key in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):  # some CPUs need these for OpenBLAS
        if key in os.environ:
            env[key] = os.environ[key]
    return env


def _rlimits(limits: Limits):
    def apply():
        for which, value in ((resource.RLIMIT_CPU, limits.cpu_seconds),
                             (resource.RLIMIT_AS, limits.memory_bytes),
                             (resource.RLIMIT_FSIZE, limits.file_size_bytes),
                             (resource.RLIMIT_NOFILE, limits.open_files),
                             (resource.RLIMIT_NPROC, limits.processes),
                             (resource.RLIMIT_CORE, 0)):
            resource.setrlimit(which, (value, value))

    return apply


@dataclass
class Launcher:
    """Plain launcher: a limited subprocess in a private copy. ``trusted`` runs in place with no
    limits (the reference solutions)."""

    trusted: bool = False
    name: str = "none"
    workdir: Path | None = None
    notes: list[str] = field(default_factory=list)

    def prepare(self, argv: list[str], submission: Path, limits: Limits, pass_fds=()):
        self.cleanup()
        self.workdir = Path(tempfile.mkdtemp(prefix="dlfs-worker-"))
        home = self.workdir / "home"
        home.mkdir()
        if self.trusted:
            return argv, submission, worker_env(home), None
        work = self.workdir / "submission"
        self.notes = copy_submission(submission, work, limits)
        return argv, work, worker_env(home), _rlimits(limits)

    def kill(self, proc: subprocess.Popen) -> None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pass

    def cleanup(self) -> None:
        if self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = None


def plain_launcher() -> Launcher:
    return Launcher()


def trusted_launcher() -> Launcher:
    return Launcher(trusted=True, name="trusted")
