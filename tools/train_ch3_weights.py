"""Train the kit's own chapter 3 weights: ``grader/assets/ch3_weights.npz``.

The book's ``sample_weight.pkl`` is not redistributable with the kit, so when it is absent
``grader.data.load_sample_weights`` falls back to this file. It holds what ch03's
``init_network()`` returns: float32 W1 (784, 50), b1 (50,), W2 (50, 100), b2 (100,), W3 (100, 10),
b3 (10,) for ``predict`` = sigmoid(x·W1 + b1) → sigmoid(·W2 + b2) → softmax(·W3 + b3).

They are trained with the reference solutions: ``MultiLayerNet(784, [50, 100], 10,
activation='sigmoid', weight_init_std='sigmoid')`` (its layers Affine1, Sigmoid, Affine2, Sigmoid,
Affine3 are exactly ch03's network; its scores are the softmax's input, so argmax is unchanged)
and ``Trainer`` with Adam (lr 0.001), batch 100, 10 epochs on the full 60000-image training set
(normalize, flatten, labels), ``np.random.seed(0)`` before the constructor.

Result of ``python tools/train_ch3_weights.py`` (numpy 2.x): ch03 predict with the saved float32
weights reaches test accuracy **0.9654** (9654 / 10000 test images; train 0.9788).

Usage::

    DLFS_DATA=/path/to/mnist .venv/bin/python tools/train_ch3_weights.py [--out FILE] [--epochs N]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
SOLUTIONS = REPO / "solutions"
DEFAULT_OUT = REPO / "grader" / "assets" / "ch3_weights.npz"
SEED = 0


def ch03_predict(network, x):
    """The book's ch03 predict: x (N, 784) float32 → softmax probabilities (N, 10)."""
    W1, W2, W3 = network["W1"], network["W2"], network["W3"]
    b1, b2, b3 = network["b1"], network["b2"], network["b3"]
    z1 = 1 / (1 + np.exp(-(np.dot(x, W1) + b1)))
    z2 = 1 / (1 + np.exp(-(np.dot(z1, W2) + b2)))
    a3 = np.dot(z2, W3) + b3
    e = np.exp(a3 - a3.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output .npz (default {DEFAULT_OUT})")
    ap.add_argument("--epochs", type=int, default=10)
    args = ap.parse_args(argv)

    sys.path.insert(0, str(REPO))
    sys.path.insert(0, str(SOLUTIONS))
    from grader.data import load_mnist
    from common.multi_layer_net import MultiLayerNet
    from common.trainer import Trainer

    (x_train, t_train), (x_test, t_test) = load_mnist(normalize=True, flatten=True, one_hot_label=False)

    np.random.seed(SEED)
    network = MultiLayerNet(784, [50, 100], 10, activation="sigmoid", weight_init_std="sigmoid")
    trainer = Trainer(network, x_train, t_train, x_test, t_test, epochs=args.epochs,
                      mini_batch_size=100, optimizer="Adam", optimizer_param={"lr": 0.001},
                      verbose=False)
    trainer.train()
    for epoch, (tr, te) in enumerate(zip(trainer.train_acc_list, trainer.test_acc_list), 1):
        print(f"epoch {epoch} (start): train acc {tr:.4f}, test acc {te:.4f}")

    weights = {k: network.params[k].astype(np.float32) for k in ("W1", "b1", "W2", "b2", "W3", "b3")}
    test_acc = float(np.mean(np.argmax(ch03_predict(weights, x_test), axis=1) == t_test))
    train_acc = float(np.mean(np.argmax(ch03_predict(weights, x_train), axis=1) == t_train))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(args.out, **weights)
    print(f"saved {args.out}")
    print(f"ch03 predict, float32 weights: test accuracy {test_acc:.4f}, train accuracy {train_acc:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
