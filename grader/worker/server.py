"""The worker: runs inside the sandbox, imports the submission, does what the judge asks.

Started as ``python -m grader.worker.server REQUEST_FD REPLY_FD`` with the submission copy as
its working directory. It reads requests from REQUEST_FD and writes replies to REPLY_FD; the
student's prints go to fds 1 and 2, which the judge drains and keeps a little of. The worker
is not trusted: whatever it replies is only data, which the judge checks.

Requests are dicts ``{"op": ..., ...}``; a reply is ``{"ok": value}`` or
``{"error": {"type", "message", "where", "traceback"}}``.
"""
from __future__ import annotations

import os
import sys
import traceback

import numpy as np

from grader.worker import protocol
from grader.worker.loader import ModuleMissing, load_module, put_root_on_path
from grader.worker.parts import JudgeLink, JudgePart

_MISSING = object()


class Server:
    def __init__(self, root: str, read_frame=None, write=None):
        self.root = os.path.realpath(root)
        self.objects: dict[int, object] = {}
        self.next_id = 1
        self.link = JudgeLink(self, read_frame, write)
        self.patches: dict[int, list] = {}

    # ---- handles -------------------------------------------------------------------------
    def make_ref(self, obj) -> protocol.Ref:
        ref = protocol.Ref(self.next_id, type(obj).__name__)
        self.objects[ref.id] = obj
        self.next_id += 1
        return ref

    def resolve(self, value):
        """Request arguments with Refs replaced by the objects they stand for."""
        if isinstance(value, protocol.Ref):
            try:
                return self.objects[value.id]
            except KeyError:
                raise LookupError(f"stale handle #{value.id}") from None
        if type(value) is list:
            return [self.resolve(v) for v in value]
        if type(value) is tuple:
            return tuple(self.resolve(v) for v in value)
        if type(value) is dict:
            return {k: self.resolve(v) for k, v in value.items()}
        if isinstance(value, np.ndarray):
            return np.array(value)  # writable, owned by the student's code
        return value

    def result(self, value, handle: bool):
        if handle:
            return self.make_ref(value)
        if callable(value) and not isinstance(value, (np.ndarray, np.generic)):
            return self.make_ref(value)
        return value

    # ---- operations ----------------------------------------------------------------------
    def op_ping(self):
        return "pong"

    def op_import(self, path: str):
        return self.make_ref(load_module(self.root, path))

    def op_getattr(self, ref, name: str, handle: bool = False):
        return self.result(getattr(self.resolve(ref), name), handle)

    def op_setattr(self, ref, name: str, value):
        setattr(self.resolve(ref), name, self.resolve(value))

    def op_getitem(self, ref, key, handle: bool = False):
        return self.result(self.resolve(ref)[self.resolve(key)], handle)

    def op_setitem(self, ref, key, value):
        self.resolve(ref)[self.resolve(key)] = self.resolve(value)

    def op_call(self, ref, args=(), kwargs=None, handle: bool = False):
        fn = self.resolve(ref)
        return self.result(fn(*self.resolve(list(args)), **self.resolve(kwargs or {})), handle)

    def op_put(self, value):
        return self.make_ref(self.resolve(value))

    def op_fetch(self, ref):
        return self.resolve(ref)

    def op_same(self, a, b):
        return self.resolve(a) is self.resolve(b)

    def op_seed(self, seed: int):
        np.random.seed(seed)

    def op_recipe(self, name: str, args=(), kwargs=None, handle: bool = False):
        """``name`` is a function of grader.worker.recipes ("set_params") or of one of its
        chapter modules ("ch06.optimizer_path")."""
        import importlib

        module, _, func = name.rpartition(".")
        if any(part.startswith("_") for part in name.split(".")) or (module and not module.isidentifier()):
            raise LookupError(f"no recipe {name!r}")
        recipes = importlib.import_module("grader.worker.recipes" + (f".{module}" if module else ""))
        fn = getattr(recipes, func, None)
        if not callable(fn):
            raise LookupError(f"no recipe {name!r}")
        return self.result(fn(*self.resolve(list(args)), **self.resolve(kwargs or {})), handle)

    def op_judge_part(self, file: str, name: str, is_class: bool, by_ref: bool = False):
        """A proxy for the book's ``name`` of ``file``, computed by the judge (worker/parts.py)."""
        return self.make_ref(JudgePart(self.link, str(file), str(name), bool(is_class), bool(by_ref)))

    def op_patch(self, target, names: dict):
        """Set attributes of ``target`` (a module or object) for a while; returns a token for
        op_unpatch, which puts the old values back."""
        obj, saved = self.resolve(target), []
        for name, value in names.items():
            saved.append((name, getattr(obj, name, _MISSING)))
            setattr(obj, name, self.resolve(value))
        self.patches[self.next_id] = [obj, saved]
        self.next_id += 1
        return self.next_id - 1

    def op_unpatch(self, token: int):
        obj, saved = self.patches.pop(token)
        for name, value in reversed(saved):
            if value is _MISSING:
                try:
                    delattr(obj, name)
                except AttributeError:
                    pass
            else:
                setattr(obj, name, value)

    def op_batch(self, requests: list):
        """Several requests in one frame (e.g. set an element, call f, restore): a list of
        {"ok": value} / {"error": ...}, stopping at the first error."""
        out = []
        for request in requests:
            op = getattr(self, "op_" + str(request.pop("op")))
            try:
                out.append({"ok": op(**request)})
            except Exception as e:
                out.append({"error": self.describe(e)})
                break
        return out

    def op_release(self, refs):
        for r in refs:
            self.objects.pop(r.id, None)

    # ---- dispatch ------------------------------------------------------------------------
    def handle(self, request) -> bytes:
        try:
            op = getattr(self, "op_" + str(request.pop("op")))
            reply = {"ok": op(**request)}
            try:
                return protocol.pack(reply, self.make_ref)
            except (TypeError, ValueError) as e:  # the value could not be sent as data
                return protocol.pack({"error": self.describe(e)})
        except BaseException as e:  # the student's exception (SystemExit too), reported as data
            if isinstance(e, KeyboardInterrupt):
                raise
            return protocol.pack({"error": self.describe(e)})

    def describe(self, e: BaseException) -> dict:
        """The exception as data: type, message, and the innermost frame in the submission."""
        where = ""
        frames = traceback.extract_tb(e.__traceback__)
        if isinstance(e, SyntaxError) and e.filename:
            frames.append(traceback.FrameSummary(e.filename, e.lineno or 0, "<module>"))
        for fr in frames:
            path = os.path.realpath(fr.filename)
            if path.startswith(self.root + os.sep):
                where = f"{os.path.relpath(path, self.root)}:{fr.lineno}, in {fr.name}"
        try:
            message = str(e)
        except Exception:
            message = "<unprintable exception>"
        kind = "ModuleMissing" if isinstance(e, ModuleMissing) else type(e).__name__
        return {"type": str(kind)[:100], "message": message[:2000], "where": where,
                "traceback": "".join(traceback.format_exception(e))[-4000:]}


def _reader(fd: int):
    def read_exact(n: int) -> bytes:
        chunks = []
        while n:
            chunk = os.read(fd, min(n, 1 << 20))
            if not chunk:
                raise EOFError
            chunks.append(chunk)
            n -= len(chunk)
        return b"".join(chunks)

    return read_exact


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def main(argv: list[str]) -> None:
    req_fd, rep_fd = int(argv[1]), int(argv[2])
    sys.stdin = open(os.devnull)
    root = os.getcwd()
    put_root_on_path(root)
    read_exact = _reader(req_fd)
    read_frame = lambda: protocol.read_frame(read_exact)  # noqa: E731
    worker = Server(root, read_frame, lambda data: _write_all(rep_fd, data))
    while True:
        try:
            request = protocol.unpack(read_frame())
        except EOFError:
            return
        _write_all(rep_fd, worker.handle(request))


if __name__ == "__main__":
    main(sys.argv)
