"""``dlfs i18n extract | compile | check``: keeping the message catalogues in step with the code.

* ``source_templates()``: every English template — grader.messages.TEMPLATES after importing
  each module of the package that defines a top-level ``TEMPLATES`` dict (grader/study/texts.py,
  grader/course/messages.py …; they register their ids on import).
* ``used_ids()``: the message ids the code uses: first arguments of ``msg(…)``, ``text(…)``
  and ``plot_text(…)`` found by Babel's Python extractor, plus every string literal
  ``"hint.…"`` (the suites name hints in ``hints={…}`` and ``hint=…``).
* ``problems()``: what ``check`` reports and tests/test_i18n.py asserts empty — an id used but
  not defined, an id missing from a catalogue (or left fuzzy), a stale id, placeholders that
  differ from the English, a translation made from older English, en/pot out of date.

Maintainer commands: their own output is English.
"""
from __future__ import annotations

import argparse
import ast
import contextlib
import importlib
import io
import re
import sys
from pathlib import Path
from typing import NamedTuple

from grader import i18n

PACKAGE = Path(__file__).parent
KEYWORDS = {"msg": None, "text": None, "plot_text": None}
ID = re.compile(r"^[a-z][a-z0-9_]*\.[A-Za-z0-9_.]+$")
HINT = re.compile(r"^hint\.[A-Za-z0-9_]+$")
SKIP_DIRS = {"__pycache__", "_scaffold", "_reference", "locale"}


def _sources(root: Path = PACKAGE) -> list[Path]:
    return sorted(p for p in root.rglob("*.py") if not SKIP_DIRS.intersection(p.relative_to(root).parts))


def text_modules(root: Path = PACKAGE) -> list[str]:
    """Dotted names of the package's modules that define a top-level ``TEMPLATES`` dict."""
    names = []
    for path in _sources(root):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in tree.body:
            target = node.target if isinstance(node, ast.AnnAssign) else (
                node.targets[0] if isinstance(node, ast.Assign) and len(node.targets) == 1 else None)
            if isinstance(target, ast.Name) and target.id == "TEMPLATES":
                rel = path.relative_to(root.parent).with_suffix("")
                names.append(".".join(rel.parts))
                break
    return names


def source_templates() -> dict[str, str]:
    """id → English template of every message of the kit."""
    from grader import messages

    for name in text_modules():
        importlib.import_module(name)
    return dict(messages.TEMPLATES)


def used_ids(root: Path = PACKAGE) -> dict[str, list[str]]:
    """message id → ["path:line", …] for every id the code names literally."""
    from babel.messages.extract import extract

    found: dict[str, list[str]] = {}
    for path in _sources(root):
        where = path.relative_to(root.parent).as_posix()
        raw = path.read_bytes()
        with contextlib.redirect_stderr(io.StringIO()):  # Babel warns about f-strings
            calls = list(extract("python", io.BytesIO(raw), keywords=KEYWORDS, comment_tags=(), options={}))
        choices = {}  # msg("a" if c else "b"): Babel joins the two strings; take each
        for node in ast.walk(ast.parse(raw, str(path))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and HINT.match(node.value):
                found.setdefault(node.value, []).append(f"{where}:{node.lineno}")
            elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.IfExp) \
                    and getattr(node.func, "id", getattr(node.func, "attr", None)) in KEYWORDS:
                ifexp = node.args[0]
                choices[node.lineno] = [b.value for b in (ifexp.body, ifexp.orelse)
                                        if isinstance(b, ast.Constant) and isinstance(b.value, str)]
        for lineno, message, _, _ in calls:
            for key in choices.get(lineno, [message]):
                if isinstance(key, str) and ID.match(key):
                    found.setdefault(key, []).append(f"{where}:{lineno}")
    return found


class Problem(NamedTuple):
    kind: str  # undefined / unparsable / source / missing / stale / fuzzy / outdated / placeholders
    lang: str  # "" for the code and the .pot
    text: str


def problems(templates: dict[str, str] | None = None, languages=i18n.LANGUAGES) -> list[Problem]:
    """Everything wrong with the catalogues (empty when all is well)."""
    templates = source_templates() if templates is None else templates
    out = [Problem("undefined", "", f"{key}: used at {', '.join(places[:3])} but not defined in any TEMPLATES/HINTS")
           for key, places in sorted(used_ids().items()) if key not in templates]
    for key, text in sorted(templates.items()):
        try:
            i18n.placeholders(text)
        except ValueError as e:
            out.append(Problem("unparsable", "en", f"{key}: the English template does not parse ({e})"))
    pot = i18n.LOCALE_DIR / f"{i18n.DOMAIN}.pot"
    if not pot.is_file() or {m.id for m in i18n.read_catalogue(pot) if m.id} != set(templates):
        out.append(Problem("source", "", f"{pot.name} is out of date: run `dlfs i18n extract`"))
    for lang in languages:
        out += _catalogue_problems(lang, templates)
    return out


def _catalogue_problems(lang: str, templates: dict[str, str]) -> list[Problem]:
    path = i18n.po_path(lang)
    if not path.is_file():
        return [Problem("missing", lang, f"{lang}: {path} is missing")]
    entries = {m.id: m for m in i18n.read_catalogue(path, lang) if m.id}
    out = [Problem("stale", lang, f"{lang}: stale id {key} (no template has it any more)")
           for key in sorted(set(entries) - set(templates))]
    for key, english in sorted(templates.items()):
        entry = entries.get(key)
        if entry is None or not entry.string:
            out.append(Problem("missing", lang, f"{lang}: {key} is missing (English: {english[:60]!r})"))
            continue
        if lang == "en":
            if entry.string != english:
                out.append(Problem("source", lang, f"en: {key} differs from the English template: "
                                                   "run `dlfs i18n extract`"))
            continue
        if entry.fuzzy:
            out.append(Problem("fuzzy", lang, f"{lang}: {key} is fuzzy: review it against the new English"))
        elif i18n.source_of(entry) != " ".join(english.split()):
            out.append(Problem("outdated", lang, f"{lang}: {key} was translated from older English: "
                                                 "run `dlfs i18n extract` and review"))
        try:
            theirs = i18n.placeholders(entry.string)
        except ValueError as e:
            out.append(Problem("unparsable", lang, f"{lang}: {key} does not parse ({e})"))
            continue
        mine = i18n.placeholders(english)
        if theirs != mine:
            out.append(Problem("placeholders", lang, f"{lang}: {key} has placeholders {sorted(theirs)}, "
                                                     f"the English {sorted(mine)}"))
    return out


# ---- commands -------------------------------------------------------------------------------
def cmd_extract(args) -> int:
    for path in i18n.extract(source_templates()):
        print(f"wrote {path}")
    return 0


def cmd_compile(args) -> int:
    for path in i18n.compile_catalogues():
        print(f"wrote {path}")
    return 0


def cmd_check(args) -> int:
    found = problems()
    for p in found:
        print(p.text)
    n = len(source_templates())
    if found:
        print(f"{len(found)} problem(s) in the catalogues of {n} message ids", file=sys.stderr)
        return 1
    print(f"catalogues {', '.join(i18n.LANGUAGES)}: {n} message ids each, all in step with the code")
    return 0


def _add_actions(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="i18n_command", required=True)
    actions.add_parser("extract", help="write dlfs.pot and en's .po from the code's templates; "
                       "add new ids to ko/ja, mark changed ones fuzzy").set_defaults(func=cmd_extract)
    actions.add_parser("compile", help="compile every .po to .mo").set_defaults(func=cmd_compile)
    actions.add_parser("check", help="exit 1 if an id is missing, stale, fuzzy or has other "
                       "placeholders than the English").set_defaults(func=cmd_check)


def register(sub: argparse._SubParsersAction) -> None:
    """``dlfs i18n …`` (grader/cli.py lists this module in COMMAND_MODULES)."""
    _add_actions(sub.add_parser("i18n", help="maintain the message catalogues (en, ko, ja)"))


def main(argv: list[str] | None = None) -> int:
    """``python -m grader.i18n_commands extract|compile|check`` (same as ``dlfs i18n …``)."""
    parser = argparse.ArgumentParser(prog="python -m grader.i18n_commands")
    _add_actions(parser)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
