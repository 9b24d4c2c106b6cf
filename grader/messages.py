"""Every text a learner sees, keyed by a stable message id, with the numbers as placeholders.

    raise Failed(msg("check.shape", what="Affine.backward: dx", expected=(3, 5), got=(5, 3)))

The English templates below are the source; the catalogues of grader/locale/ (grader.i18n) key
on the same ids and keep the same placeholders, so a suite never formats a sentence itself. A
parameter may itself be a Message (``expected=msg("kind.number")``): it is rendered in the same
language. ``Message.params`` are kept
in the JSON report next to the rendered text.
"""
from __future__ import annotations

import string
from functools import lru_cache
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


def register(templates: dict[str, str], source: str, prefix: str = "") -> None:
    """Add ``templates`` (from the module ``source``) to TEMPLATES; an id must start with
    ``prefix`` and may not be taken by a different text."""
    for key, text in templates.items():
        if not key.startswith(prefix) or TEMPLATES.get(key, text) != text:
            raise ValueError(f"message id {key!r} of {source} is not new")
        TEMPLATES[key] = text


def _load() -> None:
    """Hint templates live per chapter in grader/hints/chNN.py as HINTS = {"hint.…": "…"}; the
    kit's screens in grader/texts.py; each exercise's title and stub hint (grader/exercises.py)
    become ``exercise.<id>.title`` / ``exercise.<id>.hint``."""
    import importlib
    import pkgutil

    import grader.hints as pkg
    from grader import exercises, texts

    for info in pkgutil.iter_modules(pkg.__path__):
        hints = importlib.import_module(f"grader.hints.{info.name}").HINTS
        register(hints, f"grader/hints/{info.name}.py", "hint.")
    register(texts.TEMPLATES, "grader/texts.py")
    literal = {ord("{"): "{{", ord("}"): "}}"}  # exercise texts have no placeholders
    for e in exercises.EXERCISES:
        register({f"exercise.{e.id}.title": e.title.translate(literal),
                  f"exercise.{e.id}.hint": e.hint.translate(literal)}, "grader/exercises.py")


_load()


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

    def json_params(self) -> dict:
        """The parameters for a JSON report, the same in every language: values as text, a
        Message parameter as {"id": …, "params": {…}}."""
        return {k: {"id": v.id, "params": v.json_params()} if isinstance(v, Message) else str(v)
                for k, v in self.params.items()}

    def __str__(self) -> str:
        return self.text


def msg(message_id: str, **params) -> Message:
    if message_id not in TEMPLATES:
        raise KeyError(f"unknown message id {message_id!r}")
    return Message(message_id, params)


def render(message_id: str, params: dict, lang: str | None = None) -> str:
    """The message in ``lang`` (default: the current language), English where a catalogue
    lacks it; parameters are formatted the same in every language, a Message parameter is
    rendered in the same language. A placeholder without a parameter stays as written
    (``{name}``): rendering never raises."""
    from grader import i18n

    english = TEMPLATES.get(message_id)
    if english is None:
        return message_id
    lang = lang or i18n.current_language()
    values = {k: v.in_language(lang) if isinstance(v, Message) else _fmt(v) for k, v in params.items()}
    for template in (i18n.template(message_id, lang), english):
        if template and (template is english or _same_placeholders(template, english)):
            try:
                return _FORMATTER.vformat(template, (), values)
            except (IndexError, ValueError, AttributeError, TypeError):
                continue
    return f"{english} {params}"


@lru_cache(maxsize=4096)
def _same_placeholders(translation: str, english: str) -> bool:
    """A translation is used only with the English placeholders (else English is shown)."""
    from grader.i18n import placeholders

    try:
        return placeholders(translation) == placeholders(english)
    except ValueError:
        return False


class _Lenient(string.Formatter):
    """str.format that leaves ``{name}`` as written when there is no parameter ``name``
    (hints cite code such as ``W{L+1}`` or ``'gamma{i}'``)."""

    def get_field(self, field_name, args, kwargs):
        try:
            return super().get_field(field_name, args, kwargs)
        except (KeyError, IndexError, AttributeError):
            return _Verbatim(field_name), field_name


class _Verbatim(str):
    def __new__(cls, name: str):
        return super().__new__(cls, "{" + name + "}")

    def __format__(self, spec: str) -> str:
        return str(self)


_FORMATTER = _Lenient()


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:.3g}"
    return str(value)


def exercise_title(exercise_id: str, lang: str | None = None) -> str:
    """The exercise's title (grader/exercises.py) in ``lang`` (default: the current language)."""
    return render(f"exercise.{exercise_id}.title", {}, lang)


def exercise_hint(exercise_id: str, lang: str | None = None) -> str:
    """The exercise's one-line hint (the stub's NotImplementedError text) in ``lang``."""
    return render(f"exercise.{exercise_id}.hint", {}, lang)


class Failed(AssertionError):
    """A check failed; carries its Message and, when the wrong value matches a known mistake,
    a hint Message (an AssertionError, so pytest reports a failure)."""

    def __init__(self, message: Message, hint: Message | None = None):
        super().__init__(message.text + ("\n" + msg("label.hint", hint=hint).text if hint else ""))
        self.message, self.hint = message, hint
