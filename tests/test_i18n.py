"""The learner's language: catalogue hygiene, English fallback, and the screens in ko / ja."""
from __future__ import annotations

import gettext
import json
import re
import shutil
from pathlib import Path

import pytest

from grader import i18n, i18n_commands
from grader.judge.plugin import Row
from grader.judge.session import Report
from grader.messages import Failed, msg, render
from study_support import fresh_scaffold  # noqa: F401  (fixture)

HANGUL = re.compile(r"[\uac00-\ud7a3]")
KANA = re.compile(r"[\u3041-\u3096\u30a1-\u30fa]")
GLOSSARY = Path(i18n.__file__).parent / "locale" / "glossary.md"


@pytest.fixture
def language():
    """Set the language for one test; the process's language is restored afterwards."""
    saved = list(i18n._current)
    yield i18n.set_language
    i18n._current[:] = saved


@pytest.fixture(scope="module")
def problems() -> list:
    return i18n_commands.problems()


def of_kind(problems, *kinds) -> list[str]:
    return [p.text for p in problems if p.kind in kinds]


# ---- hygiene ------------------------------------------------------------------------------
def test_every_id_used_in_code_is_defined(problems):
    """msg("…") / text("…") / plot_text("…") and "hint.…" literals all name a template."""
    assert of_kind(problems, "undefined") == []


def test_every_language_has_every_id(problems):
    assert of_kind(problems, "missing") == []


def test_no_stale_ids(problems):
    assert of_kind(problems, "stale") == []


def test_placeholders_match_english(problems):
    assert of_kind(problems, "placeholders", "unparsable") == []


def test_translations_follow_current_english(problems):
    """An English template that changed after its translation makes the translation fuzzy
    (`dlfs i18n extract`): it must be reviewed before release."""
    assert of_kind(problems, "fuzzy", "outdated") == []


def test_source_catalogues_in_step(problems):
    assert of_kind(problems, "source") == []


def test_used_ids_are_found():
    """The extractor sees the kinds of use the kit has (a guard against it silently finding nothing)."""
    used = i18n_commands.used_ids()
    assert "check.value" in used and "judge.blocked" in used  # msg(...) in grader/judge
    assert "hint.softmax_whole_batch" in used  # hints={"hint.…": wrong} in a suite
    assert any(k.startswith("study.") for k in used)  # text(...) in grader/study


def test_no_variant_the_glossary_forbids():
    rows = re.findall(r"^\| (ko|ja) \| ([^|]+?) \| ([^|]+?) \|$", GLOSSARY.read_text(encoding="utf-8"), re.M)
    assert len(rows) > 10
    found = []
    for lang, avoid, use in rows:
        for key, text in i18n.catalogue(lang).items():
            if avoid in text:
                found.append(f"{lang} {key}: {avoid!r} (the edition says {use!r})")
    assert found == []


# ---- fallback -----------------------------------------------------------------------------
def write_po(root: Path, lang: str, entries: dict[str, tuple[str, bool]]) -> None:
    cat = i18n.new_catalogue(lang)
    for key, (text, fuzzy) in entries.items():
        cat.add(key, text, flags=["fuzzy"] if fuzzy else [])
    i18n.write_catalogue(cat, root / lang / "LC_MESSAGES" / "dlfs.po")


@pytest.fixture
def temporary_locale(tmp_path, monkeypatch):
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n.catalogue.cache_clear()
    yield tmp_path
    i18n.catalogue.cache_clear()


def test_missing_translation_falls_back_to_english(temporary_locale, language):
    write_po(temporary_locale, "ko", {
        "check.shape": ("{what}: 기대한 형상은 {expected}, 실제 형상은 {got}입니다", False),
        "check.exact": ("{what}: 낡은 번역 {expected} {got}", True),  # fuzzy: not used
        "check.type": ("{what}: {expected} {nonsense}", False),  # other placeholders: not used
    })
    language("ko")
    shape = msg("check.shape", what="dx", expected=(3, 5), got=(5, 3))
    assert shape.text == "dx: 기대한 형상은 (3, 5), 실제 형상은 (5, 3)입니다"
    assert msg("check.exact", what="y", expected=1, got=2).text == "y: expected 1, got 2"
    assert msg("check.type", what="y", expected="a", got="b").text == "y: expected a, got b"
    hint = msg("hint.sigmoid_sign")  # not in this catalogue at all
    assert hint.text.startswith("sigmoid is 1 / (1 + exp(-x))")
    assert shape.in_language("en") == "dx: expected shape (3, 5), got (5, 3)"
    assert msg("judge.passed").in_language("xx") == "passed"  # a language without a catalogue


def test_compiled_catalogues_hold_what_the_po_says(tmp_path):
    written = i18n.compile_catalogues(out_dir=tmp_path)
    assert {p.parts[-3] for p in written} == set(i18n.LANGUAGES)
    for lang in ("ko", "ja"):
        with open(tmp_path / lang / "LC_MESSAGES" / "dlfs.mo", "rb") as f:
            mo = {k: v for k, v in gettext.GNUTranslations(f)._catalog.items() if k}
        po = {m.id: m.string for m in i18n.read_catalogue(i18n.po_path(lang), lang) if m.id and not m.fuzzy}
        assert mo == po


def test_extract_marks_changed_english_fuzzy(temporary_locale, language):
    shutil.copytree(Path(i18n.__file__).parent / "locale", temporary_locale, dirs_exist_ok=True)
    for mo in temporary_locale.rglob("*.mo"):
        mo.unlink()
    templates = i18n_commands.source_templates()
    changed = dict(templates, **{"judge.passed": "passed, all of it", "test.new_id": "brand new {x}"})
    del changed["judge.internal"]
    i18n.extract(changed)
    i18n.catalogue.cache_clear()
    ko = {m.id: m for m in i18n.read_catalogue(i18n.po_path("ko"), "ko") if m.id}
    assert ko["judge.passed"].fuzzy and ko["judge.passed"].string == "통과"
    assert ko["test.new_id"].string == "" and "judge.internal" not in ko
    assert not ko["check.shape"].fuzzy
    language("ko")
    assert render("judge.passed", {}) == "passed"  # English until the translation is reviewed
    assert render("check.shape", {"what": "x", "expected": 1, "got": 2}).startswith("x: 기대한 형상은 1")
    problems = i18n_commands.problems(changed, ("ko",))
    assert {p.kind for p in problems} == {"fuzzy", "missing", "undefined"}


# ---- rendering ----------------------------------------------------------------------------
def test_language_resolution(monkeypatch):
    for var in ("DLFS_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    assert i18n.resolve_language() == "en"
    monkeypatch.setenv("LANG", "ko_KR.UTF-8")
    assert i18n.resolve_language() == "ko"
    monkeypatch.setenv("LC_ALL", "ja_JP.UTF-8")
    assert i18n.resolve_language() == "ja"  # LC_ALL before LANG
    monkeypatch.setenv("DLFS_LANG", "en")
    assert i18n.resolve_language() == "en"
    assert i18n.resolve_language("ko") == "ko"  # --lang first
    monkeypatch.setenv("DLFS_LANG", "fr_FR")
    assert i18n.resolve_language() == "ja"  # a language without a catalogue is skipped
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        i18n.resolve_language("fr")


@pytest.mark.parametrize("lang,script,hint_label", [("ko", HANGUL, "힌트: "), ("ja", KANA, "ヒント: ")],
                         ids=["ko", "ja"])
def test_failure_and_hint_in_language(language, lang, script, hint_label):
    language(lang)
    failure = Failed(msg("check.value", what="softmax(x)", error=0.5, tol=1e-12, expected="[1]", got="[2]"),
                     msg("hint.softmax_whole_batch"))
    first, second = str(failure).splitlines()
    assert script.search(first) and "0.5" in first and "1e-12" in first
    assert second.startswith(hint_label) and "axis=-1, keepdims=True" in second and "3.5.2" in second


def test_literal_braces_in_hints_and_nested_messages(language):
    """Hints cite code like W{L+1}; a Message parameter renders in the same language."""
    language("ja")
    assert "W1 … W{L+1}" in msg("hint.weight_decay_layers").text
    got = msg("check.type", what="f(x)", expected=msg("kind.number"), got=msg("kind.none")).text
    assert got == "f(x): 数値 を期待しましたが、None（return を忘れていませんか？） でした"
    assert msg("check.type", what="f", expected=msg("kind.number"), got=1).json_params() == {
        "what": "f", "expected": {"id": "kind.number", "params": {}}, "got": "1"}


def report() -> Report:
    def row(exercise, n, outcome="passed", message=None, hint=None, suffix=""):
        r = Row(f"{exercise}{suffix}", exercise, n, False, outcome, message or msg("judge.passed"))
        r.points, r.hint = (n if outcome == "passed" else 0), hint
        return r

    wrong = msg("check.value", what="softmax(x)", error=0.5, tol=1e-12, expected="[…]", got="[…]")
    return Report("/ws", [row("ch03.step_function", 12), row("ch03.softmax", 5),
                          row("ch03.softmax", 7, "failed", wrong, msg("hint.softmax_whole_batch"), "-2"),
                          row("ch03.relu", 6, "failed", msg("worker.not_implemented", exercise="ch03.relu",
                                                             hint="…"))])


@pytest.mark.parametrize("lang,words", [("en", ["exercise", "points", "partly", "FAIL", "hint: ", "total"]),
                                        ("ko", ["과제", "점수", "일부", "실패", "힌트: ", "합계"]),
                                        ("ja", ["課題", "得点", "一部", "不合格", "ヒント: ", "合計"])],
                         ids=["en", "ko", "ja"])
def test_grade_table_in_language(language, lang, words):
    from grader.report import table

    language(lang)
    text = table(report())
    for w in words:
        assert w in text, w
    head = text.splitlines()[2]
    status_column = i18n.display_width(head) - i18n.display_width(head.split()[-1])
    row = next(line for line in text.splitlines() if "ch03.relu" in line)
    assert i18n.display_width(row[: row.rindex(" ") + 1]) == status_column  # CJK headers keep columns


def test_json_report_keeps_machine_fields(language):
    language("en")
    en = report().to_json()
    language("ko")
    ko = report().to_json()
    machine = ("id", "exercise", "points", "max_points", "outcome", "message_id", "message_params", "hint_id")
    assert [{k: t[k] for k in machine} for t in en["tests"]] == [{k: t[k] for k in machine} for t in ko["tests"]]
    assert ko["score"] == en["score"] and ko["tests"][2]["message"] != en["tests"][2]["message"]
    assert HANGUL.search(ko["tests"][2]["message"]) and HANGUL.search(ko["tests"][2]["hint"])


def test_course_feedback_cell_in_language(language):
    from grader.course import report_cell

    rows = [{"exercise": "ch03.sigmoid", "title": "시그모이드 함수", "section": "3.2.4", "points": 9, "max_points": 14,
             "message": msg("check.exact", what="sigmoid(x)", expected=1, got=2).in_language("ko"),
             "hint": msg("hint.sigmoid_sign").in_language("ko")},
            {"exercise": "ch03.relu", "title": "ReLU 함수", "section": "3.2.7", "points": 12, "max_points": 12,
             "message": "", "hint": ""}]
    result = {"chapter": "ch03", "report": {"score": 21, "max_score": 26, "exercises": rows}}
    language("ko")
    text = report_cell.feedback_markdown(result, ["common/functions.py"], [])
    assert "ch03: 21 / 26점" in text and "| 과제 | 책의 절 | 점수 | 결과 |" in text
    assert "| 통과 |" in text and "<br>힌트: 시그모이드 함수는 1 / (1 + exp(-x))입니다" in text


def test_cli_takes_lang_anywhere():
    from grader.cli import take_lang

    assert take_lang(["check", "--lang", "ko", "ch03", "ws"]) == ("ko", ["check", "ch03", "ws"])
    assert take_lang(["--lang=ja", "grade", "x"]) == ("ja", ["grade", "x"])
    assert take_lang(["compare", "--", "--lang", "ko"]) == (None, ["compare", "--", "--lang", "ko"])


def test_display_width_and_clip():
    assert i18n.display_width("과제 ab") == 7
    assert i18n.ljust("課題", 6) == "課題  " and i18n.rjust("ok", 4) == "  ok"
    assert i18n.clip("가나다라마", 7) == "가나다…" and i18n.display_width(i18n.clip("가나다라마", 7)) == 7


def test_plot_text_never_needs_a_missing_font(language):
    import matplotlib

    language("ko")
    text = i18n.plot_text("plot.accuracy")
    if i18n.cjk_font("ko") is None:
        assert text == "accuracy" and i18n.plot_language() == "en"
    else:
        assert text == "정확도" and matplotlib.rcParams["font.sans-serif"][0] == i18n.cjk_font("ko")
    language("en")
    assert i18n.plot_text("plot.layer", n=2) == "layer 2"


# ---- end to end: dlfs check on a planted bug ------------------------------------------------
SOFTMAX = ("x = x - np.max(x, axis=-1, keepdims=True)  # overflow guard\n"
           "    return np.exp(x) / np.sum(np.exp(x), axis=-1, keepdims=True)")
SOFTMAX_BUG = "x = x - np.max(x)  # overflow guard\n    return np.exp(x) / np.sum(np.exp(x))"


@pytest.fixture(scope="module")
def bugged(tmp_path_factory) -> Path:
    from study_support import plant, reference_copy

    return plant(reference_copy(tmp_path_factory.mktemp("i18n") / "ws"), "common/functions.py", SOFTMAX, SOFTMAX_BUG)


@pytest.fixture(scope="module")
def checks(bugged) -> dict:
    """`dlfs check --lang L ch03 DIR --json` for en, ko, ja: (stdout, report)."""
    from study_support import dlfs

    out = {}
    for lang in i18n.LANGUAGES:
        report = bugged.parent / f"{lang}.json"
        done = dlfs("check", "--lang", lang, "ch03", bugged, "--json", report, cwd=bugged.parent)
        assert done.returncode == 1, done.stderr  # an exercise is still to do
        out[lang] = (done.stdout, json.loads(report.read_text(encoding="utf-8")))
    return out


@pytest.mark.parametrize("lang,script,marks", [
    ("ko", HANGUL, ["이번 확인의 점수", "책의 결과와 다릅니다", ">>> 힌트: 배치 (N, C)에서는", "3.5.2절"]),
    ("ja", KANA, ["今回のチェックの得点", "本書の結果と違います", ">>> ヒント: バッチ (N, C) では", "3.5.2節"])],
    ids=["ko", "ja"])
def test_check_speaks_the_language(checks, lang, script, marks):
    text, _ = checks[lang]
    for m in marks:
        assert m in text, m
    softmax = next(line for line in text.splitlines() if "ch03.softmax" in line and "/" in line)
    assert script.search(softmax)  # the exercise's title too
    assert not re.search(r">>> hint:", text)


def test_check_same_outcomes_in_every_language(checks):
    def machine(report):
        return [(t["id"], t["outcome"], t["points"], t["message_id"], t["hint_id"]) for t in report["tests"]]

    _, en = checks["en"]
    assert "hint.softmax_whole_batch" in {t["hint_id"] for t in en["tests"]}
    for lang in ("ko", "ja"):
        _, other = checks[lang]
        assert machine(other) == machine(en) and other["score"] == en["score"]
        hinted = next(t for t in other["tests"] if t["hint_id"] == "hint.softmax_whole_batch")
        assert (HANGUL if lang == "ko" else KANA).search(hinted["hint"])


# ---- a workspace made by dlfs start, in the learner's locale -------------------------------
def test_public_tests_speak_the_locale(fresh_scaffold, tmp_path):
    """`LANG=ko_KR.UTF-8 pytest` in a new workspace: stubs, a wrong softmax and the summary in Korean."""
    import os
    import subprocess
    import sys

    from study_support import dlfs

    ws = tmp_path / "ws"
    started = dlfs("start", "--lang", "ko", ws, cwd=tmp_path, scaffold_dir=fresh_scaffold)
    assert started.returncode == 0 and "작업 폴더가 준비되었습니다" in started.stdout, started.stderr
    functions = ws / "common" / "functions.py"
    stub = next(line for line in functions.read_text(encoding="utf-8").splitlines()
                if 'NotImplementedError("ch03.softmax' in line)
    functions.write_text(functions.read_text(encoding="utf-8").replace(
        stub, "    return np.exp(x) / np.sum(np.exp(x))"), encoding="utf-8")  # no max, whole batch
    env = {k: v for k, v in os.environ.items() if k not in ("DLFS_LANG", "LC_ALL", "LC_MESSAGES")}
    env.update(LANG="ko_KR.UTF-8", PYTHONDONTWRITEBYTECODE="1")
    done = subprocess.run([sys.executable, "-m", "pytest", "-m", "ch03", "-p", "no:cacheprovider"], cwd=ws,
                          env=env, capture_output=True, text=True, timeout=300)
    out = done.stdout
    assert done.returncode == 1, out[-2000:]
    assert "ch03.sigmoid: 아직 구현되지 않았습니다 (common/functions.py, 책 3.2.4절)" in out
    assert "힌트: 원소별로 1 / (1 + exp(-x))를 돌려주세요" in out
    assert "책의 코드라면 유한한 수가 나오는 곳에" in out  # the overflowing softmax, through check.array
    assert "현재 진행 상황" in out and re.search(r"공개 테스트 \d+개 중 \d+개 통과", out)
    assert "is not implemented yet" not in out
