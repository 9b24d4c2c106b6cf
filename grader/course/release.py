"""``dlfs course release CH`` and ``collect CH``: nbgrader's own apps, with the leak check between.

Release = ``nbgrader generate_assignment CH`` (source/ → release/), then the check that no
released file holds solution or hidden-test code — nbgrader copies ``.py`` files verbatim, so
this is the only thing standing between a wrong source folder and the answers in every
student's hands — then ``nbgrader release_assignment CH`` (release/ → the exchange).
"""
from __future__ import annotations

from pathlib import Path

from grader import exercises
from grader.course import leaks
from grader.course.course_dir import Course, CourseError


def nbgrader_ok(result: dict, what: str) -> str:
    """The log of an NbGraderAPI call; CourseError with nbgrader's own words if it failed."""
    if not result.get("success"):
        detail = (result.get("log") or "") + "\n" + (result.get("error") or "")
        raise CourseError(f"{what} failed:\n{detail.strip()[-3000:]}")
    return result.get("log") or ""


def check_chapter(chapter: str) -> str:
    if chapter not in exercises.CHAPTERS:
        raise CourseError(f"unknown chapter {chapter!r} (choose from {', '.join(exercises.CHAPTERS)})")
    return chapter


def generate(course: Course, chapter: str) -> Path:
    """``nbgrader generate_assignment`` then the leak check; the release folder."""
    api = course.api()
    nbgrader_ok(api.generate_assignment(check_chapter(chapter), force=True, create=True),
        f"nbgrader generate_assignment {chapter}")
    release_dir = Path(api.coursedir.format_path(api.coursedir.release_directory, ".", chapter))
    leaks.check(release_dir, "the release")
    return release_dir


def release(course: Course, chapter: str, force: bool = False) -> Path:
    """Generate, check, and put the assignment in the exchange; the exchange folder."""
    generate(course, chapter)
    api = course.api()
    if force:
        api.unrelease(chapter)  # nbgrader refuses to release over an earlier release
    nbgrader_ok(api.release_assignment(chapter), f"nbgrader release_assignment {chapter}")
    return Path(api.exchange_root) / api.coursedir.course_id / "outbound" / chapter


def collect(course: Course, chapter: str) -> list[str]:
    """``nbgrader collect CH`` (newer submissions replace older ones); the students collected."""
    nbgrader_ok(course.api().collect(check_chapter(chapter), update=True), f"nbgrader collect {chapter}")
    return submitted_students(course, chapter)


def submitted_students(course: Course, chapter: str) -> list[str]:
    return sorted(p.parent.name for p in (course.root / "submitted").glob(f"*/{chapter}") if p.is_dir())
