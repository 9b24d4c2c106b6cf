"""``dlfs compare EXERCISE [DIR]``: one exercise run on the learner's code and on the reference,
on the same inputs, shown side by side (first rows, max abs difference, relative error).

The learner's code runs in a Worker on a copy of their folder, the reference in a trusted
Worker on solutions/; only data comes back (see grader/study/drivers.py).
"""
from __future__ import annotations

import difflib
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from grader import exercises
from grader.judge.compare import rel_error
from grader.i18n import clip, ljust
from grader.judge.session import reference_dir
from grader.messages import TEMPLATES, exercise_title
from grader.study.probes import BY_ID, Probe
from grader.study.texts import text
from grader.study.workspace import StudyError
from grader.worker import protocol
from grader.worker.client import Remote, StudentError, Worker, WorkerError
from grader.worker.sandbox import Limits, trusted_launcher

SAME = 1e-7  # relative error below which two outputs count as the same (float64 round-off)


@dataclass
class Side:
    """What one implementation produced: outputs by name, and the error that stopped it."""

    outputs: dict = field(default_factory=dict)
    error: str = ""


@dataclass
class Comparison:
    exercise: str
    kind: str
    inputs: dict
    learner: Side
    reference: Side

    def names(self) -> list[str]:
        seen = list(self.reference.outputs)
        return seen + [n for n in self.learner.outputs if n not in seen]

    def differences(self) -> dict[str, float]:
        """Relative error per output present on both sides with the same shape (inf otherwise)."""
        out = {}
        for name in self.names():
            a, b = self.learner.outputs.get(name), self.reference.outputs.get(name)
            out[name] = _error(a, b)
        return out

    @property
    def same(self) -> bool:
        return not self.learner.error and all(e <= SAME for e in self.differences().values())


def probe(exercise_id: str) -> Probe:
    """The probe of ``exercise_id``; StudyError with close matches for an unknown id."""
    if exercise_id in BY_ID:
        return BY_ID[exercise_id]
    close = difflib.get_close_matches(exercise_id, list(BY_ID), n=3, cutoff=0.5)
    close += [i for i in BY_ID if exercise_id.lower() in i.lower() and i not in close][:3]
    suggestion = f" (did you mean {', '.join(close[:4])}?)" if close else ""
    raise StudyError(text("study.unknown_exercise", exercise=exercise_id, suggestion=suggestion))


def _flatten(name: str, value, out: dict) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _flatten(f"{name}[{k!r}]", v, out)
    elif isinstance(value, (tuple, list)) and value and all(
            isinstance(v, (np.ndarray, np.generic, float, int)) for v in value):
        for i, v in enumerate(value):
            _flatten(f"{name}[{i}]", v, out)
    else:
        out[name] = value


def describe_error(e: Exception) -> str:
    """One line for an error of the learner's (or the reference's) side."""
    if isinstance(e, StudentError):
        where = f" ({e.where})" if e.where else ""
        return text("study.compare_raised", type=e.type, message=e.message.splitlines()[0][:300], where=where)
    return f"{type(e).__name__}: {e}"


def run_side(worker: Worker, p: Probe, inputs: dict) -> Side:
    raw: dict = {}
    side = Side()
    try:
        p.run(worker, inputs, raw)
    except (WorkerError, protocol.ProtocolError) as e:
        side.error = describe_error(e)
    for name, value in raw.items():
        _flatten(name, value, side.outputs)
    return side


def reference_worker() -> Worker:
    """A trusted Worker on the reference solutions (no copy, no limits)."""
    return Worker(reference_dir(), launcher=trusted_launcher(),
                  limits=Limits(call_timeout=300.0, cpu_seconds=10**6))


def run_probe(p: Probe, learner: Worker, reference: Worker) -> Comparison:
    inputs = p.make_inputs()
    return Comparison(p.exercise, p.kind, inputs, run_side(learner, p, inputs),
                      run_side(reference, p, inputs))


def compare(exercise_id: str, workspace: Path, limits: Limits | None = None) -> Comparison:
    """Run ``exercise_id`` on the learner's folder and on the reference; both Workers are
    closed afterwards."""
    p = probe(exercise_id)
    with Worker(Path(workspace), limits=limits or Limits(call_timeout=60.0)) as learner, \
            reference_worker() as reference:
        return run_probe(p, learner, reference)


# ---- formatting ---------------------------------------------------------------------------
def _as_array(v):
    if isinstance(v, (np.ndarray, np.generic, int, float)) and not isinstance(v, bool):
        a = np.asarray(v)
        return a if a.dtype.kind in "biuf" else None
    return None


def _error(a, b) -> float:
    x, y = _as_array(a), _as_array(b)
    if x is None or y is None:
        return 0.0 if (a is not None and b is not None and repr(a) == repr(b)) else float("inf")
    if x.shape != y.shape:
        return float("inf")
    if np.array_equal(x, y, equal_nan=True):
        return 0.0
    with np.errstate(all="ignore"):
        err = rel_error(x, y)
    return err if np.isfinite(err) else float("inf")


def _cell(v: float) -> str:
    return f"{v: .4g}"


def block(value, rows: int = 3, cols: int = 5) -> list[str]:
    """A few text lines showing ``value``: shape and dtype, then its first rows."""
    if value is None:
        return [text("study.compare_missing")]
    a = _as_array(value)
    if a is None:
        if isinstance(value, Remote):
            return [text("compare.object", type=value.type_name)]
        return textwrap.wrap(repr(value), 54)[: rows + 1]
    if a.ndim == 0:
        return [f"{a.item()!r} ({a.dtype})"]
    head = text("compare.shape", shape=a.shape, dtype=a.dtype) if a.ndim <= 2 else text(
        "compare.shown_as", shape=a.shape, dtype=a.dtype, rows=int(np.prod(a.shape[:-1])), cols=a.shape[-1])
    m = a.reshape(-1, a.shape[-1]) if a.ndim > 1 else a.reshape(1, -1)
    lines = [head]
    for r in m[:rows]:
        cells = " ".join(f"{_cell(v):>10}" for v in r[:cols].astype(np.float64))
        lines.append(cells + (" …" if r.size > cols else ""))
    if m.shape[0] > rows:
        lines.append(text("compare.more_rows", n=m.shape[0] - rows))
    return lines


def _verdict(a, b) -> str:
    x, y = _as_array(a), _as_array(b)
    if a is None or b is None:
        return "✗ " + text("study.compare_one_side")
    if x is None or y is None:
        return text("compare.same") if _error(a, b) == 0.0 else text("compare.different")
    if x.shape != y.shape:
        return "✗ " + text("study.compare_shapes", mine=x.shape, theirs=y.shape)
    with np.errstate(all="ignore"):
        diff = np.abs(x.astype(np.float64) - y.astype(np.float64))
    mad = float(np.nanmax(diff)) if diff.size and not np.all(np.isnan(diff)) else float("nan")
    err = _error(a, b)
    mark = text("compare.same") if err <= SAME else text("compare.different")
    nan = "  " + text("compare.yours_not_finite") if x.dtype.kind == "f" and not np.all(np.isfinite(x)) else ""
    return text("compare.difference", max_abs=f"{mad:.3g}", error=f"{err:.3g}", verdict=mark) + nan


def _inputs_line(inputs: dict) -> str:
    parts = []
    for k, v in inputs.items():
        a = _as_array(v)
        if a is not None and a.ndim:
            parts.append(f"{k} {a.shape}")
        elif isinstance(v, dict):
            parts.append(f"{k} {{{', '.join(map(str, v))}}}")
        elif isinstance(v, list):
            parts.append(f"{k} [{len(v)}]")
        else:
            parts.append(f"{k}={getattr(v, 'name', v)!r}")
    return ", ".join(parts)


def render(c: Comparison, rows: int = 3, width: int = 56) -> str:
    """Both sides in two columns per output, with the difference under each."""
    ex = exercises.get(c.exercise)
    kind = f"compare.kind_{c.kind.replace(' ', '_')}"
    lines = [text("compare.title", exercise=c.exercise, title=exercise_title(ex.id), file=ex.file,
                  section=ex.section, kind=text(kind) if kind in TEMPLATES else c.kind),
             text("compare.inputs", inputs=_inputs_line(c.inputs)), ""]
    for name in c.names():
        a, b = c.learner.outputs.get(name), c.reference.outputs.get(name)
        left, right = block(a, rows), block(b, rows)
        lines.append(f"{name}")
        lines.append(f"  {ljust(text('compare.yours'), width)}  {text('compare.reference')}")
        for i in range(max(len(left), len(right))):
            l = left[i] if i < len(left) else ""
            r = right[i] if i < len(right) else ""
            lines.append(f"  {ljust(clip(l, width), width)}  {clip(r, width)}".rstrip())
        lines.append("  " + _verdict(a, b))
        lines.append("")
    if c.learner.error:
        lines.append(text("study.compare_yours_failed", error=c.learner.error))
    if c.reference.error:
        lines.append(text("study.compare_reference_failed", error=c.reference.error))
    if not c.learner.error and not c.reference.error:
        lines.append(text("study.compare_all_same" if c.same else "study.compare_some_differ"))
    return "\n".join(lines)
