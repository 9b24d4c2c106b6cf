"""What the attack, broken-submission and sandbox tests share: a world of sentinels outside the
submission, launchers that mark their processes, and the reference's scores per chapter.

A submission under attack is the reference solutions with one file patched. The judge runs
on a private copy of the reference (``DLFS_REFERENCE``), so an attack that poisons "the
reference" in fallback mode harms only that copy. Everything an attack aims at lives in the
test's tmp folder; nothing of the repository is ever written.

Run as a script, it grades one submission and prints the exercises' points as JSON: the judge
in a process of its own, for attacks that go for the judge's process (kill it, stop it).
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import signal
import socket
import string
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

if __name__ == "__main__":  # run as a script: make grader and tests/ importable like pytest does
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import grader
from grader.judge.session import SUITES, grade
from grader.worker.bwrap import BwrapLauncher, unavailable_reason
from grader.worker.sandbox import Launcher, Limits

REPO_SOLUTIONS = Path(__file__).resolve().parents[2] / "solutions"
KIT = Path(grader.__file__).resolve().parent
MARK = "SANDBOX_WATCH"  # environment variable naming the processes of one test's workers
MODES = ("bwrap", "none")
SKIP_NO_BWRAP = f"bubblewrap does not work here: {unavailable_reason()}"


# --------------------------------------------------------------------------- launchers
class _Marking:
    """Mixin: every worker process (and what it forks) carries ``MARK=token`` in its
    environment, so the test can find anything left behind. The real launcher does the rest."""

    token = ""

    def prepare(self, argv, submission, limits, pass_fds=()):
        cmd, cwd, env, preexec = super().prepare(argv, submission, limits, pass_fds)
        return cmd, cwd, {**env, MARK: self.token}, preexec


class MarkedBwrap(_Marking, BwrapLauncher):
    pass


class MarkedPlain(_Marking, Launcher):
    pass


def launcher(mode: str, token: str) -> Launcher:
    made = MarkedBwrap() if mode == "bwrap" else MarkedPlain()
    made.token = token
    return made


def marked_processes(token: str) -> list[int]:
    """Pids on this machine whose environment carries ``MARK=token`` (zombies left out)."""
    needle = f"{MARK}={token}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            env = (entry / "environ").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if needle in env.split(b"\0") and state not in ("Z", "X"):
            found.append(int(entry.name))
    return found


def leftovers(token: str, wait: float = 3.0) -> list[int]:
    """Marked processes still there after ``wait`` seconds (an exiting worker gets the time)."""
    end = time.monotonic() + wait
    while (pids := marked_processes(token)) and time.monotonic() < end:
        time.sleep(0.05)
    return pids


def kill_marked(token: str) -> None:
    """End what a fallback-mode attack left running (found by its mark, killed by pid)."""
    for _ in range(3):
        for pid in marked_processes(token):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.05)


# --------------------------------------------------------------------------- the world outside
class _Listener(threading.Thread):
    """A TCP server on 127.0.0.1 that records what anyone sends it (bounded, stops by itself)."""

    def __init__(self):
        super().__init__(daemon=True)
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port, self.received, self.stop = self.sock.getsockname()[1], [], False

    def run(self):
        end = time.monotonic() + 300
        while not self.stop and time.monotonic() < end:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(1)
                try:
                    self.received.append(conn.recv(1024))
                except OSError:
                    self.received.append(b"")
        self.sock.close()


def tree_hash(root: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts:
            h.update(str(p.relative_to(root)).encode() + b"\0" + p.read_bytes())
    return h.hexdigest()


@dataclass
class World:
    """The folders and services an attack aims at, and a record of how they were."""

    root: Path
    token: str = field(default_factory=lambda: uuid.uuid4().hex[:16])
    listener: _Listener | None = None

    def __post_init__(self):
        self.outside = self.root / "outside"  # the host's files: a sentinel, a report
        self.leak = self.root / "leak"  # where an attack drops what it stole
        self.reference = self.root / "reference"  # the judge's reference (DLFS_REFERENCE)
        self.other = self.root / "other_student"  # another student's correct submission
        self.outside.mkdir(parents=True)
        self.leak.mkdir()
        (self.outside / "sentinel.txt").write_text("untouched\n")
        (self.outside / "report.json").write_text('{"score": 0}\n')
        for dst in (self.reference, self.other):
            shutil.copytree(REPO_SOLUTIONS, dst, ignore=shutil.ignore_patterns("__pycache__"))
        self.secret = f"s3cret-{self.token}"
        self.kit_mark = KIT / f"ATTACK_MARK_{self.token}"
        self.listener = _Listener()
        self.listener.start()
        self.before = self._state()

    def substitute(self, code: str) -> str:
        return string.Template(code).substitute(
            SENTINEL=self.outside / "sentinel.txt", REPORT=self.outside / "report.json",
            LEAK=self.leak, REFERENCE=self.reference, REPO_SOLUTIONS=REPO_SOLUTIONS,
            OTHER=self.other, PORT=self.listener.port, KIT=KIT, SUITES=SUITES,
            KIT_MARK=self.kit_mark, SECRET_NAME="DLFS_TEST_SECRET")

    def _state(self) -> dict:
        return {"outside": tree_hash(self.outside), "leak": sorted(p.name for p in self.leak.iterdir()),
                "reference": tree_hash(self.reference), "kit mark": self.kit_mark.exists()}

    def harm(self, wait: float = 3.0) -> list[str]:
        """What the attack managed outside its sandbox; empty when nothing."""
        now, done = self._state(), []
        done += [f"{k} changed: {self.before[k]!r} -> {now[k]!r}" for k in now if now[k] != self.before[k]]
        done += [f"the test server got {data[:40]!r}" for data in self.listener.received]
        left = leftovers(self.token, wait)
        done += [f"process {pid} left running" for pid in left]
        return done

    def close(self) -> None:
        kill_marked(self.token)
        self.listener.stop = True
        self.kit_mark.unlink(missing_ok=True)


def patched_reference(dest: Path, file: str, code: str) -> Path:
    """The reference solutions copied to ``dest`` with ``code`` appended to ``file``."""
    shutil.copytree(REPO_SOLUTIONS, dest, ignore=shutil.ignore_patterns("__pycache__"))
    with open(dest / file, "a", encoding="utf-8") as f:
        f.write("\n\n# ---- attack ----\n" + code.strip("\n") + "\n")
    return dest


# --------------------------------------------------------------------------- scores
@functools.cache
def reference_points(chapter: str) -> dict[str, int]:
    """Exercise id → points the unmodified reference gets in ``chapter`` (full marks), judged
    against the repository's own reference whatever copy a test has set up."""
    saved = os.environ.get("DLFS_REFERENCE")
    os.environ["DLFS_REFERENCE"] = str(REPO_SOLUTIONS)
    try:
        report = grade(REPO_SOLUTIONS, [chapter], launcher=Launcher())
    finally:
        if saved is None:
            del os.environ["DLFS_REFERENCE"]
        else:
            os.environ["DLFS_REFERENCE"] = saved
    return {e["exercise"]: e["points"] for e in report.exercises()}


def expected_points(chapter: str, lose: tuple[str, ...]) -> dict[str, int]:
    """Full marks, except 0 for the exercises in ``lose`` ("*": the whole chapter)."""
    full = reference_points(chapter)
    unknown = set(lose) - set(full) - {"*"}
    assert not unknown, f"not graded in {chapter}: {sorted(unknown)}"
    return {ex: 0 if "*" in lose or ex in lose else pts for ex, pts in full.items()}


def points_of(report) -> dict[str, int]:
    return {e["exercise"]: e["points"] for e in report.exercises()}


def available_modes() -> tuple[str, ...]:
    return MODES if unavailable_reason() is None else ("none",)


def grade_in_process(folder: Path, chapter: str, mode: str, token: str, limits: Limits) -> dict[str, int]:
    """The exercises' points; the report must stay small whatever the submission printed."""
    report = grade(folder, [chapter], launcher=launcher(mode, token), limits=limits)
    size = len(json.dumps(report.to_json()))
    assert size < 1_000_000, f"the report is {size} bytes"
    return points_of(report)


def grade_in_subprocess(folder: Path, chapter: str, mode: str, token: str, limits: Limits,
                        scratch: Path, timeout: float = 60.0) -> dict[str, int] | str:
    """Grade with the judge in a child process whose temporary folders go to ``scratch`` (a
    killed judge cleans up nothing). Returns the points, or what happened to the judge
    ("judge killed by SIGKILL", "judge stopped") when it did not finish."""
    cmd = [sys.executable, __file__, str(folder), chapter, mode, token, repr(limits.call_timeout)]
    scratch.mkdir(parents=True, exist_ok=True)
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                            env={**os.environ, "TMPDIR": str(scratch)})
    end, stopped_since = time.monotonic() + timeout, None
    while proc.poll() is None and time.monotonic() < end:
        try:
            state = Path(f"/proc/{proc.pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            state = ""
        stopped_since = (stopped_since or time.monotonic()) if state == "T" else None
        if stopped_since and time.monotonic() - stopped_since > 0.5:
            proc.kill()
            proc.communicate()
            return "judge stopped"
        time.sleep(0.05)
    if proc.poll() is None:
        proc.kill()
        proc.communicate()
        return "judge did not finish"
    out, err = proc.communicate()
    if proc.returncode < 0:
        return f"judge killed by {signal.Signals(-proc.returncode).name}"
    assert proc.returncode == 0, err.decode()[-3000:]
    return json.loads(out.decode().strip().splitlines()[-1])


if __name__ == "__main__":
    _folder, _chapter, _mode, _token, _timeout = sys.argv[1:6]
    _points = grade_in_process(Path(_folder), _chapter, _mode, _token, Limits(call_timeout=float(_timeout)))
    print(json.dumps(_points))
