"""A course folder: its ``nbgrader_config.py``, its nbgrader API, and ``dlfs course init``.

The config that ``init`` writes is plain nbgrader configuration, so nbgrader's own commands
(``nbgrader generate_assignment``, ``collect``, ``autograde``, formgrader …) run in the folder
as they are and use the judge's scores:

* ``CourseDirectory.course_id`` and ``Exchange.root`` (a folder the instructor chooses);
* ``Autograde.exclude_overwriting``: the student modules of each chapter are kept at autograde;
* ``Autograde.autograde_preprocessors``: :class:`grader.course.scoring.JudgeScores` instead of
  executing the notebook (then nbgrader's late penalties and metadata check);
* ``GenerateFeedback.preprocessors`` with ``ClearHiddenTests``, and a hook that keeps the
  students' modules out of the feedback folder.
"""
from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from grader import exercises
from grader.course import layout

CONFIG = "nbgrader_config.py"
RESULTS = "dlfs/results"  # per-student judge results, relative to the course root
STAGED = "dlfs/staged"  # submissions as autograde reads them (notebooks repaired)


class CourseError(Exception):
    """The course folder or one of its steps is not right; the message says what to do."""


@dataclass(frozen=True)
class Course:
    root: Path

    @classmethod
    def at(cls, root: Path | str) -> "Course":
        root = Path(root).resolve()
        if not (root / CONFIG).is_file():
            raise CourseError(f"{root} is not a course folder (no {CONFIG}); "
                              f"create one with `dlfs course init {root}`")
        return cls(root)

    def config(self):
        """The course's nbgrader config (traitlets Config) with ``CourseDirectory.root`` set."""
        from traitlets.config.loader import PyFileConfigLoader

        cfg = PyFileConfigLoader(CONFIG, path=str(self.root)).load_config()
        cfg.CourseDirectory.root = str(self.root)
        return cfg

    def api(self, **coursedir):
        """nbgrader's NbGraderAPI on this course; ``coursedir`` overrides CourseDirectory traits
        (e.g. ``submitted_directory``)."""
        from nbgrader.apps import NbGraderAPI
        from nbgrader.coursedir import CourseDirectory

        tools_on_path()
        quiet_nbgrader()

        cfg = self.config()
        for key, value in coursedir.items():
            setattr(cfg.CourseDirectory, key, value)
        return NbGraderAPI(coursedir=CourseDirectory(config=cfg), config=cfg)

    def path(self, step: str, student: str, chapter: str) -> Path:
        """``root/step/student/chapter`` (nbgrader's default directory_structure)."""
        return self.root / step / student / chapter

    def results(self, chapter: str) -> Path:
        return self.root / RESULTS / chapter


def tools_on_path() -> None:
    """nbgrader runs ``alembic`` (and its kernels) by name: put this Python's bin folder on
    PATH, as an activated virtualenv would."""
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")


def quiet_nbgrader() -> None:
    """nbgrader 0.9's gradebook trips SQLAlchemy 2's autoflush warnings on every new submission
    (harmless: nbgrader adds the rows itself right after); keep them out of the output."""
    import warnings

    from sqlalchemy.exc import SAWarning

    warnings.filterwarnings("ignore", category=SAWarning, module=r"nbgrader\.")


def config_text(course_id: str, exchange_root: Path, sources: Path) -> str:
    """The nbgrader_config.py of a new course (``sources``: the chapters' source folders)."""
    keep = {ch: layout.student_files(_files(sources / ch)) for ch in exercises.CHAPTERS
            if (sources / ch).is_dir()}
    lines = [
        f"# nbgrader configuration of the dlfs course {course_id!r}, written by `dlfs course init`.",
        "# Plain nbgrader config: `nbgrader <command>` in this folder uses it as it is.",
        "c = get_config()  # noqa: F821",
        f"c.CourseDirectory.course_id = {course_id!r}",
        f"c.Exchange.root = {str(exchange_root)!r}",
        "",
        "# The students' modules are their answers: autograde keeps them, and restores only the",
        "# provided files from source/.",
        f"c.Autograde.exclude_overwriting = {keep!r}",
        "",
        "# Scores come from the dlfs judge (hidden tests on the modules), not from running the",
        "# notebook: JudgeScores writes each exercise's points into the gradebook.",
        "c.Autograde.autograde_preprocessors = [",
        "    'grader.course.scoring.JudgeScores',",
        "    'nbgrader.preprocessors.AssignLatePenalties',",
        "    'nbgrader.preprocessors.CheckCellMetadata',",
        "]",
        f"c.JudgeScores.results_directory = {RESULTS!r}",
        "# c.JudgeScores.lang = 'ko'  # the feedback's language: en, ko or ja (default: $DLFS_LANG, the locale)",
        "",
        "# Feedback: hidden tests cleared, the students' modules not copied into feedback/.",
        "c.GenerateFeedback.preprocessors = [",
        "    'nbgrader.preprocessors.GetGrades',",
        "    'nbgrader.preprocessors.ClearHiddenTests',",
        "    'nbconvert.preprocessors.CSSHTMLHeaderPreprocessor',",
        "]",
        "c.GenerateFeedback.post_convert_hook = 'grader.course.feedback.strip_code_hook'",
        "# a student's own cell quoting the marker must not stop the class's feedback",
        "c.ClearHiddenTests.enforce_metadata = False",
        "",
    ]
    return "\n".join(lines)


def _files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.py")
                  if "__pycache__" not in p.parts)


def init_course(root: Path, course_id: str = "dlfs", exchange_root: Path | None = None,
                sources: Path = layout.SOURCES, force: bool = False) -> Course:
    """Create a working nbgrader course in ``root``: config, ``source/chNN`` copied from the
    kit's generated sources, the exchange folder, and the chapters registered in the gradebook."""
    from nbgrader.api import Gradebook

    root = Path(root).resolve()
    exchange_root = Path(exchange_root).resolve() if exchange_root else root / "exchange"
    if (root / CONFIG).exists() and not force:
        raise CourseError(f"{root / CONFIG} exists; pass --force to write it again")
    missing = [ch for ch in exercises.CHAPTERS if not (sources / ch / layout.notebook_name(ch)).is_file()]
    if missing:
        raise CourseError(f"no assignment sources for {', '.join(missing)} in {sources}; "
                          "run `dlfs course build-sources`")
    if not course_id or any(ch in course_id for ch in "+*/ "):
        raise CourseError(f"course id {course_id!r} must be non-empty, without '+', '*', '/' or spaces")
    root.mkdir(parents=True, exist_ok=True)
    for ch in exercises.CHAPTERS:
        dest = root / "source" / ch
        if dest.exists():
            if not force:
                raise CourseError(f"{dest} exists; pass --force to replace it with the kit's version")
            shutil.rmtree(dest)
        shutil.copytree(sources / ch, dest, ignore=shutil.ignore_patterns("__pycache__"))
    if not exchange_root.is_dir():
        exchange_root.mkdir(parents=True)
        os.chmod(exchange_root, 0o777)  # nbgrader's exchange is shared by instructor and students
    (root / CONFIG).write_text(config_text(course_id, exchange_root, root / "source"), encoding="utf-8")
    course = Course(root)
    api = course.api()
    with Gradebook(api.coursedir.db_url, course_id) as gb:
        for ch in exercises.CHAPTERS:
            gb.update_or_create_assignment(ch)
    return course
