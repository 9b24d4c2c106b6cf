"""The judge's side of the worker: start it, ask it things, survive whatever it does.

    student = Worker(Path("submission"))
    layers = student.module("common/layers.py")
    affine = layers.Affine(W, b)        # a Remote: the object lives in the worker
    out = affine.forward(x)             # an ndarray, decoded with allow_pickle=False
    dW = affine.dW

Every failure of the student's code arrives as an exception the suites can turn into a
message: StudentError (their code raised), WorkerTimeout, WorkerCrashed, ProtocolError
(garbage on the wire). The worker is restarted for the next request after a crash or timeout;
handles from before the restart are stale.
"""
from __future__ import annotations

import contextlib
import os
import selectors
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from grader.worker import protocol
from grader.worker.sandbox import Launcher, Limits, plain_launcher


# Not -I: it would ignore the environment we set (PYTHONHASHSEED=0 for deterministic student
# code, PYTHONUNBUFFERED); the environment is ours entirely (sandbox.worker_env) anyway.
PYTHON_FLAGS = ("-s", "-B", "-u") + (("-P",) if sys.version_info >= (3, 11) else ())


class WorkerError(Exception):
    """Base of everything that can go wrong on the student's side of the boundary."""

    kind = "error"


class StudentError(WorkerError):
    """The student's code raised (or could not be imported)."""

    kind = "raised"

    def __init__(self, type: str, message: str, where: str = "", traceback: str = ""):
        self.type, self.message, self.where, self.traceback = type, message, where, traceback
        super().__init__(f"{type}: {message}" + (f" ({where})" if where else ""))

    @classmethod
    def from_reply(cls, err: dict) -> "StudentError":
        """From the worker's {"type", "message", "where", "traceback"} (each cut to 4000 chars)."""
        return cls(*(str(err.get(k, ""))[:4000] for k in ("type", "message", "where", "traceback")))

    @property
    def not_implemented(self) -> bool:
        return self.type == "NotImplementedError"


class ImportFailed(StudentError):
    """A module of the submission is missing or raised while being imported."""

    def __init__(self, path: str, cause: StudentError):
        super().__init__(cause.type, cause.message, cause.where, cause.traceback)
        self.path = path

    @property
    def missing(self) -> bool:
        return self.type == "ModuleMissing"


class WorkerTimeout(WorkerError):
    kind = "timeout"

    def __init__(self, seconds: float, what: str):
        self.seconds, self.what = seconds, what
        super().__init__(f"{what} did not finish within {seconds:g} s")


class WorkerCrashed(WorkerError):
    kind = "crashed"


class StaleHandle(WorkerError):
    kind = "stale"


class BudgetExhausted(WorkerError):
    kind = "budget"


class PartRefused(Exception):
    """The judge will not compute a book part the worker asked for (not lent now)."""


class _Clock:
    """A request's wall-clock allowance; paused while the judge answers a callback, but the
    judge's own time per request is capped too (``callback_seconds``), so a student's code that
    calls lent parts in a loop cannot hold the judge."""

    def __init__(self, timeout: float, callback_seconds: float):
        self.timeout, self.end = timeout, time.monotonic() + timeout
        self.judge_left = callback_seconds

    def left(self) -> float:
        return max(0.0, self.end - time.monotonic())

    @contextlib.contextmanager
    def paused(self):
        if self.judge_left <= 0:
            raise WorkerTimeout(self.timeout, "the calls of lent book parts")
        start = time.monotonic()
        try:
            yield
        finally:
            spent = time.monotonic() - start
            self.end += spent
            self.judge_left -= spent


def _signal_name(code: int | None) -> str:
    if code is None:
        return "did not exit"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        hint = {"SIGKILL": " (memory or CPU-time limit?)", "SIGXCPU": " (CPU-time limit)",
                "SIGXFSZ": " (file-size limit)", "SIGSEGV": " (crash in native code)"}.get(name, "")
        return f"was killed by {name}{hint}"
    return f"exited with status {code}"


class _Drain(threading.Thread):
    """Reads one of the worker's output pipes to the end, keeping only the first ``keep`` bytes."""

    def __init__(self, fd: int, keep: int = 16384):
        super().__init__(daemon=True)
        self.fd, self.keep, self.data, self.total = fd, keep, bytearray(), 0

    def run(self):
        try:
            while chunk := os.read(self.fd, 65536):
                self.total += len(chunk)
                if len(self.data) < self.keep:
                    self.data += chunk[: self.keep - len(self.data)]
        except OSError:
            pass
        finally:
            os.close(self.fd)


class Worker:
    """One worker process for one submission (restarted after a crash)."""

    def __init__(self, submission: Path, *, limits: Limits | None = None,
                 launcher: Launcher | None = None, budget: float | None = None,
                 max_restarts: int = 25):
        self.submission = Path(submission).resolve()
        self.limits = limits or Limits()
        self.launcher = launcher or plain_launcher()
        self.deadline = time.monotonic() + budget if budget else None
        self.max_restarts = max_restarts
        self.generation = 0  # bumped at every (re)start; handles carry it
        self.proc: subprocess.Popen | None = None
        self.drains: list[_Drain] = []
        self.import_failures: dict[str, WorkerError] = {}
        self.modules: dict[str, Remote] = {}  # of the current generation
        self.events: list[str] = []  # crashes and timeouts, for the report
        self.calls = 0
        self.callbacks = 0
        self.callback_handler = None  # judge parts: grader.judge.parts.PartLender

    # ---- life cycle ----------------------------------------------------------------------
    def start(self) -> None:
        if self.generation > self.max_restarts:
            raise WorkerCrashed(f"the worker was restarted {self.max_restarts} times; giving up")
        self.generation += 1
        self.modules = {}
        req_r, req_w = os.pipe()
        rep_r, rep_w = os.pipe()
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        try:
            cmd, cwd, env, preexec = self.launcher.prepare(
                [sys.executable, *PYTHON_FLAGS, "-m", "grader.worker.server", str(req_r), str(rep_w)],
                self.submission, self.limits, pass_fds=(req_r, rep_w))
            self.proc = subprocess.Popen(
                cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=out_w, stderr=err_w,
                pass_fds=(req_r, rep_w), start_new_session=True, preexec_fn=preexec)
        finally:
            for fd in (req_r, rep_w, out_w, err_w):
                os.close(fd)
        self.req_w, self.rep_r = req_w, rep_r
        os.set_blocking(rep_r, False)
        self.drains = [_Drain(out_r), _Drain(err_r)]
        for d in self.drains:
            d.start()

    def close(self) -> None:
        """Kill the worker's whole process tree and forget it (safe to call twice)."""
        if self.proc is None:
            return
        self.launcher.kill(self.proc)
        for fd in (self.req_w, self.rep_r):
            try:
                os.close(fd)
            except OSError:
                pass
        for d in self.drains:
            d.join(timeout=2)
        self.proc = None
        self.launcher.cleanup()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    @property
    def output(self) -> str:
        """What the student's code printed (the start of stdout, then of stderr)."""
        parts = [d.data.decode("utf-8", "replace") for d in self.drains]
        return "\n".join(p for p in parts if p)

    # ---- requests ------------------------------------------------------------------------
    def request(self, msg: dict, timeout: float | None = None, what: str = "the call"):
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise BudgetExhausted("the grading time budget for this submission is used up")
        if self.proc is None:
            self.start()
        timeout = timeout or self.limits.call_timeout
        if self.deadline is not None:
            timeout = max(0.1, min(timeout, self.deadline - time.monotonic()))
        self.calls += 1
        clock = _Clock(timeout, self.limits.callback_seconds)
        try:
            self._write(protocol.pack(_to_wire(msg, self)), clock, what)
            while True:
                reply = protocol.unpack(protocol.read_frame(lambda n: self._read(n, clock, what),
                                                            self.limits.max_reply_bytes))
                if type(reply) is dict and len(reply) == 1 and "callback" in reply:
                    with clock.paused():  # the judge's own time does not count against the student
                        self._answer_callback(reply["callback"], clock, what)
                    continue
                break
        except WorkerTimeout:
            self.events.append(f"timeout: {what}")
            self.close()
            raise
        except (WorkerCrashed, protocol.ProtocolError) as e:
            self.events.append(f"crash: {what}: {e}")
            self.close()
            raise
        except BaseException:  # e.g. the budget ran out inside a callback: the worker is mid-call
            self.close()
            raise
        if type(reply) is not dict or len(reply) != 1:
            self.close()
            raise protocol.ProtocolError("the worker's reply is not a reply")
        if "ok" in reply:
            return _from_wire(reply["ok"], self)
        err = reply.get("error")
        if type(err) is not dict:
            self.close()
            raise protocol.ProtocolError("the worker's reply is not a reply")
        raise StudentError.from_reply(err)

    def _answer_callback(self, payload, clock: "_Clock", what: str) -> None:
        """The student's code called a judge part (grader/worker/parts.py): answer it."""
        self.callbacks += 1
        if self.callbacks > self.limits.max_callbacks:
            raise protocol.ProtocolError("the worker asked the judge too many times")
        try:
            if self.callback_handler is None:
                raise PartRefused("no book parts are lent to this worker")
            reply = {"ok": self.callback_handler(self, _from_wire(payload, self))}
        except StudentError as e:  # the book's code raised on these arguments: same type there
            reply = {"error": {"type": e.type, "message": e.message[:2000]}}
        except PartRefused as e:
            reply = {"error": {"type": "JudgeRefused", "message": str(e)[:2000]}}
        self._write(protocol.pack({"callback_reply": _to_wire(reply, self)}), clock, what)

    def _write(self, data: bytes, clock: "_Clock", what: str) -> None:
        view = memoryview(data)
        os.set_blocking(self.req_w, False)
        with selectors.DefaultSelector() as sel:
            sel.register(self.req_w, selectors.EVENT_WRITE)
            while view:
                if not sel.select(clock.left()):
                    raise WorkerTimeout(clock.timeout, what)
                try:
                    view = view[os.write(self.req_w, view):]
                except BrokenPipeError:
                    raise WorkerCrashed(self._death()) from None

    def _read(self, n: int, clock: "_Clock", what: str) -> bytes:
        chunks, left = [], n
        with selectors.DefaultSelector() as sel:
            sel.register(self.rep_r, selectors.EVENT_READ)
            while left:
                if not sel.select(clock.left()):
                    raise WorkerTimeout(clock.timeout, what)
                chunk = os.read(self.rep_r, min(left, 1 << 20))
                if not chunk:
                    raise WorkerCrashed(self._death())
                chunks.append(chunk)
                left -= len(chunk)
        return b"".join(chunks)

    def _death(self) -> str:
        try:
            code = self.proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            code = None
        return f"the worker {_signal_name(code)}"

    # ---- the API the suites use ----------------------------------------------------------
    def module(self, path: str) -> "Remote":
        """The submission's module at ``path`` (book layout, e.g. "common/layers.py")."""
        if path in self.import_failures:
            raise self.import_failures[path]
        if self.proc is not None and path in self.modules:
            return self.modules[path]
        try:
            self.modules[path] = self.request({"op": "import", "path": path}, what=f"importing {path}")
            return self.modules[path]
        except StudentError as e:
            self.import_failures[path] = ImportFailed(path, e)
            raise self.import_failures[path] from None
        except (WorkerTimeout, WorkerCrashed) as e:
            self.import_failures[path] = e
            raise

    def put(self, value) -> "Remote":
        """Store ``value`` in the worker (e.g. a params dict an optimizer must update in place)."""
        return self.request({"op": "put", "value": value})

    def fetch(self, remote: "Remote"):
        return self.request({"op": "fetch", "ref": remote})

    def same(self, a: "Remote", b: "Remote") -> bool:
        """``a is b`` in the worker."""
        return self.request({"op": "same", "a": a, "b": b}) is True

    def seed(self, seed: int) -> None:
        """``np.random.seed(seed)`` in the worker."""
        self.request({"op": "seed", "seed": int(seed)})

    def part(self, file: str, name: str) -> "Remote":
        """A proxy in the worker for the book's ``name`` of ``file``, computed by the judge on
        the reference (grader/worker/parts.py); it answers only inside ``lending``."""
        return self.request({"op": "judge_part", "file": file, "name": name,
                             "is_class": name[:1].isupper(), "by_ref": name == "numerical_gradient"})

    @contextlib.contextmanager
    def lending(self, file: str, *names: str, into: "Remote | None" = None):
        """Lend the book's ``names`` of ``file`` for the block; yields {name: proxy}. With
        ``into`` (a module or object of the student's), they replace its attributes of the
        same names for the block (e.g. ``sigmoid`` in ch03/neuralnet_mnist.py)."""
        lender = self.callback_handler
        keys = [(file, n) for n in names]
        if lender is not None:
            lender.open(keys)
        token = None
        try:
            parts = {n: self.part(file, n) for n in names}
            if into is not None:
                token = (self.generation, self.request({"op": "patch", "target": into, "names": parts}))
            yield parts
        finally:
            if token is not None and token[0] == self.generation and self.proc is not None:
                self.request({"op": "unpatch", "token": token[1]})
            if lender is not None:
                lender.close(keys)

    def batch(self, requests: list, timeout: float | None = None) -> list:
        """Run several requests in one frame; returns their values (raises the first error)."""
        out = []
        for reply in self.request({"op": "batch", "requests": requests}, timeout=timeout,
                                  what="a batch of calls"):
            if "error" in reply:
                err = reply["error"]
                raise StudentError.from_reply(err)
            out.append(reply["ok"])
        return out

    def recipe(self, name: str, *args, timeout: float | None = None, handle: bool = False, **kwargs):
        """Run ``grader.worker.recipes.<name>`` in the worker on the given values and handles."""
        return self.request({"op": "recipe", "name": name, "args": list(args), "kwargs": kwargs,
                             "handle": handle}, timeout=timeout, what=f"{name}")


class Remote:
    """A proxy for an object in the worker: attribute access, item access and calls go there."""

    __slots__ = ("_worker", "_ref", "_generation")

    def __init__(self, worker: Worker, ref: protocol.Ref):
        object.__setattr__(self, "_worker", worker)
        object.__setattr__(self, "_ref", ref)
        object.__setattr__(self, "_generation", worker.generation)

    @property
    def type_name(self) -> str:
        return self._ref.type

    def _ask(self, msg: dict, what: str, timeout: float | None = None):
        return self._worker.request(dict(msg, ref=self), timeout=timeout, what=what)

    def __getattr__(self, name: str):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return self._ask({"op": "getattr", "name": name}, f"reading .{name}")

    def __setattr__(self, name: str, value) -> None:
        self._ask({"op": "setattr", "name": name, "value": value}, f"setting .{name}")

    def __getitem__(self, key):
        return self._ask({"op": "getitem", "key": key}, f"reading [{key!r}]")

    def __setitem__(self, key, value) -> None:
        self._ask({"op": "setitem", "key": key, "value": value}, f"setting [{key!r}]")

    def __call__(self, *args, timeout: float | None = None, **kwargs):
        return self._ask({"op": "call", "args": list(args), "kwargs": kwargs}, "the call", timeout)

    def call_ref(self, *args, **kwargs) -> "Remote":
        """Call, and keep the result in the worker (a handle), e.g. a net built by a factory."""
        return self._ask({"op": "call", "args": list(args), "kwargs": kwargs, "handle": True}, "the call")

    def ref(self, name: str) -> "Remote":
        """The attribute ``name`` as a handle (not copied back), e.g. ``net.ref("params")``."""
        return self._ask({"op": "getattr", "name": name, "handle": True}, f"reading .{name}")

    def item_ref(self, key) -> "Remote":
        return self._ask({"op": "getitem", "key": key, "handle": True}, f"reading [{key!r}]")

    def fetch(self):
        return self._worker.fetch(self)

    def __repr__(self) -> str:
        return f"<{self._ref.type} object in the worker>"


def _to_wire(value, worker: Worker):
    if isinstance(value, Remote):
        if value._worker is not worker or value._generation != worker.generation:
            raise StaleHandle(f"a {value.type_name} from before the worker restarted is gone")
        return value._ref
    if type(value) is list:
        return [_to_wire(v, worker) for v in value]
    if type(value) is tuple:
        return tuple(_to_wire(v, worker) for v in value)
    if isinstance(value, dict):
        return {k: _to_wire(v, worker) for k, v in value.items()}
    return value


def _from_wire(value, worker: Worker):
    if isinstance(value, protocol.Ref):
        return Remote(worker, value)
    if type(value) is list:
        return [_from_wire(v, worker) for v in value]
    if type(value) is tuple:
        return tuple(_from_wire(v, worker) for v in value)
    if type(value) is dict:
        return {k: _from_wire(v, worker) for k, v in value.items()}
    return value
