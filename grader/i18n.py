"""The learner's language: gettext catalogues keyed by message id (en is the source).

Catalogues live in ``grader/locale/<lang>/LC_MESSAGES/dlfs.po`` (msgid = the stable message id,
msgstr = the template in that language, same ``{placeholders}``, the English source as an
extracted comment), compiled to ``dlfs.mo`` with Babel at install time (``dlfs i18n compile``;
the Makefile and the wheel build do it). The English templates of grader/messages.py are the
source; ``dlfs i18n extract`` writes them to ``grader/locale/dlfs.pot`` and ``en``'s .po and
brings ko/ja up to date (new ids empty, changed English marked fuzzy, stale ids dropped).

The language comes from ``--lang``, else ``DLFS_LANG``, else the locale (``LC_ALL``,
``LC_MESSAGES``, ``LANG``), else English. A message missing from a catalogue (or fuzzy) falls
back to English, never to its raw id.

Plots: ``plot_text(id, **params)`` gives a figure's title, axis label or legend in the learner's
language when a font with that script is installed (Debian: ``apt install fonts-noto-cjk``),
in English otherwise, so a figure never shows boxes in place of glyphs.
"""
from __future__ import annotations

import gettext
import io
import os
import string
import unicodedata
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
    or older (a checkout whose catalogues were not compiled yet). Fuzzy entries are left out."""
    if lang == "en":
        return {}
    base = LOCALE_DIR / lang / "LC_MESSAGES"
    po, mo = base / f"{DOMAIN}.po", base / f"{DOMAIN}.mo"
    if mo.is_file() and (not po.is_file() or mo.stat().st_mtime >= po.stat().st_mtime):
        with open(mo, "rb") as f:
            trans = gettext.GNUTranslations(f)
        return {k: v for k, v in trans._catalog.items() if isinstance(k, str) and k and v}
    if po.is_file():
        return {m.id: m.string for m in read_catalogue(po, lang) if m.id and m.string and not m.fuzzy}
    return {}


def template(message_id: str, lang: str | None = None) -> str | None:
    """The translated template of ``message_id``, or None when the catalogue lacks it."""
    return catalogue(lang or current_language()).get(message_id)


def placeholders(text: str) -> set[str]:
    """The names of the ``{placeholders}`` of a template (``{done:>2}`` → done); ValueError for
    a template str.format cannot parse (an unbalanced brace)."""
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(text)
            if name is not None}


# ---- catalogue files ------------------------------------------------------------------------
def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalogue(path: Path, lang: str | None = None):
    """A Babel Catalog read from a .po/.pot file."""
    from babel.messages.pofile import read_po

    with open(path, "rb") as f:
        return read_po(f, locale=lang)


def new_catalogue(lang: str | None):
    """An empty Babel Catalog with the kit's header (no fuzzy header)."""
    from babel.messages.catalog import Catalog

    return Catalog(locale=lang, domain=DOMAIN, project="dlfs", fuzzy=False,
                   copyright_holder="the dlfs authors", msgid_bugs_address="the dlfs issue tracker",
                   last_translator="dlfs maintainers", language_team=f"dlfs {lang or 'source'}")


def write_catalogue(catalog, path: Path) -> Path:
    """Write ``catalog`` as a .po/.pot file, sorted by id; a file whose entries did not change
    is left as it is (only its dates would differ)."""
    from babel.messages.pofile import write_po

    buf = io.BytesIO()
    write_po(buf, catalog, width=100, sort_output=True, ignore_obsolete=True, include_previous=False)
    new = buf.getvalue()

    def undated(raw: bytes) -> list[bytes]:
        return [l for l in raw.splitlines() if not l.startswith((b'"POT-Creation-Date', b'"PO-Revision-Date'))]

    if not (path.is_file() and undated(path.read_bytes()) == undated(new)):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(new)
    return path


def compile_catalogues(locale_dir: Path | None = None, out_dir: Path | None = None) -> list[Path]:
    """Compile every ``<lang>/LC_MESSAGES/dlfs.po`` of ``locale_dir`` (default the package's)
    to ``dlfs.mo`` next to it, or under ``out_dir`` with the same layout (a wheel build).
    Fuzzy and empty entries are left out, so they fall back to English."""
    from babel.messages.mofile import write_mo

    src = Path(locale_dir or LOCALE_DIR)
    written = []
    for po in sorted(src.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        mo = Path(out_dir or src) / po.relative_to(src).with_suffix(".mo")
        mo.parent.mkdir(parents=True, exist_ok=True)
        with open(mo, "wb") as f:
            write_mo(f, read_catalogue(po, po.parts[-3]))
        written.append(mo)
    catalogue.cache_clear()
    return written


def extract(templates: dict[str, str]) -> list[Path]:
    """Write the source catalogue (dlfs.pot, English as extracted comments) and en's .po from
    ``templates``, and update every other language's .po: a new id gets an empty entry, an id
    whose English changed is marked fuzzy (shown in English until reviewed), a stale id goes."""
    pot, en = new_catalogue(None), new_catalogue("en")
    for key, text in sorted(templates.items()):
        pot.add(key, "", auto_comments=[text])
        en.add(key, text)
    out = [write_catalogue(pot, LOCALE_DIR / f"{DOMAIN}.pot"), write_catalogue(en, po_path("en"))]
    for lang in LANGUAGES[1:]:
        old = {m.id: m for m in read_catalogue(po_path(lang), lang) if m.id} if po_path(lang).is_file() else {}
        cat = new_catalogue(lang)
        for key, text in sorted(templates.items()):
            prev = old.get(key)
            stale = prev is not None and prev.string and (prev.fuzzy or source_of(prev) != _words(text))
            flags = ["fuzzy"] if stale else []
            cat.add(key, prev.string if prev is not None else "", auto_comments=[text],
                    user_comments=list(prev.user_comments) if prev is not None else [], flags=flags)
        out.append(write_catalogue(cat, po_path(lang)))
    catalogue.cache_clear()
    return out


def source_of(entry) -> str:
    """The English a translation was made from (its extracted comment), whitespace-normalised."""
    return _words(" ".join(entry.auto_comments))


def _words(text: str) -> str:
    return " ".join(text.split())


# ---- text layout ----------------------------------------------------------------------------
def display_width(text: str) -> int:
    """Terminal columns of ``text``: Hangul, kana and kanji take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1
               for c in text)


def ljust(text: str, width: int) -> str:
    """``text`` padded with spaces to ``width`` terminal columns (``f"{text:<width}"`` for CJK)."""
    return text + " " * max(0, width - display_width(text))


def rjust(text: str, width: int) -> str:
    return " " * max(0, width - display_width(text)) + text


def clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` terminal columns, with … where it was cut."""
    if display_width(text) <= width:
        return text
    out, used = [], 0
    for c in text:
        w = display_width(c)
        if used + w > width - 1:
            break
        out.append(c)
        used += w
    return "".join(out) + "…"


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` terminal columns, broken at spaces (English,
    Korean) and, inside a run longer than a line (Japanese has no spaces), between characters."""
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if display_width(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while display_width(word) > width:
            head = clip(word, width + 1)[:-1]  # the longest head that fits
            lines.append(head)
            word = word[len(head):]
        line = word
    return lines + [line] if line or not lines else lines


# ---- plots ----------------------------------------------------------------------------------
# Families that cover a script, best first (Debian's fonts-noto-cjk installs the "Noto … CJK"
# ones; each of those has Hangul, kana and kanji).
CJK_FAMILIES = {
    "ko": ("Noto Sans CJK KR", "Noto Sans CJK JP", "Noto Sans CJK SC", "Noto Sans KR",
           "Source Han Sans K", "NanumGothic", "Malgun Gothic", "AppleGothic", "Noto Serif CJK KR"),
    "ja": ("Noto Sans CJK JP", "Noto Sans CJK KR", "Noto Sans CJK SC", "Noto Sans JP",
           "Source Han Sans", "IPAexGothic", "IPAGothic", "Hiragino Sans", "Yu Gothic",
           "MS Gothic", "Noto Serif CJK JP"),
}
_PROBE = {"ko": "가한글", "ja": "あア漢"}


@lru_cache(maxsize=None)
def cjk_font(lang: str) -> str | None:
    """The installed font family (matplotlib's font list) that has the glyphs of ``lang``'s
    script, or None. Each candidate's file is opened to check the glyphs really are there."""
    if lang not in _PROBE:
        return None
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    files: dict[str, list[str]] = {}
    for f in font_manager.fontManager.ttflist:
        files.setdefault(f.name, []).append(f.fname)
    for family in CJK_FAMILIES[lang]:
        for fname in files.get(family, ()):
            try:
                font = FT2Font(fname)
                if all(font.get_char_index(ord(c)) for c in _PROBE[lang]):
                    return family
            except (OSError, RuntimeError, ValueError):
                continue
    return None


def cjk_font_available(lang: str | None = None) -> bool:
    """Whether plots can be drawn in ``lang`` (default: the current language); if so, also
    put that font first in matplotlib's rcParams (the previous fonts stay as fallbacks for
    the glyphs it lacks). Always True for English."""
    lang = lang or current_language()
    if lang == "en":
        return True
    family = cjk_font(lang)
    if family is None:
        return False
    import matplotlib

    rc = matplotlib.rcParams
    if rc["font.sans-serif"][:1] != [family]:
        rc["font.sans-serif"] = [family] + [f for f in rc["font.sans-serif"] if f != family]
        rc["font.family"] = ["sans-serif"]
        rc["axes.unicode_minus"] = False  # a hyphen, present in every font
    return True


def plot_language() -> str:
    """The language figures are drawn in: the learner's if a font for it is installed, else en."""
    lang = current_language()
    return lang if cjk_font_available(lang) else "en"


def plot_text(message_id: str, **params) -> str:
    """A figure's text (title, axis label, legend) in ``plot_language()``: call it before the
    figure's text is drawn (it configures matplotlib's font on first use)."""
    from grader.messages import render

    return render(message_id, params, plot_language())
