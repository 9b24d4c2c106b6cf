"""Reports for people: the terminal table of ``dlfs grade`` and the JSON file written atomically.

Every word of the table is a message id (``report.*``, grader/texts.py), so it reads in the
learner's language; columns are padded by terminal width (Hangul and kana take two columns).
"""
from __future__ import annotations

import json
from pathlib import Path

from grader.atomic import write_atomic
from grader.i18n import clip, ljust, rjust
from grader.judge.session import Report
from grader.messages import msg


def _t(message_id: str, **params) -> str:
    return msg(message_id, **params).text


def table(report: Report, width: int = 100) -> str:
    """Per exercise: points, status and the first line of the first failure; then the total."""
    lines = [_t("report.title", submission=report.submission), ""]
    head = f"{ljust(_t('report.col_exercise'), 38)} {rjust(_t('report.col_points'), 9)}  {_t('report.col_status')}"
    rule = "-" * min(width, 100)
    lines += [head, rule]
    chapter = None
    for e in report.exercises():
        if e["chapter"] != chapter:
            chapter = e["chapter"]
            lines.append(f"[{chapter}]")
        status = _t("report.status_ok") if e["points"] == e["max_points"] else (
            _t("report.status_partly") if e["points"] else _t("report.status_fail"))
        pts = f"{e['points']}/{e['max_points']}"
        lines.append(f"  {e['exercise']:<36} {pts:>9}  {status}")
        if e["message"]:
            lines.append("      " + clip(e["message"].splitlines()[0], width - 6))
        if e.get("hint"):
            lines.append("      " + _t("label.hint", hint=e["hint"]))
    lines += [rule, f"{ljust(_t('report.total'), 38)} {report.score:>4}/{report.max_score:<4}"]
    if report.sandbox == "none":
        lines.append(_t("report.no_sandbox"))
    for note in report.notes:
        lines.append(_t("label.note", note=note))
    return "\n".join(lines)


def write_json(report: Report, path: Path) -> None:
    """Write the JSON report so that a reader never sees half a file."""
    write_atomic(path, json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n")
