"""The judge's feedback as a notebook cell, and graded cells put back into a notebook.

The cell goes first in the autograded notebook, so the formgrader and nbgrader's feedback
HTML show it: the score, one table row per exercise (points, the first failure's message, the
hint), notes, and the learning curve as a cell attachment. Only messages are shown — never a
test's code or a traceback of the judge.
"""
from __future__ import annotations

import base64
from pathlib import Path

import nbformat

from grader.messages import msg

FEEDBACK_ID = "dlfs-judge-feedback"


def _cell_text(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def feedback_markdown(result: dict, files: list[str], notes: list[str]) -> str:
    """Markdown of the feedback cell for one stored judge result (judging.judge)."""
    rep = result["report"]
    lines = ["## " + msg("course.feedback_title", chapter=result["chapter"], score=rep["score"],
                         max_score=rep["max_score"]).text, "",
             msg("course.feedback_intro", files=", ".join(f"`{f}`" for f in files)).text, ""]
    head = [msg(f"feedback.col_{c}").text for c in ("exercise", "section", "points", "result")]
    lines += ["| " + " | ".join(head) + " |", "|---|---|---:|---|"]
    for e in rep["exercises"]:
        result_text = msg("feedback.ok").text if e["points"] == e["max_points"] else _cell_text(
            e["message"] or msg("feedback.failed").text)
        if e.get("hint"):
            result_text += "<br>" + msg("label.hint", hint=_cell_text(e["hint"])).text
        lines.append(f"| `{e['exercise']}` {_cell_text(e['title'])} | {e['section']} | "
                     f"{e['points']} / {e['max_points']} | {result_text} |")
    notes = notes + ([result["curve_note"]] if result.get("curve_note") else [])
    if notes:
        lines += [""] + [f"* {n}" for n in notes]
    return "\n".join(lines)


def feedback_cell(result: dict, files: list[str], notes: list[str], png: Path | None):
    """The markdown cell (id ``dlfs-judge-feedback``), with the learning curve attached."""
    text = feedback_markdown(result, files, notes)
    cell = nbformat.v4.new_markdown_cell(text, id=FEEDBACK_ID)
    if png is not None and png.is_file():
        curve = result["curve"]
        caption = msg("course.curve_caption", net="TwoLayerNet", samples=curve["samples"],
                      iterations=curve["iterations"][-1]).text
        cell.source += f"\n\n![{msg('feedback.curve_alt').text}](attachment:learning_curve.png)\n\n{caption}"
        cell.attachments = {"learning_curve.png": {
            "image/png": base64.b64encode(png.read_bytes()).decode("ascii")}}
    return cell


def put_first(nb, cell) -> None:
    """Insert ``cell`` at the top of ``nb``, replacing an older cell with the same id."""
    nb.cells = [c for c in nb.cells if c.get("id") != cell.id]
    nb.cells.insert(0, cell)


def restore_graded_cells(nb, source_cells: list, max_scores: dict[str, float]) -> list[str]:
    """Append the graded cells (gradebook SourceCells) that are missing from ``nb``; returns
    their grade ids. A deleted cell costs nothing: the scores are the judge's."""
    present = {c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells}
    restored = []
    for sc in source_cells:
        if sc.name in max_scores and sc.name not in present:
            cell = nbformat.v4.new_code_cell(sc.source, id=sc.name[:64]) if sc.cell_type == "code" \
                else nbformat.v4.new_markdown_cell(sc.source, id=sc.name[:64])
            cell.metadata = {"deletable": False, "editable": False, "nbgrader": {
                "grade": True, "grade_id": sc.name, "locked": bool(sc.locked),
                "points": max_scores[sc.name], "schema_version": 3, "solution": False,
                "task": False, "checksum": sc.checksum}}
            nb.cells.append(cell)
            restored.append(sc.name)
    return restored
