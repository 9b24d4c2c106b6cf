"""The learner's language: gettext catalogues keyed by message id (en is the source).

Catalogues live in ``grader/locale/<lang>/LC_MESSAGES/dlfs.po`` (msgid = the stable message id,
msgstr = the template in that language, same ``{placeholders}``), compiled to ``dlfs.mo`` with
Babel at install time (``dlfs i18n compile``; the Makefile and the package build do it). The
English templates in grader/messages.py are the source; ``dlfs i18n extract`` writes them to
``grader/locale/dlfs.pot`` and ``en/LC_MESSAGES/dlfs.po``.

The language comes from ``--lang``, else ``DLFS_LANG``, else the locale (``LC_ALL``,
``LC_MESSAGES``, ``LANG``), else English. A message missing from a catalogue falls back to
English, never to its raw id.
"""
from __future__ import annotations

import gettext
import os
from functools import lru_cache
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "dlfs"
LANGUAGES = ("en", "ko", "ja")
_current: list[str] = []


def resolve_language(explicit: str | None = None) -> str:
    """--lang, then DLFS_LANG, then LC_ALL / LC_MESSAGES / LANG, then "en"."""
    candidates = [explicit, os.environ.get("DLFS_LANG")]
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:  # the first locale variable that is set decides, as in POSIX
            candidates.append(value)
            break
    for c in candidates:
        if c:
            code = c.split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
            if code in LANGUAGES:
                return code
            if explicit and c == explicit:
                raise ValueError(f"unknown language {explicit!r} (choose from {', '.join(LANGUAGES)})")
    return "en"


def set_language(lang: str | None) -> str:
    """Make ``lang`` (resolved as above) the language of every message from now on."""
    code = resolve_language(lang)
    _current[:] = [code]
    return code


def current_language() -> str:
    return _current[0] if _current else resolve_language()


@lru_cache(maxsize=None)
def catalogue(lang: str) -> dict[str, str]:
    """message id → template for ``lang`` (empty for English: the source is in messages.py).

    Reads the compiled .mo; falls back to reading the .po with Babel when the .mo is missing
    or older (a checkout whose catalogues were not compiled yet)."""
    if lang == "en":
        return {}
    base = LOCALE_DIR / lang / "LC_MESSAGES"
    po, mo = base / f"{DOMAIN}.po", base / f"{DOMAIN}.mo"
    if mo.is_file() and (not po.is_file() or mo.stat().st_mtime >= po.stat().st_mtime):
        with open(mo, "rb") as f:
            trans = gettext.GNUTranslations(f)
        return {k: v for k, v in trans._catalog.items() if isinstance(k, str) and k and v}
    if po.is_file():
        from babel.messages.pofile import read_po

        with open(po, "rb") as f:
            cat = read_po(f, locale=lang)
        return {m.id: m.string for m in cat if m.id and m.string and not m.fuzzy}
    return {}


def template(message_id: str, lang: str | None = None) -> str | None:
    """The translated template of ``message_id``, or None when the catalogue lacks it."""
    return catalogue(lang or current_language()).get(message_id)


def compile_catalogues() -> list[Path]:
    """Compile every ``<lang>/LC_MESSAGES/dlfs.po`` to ``dlfs.mo`` with Babel."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po in sorted(LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        lang = po.parts[-3]
        with open(po, "rb") as f:
            cat = read_po(f, locale=lang)
        mo = po.with_suffix(".mo")
        with open(mo, "wb") as f:
            write_mo(f, cat)
        written.append(mo)
    catalogue.cache_clear()
    return written


def extract(templates: dict[str, str]) -> list[Path]:
    """Write the source catalogue (dlfs.pot, English as extracted comments) and en's .po."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    LOCALE_DIR.mkdir(exist_ok=True)
    pot = Catalog(project="dlfs", domain=DOMAIN)
    en = Catalog(locale="en", project="dlfs", domain=DOMAIN)
    for key, text in sorted(templates.items()):
        pot.add(key, "", auto_comments=[text])
        en.add(key, text)
    out = []
    for cat, path in ((pot, LOCALE_DIR / f"{DOMAIN}.pot"), (en, LOCALE_DIR / "en" / "LC_MESSAGES" / f"{DOMAIN}.po")):
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as f:
            write_po(f, cat, width=100, omit_header=False, sort_output=True)
        out.append(path)
    return out
