"""Hidden suite, chapter 6.4.3: Dropout.forward / backward (common/layers.py), the book's
non-inverted dropout.

forward: the mask is np.random.rand(*x.shape) > dropout_ratio (contract §0), so after the same
np.random.seed the student's training output equals the reference's (two calls in a row: a new
mask each time); a large input drops about `ratio` of the units and keeps the others unscaled;
test mode returns x·(1 - ratio), the same on every call, for the default ratio 0.5 too.

backward: isolated from forward. The judge writes the mask (contract §3: `mask`) and calls
backward; and, after the student's own training forward, backward must use the mask that
forward kept (whatever forward drew), also after a second forward.

Tolerances: the same float64 products, measured 0; value bound 1e-12. The share of dropped
units in 20000 draws with ratio 0.2 has standard error √(0.2·0.8/20000) = 0.0028; the bound is
6 standard errors (measured on solutions/ over 200 seeds: at most 3.4).
"""
import numpy as np

from grader.judge import compare as check
from grader.judge.plugin import points
from grader.worker.client import ImportFailed, StudentError

L = "common/layers.py"
TOL = 1e-12
FWD, BWD = "ch06.Dropout.forward", "ch06.Dropout.backward"


def dropout(worker, *args):
    return worker.module(L).Dropout(*args)


def book_mask(seed, shape, ratio, draws_before=0):
    """The mask the book's forward draws after np.random.seed(seed) (legacy global RNG)."""
    rs = np.random.RandomState(seed)
    for _ in range(draws_before):
        rs.rand(*shape)
    return rs.rand(*shape) > ratio


def mask_hints(x, seed, ratio, call):
    u = np.random.RandomState(seed)
    for _ in range(call - 1):
        u.rand(*x.shape)
    u = u.rand(*x.shape)
    keep = u > ratio
    return {"hint.dropout_inverted": x * keep / (1.0 - ratio),
            "hint.dropout_keep_ratio": x * (u < ratio)}


@points(FWD, 2)
def test_training_mask_matches_reference(student, reference, rng):
    x = rng.normal(size=(4, 6)) + 0.1
    ratio = 0.3
    mine, ref = dropout(student, ratio), dropout(reference, ratio)
    student.seed(7)
    reference.seed(7)
    for call in (1, 2):  # no re-seeding between the calls: the second draws a new mask
        what = (f"np.random.seed(7); Dropout({ratio}).forward(x) for x (4, 6), training mode "
                f"(default train_flg), call {call}")
        check.close(mine.forward(x), ref.forward(x), what, tol=TOL, hints=mask_hints(x, 7, ratio, call))


@points(FWD, 1)
def test_training_drops_about_ratio_without_rescaling(student):
    ratio = 0.2
    x = np.arange(1.0, 20001.0).reshape(200, 100)  # all different and non-zero
    student.seed(3)
    out = check.array(dropout(student, ratio).forward(x, True), f"Dropout({ratio}).forward(x, True) for x (200, 100)",
                      (200, 100))
    dropped = float(np.mean(out == 0))
    what = f"Dropout({ratio}).forward(x, train_flg=True) for x (200, 100) without zeros"
    check.holds(abs(dropped - ratio) <= 6 * np.sqrt(ratio * (1 - ratio) / x.size), what,
                "about dropout_ratio of the units must be 0 (mask = np.random.rand(*x.shape) > dropout_ratio)",
                hint="hint.dropout_keep_ratio" if abs(dropped - (1 - ratio)) < 0.05 else None)
    kept = out != 0
    check.close(out[kept], x[kept], f"{what}: the kept units", tol=TOL,
                hints={"hint.dropout_inverted": x[kept] / (1 - ratio)})


@points(FWD, 2)
def test_test_mode_scales_and_is_deterministic(student, rng):
    x = rng.normal(size=(3, 5))
    for args, ratio in (((0.3,), 0.3), ((), 0.5)):
        layer = dropout(student, *args)
        call = f"Dropout({', '.join(map(str, args))})"
        student.seed(5)
        first = layer.forward(x, False)
        hints = {"hint.dropout_at_test": x * book_mask(5, x.shape, ratio),
                 "hint.dropout_inverted": x}
        check.close(first, x * (1.0 - ratio), f"{call}.forward(x, train_flg=False) (test mode)", tol=TOL,
                    hints=hints)
        check.close(layer.forward(x, False), first, f"{call}.forward(x, train_flg=False), called again",
                    tol=TOL, hints={"hint.dropout_at_test": x * book_mask(5, x.shape, ratio, draws_before=1)})


@points(BWD, 1)
def test_backward_with_given_mask(student, rng):
    layer = dropout(student, 0.4)
    for call in (1, 2):  # twice, with another mask: backward follows self.mask
        mask = rng.uniform(size=(3, 4)) > 0.4
        dout = rng.normal(size=(3, 4))
        layer.mask = mask
        check.close(layer.backward(dout), dout * mask,
                    f"Dropout(0.4).backward(dout) with self.mask set (call {call})", tol=TOL,
                    hints={"hint.dropout_inverted": dout * mask / 0.6, "hint.dropout_backward_mask": dout})


@points(BWD, 2)
def test_backward_uses_the_mask_of_forward(student, rng):
    layer = dropout(student, 0.3)
    x = rng.normal(size=(4, 5)) + 0.05
    student.seed(2)
    for call in (1, 2):  # the second forward draws a new mask; backward must follow it
        try:
            layer.forward(x, True)
        except ImportFailed:
            raise
        except StudentError:
            pass  # forward is graded elsewhere
        mask = layer.mask
        if not (isinstance(mask, np.ndarray) and mask.shape == x.shape and mask.dtype.kind in "biuf"):
            mask = book_mask(2, x.shape, 0.3, draws_before=call - 1)  # forward kept no mask: write one
            layer.mask = mask
        mask = np.asarray(mask, dtype=np.float64)
        dout = rng.normal(size=x.shape)
        check.close(layer.backward(dout), dout * mask,
                    f"Dropout(0.3).forward(x, True), then backward(dout) (call {call}): dout · self.mask",
                    tol=TOL, hints={"hint.dropout_inverted": dout * mask / 0.7,
                                    "hint.dropout_backward_mask": dout})
