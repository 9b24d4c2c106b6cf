"""The bubblewrap sandbox of the worker: what the student's code can see, write, reach and
leave behind. Each test runs a small probe module in a real sandboxed worker."""
from __future__ import annotations

import os
import socket
import textwrap
import time
from pathlib import Path

import pytest

from attacks.harness import KIT, REPO_SOLUTIONS, SKIP_NO_BWRAP, MarkedBwrap, leftovers, marked_processes
from grader.judge.session import SUITES, GradingError
from grader.worker import bwrap
from grader.worker.client import StudentError, Worker, WorkerTimeout
from grader.worker.sandbox import Limits

pytestmark = pytest.mark.skipif(not bwrap.available(), reason=SKIP_NO_BWRAP)
SHARED = Path(__file__).resolve().parents[2] / "shared"

PROBE = '''
import os, socket, subprocess, sys, time

def look(path):
    """What the sandbox shows of ``path``: missing, denied, or what is in it."""
    try:
        if os.path.isdir(path):
            return sorted(os.listdir(path))
        with open(path, "rb") as f:
            return f.read(100).decode("latin-1")
    except FileNotFoundError:
        return "missing"
    except OSError as e:
        return type(e).__name__

def write(path):
    try:
        with open(path, "w") as f:
            f.write("written by the sandbox")
        return "written"
    except OSError as e:
        return type(e).__name__

def connect(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
        return "connected"
    except OSError as e:
        return type(e).__name__

def connect_abstract(name):
    s = socket.socket(socket.AF_UNIX)
    try:
        s.connect("\\0" + name)
        return "connected"
    except OSError as e:
        return type(e).__name__
    finally:
        s.close()

def interfaces():
    return [name for _, name in socket.if_nameindex()]

def identity():
    status = dict(l.split(":", 1) for l in open("/proc/self/status").read().splitlines())
    return {"uid": os.getuid(), "euid": os.geteuid(), "gid": os.getgid(), "groups": os.getgroups(),
            "caps": status["CapEff"].strip(), "bounding": status["CapBnd"].strip(),
            "no_new_privs": status["NoNewPrivs"].strip(), "pids": [p for p in os.listdir("/proc") if p.isdigit()],
            "ppid": os.getppid(), "cwd": os.getcwd(), "hostname": socket.gethostname()}

def environment():
    return dict(os.environ)

def daemon(marker):
    """A double-forked, setsid'd daemon that sleeps with ``marker`` on its command line."""
    subprocess.Popen(["/bin/sleep", marker], start_new_session=True, stdin=subprocess.DEVNULL,
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return "started"

def fork_bomb():
    while True:
        try:
            os.fork()
        except OSError:
            pass

def count_forks(n):
    kids, error = [], ""
    for _ in range(n):
        try:
            pid = os.fork()
        except OSError as e:
            error = type(e).__name__
            break
        if pid == 0:
            time.sleep(5)
            os._exit(0)
        kids.append(pid)
    for pid in kids:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
    return len(kids), error

def fill(folder, mib):
    """Write 8 MiB files into ``folder`` until ``mib`` MiB or an error: (MiB written, errno)."""
    chunk, done = b"x" * (8 << 20), 0
    try:
        while done < mib:
            with open(os.path.join(folder, f"fill{done}"), "wb") as f:
                f.write(chunk)
            done += 8
    except OSError as e:
        return done, e.errno
    return done, 0

def memory_bomb(gib):
    import numpy as np
    return np.empty((gib << 30) // 8).size  # address space only: nothing is touched
'''


@pytest.fixture
def probe(tmp_path):
    sub = tmp_path / "me"
    (sub / "common").mkdir(parents=True)
    (sub / "common" / "__init__.py").touch()
    (sub / "common" / "probe.py").write_text(textwrap.dedent(PROBE))
    (sub / "mine.txt").write_text("my own file\n")
    return sub


def sandboxed(sub: Path, **limits) -> Worker:
    return Worker(sub, launcher=bwrap.BwrapLauncher(), limits=Limits(**limits))


def test_the_judges_secrets_are_not_there(probe, tmp_path):
    other = tmp_path / "other_student"
    other.mkdir()
    (other / "answers.py").write_text("secret\n")
    hidden = [REPO_SOLUTIONS, REPO_SOLUTIONS / "common" / "layers.py", SUITES / "ch04_losses.py",
              SHARED, SHARED / "data", other, other / "answers.py", tmp_path, probe,
              Path("/proc/1/root") / str(REPO_SOLUTIONS).lstrip("/"), "/root/.bash_history"]
    with sandboxed(probe) as w:
        look = w.module("common/probe.py").look
        seen = {str(p): look(str(p)) for p in hidden}
        assert look(str(SUITES)) == [], "the hidden suites' folder must look empty"
        assert look(str(KIT / "exercises.py")).startswith('"""')  # the kit itself is readable
        assert look("mine.txt") == "my own file\n"  # its own copy, as the working directory
        skeleton = {d: look(d) for d in ("/", "/root", "/work", str(KIT.parent), "/home")}
    leaks = {p: v for p, v in seen.items() if v not in ("missing", "PermissionError")}
    assert not leaks, f"visible in the sandbox: {leaks}"
    for folder, names in skeleton.items():  # only the way to what is bound, nothing beside it
        listing = set(names) if isinstance(names, list) else set()  # "missing": not there at all
        extra = listing - _needed_under(folder)
        assert not extra, f"{folder} shows {sorted(extra)} in the sandbox"


def _needed_under(folder: str) -> set[str]:
    """Names that must show in ``folder``: the first step towards each bound path."""
    bound = [str(KIT), bwrap.SANDBOX_HOME, bwrap.SANDBOX_INPUT, *bwrap._python_roots(),
             *bwrap.SYSTEM_DIRS, "/etc", "/proc", "/dev", "/tmp"]
    base = Path(folder)
    return {Path(b).relative_to(base).parts[0] for b in bound
            if Path(b) != base and base in Path(b).parents}


def test_writes_stay_inside(probe, tmp_path):
    sentinel = tmp_path / "sentinel.txt"
    sentinel.write_text("untouched\n")
    with sandboxed(probe) as w:
        write = w.module("common/probe.py").write
        assert write(str(sentinel)) != "written"
        assert write(str(KIT / "sandbox_was_here.py")) != "written"
        assert write(str(SUITES / "ch99_new.py")) != "written"
        assert write("/usr/sandbox_was_here") != "written"
        assert write("mine.txt") == "written" and write("/tmp/scratch") == "written"
        assert write(bwrap.SANDBOX_HOME + "/scratch") == "written"
    assert sentinel.read_text() == "untouched\n"
    assert (probe / "mine.txt").read_text() == "my own file\n"  # the original is not the copy
    assert not (KIT / "sandbox_was_here.py").exists() and not Path("/tmp/scratch").exists()


def test_no_network(probe):
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    abstract = socket.socket(socket.AF_UNIX)
    abstract.bind(f"\0dlfs-sandbox-test-{os.getpid()}")
    abstract.listen(1)
    try:
        with sandboxed(probe) as w:
            p = w.module("common/probe.py")
            assert p.connect(server.getsockname()[1]) == "ConnectionRefusedError"
            assert p.connect_abstract(f"dlfs-sandbox-test-{os.getpid()}") == "ConnectionRefusedError"
            assert p.interfaces() == ["lo"]
    finally:
        server.close()
        abstract.close()


def test_runs_unprivileged_alone_in_its_namespace(probe):
    with sandboxed(probe) as w:
        me = w.module("common/probe.py").identity()
    assert me["uid"] == me["euid"] == me["gid"] != 0 and me["groups"] == []
    assert int(me["caps"], 16) == 0 and int(me["bounding"], 16) == 0 and me["no_new_privs"] == "1"
    assert me["ppid"] == 1 and len(me["pids"]) <= 3, me["pids"]  # bwrap's init, sh→python
    assert me["cwd"] == bwrap.SANDBOX_SUBMISSION and me["hostname"] == "dlfs-sandbox"


def test_environment_has_nothing_of_the_judge(probe, monkeypatch):
    monkeypatch.setenv("DLFS_SECRET_TOKEN", "do-not-leak")
    monkeypatch.setenv("GITHUB_TOKEN", "do-not-leak")
    with sandboxed(probe) as w:
        env = w.module("common/probe.py").environment()
    assert not [k for k in env if k.startswith("DLFS_") or "TOKEN" in k or "SECRET" in k]
    assert "do-not-leak" not in repr(env)
    assert env["HOME"] == bwrap.SANDBOX_HOME and env["TMPDIR"] == "/tmp"


def test_setsid_daemon_dies_with_the_worker(probe):
    marker = f"{4000 + os.getpid() % 1000}.{time.time_ns() % 10**9}"
    w = sandboxed(probe)
    try:
        assert w.module("common/probe.py").daemon(marker) == "started"
        end = time.monotonic() + 5
        while not _sleepers(marker) and time.monotonic() < end:
            time.sleep(0.02)
        assert _sleepers(marker), "the daemon should be running while the worker lives"
    finally:
        w.close()
    assert not _sleepers(marker), "a setsid daemon outlived Worker.close()"


def _sleepers(marker: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and (entry / "cmdline").read_bytes() == b"/bin/sleep\0" + marker.encode() + b"\0":
                found.append(int(entry.name))
        except OSError:
            pass
    return found


def test_fork_bomb_is_contained_and_killed(probe):
    launcher = MarkedBwrap()
    launcher.token = f"forkbomb-{os.getpid()}-{time.time_ns()}"
    with Worker(probe, launcher=launcher, limits=Limits(processes=16, call_timeout=1.5)) as w:
        forks, error = w.module("common/probe.py").count_forks(40)
        assert forks < 16 and error == "BlockingIOError", (forks, error)  # EAGAIN at the limit
        start = time.monotonic()
        with pytest.raises(WorkerTimeout):
            w.module("common/probe.py").fork_bomb()
        assert time.monotonic() - start < 10
        assert not marked_processes(launcher.token), "the timeout must have killed the whole tree"
        assert w.module("common/probe.py").count_forks(3) == (3, "")  # a fresh worker
    assert not leftovers(launcher.token)


def test_memory_bomb_is_an_error_not_a_crash(probe):
    with sandboxed(probe, memory_bytes=2 * 2**30) as w:
        p = w.module("common/probe.py")
        assert p.memory_bomb(1) == 2**27  # under the limit: fine
        with pytest.raises(StudentError, match="MemoryError|Unable to allocate"):
            p.memory_bomb(3)  # over RLIMIT_AS: an error in the student's code, the worker lives
        assert p.memory_bomb(1) == 2**27


def test_private_tmp_and_home_are_size_limited(probe):
    import errno
    launcher = bwrap.BwrapLauncher(home_bytes=48 << 20, tmp_bytes=24 << 20)
    with Worker(probe, launcher=launcher) as w:
        p = w.module("common/probe.py")
        # not the host's /tmp: only the way to a bound checkout or venv living under /tmp
        assert set(p.look("/tmp")) <= _needed_under("/tmp")
        for folder, limit in (("/tmp", 24), (".", 48)):
            written, err = p.fill(folder, 4096)  # 8 MiB files until the tmpfs is full
            assert err == errno.ENOSPC and limit - 16 <= written <= limit, (folder, written, err)


# ---------------------------------------------------------------- choosing the launcher
def test_select_launcher_prefers_bwrap():
    assert bwrap.select_launcher().name == "bwrap"
    assert bwrap.select_launcher(require=True).name == "bwrap"
    assert bwrap.select_launcher(disable=True).name == "none"
    with pytest.raises(GradingError, match="contradict"):
        bwrap.select_launcher(require=True, disable=True)


def test_without_bwrap_fallback_warns_and_require_refuses(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("PATH", str(tmp_path))  # no bwrap on the PATH
    bwrap.unavailable_reason.cache_clear()
    bwrap._warn_once.cache_clear()
    try:
        assert not bwrap.available()
        assert bwrap.select_launcher().name == "none"
        assert "WITHOUT a sandbox" in capsys.readouterr().err
        with pytest.raises(GradingError, match=r"apt-get install bubblewrap"):
            bwrap.select_launcher(require=True)
    finally:
        monkeypatch.undo()
        bwrap.unavailable_reason.cache_clear()
    assert bwrap.available()


def test_private_tmp_is_mounted_before_the_binds(tmp_path):
    """A checkout or venv under /tmp must stay visible: the tmpfs on /tmp comes first."""
    from grader.worker.bwrap import BwrapLauncher
    from grader.worker.sandbox import Limits

    (tmp_path / "sub").mkdir()
    launcher = BwrapLauncher()
    try:
        cmd, *_ = launcher.prepare(["python"], tmp_path / "sub", Limits())
    finally:
        launcher.cleanup()
    tmpfs = next(i for i in range(len(cmd) - 1) if cmd[i] == "--tmpfs" and cmd[i + 1] == "/tmp")
    first_bind = min(i for i, a in enumerate(cmd) if a in ("--ro-bind", "--bind", "--ro-bind-try"))
    assert tmpfs < first_bind
