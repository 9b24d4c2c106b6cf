"""Checks the hidden suites use on values that came back from the worker.

Each check validates the kind of value first (an array, not an object in the worker), then the
shape, then finiteness, then the numbers, so the first message is the most useful one. All
failures raise ``Failed`` with a Message (stable id + placeholders).
"""
from __future__ import annotations

import contextlib

import numpy as np

from grader.messages import Failed, msg
from grader.worker.client import ImportFailed, Remote, StudentError

TINY = 1e-300


def rel_error(a, b) -> float:
    """Norm-based relative error ‖a − b‖ / max(‖a‖, ‖b‖) (0 when both are zero)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    denom = max(np.linalg.norm(a), np.linalg.norm(b), TINY)
    return float(np.linalg.norm(a - b) / denom)


def preview(x, n: int = 4) -> str:
    """A short text of an array: shape and first values."""
    if isinstance(x, Remote):
        return f"a {x.type_name} object"
    a = np.asarray(x)
    if a.ndim == 0:
        return np.array2string(a, precision=6)
    flat = ", ".join(np.array2string(v, precision=6) for v in a.ravel()[:n])
    more = ", …" if a.size > n else ""
    return f"[{flat}{more}] (shape {a.shape})"


def number(value, what: str) -> float:
    """A real scalar (Python or numpy number, or a 1-element array)."""
    if isinstance(value, (bool, np.bool_)) or isinstance(value, Remote) or value is None \
            or isinstance(value, (str, list, tuple, dict)):
        raise Failed(msg("check.type", what=what, expected=msg("kind.number"), got=_kind(value)))
    a = np.asarray(value)
    if a.dtype.kind not in "iuf" or a.size != 1:
        raise Failed(msg("check.type", what=what, expected=msg("kind.number"), got=_kind(value)))
    return float(a.reshape(()))


def array(value, what: str, shape: tuple | None = None, finite: bool = True) -> np.ndarray:
    """``value`` as a numeric ndarray, with its shape (if given) and finiteness checked."""
    if not isinstance(value, (np.ndarray, np.generic, int, float)) or isinstance(value, bool):
        raise Failed(msg("check.type", what=what, expected=msg("kind.array"), got=_kind(value)))
    a = np.asarray(value)
    if a.dtype.kind not in "biuf":
        raise Failed(msg("check.type", what=what, expected=msg("kind.real_array"),
                         got=msg("kind.array_dtype", dtype=str(a.dtype))))
    if shape is not None and a.shape != tuple(shape):
        raise Failed(msg("check.shape", what=what, expected=tuple(shape), got=a.shape))
    if finite and a.dtype.kind == "f" and not np.all(np.isfinite(a)):
        bad = int(np.size(a) - np.count_nonzero(np.isfinite(a)))
        raise Failed(msg("check.not_finite", what=what, bad=msg("kind.non_finite", n=bad)))
    return a


def close(got, expected, what: str, tol: float = 1e-7, hints: dict | None = None) -> np.ndarray:
    """``got`` matches ``expected`` in shape and to a norm relative error ≤ ``tol``.

    ``hints`` maps a hint id to the value a known mistake would give (computed by the suite,
    e.g. softmax over the whole batch); a wrong ``got`` close to one of them carries that hint.
    """
    expected = np.asarray(expected)
    try:
        a = array(got, what, expected.shape)
    except Failed as f:
        raise Failed(f.message, diagnose(got, hints, tol)) from None
    err = rel_error(a, expected)
    if not err <= tol:
        raise Failed(msg("check.value", what=what, error=err, tol=tol,
                         expected=preview(expected), got=preview(a)), diagnose(a, hints, tol))
    return a


def diagnose(got, hints: dict | None, tol: float = 1e-7, **params):
    """The hint Message whose mistaken value ``got`` matches (same shape, within ``tol``), or None."""
    for hint_id, wrong in (hints or {}).items():
        try:
            g, w = np.asarray(got, dtype=np.float64), np.asarray(wrong, dtype=np.float64)
        except (TypeError, ValueError):
            continue
        if g.shape == w.shape and (np.array_equal(g, w, equal_nan=True) or rel_error(g, w) <= max(tol, 1e-9)):
            return msg(hint_id, **params)
    return None


def close_number(got, expected: float, what: str, tol: float = 1e-7) -> float:
    value = number(got, what)
    err = abs(value - expected) / max(abs(expected), abs(value), TINY)
    if not (np.isfinite(value) and err <= tol):
        raise Failed(msg("check.value", what=what, error=err, tol=tol,
                         expected=repr(expected), got=repr(value)))
    return value


def equal(got, expected, what: str) -> None:
    """Exact equality of values (arrays element-wise, same shape)."""
    exp = np.asarray(expected)
    a = array(got, what, exp.shape, finite=False)
    if not np.array_equal(a, exp):
        raise Failed(msg("check.exact", what=what, expected=preview(exp), got=preview(a)))


def gradient(analytic, numerical, what: str, param: str, tol: float = 1e-4) -> None:
    """Analytic vs numerical gradient, norm relative error ≤ ``tol`` (testing.md: correct code
    ≤ 2e-6, real bugs ≥ 4.5e-2)."""
    num = np.asarray(numerical)
    a = array(analytic, f"{what}: {param}", num.shape)
    err = rel_error(a, num)
    if not err <= tol:
        raise Failed(msg("check.gradient", what=what, param=param, error=err, tol=tol))


def holds(condition: bool, what: str, problem: str, hint: str | None = None, **hint_params) -> None:
    """A property check: ``problem`` says in book terms what is wrong when it does not hold;
    ``hint`` (a hint id) is attached when the failure itself identifies a known mistake."""
    if not condition:
        raise Failed(msg("check.property", what=what, problem=problem),
                     msg(hint, **hint_params) if hint else None)


def accuracy(got, threshold: float, reference: float, what: str) -> float:
    """A training result: ``got`` (an accuracy the judge computed) ≥ ``threshold``."""
    value = number(got, what)
    if not value >= threshold:
        raise Failed(msg("check.accuracy", what=what, got=f"{value:.4f}",
                         threshold=f"{threshold:.4f}", reference=f"{reference:.4f}"))
    return value


@contextlib.contextmanager
def hint_on_error(call: str, hint: str, types=("ValueError",), contains=(), **hint_params):
    """Inside the block, the student's exception of one of ``types`` whose message contains all
    of ``contains`` becomes a failure carrying the hint ``hint`` (a known mistake recognised
    from what the judge sees, e.g. TypeError: 'builtin_function_or_method' object is not
    iterable for ``self.layers.values`` without the call)."""
    try:
        yield
    except ImportFailed:
        raise
    except StudentError as e:
        if e.type in types and all(c in e.message for c in contains):
            where = f" ({e.where})" if e.where else ""
            raise Failed(msg("worker.raised", call=call, type=e.type, message=e.message, where=where),
                         msg(hint, **hint_params)) from None
        raise


def _kind(value):
    """What came back, as a message (translated with the sentence it is part of)."""
    if isinstance(value, Remote):
        return msg("kind.object", type=value.type_name)
    if value is None:
        return msg("kind.none")
    if isinstance(value, np.ndarray):
        return msg("kind.array_shape", shape=value.shape)
    return msg("kind.value", type=type(value).__name__, value=str(value)[:40])
