"""Hidden suite, chapter 7: the Convolution and Pooling layers (common/layers.py, 7.4.3–7.4.4).

The truth is the judge's direct loops (one window at a time), numerical gradients (formed in
the judge, grader/judge/numeric.py, on the reference's layers) and the contract's oracles (§15).
Isolation: the student's layers are called with the book's im2col / col2im lent into their
common/layers.py and common/util.py (``book_util``: judge parts, computed on the reference), so
a bug in their im2col costs only ``ch07.im2col``; the backward tests set the forward's cached
state (x, col, col_W / x, arg_max) themselves, so a forward bug never costs a backward. The
tests marked end_to_end run with the student's own im2col / col2im.
"""
import contextlib

import numpy as np
import pytest

from grader.judge import compare as check
from grader.judge import numeric
from grader.judge.plugin import points
from grader.suites.ch07_im2col import naive_col2im, naive_im2col, out_size
from grader.worker.client import ImportFailed

L, U = "common/layers.py", "common/util.py"


# ---- calling the student's layers -----------------------------------------------------------
@contextlib.contextmanager
def book_util(student):
    """For the block, the book's im2col / col2im (lent by the judge) replace the student's in
    their common/layers.py (``from common.util import im2col``) and in common/util.py (layers
    that call ``common.util.im2col``)."""
    layers = student.module(L)
    try:
        util = student.module(U)
    except ImportFailed:  # no common/util.py: their layers must define im2col themselves
        util = None
    with contextlib.ExitStack() as stack:
        stack.enter_context(student.lending(U, "im2col", "col2im", into=layers))
        if util is not None:
            stack.enter_context(student.lending(U, "im2col", "col2im", into=util))
        yield


def forward(student, layer, x, state=(), own_util=False) -> dict:
    """{"out": layer.forward(x), plus the attributes named in ``state``}, with the book's
    im2col unless ``own_util``."""
    with contextlib.nullcontext() if own_util else book_util(student):
        return student.recipe("ch07.layer_call", layer, "forward", x, state=state)


def backward(student, layer, state, dout, grads=(), own_util=False) -> dict:
    """The forward's cached attributes ``state`` set on the layer, then {"dx": backward(dout),
    plus the attributes named in ``grads``}, with the book's col2im unless ``own_util``."""
    with contextlib.nullcontext() if own_util else book_util(student):
        return student.recipe("ch07.layer_backward_from_state", layer, state, dout, grads=grads)


# ---- the judge's direct loops ---------------------------------------------------------------
def naive_conv(x, W, b, stride, pad):
    N, C, H, Wd = x.shape
    FN, _, FH, FW = W.shape
    oh, ow = out_size(H, FH, stride, pad), out_size(Wd, FW, stride, pad)
    xp = np.pad(x, [(0, 0), (0, 0), (pad, pad), (pad, pad)])
    out = np.zeros((N, FN, oh, ow))
    for n in range(N):
        for f in range(FN):
            for i in range(oh):
                for j in range(ow):
                    win = xp[n, :, i * stride:i * stride + FH, j * stride:j * stride + FW]
                    out[n, f, i, j] = np.sum(win * W[f]) + b[f]
    return out


def naive_conv_backward(x, W, dout, stride, pad):
    """(dx, dW, db) of out = conv(x, W) + b for the upstream gradient dout."""
    N, C, H, Wd = x.shape
    FN, _, FH, FW = W.shape
    _, _, oh, ow = dout.shape
    xp = np.pad(x, [(0, 0), (0, 0), (pad, pad), (pad, pad)])
    dxp, dW = np.zeros_like(xp), np.zeros_like(W)
    for n in range(N):
        for f in range(FN):
            for i in range(oh):
                for j in range(ow):
                    sl = (n, slice(None), slice(i * stride, i * stride + FH), slice(j * stride, j * stride + FW))
                    dW[f] += dout[n, f, i, j] * xp[sl]
                    dxp[sl] += dout[n, f, i, j] * W[f]
    return dxp[:, :, pad:pad + H, pad:pad + Wd], dW, dout.sum(axis=(0, 2, 3))


def naive_pool(x, ph, pw, stride):
    """(out, arg_max): window maxima and, in the book's order (n, oh, ow, c), the row-major
    index of each window's first maximum."""
    N, C, H, W = x.shape
    oh, ow = out_size(H, ph, stride, 0), out_size(W, pw, stride, 0)
    out, arg = np.zeros((N, C, oh, ow)), np.zeros((N, oh, ow, C), dtype=np.int64)
    for n in range(N):
        for c in range(C):
            for i in range(oh):
                for j in range(ow):
                    win = x[n, c, i * stride:i * stride + ph, j * stride:j * stride + pw].ravel()
                    out[n, c, i, j], arg[n, i, j, c] = win.max(), np.argmax(win)
    return out, arg.ravel()


def naive_pool_backward(x_shape, arg_max, dout, ph, pw, stride, everywhere=False):
    """dx: each dout added at its window's arg_max position (``everywhere``: the mistake of
    adding it at every position of the window)."""
    N, C, oh, ow = dout.shape
    arg = np.asarray(arg_max).reshape(N, oh, ow, C)
    dx = np.zeros(x_shape)
    for n in range(N):
        for c in range(C):
            for i in range(oh):
                for j in range(ow):
                    if everywhere:
                        dx[n, c, i * stride:i * stride + ph, j * stride:j * stride + pw] += dout[n, c, i, j]
                    else:
                        a, b = divmod(int(arg[n, i, j, c]), pw)
                        dx[n, c, i * stride + a, j * stride + b] += dout[n, c, i, j]
    return dx


# ---- values of known mistakes (hints) -------------------------------------------------------
def conv_forward_hints(out):
    N, FN, oh, ow = out.shape
    flat = out.transpose(0, 2, 3, 1).reshape(-1, FN)  # (N·OH·OW, FN), as col · col_W gives it
    return {"hint.conv_out_not_transposed": flat.reshape(N, oh, ow, FN),
            "hint.conv_out_reshape_order": flat.reshape(N, FN, oh, ow)}


def conv_dW_hints(x, W, dout, stride, pad):
    FN, C, FH, FW = W.shape
    col = naive_im2col(x, FH, FW, stride, pad)
    wrong_T = (col.T @ dout.transpose(0, 2, 3, 1).reshape(-1, FN)).reshape(FN, C, FH, FW)
    wrong_order = (col.T @ dout.reshape(-1, FN)).T.reshape(FN, C, FH, FW)
    return {"hint.conv_dW_not_transposed": wrong_T, "hint.conv_dout_not_transposed": wrong_order}


def pool_forward_hints(out):
    N, C, oh, ow = out.shape
    nhwc = out.transpose(0, 2, 3, 1)
    return {"hint.pool_out_not_transposed": nhwc, "hint.pool_out_reshape_order": nhwc.reshape(N, C, oh, ow)}


def pool_backward_hints(x_shape, arg_max, dout, ph, pw, stride):
    # the book's backward without dout.transpose(0, 2, 3, 1): dout taken in (n, c, oh, ow) order
    N, C, oh, ow = dout.shape
    dmax = np.zeros((dout.size, ph * pw))
    dmax[np.arange(dout.size), np.asarray(arg_max).ravel()] = dout.ravel()
    not_transposed = naive_col2im(dmax.reshape(N * oh * ow, -1), x_shape, ph, pw, stride, 0)
    return {"hint.pool_backward_everywhere": naive_pool_backward(x_shape, arg_max, dout, ph, pw, stride, True),
            "hint.pool_dout_not_transposed": not_transposed}


# ---- fixtures -------------------------------------------------------------------------------
def conv_fixture(rng, case):
    (N, C, H, W), (FN, FH, FW), stride, pad = case
    x = rng.normal(size=(N, C, H, W))
    Wt = rng.normal(size=(FN, C, FH, FW)) * 0.5
    b = rng.normal(size=FN)
    return x, Wt, b, stride, pad


# (N, C, H, W), (FN, FH, FW), stride, pad: non-square images and filters, N ≠ C ≠ FN
CONV_CASES = [((3, 2, 5, 6), (4, 3, 3), 1, 0),
              ((2, 3, 7, 6), (4, 3, 2), 2, 1),
              ((3, 1, 6, 5), (2, 3, 3), 1, 1)]
CONV_IDS = ["s1p0", "s2p1", "s1p1"]


def book_conv_layer(worker):
    """The contract's example: W = arange(18)/10 - 0.5 as (2, 1, 3, 3), b = [0.1, -0.2],
    stride 1, pad 1; x = arange(32)/10 as (2, 1, 4, 4)."""
    W = (np.arange(18) / 10 - 0.5).reshape(2, 1, 3, 3)
    b = np.array([0.1, -0.2])
    x = (np.arange(32) / 10).reshape(2, 1, 4, 4)
    return worker.module(L).Convolution(W, b, 1, 1), x, W, b


def conv_state(x, W, stride, pad):
    FN, C, FH, FW = W.shape
    return {"x": x, "col": naive_im2col(x, FH, FW, stride, pad), "col_W": W.reshape(FN, -1).T}


# ---- Convolution.forward: 12 points ---------------------------------------------------------
@points("ch07.Convolution.forward", 2)
def test_conv_forward_book_example(student):
    layer, x, W, b = book_conv_layer(student)
    out = check.array(forward(student, layer, x)["out"],
                      "Convolution.forward (stride 1, pad 1)")
    want = naive_conv(x, W, b, 1, 1)
    check.close(out, want, "Convolution(W = arange(18)/10 - 0.5, b = [0.1, -0.2], stride 1, pad 1)"
                           ".forward(arange(32)/10 as (2, 1, 4, 4))", tol=1e-12, hints=conv_forward_hints(want))
    # the contract's values are printed to 2 decimals but exact: measured error 2e-16
    check.close(out[0, 0, 0], [0.33, 0.41, 0.44, 0.23], "Convolution.forward: out[0, 0, 0]", tol=1e-12)
    check.close(out[1, 1, 3], [7.35, 10.55, 10.94, 6.77], "Convolution.forward: out[1, 1, 3]", tol=1e-12)


@points("ch07.Convolution.forward", 2)
@pytest.mark.parametrize("case", CONV_CASES, ids=CONV_IDS)
def test_conv_forward_matches_direct_loop(student, rng, case):
    x, W, b, stride, pad = conv_fixture(rng, case)
    layer = student.module(L).Convolution(W, b, stride, pad)
    want = naive_conv(x, W, b, stride, pad)
    # sums of C·FH·FW products in another order: measured ≤ 2e-16
    check.close(forward(student, layer, x)["out"], want,
                f"Convolution(W {W.shape}, b, stride={stride}, pad={pad}).forward(x {x.shape})",
                tol=1e-12, hints=conv_forward_hints(want))


@points("ch07.Convolution.forward", 2)
def test_conv_forward_keeps_state_for_backward(student, rng):
    x, W, b, stride, pad = conv_fixture(rng, CONV_CASES[1])
    layer = student.module(L).Convolution(W, b, stride, pad)
    forward(student, layer, x)
    x2 = rng.normal(size=x.shape)  # a second call must replace the first's state
    got = forward(student, layer, x2, state=("x", "col", "col_W"))
    want = conv_state(x2, W, stride, pad)
    check.close(got["out"], naive_conv(x2, W, b, stride, pad), "Convolution.forward called twice", tol=1e-12)
    for name in ("x", "col", "col_W"):
        check.holds(got[name] is not None, "Convolution.forward",
                    f"self.{name} is still None after forward: backward needs it")
        check.close(got[name], want[name], f"Convolution.forward: self.{name} (kept for backward)", tol=1e-12)


@points("ch07.Convolution.forward", 2, end_to_end=True)
def test_conv_forward_with_own_im2col(student, rng):
    x, W, b, stride, pad = conv_fixture(rng, CONV_CASES[1])
    layer = student.module(L).Convolution(W, b, stride, pad)
    check.close(forward(student, layer, x, own_util=True)["out"],
                naive_conv(x, W, b, stride, pad),
                "Convolution.forward with your im2col (stride 2, pad 1)", tol=1e-12)


# ---- Convolution.backward: 14 points --------------------------------------------------------
@points("ch07.Convolution.backward", 2)
def test_conv_backward_book_example(student):
    layer, x, W, b = book_conv_layer(student)
    got = backward(student, layer, conv_state(x, W, 1, 1),
                   np.ones((2, 2, 4, 4)), grads=("dW", "db"))
    # contract §15, rtol 1e-12
    check.close(got["db"], [32.0, 32.0], "Convolution.backward(ones): db", tol=1e-12)
    dout = np.ones((2, 2, 4, 4))
    dW = check.close(got["dW"], naive_conv_backward(x, W, dout, 1, 1)[1], "Convolution.backward(ones): dW",
                     tol=1e-12, hints=conv_dW_hints(x, W, dout, 1, 1))
    check.close(dW[1, 0, 0], [23.4, 32.4, 25.2], "Convolution.backward(ones): dW[1, 0, 0]", tol=1e-12)
    dx = check.array(got["dx"], "Convolution.backward(ones): dx", (2, 1, 4, 4))
    check.close(dx[0, 0, 0], [1.2, 2.4, 2.4, 2.0], "Convolution.backward(ones): dx[0, 0, 0]", tol=1e-12)


@points("ch07.Convolution.backward", 2)
@pytest.mark.parametrize("case", CONV_CASES, ids=CONV_IDS)
def test_conv_backward_matches_direct_loop(student, rng, case):
    x, W, b, stride, pad = conv_fixture(rng, case)
    layer = student.module(L).Convolution(W, b, stride, pad)
    N, _, H, Wd = x.shape
    dout = rng.normal(size=(N, W.shape[0], out_size(H, W.shape[2], stride, pad), out_size(Wd, W.shape[3], stride, pad)))
    got = backward(student, layer, conv_state(x, W, stride, pad), dout, grads=("dW", "db"))
    dx, dW, db = naive_conv_backward(x, W, dout, stride, pad)
    what = f"Convolution(W {W.shape}, stride={stride}, pad={pad}).backward"
    # sums of products in another order: measured ≤ 3e-16
    check.close(got["dW"], dW, what + ": dW", tol=1e-12, hints=conv_dW_hints(x, W, dout, stride, pad))
    check.close(got["db"], db, what + ": db", tol=1e-12)
    check.close(got["dx"], dx, what + ": dx", tol=1e-12)


@points("ch07.Convolution.backward", 2)
@pytest.mark.parametrize("case", [CONV_CASES[0], CONV_CASES[1]], ids=CONV_IDS[:2])
def test_conv_backward_gradient_check(student, reference, rng, case):
    x, W, b, stride, pad = conv_fixture(rng, case)
    R = rng.normal(size=naive_conv(x, W, b, stride, pad).shape)
    num = numeric.layer_numerical_gradients(reference, reference.module(L).Convolution(W, b, stride, pad),
                                            x, R, ["W", "b"])
    layer = student.module(L).Convolution(W, b, stride, pad)
    got = backward(student, layer, conv_state(x, W, stride, pad), R, grads=("dW", "db"))
    what = f"Convolution(stride={stride}, pad={pad}).backward, loss sum(out·R)"
    # contract §16: correct code ≤ 4e-11, bugs ≥ 4.5e-2
    for name, key in (("x", "dx"), ("W", "dW"), ("b", "db")):
        check.gradient(got[key], num[name], what, name, tol=1e-4)


@points("ch07.Convolution.backward", 2, end_to_end=True)
def test_conv_backward_with_own_col2im(student, rng):
    x, W, b, stride, pad = conv_fixture(rng, CONV_CASES[1])
    layer = student.module(L).Convolution(W, b, stride, pad)
    N, _, H, Wd = x.shape
    dout = rng.normal(size=(N, W.shape[0], out_size(H, W.shape[2], stride, pad), out_size(Wd, W.shape[3], stride, pad)))
    got = backward(student, layer, conv_state(x, W, stride, pad), dout, own_util=True)
    check.close(got["dx"], naive_conv_backward(x, W, dout, stride, pad)[0],
                "Convolution.backward with your col2im (stride 2, pad 1): dx", tol=1e-12)


# ---- Pooling --------------------------------------------------------------------------------
# (N, C, H, W), (pool_h, pool_w), stride: non-overlapping, overlapping (3×3 / 1), non-square
POOL_CASES = [((3, 2, 4, 6), (2, 2), 2),
              ((2, 3, 5, 6), (3, 3), 1),
              ((2, 3, 7, 6), (3, 2), 2)]
POOL_IDS = ["2x2s2", "3x3s1", "3x2s2"]


def separated(rng, shape, gap=0.05):
    """Distinct values of both signs in random order, at least ``gap`` apart: no ties and no
    near-ties in a window, so the max stays put when the numerical gradient moves an input by
    h = 1e-4 (standard-normal draws have gaps of 2e-5 and gave errors of 0.11 on correct code)."""
    n = int(np.prod(shape))
    return ((rng.permutation(n) - n / 2) * gap + rng.uniform(0, gap / 5, size=n)).reshape(shape)


def pool_fixture(rng, case):
    shape, (ph, pw), stride = case
    return separated(rng, shape), ph, pw, stride


# ---- Pooling.forward: 10 points -------------------------------------------------------------
@points("ch07.Pooling.forward", 2)
def test_pool_forward_book_example(student):
    x = (np.arange(32) / 10).reshape(2, 1, 4, 4)
    layer = student.module(L).Pooling(2, 2, 2)
    out = check.array(forward(student, layer, x)["out"],
                      "Pooling(2, 2, 2).forward(arange(32)/10 as (2, 1, 4, 4))", (2, 1, 2, 2))
    check.close(out[1, 0], [[2.1, 2.3], [2.9, 3.1]], "Pooling(2, 2, 2).forward: sample 1", tol=1e-12)


@points("ch07.Pooling.forward", 2)
@pytest.mark.parametrize("case", POOL_CASES, ids=POOL_IDS)
def test_pool_forward_matches_direct_loop(student, rng, case):
    x, ph, pw, stride = pool_fixture(rng, case)
    layer = student.module(L).Pooling(ph, pw, stride)
    want, _ = naive_pool(x, ph, pw, stride)
    # maxima are copies: exact
    check.close(forward(student, layer, x)["out"], want,
                f"Pooling({ph}, {pw}, stride={stride}).forward(x {x.shape})", tol=1e-12,
                hints=pool_forward_hints(want))


@points("ch07.Pooling.forward", 2)
def test_pool_forward_keeps_arg_max(student, rng):
    x, ph, pw, stride = pool_fixture(rng, POOL_CASES[1])
    layer = student.module(L).Pooling(ph, pw, stride)
    forward(student, layer, x)
    x2 = separated(rng, x.shape)  # a second call must replace the first's state
    got = forward(student, layer, x2, state=("x", "arg_max"))
    check.holds(got["arg_max"] is not None, "Pooling.forward",
                "self.arg_max is still None after forward: backward needs it", hint="hint.pool_arg_max_not_kept")
    _, arg = naive_pool(x2, ph, pw, stride)
    arg_max = np.ravel(check.array(got["arg_max"], "Pooling.forward: self.arg_max"))
    check.equal(arg_max, arg, "Pooling.forward: self.arg_max (index of each window's max, "
                              "windows in the order of im2col's rows and channels)")
    check.close(got["x"], x2, "Pooling.forward: self.x", tol=0)


# ---- Pooling.backward: 10 points ------------------------------------------------------------
def pool_dout(rng, x, ph, pw, stride):
    N, C, H, W = x.shape
    return rng.normal(size=(N, C, out_size(H, ph, stride, 0), out_size(W, pw, stride, 0)))


@points("ch07.Pooling.backward", 2)
@pytest.mark.parametrize("case", POOL_CASES, ids=POOL_IDS)
def test_pool_backward_matches_direct_loop(student, rng, case):
    x, ph, pw, stride = pool_fixture(rng, case)
    _, arg = naive_pool(x, ph, pw, stride)
    dout = pool_dout(rng, x, ph, pw, stride)
    layer = student.module(L).Pooling(ph, pw, stride)
    got = backward(student, layer, {"x": x, "arg_max": arg}, dout)
    # each dout lands at its window's max; overlapping windows (3×3 / 1) add up: ≤ 1e-16
    check.close(got["dx"], naive_pool_backward(x.shape, arg, dout, ph, pw, stride),
                f"Pooling({ph}, {pw}, stride={stride}).backward: dx", tol=1e-12,
                hints=pool_backward_hints(x.shape, arg, dout, ph, pw, stride))


@points("ch07.Pooling.backward", 2)
def test_pool_backward_gradient_check(student, reference, rng):
    x, ph, pw, stride = pool_fixture(rng, POOL_CASES[1])
    _, arg = naive_pool(x, ph, pw, stride)
    R = pool_dout(rng, x, ph, pw, stride)
    num = numeric.layer_numerical_gradients(reference, reference.module(L).Pooling(ph, pw, stride), x, R)
    got = backward(student, student.module(L).Pooling(ph, pw, stride),
                   {"x": x, "arg_max": arg}, R)
    # contract §16: correct code ≤ 4e-11 (no ties), bugs ≥ 4.5e-2
    check.gradient(got["dx"], num["x"], "Pooling(3, 3, stride=1).backward, loss sum(out·R)", "x", tol=1e-4)


@points("ch07.Pooling.backward", 2, end_to_end=True)
def test_pool_backward_with_own_col2im(student, rng):
    x, ph, pw, stride = pool_fixture(rng, POOL_CASES[1])
    _, arg = naive_pool(x, ph, pw, stride)
    dout = pool_dout(rng, x, ph, pw, stride)
    got = backward(student, student.module(L).Pooling(ph, pw, stride),
                   {"x": x, "arg_max": arg}, dout, own_util=True)
    check.close(got["dx"], naive_pool_backward(x.shape, arg, dout, ph, pw, stride),
                "Pooling(3, 3, stride=1).backward with your col2im: dx", tol=1e-12)
