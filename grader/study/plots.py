"""``dlfs plot KIND``: the book's figures drawn from the learner's code next to the reference's.

From a notebook (the chapter notebooks do this)::

    from grader.study.plots import figure
    fig = figure("optimizers", "..")      # a matplotlib Figure; fig.dlfs_data holds the numbers

``make(kind, workspace) -> (Figure, PlotData)``; the data (grader.study.plotdata) is exactly
what is drawn, so a test can compare the learner's curves with the reference's.
Figures are built on ``matplotlib.figure.Figure`` directly (no pyplot state, any backend).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from grader.i18n import plot_text
from grader.messages import msg
from grader.study import plotdata
from grader.study.plotdata import PlotData

# the reference wide and pale underneath, the learner's thin on top: where they agree, one line
YOURS = {"color": "tab:red", "linestyle": "-", "linewidth": 1.2, "label": "yours", "zorder": 3}
REFERENCE = {"color": "tab:blue", "linestyle": "-", "linewidth": 4.0, "label": "reference",
             "alpha": 0.35, "zorder": 2}
WHAT = {kind: f"plot.what_{kind}" for kind in ("curve", "optimizers", "activations", "overfit")}  # message ids


def what(kind: str) -> str:
    """What the figure ``kind`` shows, in the learner's language (for the terminal)."""
    return msg(WHAT[kind]).text


def _s(style: dict, part: str = "") -> dict:
    """``style`` with its legend label in the figure's language (``part``: "train" / "test").
    Figure texts come from grader.i18n.plot_text: English when no font has the learner's script."""
    who = "yours" if style is YOURS else "reference"
    return dict(style, label=plot_text(f"plot.{who}_{part}" if part else f"plot.{who}"))


def _errors_note(ax, data: PlotData, key: str) -> None:
    """Write the learner's (or the reference's) error for ``key`` into the axes."""
    who_says = {"learner": plot_text("plot.your_code"), "reference": plot_text("plot.reference_code")}
    notes = [f"{who_says[who]}: {errs[key]}" for who, errs in data.errors.items() if key in errs]
    if notes:
        ax.text(0.02, 0.5, "\n".join(_wrap(n, 60) for n in notes), transform=ax.transAxes,
                fontsize=7, color="darkred", va="center",
                bbox={"facecolor": "white", "edgecolor": "darkred", "alpha": 0.9})


def _wrap(line: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(line, width)[:6])


def draw_curve(data: PlotData) -> Figure:
    fig = Figure(figsize=(10, 4), layout="constrained")
    ax1, ax2 = fig.subplots(1, 2)
    key = "TwoLayerNet"
    for side, style in ((data.learner, YOURS), (data.reference, REFERENCE)):
        run = side.get(key)
        if run is None:
            continue
        ax1.plot(run["loss"], **dict(_s(style), linewidth=style["linewidth"] / 2))
        ax2.plot(run["step"], run["train_acc"], **_s(style, "train"))
        ax2.plot(run["step"], run["test_acc"], marker=".", **dict(_s(style, "test"), linestyle=":"))
    iteration = plot_text("plot.iteration")
    ax1.set(title=plot_text("plot.training_loss"), xlabel=iteration, ylabel=plot_text("plot.loss"))
    ax2.set(title=plot_text("plot.accuracy"), xlabel=iteration, ylabel=plot_text("plot.accuracy"), ylim=(0, 1))
    for ax in (ax1, ax2):
        ax.legend(loc="best", fontsize=8)
        _errors_note(ax, data, key)
    c = plotdata.CURVE
    fig.suptitle(plot_text("plot.curve_title", train=c["train"], test=c["test"], batch=c["batch"], lr=c["lr"],
                           seed=plotdata.SEED), fontsize=10)
    return fig


def draw_optimizers(data: PlotData) -> Figure:
    fig = Figure(figsize=(10, 8), layout="constrained")
    axes = fig.subplots(2, 2).ravel()
    xs, ys = np.arange(-10, 10, 0.05), np.arange(-5, 5, 0.05)
    X, Y = np.meshgrid(xs, ys)
    Z = X**2 / 20.0 + Y**2
    for ax, (name, _) in zip(axes, plotdata.OPTIMIZERS):
        ax.contour(X, Y, Z, levels=np.linspace(0.5, 25, 8), colors="lightgray", linewidths=0.8)
        for side, style in ((data.reference, REFERENCE), (data.learner, YOURS)):
            if name in side:
                p = side[name]
                ax.plot(p[:, 0], p[:, 1], marker="o", markersize=3, **_s(style))
        ax.plot(0, 0, "+", color="black")
        ax.set(title=name, xlim=(-10, 10), ylim=(-5, 5), xlabel="x", ylabel="y")
        ax.legend(loc="upper right", fontsize=8)
        _errors_note(ax, data, name)
    fig.suptitle(plot_text("plot.optimizers_title", steps=30), fontsize=10)
    return fig


def _clip_zero_bin(ax, counts: list) -> None:
    """ReLU puts half the activations at 0: like the book (plt.ylim), cut that bar so the
    rest of the histogram shows."""
    rest = max((float(np.max(c[1:])) for c in counts if len(c) > 1), default=0.0)
    if rest > 0 and any(c[0] > 3 * rest for c in counts):
        ax.set_ylim(0, 1.5 * rest)
        ax.text(0.04, 0.92, plot_text("plot.bar_cut"), transform=ax.transAxes, fontsize=6, color="gray")


def draw_activations(data: PlotData) -> Figure:
    rows = [key for key, _ in plotdata.PARTS["activations"]]
    fig = Figure(figsize=(12, 2.0 * len(rows)), layout="constrained")
    axes = fig.subplots(len(rows), 5, sharex=True)
    edges = np.linspace(0.0, 1.0, 31)
    for r, key in enumerate(rows):
        for layer in range(5):
            ax = axes[r, layer]
            for side, style in ((data.learner, YOURS), (data.reference, REFERENCE)):
                if key in side:
                    ax.stairs(side[key][layer], edges, fill=style is YOURS, alpha=0.5 if style is YOURS else 1,
                              color=style["color"], label=_s(style)["label"], linewidth=1.5)
            _clip_zero_bin(ax, [side[key][layer] for side in (data.learner, data.reference) if key in side])
            if r == 0:
                ax.set_title(plot_text("plot.layer", n=layer + 1), fontsize=9)
            if layer == 0:
                ax.set_ylabel(key, fontsize=8)
                _errors_note(ax, data, key)
            ax.tick_params(labelsize=6)
    axes[0, -1].legend(fontsize=7)
    fig.suptitle(plot_text("plot.activations_title"), fontsize=10)
    return fig


def draw_overfit(data: PlotData) -> Figure:
    runs = [key for key, _ in plotdata.PARTS["overfit"]]
    fig = Figure(figsize=(13, 4), layout="constrained")
    axes = fig.subplots(1, len(runs), sharey=True)
    for ax, key in zip(axes, runs):
        for side, style in ((data.learner, YOURS), (data.reference, REFERENCE)):
            if key in side:
                step, train, test = side[key]
                ax.plot(step, train, **_s(style, "train"))
                ax.plot(step, test, **dict(_s(style, "test"), linestyle=":"))
        ax.set(title=_run_title(key), xlabel=plot_text("plot.iteration"), ylim=(0, 1.02))
        ax.legend(loc="lower right", fontsize=8)
        _errors_note(ax, data, key)
    axes[0].set_ylabel(plot_text("plot.accuracy"))
    o = plotdata.OVERFIT
    fig.suptitle(plot_text("plot.overfit_title", train=o["train"], lr=o["lr"]), fontsize=10)
    return fig


def _run_title(key: str) -> str:
    """The title of an overfit run (plotdata.OVERFIT_RUNS: none / weight decay / dropout)."""
    o = plotdata.OVERFIT
    titles = (plot_text("plot.run_no_regularisation"), plot_text("plot.run_weight_decay", value=o["lambda"]),
              plot_text("plot.run_dropout", value=o["dropout"]))
    labels = [label for label, *_ in plotdata.OVERFIT_RUNS]
    return titles[labels.index(key)] if key in labels and len(labels) == len(titles) else key


DRAW = {"curve": draw_curve, "optimizers": draw_optimizers, "activations": draw_activations,
        "overfit": draw_overfit}


def make(kind: str, workspace: Path | str = ".", progress=None) -> tuple[Figure, PlotData]:
    """Run experiment ``kind`` (plotdata.KINDS) on ``workspace`` and the reference; draw it."""
    data = plotdata.collect(kind, Path(workspace), progress=progress)
    return DRAW[kind](data), data


def figure(kind: str, workspace: Path | str = ".") -> Figure:
    """For notebooks: the Figure, with the numbers it shows as ``fig.dlfs_data`` (PlotData)."""
    fig, data = make(kind, workspace)
    fig.dlfs_data = data
    return fig


def save(fig: Figure, path: Path) -> Path:
    """Write ``fig`` as a PNG (the folder is created)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=90, format="png")
    return path
