"""``dlfs check``: the hidden suites on a learner's folder, shown for someone studying alone.

Per exercise: status, points, the first failure and, prominently, the hint for a known mistake;
then the progress across all chapters. Results are remembered in ``<workspace>/.dlfs/
progress.json``, so checking ch05 today still shows yesterday's ch03 in the summary (marked
with the time of that check).
"""
from __future__ import annotations

import json
import re
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from grader import exercises
from grader.atomic import write_atomic
from grader.i18n import clip, ljust, wrap
from grader.judge.session import Report
from grader.messages import exercise_title
from grader.study.texts import text

PROGRESS_FILE = Path(".dlfs") / "progress.json"
DONE, PARTLY, NOT_STARTED = "done", "partly", "not started"
NOT_STARTED_IDS = {"worker.not_implemented", "worker.missing_module"}
_CHAPTER = re.compile(r"^(?:ch)?0?([0-9])$", re.IGNORECASE)


@dataclass
class Status:
    """One exercise as the learner sees it after a check."""

    exercise: str
    points: int
    max_points: int
    status: str  # done / partly / not started
    message: str = ""  # the first failure
    hint: str = ""  # the first known mistake recognised, rendered
    hint_id: str = ""
    checked: float = 0.0  # time.time() of the check


def chapter_arg(token: str) -> str | None:
    """"ch03", "ch3", "3" → "ch03"; None when ``token`` is not a chapter."""
    m = _CHAPTER.match(token)
    return f"ch0{m[1]}" if m else None


def split_args(items: list[str]) -> tuple[list[str], Path]:
    """``dlfs check [CHAPTER ...] [DIR]``: (chapters, folder). A token like ch05 (or 5) is a
    chapter even where a folder ch05/ exists (a workspace has one: name it ./ch05). ValueError
    with a message for an unknown chapter (ch08) or two folders."""
    chapters, folders = [], []
    for item in items:
        if not re.match(r"^(ch)?\d+$", item, re.IGNORECASE):
            folders.append(item)
            continue
        ch = chapter_arg(item)
        if ch not in exercises.CHAPTERS:
            raise ValueError(text("study.unknown_chapter", chapter=item,
                                  choices=", ".join(exercises.CHAPTERS)))
        if ch not in chapters:
            chapters.append(ch)
    if len(folders) > 1:
        raise ValueError(text("study.two_folders", folders=", ".join(folders)))
    return chapters, Path(folders[0] if folders else ".")


def statuses(report: Report, now: float | None = None) -> list[Status]:
    """One Status per graded exercise, in catalogue order."""
    now = time.time() if now is None else now
    out = []
    for ex in exercises.EXERCISES:
        rows = [r for r in report.rows if r.exercise == ex.id]
        if not rows:
            continue
        got, top = sum(r.points for r in rows), sum(r.max_points for r in rows)
        failed = [r for r in rows if r.outcome != "passed"]
        if got == top:
            status = DONE
        elif got == 0 and any(r.message and r.message.id in NOT_STARTED_IDS for r in failed):
            status = NOT_STARTED
        else:
            status = PARTLY
        hinted = next((r for r in failed if r.hint), None)
        out.append(Status(ex.id, got, top, status,
                          failed[0].message.text if failed and failed[0].message else "",
                          hinted.hint.text if hinted else "", hinted.hint.id if hinted else "", now))
    return out


# ---- remembered progress ----------------------------------------------------------------
def load_progress(workspace: Path) -> dict[str, Status]:
    """The statuses saved by earlier checks of this workspace (empty if none or unreadable)."""
    try:
        data = json.loads((Path(workspace) / PROGRESS_FILE).read_text(encoding="utf-8"))
        return {k: Status(**v) for k, v in data["exercises"].items() if k in exercises.BY_ID}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def save_progress(workspace: Path, fresh: list[Status], version: str = "") -> dict[str, Status]:
    """Merge ``fresh`` into the saved statuses and write them atomically; returns the merge.
    A workspace that cannot be written keeps working (the summary then shows this check only)."""
    merged = load_progress(workspace)
    merged.update({s.exercise: s for s in fresh})
    path = Path(workspace) / PROGRESS_FILE
    try:
        write_atomic(path, json.dumps({"suite_version": version,
                                       "exercises": {k: asdict(v) for k, v in merged.items()}}, indent=1))
    except OSError:
        pass
    return merged


# ---- rendering --------------------------------------------------------------------------
def bar_text(fraction: float, width: int = 20) -> str:
    """A text progress bar: ``████████░░░░`` (fraction in [0, 1])."""
    filled = int(round(max(0.0, min(1.0, fraction)) * width))
    return "█" * filled + "░" * (width - filled)


def _when(t: float, now: float) -> str:
    age = now - t
    if age < 90:
        return text("summary.just_now")
    if age < 5400:
        return text("summary.minutes_ago", n=f"{age / 60:.0f}")
    if age < 2 * 86400:
        return text("summary.hours_ago", n=f"{age / 3600:.0f}")
    return time.strftime("%Y-%m-%d", time.localtime(t))


def chapter_title(chapter: str) -> str:
    """The chapter's title in the learner's language (``chapter.chNN``, grader/texts.py)."""
    return text(f"chapter.{chapter}")


def exercise_lines(fresh: list[Status], width: int = 100) -> list[str]:
    """Per exercise: mark, id, points, title; failures with their first message and hint."""
    marks = {DONE: "✓", PARTLY: "✗", NOT_STARTED: "·"}
    lines, chapter = [], None
    for s in fresh:
        ex = exercises.get(s.exercise)
        if ex.chapter != chapter:
            chapter = ex.chapter
            got = sum(x.points for x in fresh if x.exercise.startswith(chapter + "."))
            top = sum(x.max_points for x in fresh if x.exercise.startswith(chapter + "."))
            lines += ["", f"{chapter}  {ljust(chapter_title(chapter), 44)} "
                      + text("summary.chapter_points", points=f"{got:>4}/{top:<4}")]
        pts = f"{s.points}/{s.max_points}"
        label = text("study.not_started") if s.status == NOT_STARTED else exercise_title(ex.id)
        lines.append(clip(f"  {marks[s.status]} {s.exercise:<38} {pts:>7}  {label}", width))
        if s.status == PARTLY and s.message:
            wrapped = wrap(s.message.splitlines()[0], width - 6)
            lines += ["      " + l for l in wrapped[:3]]
        if s.hint:
            lines.append("      " + text("summary.hint", hint=s.hint))
    return lines


def hint_lines(fresh: list[Status]) -> list[str]:
    """The known mistakes recognised, repeated together at the end (the first thing to fix)."""
    hinted = [s for s in fresh if s.hint]
    if not hinted:
        return []
    lines = ["", text("study.hints_title")]
    lines += [f"  {s.exercise}: {s.hint}" for s in hinted]
    return lines


def summary_lines(merged: dict[str, Status], fresh: list[Status], now: float | None = None) -> list[str]:
    """Per chapter: a bar of points, counts of done / partly / not started; then the total."""
    now = time.time() if now is None else now
    fresh_ids = {s.exercise for s in fresh}
    lines = ["", text("study.progress_title", when=text("summary.when_noted"))]
    total_done = 0
    for ch in exercises.CHAPTERS:
        ids = [e.id for e in exercises.of_chapter(ch)]
        known = [merged[i] for i in ids if i in merged]
        head = f"  {ch}  {ljust(chapter_title(ch), 30)}"
        if not known:
            lines.append(f"{head} {bar_text(0)}  " + text("study.chapter_unchecked", n=len(ids), chapter=ch))
            continue
        counts = {k: sum(s.status == k for s in known) for k in (DONE, PARTLY, NOT_STARTED)}
        counts[NOT_STARTED] += len(ids) - len(known)
        total_done += counts[DONE]
        got, top = sum(s.points for s in known), sum(s.max_points for s in known)
        line = (f"{head} {bar_text(got / top if top else 0)}  "
                + text("study.counts", done=counts[DONE], partly=counts[PARTLY], todo=counts[NOT_STARTED])
                + f"  {got:>3}/{top}")
        if not fresh_ids.intersection(ids):
            line += "  (" + text("study.checked_earlier", when=_when(max(s.checked for s in known), now)) + ")"
        lines.append(line)
    n = len(exercises.EXERCISES)
    lines.append(f"  {ljust(text('summary.all'), 36)} {bar_text(total_done / n)}  "
                 + text("study.total_done", done=total_done, n=n))
    return lines


def next_line(fresh: list[Status]) -> str:
    """What to do next: the first exercise started but not done, else the first not started."""
    todo = next((s for s in fresh if s.status == PARTLY), None) or next(
        (s for s in fresh if s.status != DONE), None)
    if todo is None:
        return text("study.all_done", n=len(fresh))
    ex = exercises.get(todo.exercise)
    return text("study.next", exercise=ex.id, title=exercise_title(ex.id), file=ex.file, section=ex.section)


def render(report: Report, fresh: list[Status], merged: dict[str, Status], width: int = 100) -> str:
    """The whole ``dlfs check`` text."""
    lines = [text("summary.title", path=Path(report.submission).resolve())]
    lines += exercise_lines(fresh, width)
    score = sum(s.points for s in fresh)
    top = sum(s.max_points for s in fresh)
    lines += ["", f"  {ljust(text('study.points_total'), 47)} {score:>4}/{top:<4}"]
    lines += hint_lines(fresh)
    lines += summary_lines(merged, fresh)
    lines += ["", next_line(fresh)]
    for note in report.notes:
        lines.append(text("label.note", note=note))
    return "\n".join(lines)
