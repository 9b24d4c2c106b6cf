"""The judge's end of judge parts: answer a worker's call of a lent book part.

A part is answered only while a suite has it on loan (``student.lending(...)``), and only for
files and names of the book's layout; the computation runs on the reference worker (the
book's code is never in the student's process). ``numerical_gradient`` is computed here, by
perturbing the student's array in place through the worker (grader/judge/numeric.py).
"""
from __future__ import annotations

from collections import Counter

from grader.worker.client import PartRefused, Remote, Worker

PART_FILES = ("common/functions.py", "common/gradient.py", "common/layers.py", "common/util.py")


class PartLender:
    def __init__(self, reference: Worker):
        self.reference = reference
        self.on_loan: Counter = Counter()

    def open(self, keys) -> None:
        self.on_loan.update(keys)

    def close(self, keys) -> None:
        self.on_loan.subtract(keys)
        self.on_loan += Counter()  # drop zero counts

    def __call__(self, student: Worker, payload):
        if type(payload) is not dict or not isinstance(payload.get("part"), list) \
                or len(payload["part"]) != 2:
            raise PartRefused("malformed part call")
        file, name = (str(v) for v in payload["part"])
        if file not in PART_FILES or not self.on_loan.get((file, name)):
            raise PartRefused(f"the book's {name} is not lent now")
        state, method = payload.get("state"), payload.get("method")
        args, kwargs = payload.get("args", []), payload.get("kwargs", {})
        if not isinstance(args, list) or not isinstance(kwargs, dict) \
                or not (state is None or isinstance(state, dict)) \
                or not (method is None or isinstance(method, str)):
            raise PartRefused("malformed part call")
        if method and method.startswith("_") and method != "__init__":
            raise PartRefused(f"{name}.{method} is not one of the book's methods")
        if name == "numerical_gradient":
            from grader.judge import numeric

            if len(args) != 2 or not all(isinstance(a, Remote) for a in args):
                raise PartRefused("numerical_gradient(f, x) takes a function and an array")
            return {"result": numeric.numerical_gradient(student, *args), "state": None,
                    "rng": payload.get("rng")}
        if any(isinstance(v, Remote) for v in list(args) + list(kwargs.values())):
            raise PartRefused(f"the book's {name} takes arrays and numbers only")
        return self.reference.recipe("part_call", file, name, state, method, args, kwargs,
                                     payload.get("rng"))
