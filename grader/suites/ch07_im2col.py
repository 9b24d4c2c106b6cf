"""Hidden suite, chapter 7: im2col and col2im (common/util.py, section 7.4.3).

The truth is the judge's own direct loops below (one window at a time, written from the
definition, no im2col trick) plus the book's printed/measured oracles (contract §15). The
other ch07 suites import these loops.
"""
import numpy as np
import pytest

from grader.judge import compare as check
from grader.judge.plugin import points

U = "common/util.py"


# ---- the judge's direct loops ---------------------------------------------------------------
def out_size(size, filter_size, stride, pad):
    return (size + 2 * pad - filter_size) // stride + 1


def naive_im2col(x, fh, fw, stride=1, pad=0):
    """One row per window, rows ordered (n, oh, ow), columns (c, fh, fw)."""
    N, C, H, W = x.shape
    oh, ow = out_size(H, fh, stride, pad), out_size(W, fw, stride, pad)
    img = np.pad(np.asarray(x, dtype=np.float64), [(0, 0), (0, 0), (pad, pad), (pad, pad)])
    rows = []
    for n in range(N):
        for i in range(oh):
            for j in range(ow):
                rows.append(img[n, :, i * stride:i * stride + fh, j * stride:j * stride + fw].ravel())
    return np.array(rows)


def naive_col2im(col, shape, fh, fw, stride=1, pad=0, assign=False, crop=True):
    """The adjoint of naive_im2col: every row is added back onto its window (``assign``: the
    learner's mistake of overwriting; ``crop=False``: the book's uncropped image, of size
    H + 2·pad + stride - 1)."""
    N, C, H, W = shape
    oh, ow = out_size(H, fh, stride, pad), out_size(W, fw, stride, pad)
    img = np.zeros((N, C, H + 2 * pad + stride - 1, W + 2 * pad + stride - 1))
    r = 0
    for n in range(N):
        for i in range(oh):
            for j in range(ow):
                win = np.asarray(col[r], dtype=np.float64).reshape(C, fh, fw)
                sl = (n, slice(None), slice(i * stride, i * stride + fh), slice(j * stride, j * stride + fw))
                if assign:
                    img[sl] = win
                else:
                    img[sl] += win
                r += 1
    return img[:, :, pad:pad + H, pad:pad + W] if crop else img


def book_col2im_assign(col, shape, fh, fw, stride=1, pad=0):
    """The book's col2im loop with ``=`` instead of ``+=`` (overlaps keep the last write)."""
    N, C, H, W = shape
    oh, ow = out_size(H, fh, stride, pad), out_size(W, fw, stride, pad)
    c = np.asarray(col, dtype=np.float64).reshape(N, oh, ow, C, fh, fw).transpose(0, 3, 4, 5, 1, 2)
    img = np.zeros((N, C, H + 2 * pad + stride - 1, W + 2 * pad + stride - 1))
    for y in range(fh):
        for x in range(fw):
            img[:, :, y:y + stride * oh:stride, x:x + stride * ow:stride] = c[:, :, y, x]
    return img[:, :, pad:H + pad, pad:W + pad]


def untransposed_im2col(x, fh, fw, stride=1, pad=0):
    """The book's im2col without ``transpose(0, 4, 5, 1, 2, 3)`` before the reshape."""
    N, C, H, W = x.shape
    oh, ow = out_size(H, fh, stride, pad), out_size(W, fw, stride, pad)
    img = np.pad(np.asarray(x, dtype=np.float64), [(0, 0), (0, 0), (pad, pad), (pad, pad)])
    col = np.zeros((N, C, fh, fw, oh, ow))
    for y in range(fh):
        for xx in range(fw):
            col[:, :, y, xx] = img[:, :, y:y + stride * oh:stride, xx:xx + stride * ow:stride]
    return col.reshape(N * oh * ow, -1)


def im2col_hints(x, fh, fw, stride, pad):
    return {"hint.im2col_transpose": untransposed_im2col(x, fh, fw, stride, pad)}


def col2im_hints(col, shape, fh, fw, stride, pad):
    return {"hint.col2im_assign": book_col2im_assign(col, shape, fh, fw, stride, pad),
            "hint.col2im_not_cropped": naive_col2im(col, shape, fh, fw, stride, pad, crop=False)}


def call(student, name, *args, **kwargs):
    return getattr(student.module(U), name)(*args, **kwargs)


# (N, C, H, W), (fh, fw), stride, pad: non-square images and filters, strides that do not
# divide evenly, padding 0 / 1 / 2
CASES = [((2, 3, 5, 7), (3, 2), 1, 0),
         ((3, 2, 7, 6), (3, 3), 2, 1),
         ((2, 3, 8, 9), (4, 3), 3, 1),
         ((1, 2, 4, 5), (3, 3), 1, 2)]
CASE_IDS = ["s1p0", "s2p1", "s3p1", "s1p2"]


# ---- im2col: 12 points ----------------------------------------------------------------------
@points("ch07.im2col", 1)
def test_im2col_book_stride2(student):
    x = np.arange(16, dtype=np.float64).reshape(1, 1, 4, 4)
    got = call(student, "im2col", x, 2, 2, stride=2)
    check.close(got, [[0, 1, 4, 5], [2, 3, 6, 7], [8, 9, 12, 13], [10, 11, 14, 15]],
                "im2col(arange(16) as (1, 1, 4, 4), 2, 2, stride=2)", tol=0,
                hints=im2col_hints(x, 2, 2, 2, 0))


@points("ch07.im2col", 1)
def test_im2col_book_two_channels(student):
    x = np.arange(18, dtype=np.float64).reshape(1, 2, 3, 3)
    what = "im2col(arange(18) as (1, 2, 3, 3), 2, 2)"
    got = check.close(call(student, "im2col", x, 2, 2), naive_im2col(x, 2, 2), what, tol=0,
                      hints=im2col_hints(x, 2, 2, 1, 0))
    check.equal(got[0], [0, 1, 3, 4, 9, 10, 12, 13],
                "im2col(arange(18) as (1, 2, 3, 3), 2, 2): row 0 (channel 0's window, then channel 1's)")


@points("ch07.im2col", 1)
def test_im2col_book_padding(student):
    x = np.arange(9, dtype=np.float64).reshape(1, 1, 3, 3)
    what = "im2col(arange(9) as (1, 1, 3, 3), 3, 3, pad=1)"
    got = check.close(call(student, "im2col", x, 3, 3, pad=1), naive_im2col(x, 3, 3, 1, 1), what, tol=0,
                      hints=im2col_hints(x, 3, 3, 1, 1))
    check.equal(got[0], [0, 0, 0, 0, 0, 1, 0, 3, 4], what + ": row 0 (the zero padding)")
    check.equal(got[4], np.arange(9), what + ": row 4 (the centre window)")


@points("ch07.im2col", 1)
def test_im2col_output_shapes(student, rng):
    # OH = (H + 2·pad - FH) // stride + 1 with floor division: (6 + 0 - 3) // 2 + 1 = 2
    for shape, (fh, fw), stride, pad in CASES + [((2, 1, 6, 6), (3, 3), 2, 0)]:
        x = rng.normal(size=shape)
        N, C, H, W = shape
        want = (N * out_size(H, fh, stride, pad) * out_size(W, fw, stride, pad), C * fh * fw)
        check.array(call(student, "im2col", x, fh, fw, stride, pad),
                    f"im2col(x of shape {shape}, {fh}, {fw}, stride={stride}, pad={pad})", want)


@points("ch07.im2col", 2)
@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_im2col_matches_direct_loop(student, rng, case):
    shape, (fh, fw), stride, pad = case
    x = rng.normal(size=shape)
    # float64 copies of the same numbers in another order: exact (measured error 0)
    check.close(call(student, "im2col", x, fh, fw, stride, pad), naive_im2col(x, fh, fw, stride, pad),
                f"im2col(x of shape {shape}, {fh}, {fw}, stride={stride}, pad={pad})", tol=1e-12,
                hints=im2col_hints(x, fh, fw, stride, pad))


# ---- col2im: 10 points ----------------------------------------------------------------------
@points("ch07.col2im", 2)
def test_col2im_book_overlap_counts(student):
    shape = (1, 1, 4, 4)
    col = naive_im2col(np.ones(shape), 3, 3)
    got = call(student, "col2im", col, shape, 3, 3)
    check.close(got, [[[[1, 2, 2, 1], [2, 4, 4, 2], [2, 4, 4, 2], [1, 2, 2, 1]]]],
                "col2im(im2col(ones((1, 1, 4, 4)), 3, 3), (1, 1, 4, 4), 3, 3) "
                "(each pixel counts the windows covering it)", tol=1e-12,
                hints=col2im_hints(col, shape, 3, 3, 1, 0))


@points("ch07.col2im", 2)
@pytest.mark.parametrize("case", CASES[:3], ids=CASE_IDS[:3])
def test_col2im_matches_direct_loop(student, rng, case):
    shape, (fh, fw), stride, pad = case
    N, C, H, W = shape
    col = rng.normal(size=(N * out_size(H, fh, stride, pad) * out_size(W, fw, stride, pad), C * fh * fw))
    # sums of up to FH·FW terms in another order: measured ≤ 1e-16
    check.close(call(student, "col2im", col, shape, fh, fw, stride, pad),
                naive_col2im(col, shape, fh, fw, stride, pad),
                f"col2im(col, {shape}, {fh}, {fw}, stride={stride}, pad={pad})", tol=1e-12,
                hints=col2im_hints(col, shape, fh, fw, stride, pad))


@points("ch07.col2im", 2)
def test_col2im_is_the_adjoint_of_im2col(student, rng):
    # <im2col(x), c> == <x, col2im(c)> for every x and c (im2col by the judge's loop)
    for shape, (fh, fw), stride, pad in CASES[1:]:
        x = rng.normal(size=shape)
        N, C, H, W = shape
        c = rng.normal(size=(N * out_size(H, fh, stride, pad) * out_size(W, fw, stride, pad), C * fh * fw))
        what = f"col2im(c, {shape}, {fh}, {fw}, stride={stride}, pad={pad})"
        img = check.array(call(student, "col2im", c, shape, fh, fw, stride, pad), what, shape)
        # two sums of ~500 products: measured ≤ 3e-16 relative
        check.close_number(np.sum(x * img), float(np.sum(naive_im2col(x, fh, fw, stride, pad) * c)),
                           f"<x, {what}> (must equal <im2col(x), c>: col2im is im2col's adjoint)",
                           tol=1e-10)
