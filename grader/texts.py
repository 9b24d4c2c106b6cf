"""Message templates of the kit's own screens, by stable id (merged into grader.messages.TEMPLATES).

* ``label.*``: words shared by several screens (``hint: …``),
* ``report.*``: the ``dlfs grade`` table (grader/report.py),
* ``chapter.*``: the chapter titles, ``exercise.<id>.title`` / ``.hint`` come from
  grader/exercises.py itself (registered by grader.messages),
* ``feedback.*``: the judge's cell in an nbgrader course's feedback (grader/course/report_cell.py),
* ``summary.*``: the ``dlfs check`` screen around the study.* messages (grader/study/check.py),
* ``compare.*``: the ``dlfs compare`` columns (grader/study/compare.py),
* ``plot.*``: titles, axes and legends of ``dlfs plot`` (grader/study/plots.py, through
  grader.i18n.plot_text, which falls back to English without a CJK font),
* ``kind.*``: what a value is, in failure messages (``expected a number, got None``),
* ``cli.*``: the help of the commands a learner types.

English is the source; the catalogues under grader/locale/ translate the same ids with the same
placeholders.
"""
from __future__ import annotations

TEMPLATES: dict[str, str] = {
    # ---- shared labels ---------------------------------------------------------------------
    "label.hint": "hint: {hint}",
    "label.note": "note: {note}",
    # ---- dlfs grade ------------------------------------------------------------------------
    "report.title": "dlfs grade: {submission}",
    "report.col_exercise": "exercise",
    "report.col_points": "points",
    "report.col_status": "status",
    "report.status_ok": "ok",
    "report.status_partly": "partly",
    "report.status_fail": "FAIL",
    "report.total": "total",
    "report.no_sandbox": "warning: graded without a sandbox (bubblewrap not used)",
    # ---- chapters (the book's chapter titles, shortened) -------------------------------------
    "chapter.ch03": "neural networks",
    "chapter.ch04": "neural network learning",
    "chapter.ch05": "backpropagation",
    "chapter.ch06": "training techniques",
    "chapter.ch07": "convolutional neural networks",
    # ---- dlfs check ------------------------------------------------------------------------
    "summary.title": "dlfs check: {path}",
    "summary.chapter_points": "{points} points",
    "summary.hint": ">>> hint: {hint}",
    "summary.when_noted": "this check, and earlier ones where noted",
    "summary.all": "all",
    "summary.just_now": "just now",
    "summary.minutes_ago": "{n} min ago",
    "summary.hours_ago": "{n} h ago",
    "summary.public_where": "where you are",
    # ---- the feedback cell of an nbgrader course (grader/course/report_cell.py) ---------------
    "feedback.col_exercise": "exercise",
    "feedback.col_section": "book §",
    "feedback.col_points": "points",
    "feedback.col_result": "result",
    "feedback.ok": "ok",
    "feedback.failed": "failed",
    "feedback.curve_alt": "learning curve",
    # ---- dlfs compare ----------------------------------------------------------------------
    "compare.title": "dlfs compare {exercise} — {title} ({file}, book section {section}; {kind})",
    "compare.inputs": "inputs: {inputs}",
    "compare.yours": "yours",
    "compare.reference": "reference",
    "compare.same": "✓ same",
    "compare.different": "✗ different",
    "compare.difference": "max abs difference {max_abs}   relative error {error}   {verdict}",
    "compare.yours_not_finite": "(yours has nan/inf)",
    "compare.shape": "shape {shape} {dtype}",
    "compare.shown_as": "shape {shape} {dtype}, shown as ({rows}, {cols})",
    "compare.more_rows": "… {n} more row(s)",
    "compare.object": "a {type} object (not data)",
    "compare.kind_function": "function",
    "compare.kind_layer_forward": "layer forward",
    "compare.kind_layer_backward": "layer backward",
    "compare.kind_optimizer_update": "optimizer update",
    "compare.kind_net_method": "net method",
    # ---- dlfs plot -------------------------------------------------------------------------
    "plot.yours": "yours",
    "plot.reference": "reference",
    "plot.yours_train": "yours: train",
    "plot.yours_test": "yours: test",
    "plot.reference_train": "reference: train",
    "plot.reference_test": "reference: test",
    "plot.your_code": "your code",
    "plot.reference_code": "the reference (please report it)",
    "plot.training_loss": "training loss",
    "plot.accuracy": "accuracy",
    "plot.iteration": "iteration",
    "plot.loss": "loss",
    "plot.layer": "layer {n}",
    "plot.bar_cut": "bar at 0 cut",
    "plot.numbers": "the numbers plotted",
    "plot.what_curve": "ch05 TwoLayerNet training curve (book figure 5-32)",
    "plot.what_optimizers": "optimizer paths on f(x, y) = x²/20 + y² (book figure 6-8)",
    "plot.what_activations": "activation histograms per layer (book figures 6-10 to 6-14)",
    "plot.what_overfit": "overfitting, weight decay and dropout (book figures 6-20 to 6-23)",
    "plot.curve_title": "ch05 TwoLayerNet(784, 50, 10): {train} training / {test} test images, "
                        "batch {batch}, lr {lr}, seed {seed}",
    "plot.optimizers_title": "{steps} updates from (-7, 2) on f(x, y) = x²/20 + y²",
    "plot.activations_title": "activations of a 5-layer MultiLayerNet(100, [100]*5, 10) on 1000 random "
                              "inputs (your initialisation filled, the reference's outlined)",
    "plot.overfit_title": "{train} training images, MultiLayerNet(784, [100]*5, 10), SGD lr {lr}: "
                          "the gap between train and test is overfitting",
    "plot.run_no_regularisation": "no regularisation",
    "plot.run_weight_decay": "weight decay λ={value}",
    "plot.run_dropout": "dropout {value}",
    # ---- what a value is (failure messages: "expected {expected}, got {got}") ----------------
    "kind.number": "a number",
    "kind.array": "a numpy array",
    "kind.real_array": "a real-valued array",
    "kind.array_dtype": "an array of dtype {dtype}",
    "kind.array_shape": "an array of shape {shape}",
    "kind.object": "a {type} object",
    "kind.none": "None (did you forget a return?)",
    "kind.value": "a {type} ({value})",
    "kind.non_finite": "{n} non-finite value(s)",
    # ---- help of the learner's commands ------------------------------------------------------
    "cli.description": "Auto-graded exercises for Deep Learning from Scratch, chapters 3-7.",
    "cli.lang": "language of messages, hints and help: en, ko or ja (default: $DLFS_LANG, then "
                "the locale, $LC_ALL / $LC_MESSAGES / $LANG)",
    "cli.grade": "grade a submission folder with the hidden suites",
    "cli.grade_submission": "folder in the book's layout (common/, ch03/ …)",
    "cli.chapter": "only this chapter (repeatable)",
    "cli.json": "also write the full report as JSON",
    "cli.exercises": "list the exercises",
    "cli.start": "make a new workspace for studying the book alone",
    "cli.start_dir": "a new (or empty) folder",
    "cli.check": "run the hidden tests on your workspace: points and progress",
    "cli.check_description": "dlfs check [CHAPTER ...] [DIR]: chapters as ch03 (or 3); DIR defaults to "
                             "the current folder. Exit 0 when every exercise checked has all its "
                             "points, 1 when some are still to do.",
    "cli.compare": "run one exercise on your code and the reference, side by side",
    "cli.compare_exercise": "an exercise id, e.g. ch05.Affine.backward (`dlfs exercises`)",
    "cli.workspace": "your workspace (default: here)",
    "cli.compare_rows": "rows of each array to show (default 3)",
    "cli.plot": "the book's figures from your code next to the reference's",
    "cli.plot_output": "where to write (default KIND.png)",
    "cli.plot_data": "also write the plotted numbers (yours and the reference's) as .npz arrays",
    "cli.progress_grading": "grading",
    "cli.progress_checking": "checking",
}
