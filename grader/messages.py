"""Every text a learner sees, keyed by a stable message id, with the numbers as placeholders.

    raise Failed(msg("check.shape", what="Affine.backward: dx", expected=(3, 5), got=(5, 3)))

The English templates below are the source; translations (later) key on the same ids and keep
the same placeholders, so a suite never formats a sentence itself. ``Message.params`` are kept
in the JSON report next to the rendered text.
"""
from __future__ import annotations

from dataclasses import dataclass, field

TEMPLATES: dict[str, str] = {
    # outcomes of the student's code at the worker boundary
    "worker.not_implemented": "{exercise} is not implemented yet: {hint}",
    "worker.raised": "{call} raised {type}: {message}{where}",
    "worker.missing_module": "{path} not found: put your {path} in the submission folder",
    "worker.import_failed": "{path} could not be imported: {type}: {message}{where}",
    "worker.timeout": "{call} did not finish within {seconds} s (an endless loop?)",
    "worker.crashed": "{call} stopped the Python process: {reason}",
    "worker.garbage": "{call} sent back something that is not plain data: {reason}",
    "worker.stale": "{call} used an object from before the worker restarted",
    "worker.budget": "not run: the time budget for grading this submission was used up",
    "worker.missing_name": "{path} has no {name} (the book's name is {name}; check the spelling)",
    # checks of returned values
    "check.type": "{what}: expected {expected}, got {got}",
    "check.shape": "{what}: expected shape {expected}, got {got}",
    "check.not_finite": "{what}: contains {bad} (nan or inf) where the book's code gives finite numbers",
    "check.value": "{what}: differs from the book's result (relative error {error}, allowed {tol}); "
                   "expected {expected}, got {got}",
    "check.exact": "{what}: expected {expected}, got {got}",
    "check.gradient": "{what}: gradient of {param} does not match the numerical gradient "
                      "(relative error {error}, allowed {tol})",
    "check.property": "{what}: {problem}",
    "check.accuracy": "{what}: test accuracy {got} after training is below {threshold} "
                      "(the reference reaches {reference})",
    # the judge's own view of a test
    "judge.blocked": "not checked end to end: it uses {uses}, which fails; "
                     "your own part of {exercise} passed its checks",
    "judge.blocked_failed": "{exercise}: not checked end to end: it uses {uses}, which fails — "
                            "fix that first",
    "judge.internal": "internal error of the judge in {test}: {type}: {message} (please report it)",
    "judge.passed": "passed",
}


def _load_hints() -> None:
    """Hint templates live per chapter in grader/hints/chNN.py as HINTS = {"hint.…": "…"}."""
    import importlib
    import pkgutil

    import grader.hints as pkg

    for info in pkgutil.iter_modules(pkg.__path__):
        hints = importlib.import_module(f"grader.hints.{info.name}").HINTS
        for key, text in hints.items():
            if not key.startswith("hint.") or key in TEMPLATES:
                raise ValueError(f"hint id {key!r} in grader/hints/{info.name}.py is not new")
            TEMPLATES[key] = text


_load_hints()


@dataclass(frozen=True)
class Message:
    id: str
    params: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        """In the learner's language (grader.i18n.current_language())."""
        return render(self.id, self.params)

    def in_language(self, lang: str) -> str:
        return render(self.id, self.params, lang)

    def __str__(self) -> str:
        return self.text


def msg(message_id: str, **params) -> Message:
    if message_id not in TEMPLATES:
        raise KeyError(f"unknown message id {message_id!r}")
    return Message(message_id, params)


def render(message_id: str, params: dict, lang: str | None = None) -> str:
    """The message in ``lang`` (default: the current language), English where a catalogue
    lacks it; parameters are formatted the same in every language."""
    from grader import i18n

    english = TEMPLATES.get(message_id)
    if english is None:
        return message_id
    values = {k: _fmt(v) for k, v in params.items()}
    for template in (i18n.template(message_id, lang), english):
        if template:
            try:
                return template.format(**values)
            except (KeyError, IndexError, ValueError):
                continue
    return f"{english} {params}"


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:.3g}"
    return str(value)


class Failed(AssertionError):
    """A check failed; carries its Message and, when the wrong value matches a known mistake,
    a hint Message (an AssertionError, so pytest reports a failure)."""

    def __init__(self, message: Message, hint: Message | None = None):
        super().__init__(message.text + (f"\nhint: {hint.text}" if hint else ""))
        self.message, self.hint = message, hint
