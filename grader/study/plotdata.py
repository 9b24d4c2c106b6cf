"""The numbers behind ``dlfs plot``: the same experiment run on the learner's code and on the
reference, each in its own worker (the two run at the same time, one per core).

``collect(kind, workspace) -> PlotData`` with ``learner`` and ``reference`` dicts of arrays
(the exact data the figure is drawn from) and the error that stopped either side.
Experiments (all seeded, small MNIST subsets, seconds):

* ``curve``: ch05 TwoLayerNet(784, 50, 10), the book's 5.7.4 loop (batch 100, lr 0.1).
* ``optimizers``: SGD, Momentum, AdaGrad, Adam on f(x, y) = x²/20 + y² (figure 6-8).
* ``activations``: a 5-layer MultiLayerNet's initial weights on 1000 random inputs,
  histograms of each layer's activations (figures 6-10 to 6-14).
* ``overfit``: 300 training images, MultiLayerNet [100]*5 without / with weight decay and
  MultiLayerNetExtend with dropout (figures 6-20 to 6-23).
"""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from grader.study.compare import describe_error, reference_worker
from grader.study.texts import text
from grader.study.workspace import StudyError
from grader.worker import protocol
from grader.worker.client import Worker, WorkerError
from grader.worker.sandbox import Limits

N5, MLN, MLNX, O = ("ch05/two_layer_net.py", "common/multi_layer_net.py",
                    "common/multi_layer_net_extend.py", "common/optimizer.py")
SEED = 0
OPTIMIZERS = (("SGD", {"lr": 0.95}), ("Momentum", {"lr": 0.1}), ("AdaGrad", {"lr": 1.5}),
              ("Adam", {"lr": 0.3}))  # the book's optimizer_compare_naive.py
INITS = (("sigmoid", 1.0), ("sigmoid", 0.01), ("sigmoid", "xavier"),
         ("relu", 0.01), ("relu", "xavier"), ("relu", "he"))
CURVE = {"train": 2000, "test": 1000, "steps": 600, "batch": 100, "lr": 0.1, "eval_every": 20, "chunk": 100}
OVERFIT = {"train": 300, "test": 500, "steps": 300, "batch": 100, "lr": 0.03, "eval_every": 6,
           "chunk": 100, "hidden": [100] * 5, "lambda": 0.1, "dropout": 0.15}
OVERFIT_RUNS = (("no regularisation", MLN, "MultiLayerNet", {}),
                ("weight decay λ=0.1", MLN, "MultiLayerNet", {"weight_decay_lambda": OVERFIT["lambda"]}),
                ("dropout 0.15", MLNX, "MultiLayerNetExtend",
                 {"use_dropout": True, "dropout_ration": OVERFIT["dropout"]}))
Tick = Callable[[str], None]


@dataclass
class PlotData:
    kind: str
    learner: dict = field(default_factory=dict)
    reference: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)  # "learner" / "reference" → {part: message}


def _mnist(n_train: int, n_test: int, one_hot: bool) -> dict:
    from grader.data import DataError, load_mnist

    try:
        (x_train, t_train), (x_test, t_test) = load_mnist(normalize=True, flatten=True,
                                                           one_hot_label=one_hot)
    except DataError as e:
        raise StudyError(str(e)) from None
    return {"x_train": np.array(x_train[:n_train]), "t_train": np.array(t_train[:n_train]),
            "x_test": np.array(x_test[:n_test]), "t_test": np.array(t_test[:n_test])}


def _train(worker: Worker, net, handles: dict, cfg: dict, tick: Tick, label: str,
           predict_kwargs: dict | None = None) -> dict:
    """The recipe study.train_chunk in chunks of cfg["chunk"] steps (one tick each) on the
    data ``handles`` (x_train, t_train, x_test, t_test stored in the worker)."""
    out: dict = {"loss": [], "step": [], "train_acc": [], "test_acc": []}
    for start in range(0, cfg["steps"], cfg["chunk"]):
        part = worker.recipe("study.train_chunk", net, handles["x_train"], handles["t_train"],
                             handles["x_test"], handles["t_test"], min(cfg["chunk"], cfg["steps"] - start),
                             cfg["batch"], cfg["lr"], cfg["eval_every"], start=start,
                             predict_kwargs=predict_kwargs, timeout=300.0)
        out["loss"] += list(part["loss"])
        out["step"] += list(part["step"])
        for split in ("train", "test"):  # accuracies formed here, from the net's scores
            labels = shared_labels(handles, split)
            out[f"{split}_acc"] += [_accuracy(scores, labels) for scores in part[f"{split}_scores"]]
        tick(label)
    return {k: np.array(v, dtype=np.float64) for k, v in out.items()}


def _accuracy(scores, labels) -> float:
    """Share of rows whose argmax is the label (labels: (N,) ints or (N, C) one-hot)."""
    scores, labels = np.asarray(scores), np.asarray(labels)
    if labels.ndim != 1:
        labels = np.argmax(labels, axis=1)
    return float(np.mean(np.argmax(scores, axis=1) == labels)) if scores.ndim == 2 else float("nan")


def shared_labels(handles: dict, split: str) -> np.ndarray:
    return handles[f"labels_{split}"]


def _activation_input() -> np.ndarray:
    """The book's input for figures 6-10 to 6-14: 1000 samples of 100 standard-normal values."""
    return np.random.default_rng(SEED).normal(size=(1000, 100))


def activation_histograms(params: dict, activation: str, x, layers: int, bins: int = 30) -> np.ndarray:
    """The book's weight_init_activation_histogram.py on a net's initial weights, computed in
    the judge (params are data): z = act(z · W_i + b_i) for i = 1 … ``layers``; (layers, bins)
    histograms of the activations on [0, 1]."""
    act = {"sigmoid": lambda a: 1 / (1 + np.exp(-a)), "relu": lambda a: np.maximum(0, a)}[activation]
    z = np.asarray(x, dtype=np.float64)
    counts = []
    with np.errstate(over="ignore"):
        for i in range(1, layers + 1):
            z = act(z @ np.asarray(params[f"W{i}"], dtype=np.float64) + np.asarray(params[f"b{i}"]))
            counts.append(np.histogram(z, bins=bins, range=(0.0, 1.0))[0])
    return np.array(counts, dtype=np.int64)


# ---- the parts of each experiment: (key, run(worker, shared, tick) -> value) --------------
def _curve(worker: Worker, shared: dict, tick: Tick) -> dict:
    worker.seed(SEED)
    net = worker.module(N5).TwoLayerNet(784, 50, 10)
    return _train(worker, net, shared["mnist"], CURVE, tick, "TwoLayerNet")


def _optimizer(name: str, kwargs: dict):
    def run(worker: Worker, shared: dict, tick: Tick) -> np.ndarray:
        opt = getattr(worker.module(O), name)(**kwargs)
        # the book's figure 6-8: the start (-7, 2), then 30 updates with float params
        path = np.vstack([[-7.0, 2.0], worker.recipe("ch06.quadratic_path", opt, "floats", 30)])
        tick(name)
        return path
    return run


def _activations(activation: str, init):
    def run(worker: Worker, shared: dict, tick: Tick) -> np.ndarray:
        worker.seed(SEED)
        net = worker.module(MLN).MultiLayerNet(100, [100] * 5, 10, activation=activation,
                                                weight_init_std=init)
        counts = activation_histograms(net.params, activation, _activation_input(), 5)
        tick(f"{activation}/{init}")
        return counts
    return run


def _overfit(label: str, path: str, cls: str, kwargs: dict):
    def run(worker: Worker, shared: dict, tick: Tick) -> np.ndarray:
        worker.seed(SEED)
        net = getattr(worker.module(path), cls)(784, OVERFIT["hidden"], 10, **kwargs)
        r = _train(worker, net, shared["mnist"], OVERFIT, tick, label)
        return np.stack([r["step"], r["train_acc"], r["test_acc"]])  # (3, evaluations)
    return run


PARTS = {
    "curve": (("TwoLayerNet", _curve),),
    "optimizers": tuple((name, _optimizer(name, kw)) for name, kw in OPTIMIZERS),
    "activations": tuple((f"{a}, std={w}", _activations(a, w)) for a, w in INITS),
    "overfit": tuple((label, _overfit(label, *rest)) for label, *rest in OVERFIT_RUNS),
}


def _shared(kind: str) -> dict:
    if kind == "curve":
        return {"mnist": _mnist(CURVE["train"], CURVE["test"], one_hot=True)}
    if kind == "overfit":
        return {"mnist": _mnist(OVERFIT["train"], OVERFIT["test"], one_hot=False)}
    if kind == "activations":
        return {"x": _activation_input()}
    return {}


def _put_shared(worker: Worker, shared: dict) -> dict:
    """The shared inputs stored once in the worker (handles), not sent with every call; the
    labels also stay here as data, for the accuracies the judge forms."""
    out = {}
    for k, v in shared.items():
        if isinstance(v, dict):
            out[k] = {n: worker.put(a) for n, a in v.items()}
            if "t_train" in v:
                out[k].update(labels_train=v["t_train"], labels_test=v["t_test"])
        else:
            out[k] = worker.put(v)
    return out


TICKS = {"curve": -(-CURVE["steps"] // CURVE["chunk"]), "optimizers": len(OPTIMIZERS),
         "activations": len(INITS), "overfit": len(OVERFIT_RUNS) * -(-OVERFIT["steps"] // OVERFIT["chunk"])}
KINDS = tuple(PARTS)


def collect(kind: str, workspace: Path, progress=None, limits: Limits | None = None) -> PlotData:
    """Run experiment ``kind`` on the learner's folder and on the reference, at the same time.

    ``progress(done, total, label)`` is called after every chunk of either side."""
    if kind not in PARTS:
        raise StudyError(text("study.unknown_plot", kind=kind, choices=", ".join(KINDS)))
    shared = _shared(kind)
    data, lock, done = PlotData(kind), threading.Lock(), [0]
    total = 2 * TICKS[kind]

    def tick(label: str) -> None:
        with lock:
            done[0] += 1
            if progress:
                progress(done[0], total, label)

    def run(who: str, worker: Worker) -> None:
        with worker:
            handles = None
            for key, part in PARTS[kind]:
                try:
                    handles = handles or _put_shared(worker, shared)
                    getattr(data, who)[key] = part(worker, handles, tick)
                except (WorkerError, protocol.ProtocolError) as e:
                    data.errors.setdefault(who, {})[key] = describe_error(e)
                    handles = None  # the worker may have restarted: store the inputs again

    learner = Worker(Path(workspace), limits=limits or Limits(call_timeout=300.0))
    with ThreadPoolExecutor(2) as pool:
        for f in [pool.submit(run, "learner", learner), pool.submit(run, "reference", reference_worker())]:
            f.result()
    return data


def to_arrays(data: PlotData) -> dict[str, np.ndarray]:
    """The plotted numbers as flat arrays: "learner/<part>" or "learner/<part>/<field>" (the
    ``curve`` part holds loss, step, train_acc and test_acc), the same for "reference"."""
    out = {}
    for who in ("learner", "reference"):
        for part, value in getattr(data, who).items():
            if isinstance(value, dict):
                out.update({f"{who}/{part}/{k}": np.asarray(v) for k, v in value.items()})
            else:
                out[f"{who}/{part}"] = np.asarray(value)
    return out


def save_npz(data: PlotData, path: Path) -> Path:
    """``to_arrays(data)`` as an .npz file (np.load(path) reads it back, no pickles)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as f:
        np.savez(f, **to_arrays(data))
    return path
