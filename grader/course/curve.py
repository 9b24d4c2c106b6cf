"""The learning curve in a student's feedback: their net against the reference, same seed.

For the chapters whose nets train with the book's SGD loop (ch04, ch05 ``TwoLayerNet``), both
nets are built after the same ``np.random.seed`` and trained on the same small MNIST subset
with ``recipes.train_two_layer`` — the student's in a sandboxed Worker, the reference's in a
trusted one. After every chunk of iterations the returned weights are evaluated by the
*reference's* ``loss`` and ``accuracy``, so the numbers cannot be forged. A few seconds.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

import functools

import numpy as np

from grader.messages import msg
from grader.worker.client import Worker, WorkerError
from grader.worker.protocol import ProtocolError
from grader.worker.sandbox import Limits, trusted_launcher

NETS = {"ch04": "ch04/two_layer_net.py", "ch05": "ch05/two_layer_net.py"}


@dataclass(frozen=True)
class Setup:
    samples: int = 1000  # training images (the first ones of the training set)
    hidden: int = 50
    batch: int = 100
    lr: float = 0.1
    chunks: int = 8  # evaluation points after the start
    iters_per_chunk: int = 25
    seed: int = 0


@dataclass
class Curve:
    chapter: str
    iterations: list[int] = field(default_factory=list)
    student_loss: list[float] = field(default_factory=list)
    student_acc: list[float] = field(default_factory=list)
    reference_loss: list[float] = field(default_factory=list)
    reference_acc: list[float] = field(default_factory=list)
    samples: int = 0

    def to_json(self) -> dict:
        return asdict(self)


@functools.lru_cache(maxsize=2)
def _data(setup: Setup):
    """x: (samples, 784) float64 in [0, 1]; t: (samples, 10) float64 one-hot (read-only;
    loaded once per process: a pool process draws many students' curves)."""
    from grader.data import load_mnist

    (x, labels), _ = load_mnist(normalize=True, flatten=True, one_hot_label=False)
    x = np.array(x[: setup.samples], dtype=np.float64)
    t = np.eye(10)[np.asarray(labels[: setup.samples], dtype=np.int64)]
    x.flags.writeable = t.flags.writeable = False
    return x, t


def _trajectory(worker: Worker, path: str, x, t, setup: Setup) -> list[dict]:
    """Params after 0, k, 2k, … iterations of the worker's own net (k = iters_per_chunk)."""
    worker.seed(setup.seed)
    net = worker.module(path).TwoLayerNet(784, setup.hidden, 10)
    xs, ts = worker.put(x), worker.put(t)
    params = [{k: np.asarray(v) for k, v in net.params.items()}]
    for chunk in range(setup.chunks):
        params.append(worker.recipe("train_two_layer", net, xs, ts, setup.iters_per_chunk,
                                    setup.batch, setup.lr, setup.seed + 1 + chunk, timeout=60.0))
    return params


def _evaluate(reference: Worker, path: str, trajectory: list[dict], x, t,
              setup: Setup) -> tuple[list, list]:
    """Loss and accuracy on (x, t) of each params dict, by the reference's own net."""
    net = reference.module(path).TwoLayerNet(784, setup.hidden, 10)
    xs, ts = reference.put(x), reference.put(t)
    losses, accs = [], []
    for params in trajectory:
        shapes = {k: np.shape(v) for k, v in net.params.items()}
        got = {k: np.shape(params.get(k)) for k in shapes}
        if got != shapes:
            raise ValueError(f"params have shapes {got}, expected {shapes}")
        reference.recipe("set_params", net, {k: np.asarray(params[k], dtype=np.float64) for k in shapes})
        losses.append(float(net.loss(xs, ts)))
        accs.append(float(net.accuracy(xs, ts)))
    return losses, accs


@functools.lru_cache(maxsize=4)
def _reference_curve(reference: Path, chapter: str, setup: Setup) -> tuple[tuple, tuple]:
    """(losses, accuracies) of the reference's own training: the same for every student."""
    x, t = _data(setup)
    with Worker(reference, launcher=trusted_launcher(), limits=Limits(call_timeout=120.0)) as ref:
        own = _trajectory(ref, NETS[chapter], x, t, setup)
        losses, accs = _evaluate(ref, NETS[chapter], own, x, t, setup)
    return tuple(losses), tuple(accs)


def learning_curve(submission: Path, chapter: str, reference: Path,
                   setup: Setup = Setup()) -> tuple[Curve | None, str]:
    """(curve, "") or (None, the reason in a learner message). None, "" for chapters without one."""
    path = NETS.get(chapter)
    if path is None:
        return None, ""
    x, t = _data(setup)
    curve = Curve(chapter, [i * setup.iters_per_chunk for i in range(setup.chunks + 1)],
                  samples=setup.samples)
    losses, accs = _reference_curve(Path(reference), chapter, setup)
    curve.reference_loss, curve.reference_acc = list(losses), list(accs)
    try:
        with Worker(submission, limits=Limits(call_timeout=60.0), budget=120.0) as student:
            own = _trajectory(student, path, x, t, setup)
        with Worker(reference, launcher=trusted_launcher(), limits=Limits(call_timeout=120.0)) as ref:
            curve.student_loss, curve.student_acc = _evaluate(ref, path, own, x, t, setup)
    except (WorkerError, ProtocolError, ValueError, TypeError) as e:
        return None, msg("course.curve_failed", net=f"{path} TwoLayerNet", reason=str(e)[:300]).text
    return curve, ""


def plot(curve: Curve, out: Path) -> Path:
    """Write the curve as a PNG (loss and accuracy against iterations, student vs reference)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9, 3.4))
    for ax, mine, ref, label in ((ax1, curve.student_loss, curve.reference_loss, "loss"),
                                 (ax2, curve.student_acc, curve.reference_acc, "accuracy")):
        ax.plot(curve.iterations, mine, "o-", color="tab:blue", markersize=4, label="your net")
        ax.plot(curve.iterations, ref, "--", color="black", label="reference")
        ax.set_xlabel("iteration")
        ax.set_ylabel(label)
        ax.legend()
    fig.suptitle(f"{curve.chapter}: training on {curve.samples} MNIST images")
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=80)
    plt.close(fig)
    return out
