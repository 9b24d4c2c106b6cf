"""Judge parts: the book's functions and layers inside the worker, computed by the judge.

To test one exercise on its own, the judge puts the book's version of the parts it uses in the
student's module (``sigmoid`` for ``predict``, ``Affine`` for ``TwoLayerNet.gradient``). No
book code is ever in this process: a ``JudgePart`` is a proxy whose calls go back to the judge
(a *callback* frame on the reply channel), which runs them on the reference solutions and
replies. So the student's code cannot import or copy the book's code, and the judge answers
callbacks only while it has a part lent out (see grader/judge/parts.py).

A layer part keeps its state here, as plain attributes (``layer.W`` is the student's own
params array, ``layer.dW`` is set by ``backward``), and sends it with every method call; the
reference computes on a copy and sends back the new state and the new state of numpy's global
RNG (Dropout draws from it), so everything behaves as if the book's layer ran here.
"""
from __future__ import annotations

import numpy as np

from grader.worker import protocol


class JudgeRefused(RuntimeError):
    """The judge did not answer a part call (it lent no such part at this moment)."""


# a lent part that raised on the reference raises the same built-in type here
_PASS_THROUGH = {e.__name__: e for e in (ValueError, TypeError, IndexError, KeyError,
                                          AttributeError, ZeroDivisionError, ArithmeticError,
                                          FloatingPointError, OverflowError, MemoryError)}


class JudgeLink:
    """The worker's end of callbacks: write a callback frame, serve nested requests, return."""

    def __init__(self, server, read_frame, write):
        self.server, self.read_frame, self.write = server, read_frame, write

    def call(self, payload: dict):
        self.write(protocol.pack({"callback": payload}, self.server.make_ref))
        while True:
            msg = protocol.unpack(self.read_frame())
            if type(msg) is dict and "callback_reply" in msg:
                reply = msg["callback_reply"]
                if "ok" in reply:
                    return self.server.resolve(reply["ok"])
                err = reply.get("error")
                if isinstance(err, dict):
                    raise _PASS_THROUGH.get(str(err.get("type")), JudgeRefused)(str(err.get("message")))
                raise JudgeRefused(str(err))
            self.write(self.server.handle(msg))  # the judge asks something meanwhile


def _same_array(a, b) -> bool:
    return (isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.shape == b.shape
            and a.dtype == b.dtype and np.array_equal(a, b, equal_nan=True))


class JudgePart:
    """A book function or class of ``file`` (e.g. common/layers.py: Affine) lent by the judge.

    ``by_ref``: ndarray arguments are sent as handles (numerical_gradient must perturb the
    caller's array in place)."""

    def __init__(self, link: JudgeLink, file: str, name: str, is_class: bool, by_ref: bool = False):
        self.link, self.file, self.name = link, file, name
        self.is_class, self.by_ref = is_class, by_ref
        self.__name__ = self.__qualname__ = name

    def ask(self, state, method, args, kwargs):
        if self.by_ref:
            args = [self.link.server.make_ref(a) if isinstance(a, np.ndarray) else a for a in args]
        reply = self.link.call({"part": [self.file, self.name], "state": state, "method": method,
                                "args": list(args), "kwargs": kwargs, "rng": np.random.get_state()})
        np.random.set_state(tuple(reply["rng"]))
        return reply

    def __call__(self, *args, **kwargs):
        if not self.is_class:
            return self.ask(None, None, args, kwargs)["result"]
        reply = self.ask(None, "__init__", args, kwargs)
        obj = JudgePartObject.__new__(JudgePartObject)
        object.__setattr__(obj, "_dlfs_part", self)
        arrays = [a for a in list(args) + list(kwargs.values()) if isinstance(a, np.ndarray)]
        for key, value in reply["state"].items():  # the caller's arrays stay shared (params)
            same = next((a for a in arrays if _same_array(a, value)), None)
            obj.__dict__[key] = same if same is not None else value
        return obj

    def __repr__(self) -> str:
        return f"<book {self.name}, lent by the judge>"


class JudgePartObject:
    """An instance of a lent book class: attributes here, methods computed by the judge."""

    def __getattr__(self, attr):
        if attr.startswith("__"):
            raise AttributeError(attr)
        part = object.__getattribute__(self, "_dlfs_part")

        def method(*args, **kwargs):
            state = {k: v for k, v in self.__dict__.items() if k != "_dlfs_part"}
            reply = part.ask(state, attr, args, kwargs)
            for key, value in reply["state"].items():
                if not _same_array(self.__dict__.get(key), value):
                    self.__dict__[key] = value
            return reply["result"]

        method.__name__ = attr
        return method

    def __repr__(self) -> str:
        return f"<book {object.__getattribute__(self, '_dlfs_part').name} object, lent by the judge>"
