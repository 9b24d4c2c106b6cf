"""Chapter 7.4.3: im2col and col2im (common/util.py).

Run with `pytest -m ch07` (or `pytest -k im2col`).
"""
import numpy as np

from grader.judge import compare as check


def test_im2col_book_shapes(load):
    # 7.4.3: one 3-channel 7×7 image, 5×5 filter → 9 filter positions × 75 values; 10 images → 90
    util = load("common/util.py")
    check.array(util.im2col(np.random.rand(1, 3, 7, 7), 5, 5, stride=1, pad=0),
                "im2col(x1 of shape (1, 3, 7, 7), 5, 5)", (9, 75))
    check.array(util.im2col(np.random.rand(10, 3, 7, 7), 5, 5, stride=1, pad=0),
                "im2col(x2 of shape (10, 3, 7, 7), 5, 5)", (90, 75))


def test_im2col_stride_padding_shapes(load, rng):
    # OH = (H + 2·pad - FH) // stride + 1 rows per image and channel block C·FH·FW columns
    util = load("common/util.py")
    x = rng.normal(size=(2, 3, 7, 6))
    check.array(util.im2col(x, 3, 3, stride=2, pad=1), "im2col(x (2, 3, 7, 6), 3, 3, stride=2, pad=1)",
                (2 * 4 * 3, 27))
    check.array(util.im2col(x, 3, 2, stride=1, pad=0), "im2col(x (2, 3, 7, 6), 3, 2)", (2 * 5 * 5, 18))


def test_im2col_small_examples(load):
    util = load("common/util.py")
    x = np.arange(16, dtype=np.float64).reshape(1, 1, 4, 4)
    check.equal(util.im2col(x, 2, 2, stride=2), [[0, 1, 4, 5], [2, 3, 6, 7], [8, 9, 12, 13], [10, 11, 14, 15]],
                "im2col(arange(16) as (1, 1, 4, 4), 2, 2, stride=2): one row per 2×2 window")
    x = np.arange(9, dtype=np.float64).reshape(1, 1, 3, 3)
    col = check.array(util.im2col(x, 3, 3, pad=1), "im2col(arange(9) as (1, 1, 3, 3), 3, 3, pad=1)", (9, 9))
    check.equal(col[0], [0, 0, 0, 0, 0, 1, 0, 3, 4], "im2col(…, pad=1): row 0 (top-left window, zero padding)")
    check.equal(col[4], np.arange(9), "im2col(…, pad=1): row 4 (the centre window is the whole image)")


def test_col2im_adds_overlaps(load):
    util = load("common/util.py")
    col = np.ones((4, 9))  # the 4 positions of a 3×3 filter on a 4×4 image, all ones
    check.close(util.col2im(col, (1, 1, 4, 4), 3, 3),
                [[[[1, 2, 2, 1], [2, 4, 4, 2], [2, 4, 4, 2], [1, 2, 2, 1]]]],
                "col2im(ones((4, 9)), (1, 1, 4, 4), 3, 3): each pixel counts the windows covering it",
                tol=1e-12)


def test_col2im_is_the_adjoint_of_im2col(load, rng):
    # for every x and c: sum(im2col(x) * c) == sum(x * col2im(c))
    util = load("common/util.py")
    for shape, f, stride, pad in (((2, 3, 5, 6), 3, 1, 0), ((2, 2, 7, 6), 3, 2, 1)):
        x = rng.normal(size=shape)
        col = check.array(util.im2col(x, f, f, stride, pad), "im2col(x)")
        c = rng.normal(size=col.shape)
        img = check.array(util.col2im(c, shape, f, f, stride, pad), "col2im(c)", shape)
        check.close_number(np.sum(x * img), float(np.sum(col * c)),
                           f"sum(x * col2im(c)) for stride={stride}, pad={pad} (must equal sum(im2col(x) * c))",
                           tol=1e-10)
