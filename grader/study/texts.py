"""Message templates of the study commands (ids ``study.*``), registered with grader.messages.

Importing this module adds the templates to ``grader.messages.TEMPLATES`` (refusing an id that
is already there), so ``msg("study.not_empty", path=…)`` works like every other message.
"""
from __future__ import annotations

from grader import messages

TEMPLATES: dict[str, str] = {
    # dlfs start
    "study.no_scaffold": "the learner's scaffold was not found (looked in: {tried}); set "
                         "DLFS_SCAFFOLD to a scaffold folder, or run `dlfs scaffold` in the dlfs "
                         "repository",
    "study.not_empty": "{path} already exists and is not empty: nothing was copied (choose a new "
                       "folder name, or empty that folder first)",
    "study.not_a_folder": "{path} exists and is not a folder: nothing was copied",
    "study.started": "Your dlfs workspace is ready: {path} ({exercises} exercises in {files} files, "
                     "public tests in tests/)",
    "study.next_steps": "Next steps:\n"
                        "  1. cd {path}   and open common/functions.py: each exercise is a "
                        "`raise NotImplementedError(\"ch03.…\")` to replace with your code "
                        "(README.md lists them by chapter)\n"
                        "  2. pytest -m ch03      the public tests of chapter 3: fast, with hints\n"
                        "  3. dlfs check ch03     the hidden tests: points per exercise and your "
                        "progress",
    # dlfs check
    "study.not_workspace": "{path} does not look like a dlfs workspace (no common/ folder): run "
                           "`dlfs check` inside the folder `dlfs start` made, or name it",
    "study.unknown_chapter": "unknown chapter {chapter!r} (choose from {choices})",
    "study.two_folders": "more than one folder given ({folders}): name one workspace",
    "study.hints_title": "Known mistakes recognised in your code (fix these first):",
    "study.progress_title": "Your progress ({when}):",
    "study.points_total": "points in this check",
    "study.not_started": "not started",
    "study.counts": "{done:>2} done, {partly:>2} partly, {todo:>2} not started",
    "study.total_done": "{done} of {n} exercises done",
    "study.chapter_unchecked": "{n} exercises, not checked yet: dlfs check {chapter}",
    "study.checked_earlier": "as of {when}",
    "study.all_done": "All {n} exercises checked here pass. Well done!",
    "study.next": "Next: {exercise} ({title}, {file}, book section {section})",
    # dlfs compare
    "study.unknown_exercise": "unknown exercise {exercise!r}; `dlfs exercises` lists them"
                              "{suggestion}",
    "study.compare_raised": "raised {type}: {message}{where}",
    "study.compare_missing": "(no such output)",
    "study.compare_shapes": "different shapes: yours {mine}, reference {theirs}",
    "study.compare_one_side": "missing on one side",
    "study.compare_all_same": "all outputs are the same as the reference's",
    "study.compare_some_differ": "some outputs differ from the reference's (marked ✗ above)",
    "study.compare_yours_failed": "yours: {error}",
    "study.compare_reference_failed": "reference: {error} (please report it)",
    # the public tests' summary (grader/public/conftest.py)
    "study.public_not_implemented": "{exercise} is not implemented yet ({file}, book section {section}).\n"
                                    "  hint: {hint}",
    "study.public_passed": "{passed} of {total} public tests pass",
    "study.public_not_written": "not written yet (in the book's order):",
    "study.public_failing": "failing: {n} test(s) above; `dlfs compare <exercise id>` shows your "
                            "output next to the reference's",
    "study.public_next": "next: {exercise} in {file} (book section {section})",
    "study.public_next_check": "next: `dlfs check {chapters}` runs the hidden tests and gives your points",
    # dlfs plot
    "study.unknown_plot": "unknown plot {kind!r} (choose from {choices})",
    "study.plot_written": "wrote {path} ({what})",
}


messages.register(TEMPLATES, "grader/study/texts.py")


def text(message_id: str, **params) -> str:
    """The rendered message ``message_id`` (a ``study.*`` id or any id of grader.messages)."""
    return messages.msg(message_id, **params).text
