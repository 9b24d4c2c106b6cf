"""The bubblewrap launcher: the student's worker in a sandbox that sees almost nothing.

Inside the sandbox (``bwrap``, https://github.com/containers/bubblewrap) the worker has

* its own network namespace (only a loopback of its own: no network at all), pid namespace
  (it sees only its own processes, and they all die with the sandbox, ``setsid`` daemons
  too), IPC, UTS and cgroup namespaces;
* a root of its own: the system (``/usr`` …) and the Python installation read-only, the kit's
  package read-only with ``grader/suites`` (and a packaged ``grader/_reference``) hidden under
  an empty tmpfs, a private size-limited tmpfs for ``/tmp`` and for ``/home/student``, where
  the private copy of the submission is the working directory. Nothing else: not the
  reference solutions, not ``/root``, ``/work``, other submissions, the gradebook, the host's
  ``/tmp``;
* a non-root uid with no capabilities and ``no_new_privs``. When the judge runs as root,
  that uid is a *real* host uid of its own (``SANDBOX_UID_BASE`` + the judge's pid; bubblewrap
  runs privileged and ``setpriv`` drops to it): the kernel does not apply RLIMIT_NPROC to
  root, even in a user namespace, so only a real non-root uid keeps a fork bomb at
  ``Limits.processes``, and a uid per judge keeps one student's fork bomb from using up the
  process quota of another student graded at the same time. When the judge is not root,
  bubblewrap maps uid 65534 ("nobody") in a user namespace of its own.

The resource limits of ``sandbox._rlimits`` are set on bubblewrap and inherited by the worker.
``select_launcher()`` picks this launcher when bubblewrap works here, else the plain one.
"""
from __future__ import annotations

import functools
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import grader
from grader.worker.sandbox import MiB, Launcher, Limits, _rlimits, copy_submission, plain_launcher, worker_env

SANDBOX_HOME = "/home/student"
SANDBOX_SUBMISSION = SANDBOX_HOME + "/submission"
SANDBOX_INPUT = "/dlfs/submission"  # the host copy, read-only; copied into the tmpfs at start
SANDBOX_UID_BASE = 2_000_000_000  # + the judge's pid (< 2**22): no real user has such a uid
INSTALL_HINT = "install bubblewrap (Debian: apt-get install bubblewrap)"
# host folders whose system files the worker needs (when they exist); /etc only in pieces
SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
ETC_FILES = ("/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/alternatives",
             "/etc/fonts", "/etc/localtime", "/etc/mime.types")
HIDDEN_IN_KIT = ("suites", "_reference")  # tmpfs over these folders of the grader package


@dataclass
class BwrapLauncher(Launcher):
    """``Launcher`` that wraps the worker's argv in a bubblewrap sandbox (see the module doc).

    ``home_bytes``/``tmp_bytes`` bound the private tmpfs of /home/student (the submission
    copy and whatever the student's code writes) and /tmp: memory, not the host's disk."""

    name: str = "bwrap"
    uid: int | None = None  # the sandbox's uid; None: see the module doc
    home_bytes: int = 512 * MiB
    tmp_bytes: int = 64 * MiB

    @property
    def sandbox_uid(self) -> int:
        if self.uid is not None:
            return self.uid
        return SANDBOX_UID_BASE + os.getpid() if os.geteuid() == 0 else 65534

    def prepare(self, argv: list[str], submission: Path, limits: Limits, pass_fds=()):
        """(command, host cwd, environment, preexec) for ``subprocess.Popen``. ``pass_fds``
        stay open: bubblewrap hands inherited descriptors on to the worker unchanged."""
        self.cleanup()
        uid = self.sandbox_uid
        self.workdir = Path(tempfile.mkdtemp(prefix="dlfs-worker-"))
        work = self.workdir / "submission"
        self.notes = copy_submission(submission, work, limits)
        _make_readable(work)
        etc = self.workdir / "etc"
        etc.mkdir()
        (etc / "passwd").write_text(f"student:x:{uid}:{uid}:student:{SANDBOX_HOME}:/bin/sh\n")
        (etc / "group").write_text(f"student:x:{uid}:\n")
        env = worker_env(Path(SANDBOX_HOME))
        env["TMPDIR"] = "/tmp"
        cmd = self.command(argv, work, etc, limits)
        return cmd, str(self.workdir), env, _rlimits(limits)

    def command(self, argv: list[str], work: Path, etc: Path, limits: Limits) -> list[str]:
        """The bwrap command line around ``argv`` (exposed for tests and the security doc)."""
        privileged, uid = os.geteuid() == 0, self.sandbox_uid
        cmd = [_bwrap(), "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts",
               "--unshare-cgroup-try", "--hostname", "dlfs-sandbox", "--die-with-parent",
               "--new-session"]
        if not privileged:
            cmd += ["--unshare-user", "--uid", str(uid), "--gid", str(uid),
                    "--disable-userns"]
        # the private /proc, /dev and /tmp first: binds below may live under /tmp (a checkout
        # there, the venv), and a later tmpfs would hide them
        cmd += ["--proc", "/proc", "--dev", "/dev",
                "--size", str(self.tmp_bytes), "--perms", "1777", "--tmpfs", "/tmp"]
        binds = _Binds(cmd)
        for d in SYSTEM_DIRS:
            binds.system(d)
        for f in ETC_FILES:
            binds.ro(f, f, optional=True)
        binds.ro(etc / "passwd", "/etc/passwd")
        binds.ro(etc / "group", "/etc/group")
        for root in _python_roots():
            binds.ro(root, root)
        kit = Path(grader.__file__).resolve().parent
        binds.ro(kit, kit)
        for name in HIDDEN_IN_KIT:
            if (kit / name).exists():
                cmd += ["--tmpfs", str(kit / name), "--remount-ro", str(kit / name)]
        binds.parents(SANDBOX_HOME)
        cmd += ["--size", str(self.home_bytes), "--perms", "0777", "--tmpfs", SANDBOX_HOME]
        binds.ro(work, SANDBOX_INPUT)
        cmd += ["--chdir", "/"]
        if privileged:  # drop to the real uid inside: capabilities only to make that switch
            cmd += ["--cap-drop", "ALL"] + [a for c in ("CAP_SETUID", "CAP_SETGID", "CAP_SETPCAP")
                                            for a in ("--cap-add", c)]
            cmd += ["--", _setpriv(), f"--reuid={uid}", f"--regid={uid}",
                    "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs"]
        else:
            cmd += ["--"]
        # copy the submission into the private tmpfs (as the sandbox uid), then become the worker
        script = (f"cp -R {SANDBOX_INPUT}/. {SANDBOX_SUBMISSION}/; "
                  f'cd {SANDBOX_SUBMISSION} && exec "$@"')
        return cmd + ["/bin/sh", "-c", f"mkdir -p {SANDBOX_SUBMISSION} && {script}", "sh"] + list(argv)

    def kill(self, proc: subprocess.Popen) -> None:
        """Kill the sandbox: its pid-1 (which takes every process of the namespace with it,
        daemons included), then bubblewrap; returns when they are gone (at most ~5 s)."""
        inner = _children(proc.pid)
        for pid in inner:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        super().kill(proc)
        end = time.monotonic() + 5
        while any(_alive(p) for p in inner) and time.monotonic() < end:
            time.sleep(0.01)


class _Binds:
    """Appends bind arguments, creating each destination's parents with mode 0755 first (bwrap
    would make them 0700, which the sandbox's unprivileged uid cannot pass) unless a bind
    already provides them."""

    def __init__(self, cmd: list[str]):
        self.cmd, self.made, self.bound = cmd, {"/"}, []

    def parents(self, dest: str) -> None:
        for parent in map(str, reversed(Path(dest).parents)):
            inside = any(parent == b or parent.startswith(b + "/") for b in self.bound)
            if parent not in self.made and not inside:
                self.made.add(parent)
                self.cmd += ["--perms", "0755", "--dir", parent]

    def ro(self, src, dest, optional: bool = False) -> None:
        if optional and not os.path.exists(src):
            return
        self.parents(str(dest))
        self.made.add(str(dest))
        self.bound.append(str(dest))
        self.cmd += ["--ro-bind", str(src), str(dest)]

    def system(self, path: str) -> None:
        """A top-level system folder: a symlink stays a symlink (usr-merged /bin → usr/bin)."""
        if os.path.islink(path):
            self.cmd += ["--symlink", os.readlink(path), path]
        elif os.path.isdir(path):
            self.ro(path, path)


def _python_roots() -> list[str]:
    """The folders of this Python: its installation and the virtual environment (resolved,
    and as named, when a symlink leads there), outermost first, without nesting."""
    roots = set()
    for p in (sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix,
              os.path.dirname(os.path.dirname(os.path.realpath(sys.executable)))):
        roots.update({os.path.abspath(p), os.path.realpath(p)})
    roots = sorted(r for r in roots if os.path.isdir(r) and r not in ("/", "/usr"))
    return [r for r in roots if not any(r != o and r.startswith(o + os.sep) for o in roots)]


def _make_readable(folder: Path) -> None:
    """The sandbox's uid must read the host copy (it is root's when the judge is root)."""
    for dirpath, dirnames, filenames in os.walk(folder):
        os.chmod(dirpath, 0o755)
        for name in filenames:
            os.chmod(os.path.join(dirpath, name), 0o644)


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
        return [int(p) for p in text.split()]
    except (OSError, ValueError):
        pass
    kids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                kids.append(int(entry.name))
    return kids


def _alive(pid: int) -> bool:
    """``pid`` exists and is not a zombie (a dead pid-1 of a namespace has taken all the rest)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


def _bwrap() -> str:
    return shutil.which("bwrap") or "bwrap"


def _setpriv() -> str:
    return shutil.which("setpriv") or "setpriv"


@functools.cache
def unavailable_reason() -> str | None:
    """Why the sandbox cannot run here (None when it can): probed once per process by running
    the Python of the worker, with the kit importable, inside the same sandbox."""
    if shutil.which("bwrap") is None:
        return "bubblewrap (bwrap) is not installed"
    if os.geteuid() == 0 and shutil.which("setpriv") is None:
        return "setpriv (util-linux) is not installed"
    launcher = BwrapLauncher()
    empty = Path(tempfile.mkdtemp(prefix="dlfs-probe-"))
    try:
        argv = [sys.executable, "-I", "-c", "import grader.worker.protocol, os; print(os.getuid())"]
        cmd, cwd, env, preexec = launcher.prepare(argv, empty, Limits())
        try:
            done = subprocess.run(cmd, cwd=cwd, env=env, preexec_fn=preexec, capture_output=True,
                                  timeout=30, stdin=subprocess.DEVNULL)
        except (OSError, subprocess.TimeoutExpired) as e:
            return f"bubblewrap could not start: {e}"
        if done.returncode != 0 or done.stdout.strip() != str(launcher.sandbox_uid).encode():
            err = done.stderr.decode("utf-8", "replace").strip().splitlines()
            return f"bubblewrap failed here: {err[-1] if err else f'exit {done.returncode}'}"
        return None
    finally:
        launcher.cleanup()
        shutil.rmtree(empty, ignore_errors=True)


def available() -> bool:
    """Whether ``BwrapLauncher`` works on this machine (cached for the process)."""
    return unavailable_reason() is None


def select_launcher(require: bool = False, disable: bool = False) -> Launcher:
    """A fresh launcher for one submission's worker: bubblewrap when it works here; else the
    plain launcher (name "none") with a warning on stderr. ``require``: no fallback, a
    GradingError instead; ``disable``: the plain launcher, no warning."""
    from grader.judge.session import GradingError

    if require and disable:
        raise GradingError("--require-sandbox and --no-sandbox contradict each other")
    if disable:
        return plain_launcher()
    reason = unavailable_reason()
    if reason is None:
        return BwrapLauncher()
    if require:
        raise GradingError(f"the sandbox is required but {reason}: {INSTALL_HINT}, "
                           "or grade without --require-sandbox")
    _warn_once(f"dlfs: warning: grading WITHOUT a sandbox ({reason}); student code can read "
               f"and change your files. To sandbox it, {INSTALL_HINT}.")
    return plain_launcher()


@functools.cache
def _warn_once(text: str) -> None:
    print(text, file=sys.stderr)


__all__ = ["BwrapLauncher", "available", "select_launcher", "unavailable_reason"]
