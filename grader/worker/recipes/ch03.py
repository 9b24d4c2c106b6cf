"""Chapter 3 recipes: call a student's function and keep what it did to its arguments.

They run in the worker, next to the student's code; their results are the student's answers.
The truth always comes from the reference worker or from exact oracles in the judge. Nothing
here is the book's code: the book's sigmoid / softmax reach the student's predict only as judge
parts (``student.lending("common/functions.py", "sigmoid", "softmax", into=module)``).
"""
from __future__ import annotations


def call_keeping_args(fn, *args):
    """{"out": fn(*args), "args": the argument arrays after the call} (to see in-place changes)."""
    out = fn(*args)
    return {"out": out, "args": list(args)}
