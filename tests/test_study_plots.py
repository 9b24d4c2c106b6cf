"""`dlfs plot KIND`: each figure is a non-empty PNG drawn from the numbers it exposes; with the
reference as the learner the two sides agree exactly, and a planted bug parts them (only in the
part of the figure the bug is about)."""
from __future__ import annotations

import numpy as np
import pytest

from grader.study import plotdata, plots
from study_support import dlfs, fresh_scaffold, plant, reference_copy  # noqa: F401  (fixture)

# kind → (file, the book's line, the learner's mistake, the parts that must differ)
BUGS = {
    "curve": ("common/layers.py", "dx = (self.y - self.t) / batch_size", "dx = (self.y - self.t)",
              {"TwoLayerNet"}),
    "optimizers": ("common/optimizer.py", "self.v[key] = self.momentum*self.v[key] - self.lr*grads[key]",
                   "self.v[key] = self.momentum*self.v[key] - grads[key]", {"Momentum"}),
    "activations": ("common/multi_layer_net.py", "scale = np.sqrt(2.0 / all_size_list[idx - 1])",
                    "scale = np.sqrt(1.0 / all_size_list[idx - 1])", {"relu, std=he"}),
    "overfit": ("common/multi_layer_net.py",
                "self.layers['Affine' + str(idx)].dW + self.weight_decay_lambda * self.layers['Affine' + str(idx)].W",
                "self.layers['Affine' + str(idx)].dW", {"weight decay λ=0.1"}),
}
SLOW = {"curve", "overfit"}
KINDS = [pytest.param(k, marks=pytest.mark.slow) if k in SLOW else k for k in plotdata.KINDS]


def parts(arrays: dict, who: str) -> dict[str, list[np.ndarray]]:
    out: dict[str, list] = {}
    for key, value in sorted(arrays.items()):
        side, part = key.split("/")[:2]
        if side == who:
            out.setdefault(part, []).append(np.asarray(value))
    return out


def differing(arrays: dict) -> set[str]:
    mine, ref = parts(arrays, "learner"), parts(arrays, "reference")
    assert set(mine) == set(ref), (set(mine), set(ref))
    return {p for p in ref if any(a.shape != b.shape or not np.array_equal(a, b) for a, b in zip(mine[p], ref[p]))}


@pytest.mark.parametrize("kind", KINDS)
def test_reference_as_learner_draws_the_same_curves(kind, tmp_path):
    fig, data = plots.make(kind, reference_copy(tmp_path / "ws"))
    assert not data.errors, data.errors
    arrays = plotdata.to_arrays(data)
    assert arrays and differing(arrays) == set()
    assert plots.save(fig, tmp_path / f"{kind}.png").stat().st_size > 10_000


@pytest.mark.parametrize("kind", KINDS)
def test_a_planted_bug_parts_the_curves(kind, tmp_path):
    file, old, new, expected = BUGS[kind]
    ws = plant(reference_copy(tmp_path / "ws"), file, old, new)
    png, npz = tmp_path / "out" / f"{kind}.png", tmp_path / "out" / f"{kind}.npz"
    res = dlfs("plot", kind, ws, "-o", png, "--data", npz, cwd=tmp_path)
    assert res.returncode == 0, res.stdout + res.stderr
    assert f"wrote {png}" in res.stdout
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
    with np.load(npz, allow_pickle=False) as f:
        arrays = {k: f[k] for k in f.files}
    assert differing(arrays) == expected


def test_learner_errors_are_drawn_not_raised(fresh_scaffold, tmp_path):
    fig, data = plots.make("optimizers", fresh_scaffold)
    assert set(data.errors["learner"]) == {"SGD", "Momentum", "AdaGrad", "Adam"}
    assert "NotImplementedError" in data.errors["learner"]["SGD"] and not data.learner
    assert set(data.reference) == {"SGD", "Momentum", "AdaGrad", "Adam"}
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert any("your code: raised NotImplementedError: ch06.SGD.update" in t.replace("\n", " ") for t in texts)


def test_unknown_plot_and_notebook_figure(tmp_path):
    res = dlfs("plot", "loss", tmp_path, cwd=tmp_path)
    assert res.returncode == 2 and "invalid choice: 'loss'" in res.stderr
    fig = plots.figure("optimizers", reference_copy(tmp_path / "ws"))
    assert fig.dlfs_data.kind == "optimizers" and len(fig.axes) == 4

