"""``dlfs demo``: what the kit does, in one minute, on this machine.

1. trains the reference ch05 TwoLayerNet on MNIST (the book's 5.7.4 loop, with a progress bar)
   and writes its learning curve;
2. grades a bundled example: a learner's ch05 folder with one realistic bug planted in it, and
   shows the judge's table (the bug costs exactly one exercise).
"""
from __future__ import annotations

import shutil
import time
from pathlib import Path

import numpy as np

EXAMPLE_BUG = ("common/layers.py", "self.db = np.sum(dout, axis=0)", "self.db = dout",
               "Affine.backward keeps db per sample instead of summing over the batch")


def train_reference(epochs: int = 10, seed: int = 0) -> dict:
    """The book's ch05 training (TwoLayerNet(784, 50, 10), batch 100, lr 0.1) on the reference.

    Returns {"loss": [...per iteration], "train_acc": [...per epoch], "test_acc": [...]}."""
    from tqdm import tqdm

    from grader.data import load_mnist
    from grader.judge.session import reference_dir
    from grader.worker.loader import load_module

    (x_train, t_train), (x_test, t_test) = load_mnist(normalize=True, one_hot_label=True)
    net_module = load_module(reference_dir(), "ch05/two_layer_net.py")
    np.random.seed(seed)
    net = net_module.TwoLayerNet(input_size=784, hidden_size=50, output_size=10)
    train_size, batch_size, lr = x_train.shape[0], 100, 0.1
    iter_per_epoch = train_size // batch_size
    curve = {"loss": [], "train_acc": [], "test_acc": []}
    for _ in tqdm(range(epochs * iter_per_epoch), desc="training TwoLayerNet", unit="batch",
                  mininterval=0.5):
        batch = np.random.choice(train_size, batch_size)
        grads = net.gradient(x_train[batch], t_train[batch])
        for key in ("W1", "b1", "W2", "b2"):
            net.params[key] -= lr * grads[key]
        curve["loss"].append(float(net.loss(x_train[batch], t_train[batch])))
        if len(curve["loss"]) % iter_per_epoch == 0:
            curve["train_acc"].append(float(net.accuracy(x_train, t_train)))
            curve["test_acc"].append(float(net.accuracy(x_test, t_test)))
    return curve


def plot_curve(curve: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
    ax1.plot(curve["loss"], linewidth=0.6)
    ax1.set(title="training loss (ch05 TwoLayerNet)", xlabel="iteration", ylabel="loss")
    epochs = np.arange(1, len(curve["train_acc"]) + 1)
    ax2.plot(epochs, curve["train_acc"], marker="o", label="train")
    ax2.plot(epochs, curve["test_acc"], marker="s", linestyle="--", label="test")
    ax2.set(title="accuracy (book figure 5-32)", xlabel="epoch", ylabel="accuracy", ylim=(0.8, 1.0))
    ax2.legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def make_example(out: Path) -> Path:
    """A learner's folder: the reference with one realistic bug planted (EXAMPLE_BUG)."""
    from grader.judge.session import reference_dir

    student = out / "example-submission"
    shutil.rmtree(student, ignore_errors=True)
    shutil.copytree(reference_dir(), student, ignore=shutil.ignore_patterns("__pycache__"))
    path = student / EXAMPLE_BUG[0]
    path.write_text(path.read_text(encoding="utf-8").replace(EXAMPLE_BUG[1], EXAMPLE_BUG[2], 1),
                    encoding="utf-8")
    return student


def run(out: Path, epochs: int = 10) -> int:
    from grader.judge.session import grade
    from grader.report import table, write_json

    out.mkdir(parents=True, exist_ok=True)
    start = time.monotonic()
    curve = train_reference(epochs)
    png = out / "learning_curve.png"
    plot_curve(curve, png)
    print(f"train accuracy {curve['train_acc'][-1]:.4f}, test accuracy {curve['test_acc'][-1]:.4f} "
          f"after {epochs} epochs ({time.monotonic() - start:.0f} s); learning curve: {png}")
    print(f"\nGrading the bundled example ({EXAMPLE_BUG[3]}):\n")
    report = grade(make_example(out), ["ch05"])
    write_json(report, out / "example-report.json")
    print(table(report))
    print(f"\nJSON report: {out / 'example-report.json'}")
    return 0
