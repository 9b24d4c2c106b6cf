# coding: utf-8
"""Helpers of the book's ``common/util.py``: im2col / col2im (section 7.4.3) and the small
utilities used by the chapter 6-7 training scripts (shuffle_dataset, smooth_curve,
conv_output_size).

im2col and col2im are exercises (``ch07.im2col``, ``ch07.col2im``); the rest is provided.
"""
import numpy as np


def smooth_curve(x):
    """Smooth a loss curve for plotting (provided).

    x: 1-D sequence of floats, len(x) >= 11.
    Returns a float64 array of len(x) values: x extended at both ends by its mirror image,
    convolved with a normalised 11-tap Kaiser window (beta = 2).
    Reference: http://glowingpython.blogspot.jp/2012/02/convolution-with-numpy.html
    """
    window_len = 11
    s = np.r_[x[window_len-1:0:-1], x, x[-1:-window_len:-1]]
    w = np.kaiser(window_len, 2)
    y = np.convolve(w/w.sum(), s, mode='valid')
    return y[5:len(y)-5]


def shuffle_dataset(x, t):
    """Shuffle a data set (provided).

    x: (N, D) or (N, C, H, W) training data; t: (N,) labels or (N, K) one-hot.
    Returns new arrays (x, t), reordered by one np.random.permutation(N).
    """
    permutation = np.random.permutation(x.shape[0])
    x = x[permutation,:] if x.ndim == 2 else x[permutation,:,:,:]
    t = t[permutation]

    return x, t


def conv_output_size(input_size, filter_size, stride=1, pad=0):
    """Output height (or width) of a convolution (provided): a float, by true division."""
    return (input_size + 2*pad - filter_size) / stride + 1


def im2col(input_data, filter_h, filter_w, stride=1, pad=0):
    """Unfold images into a 2-D array, one row per filter position.

    Parameters
    ----------
    input_data : (N, C, H, W) array of images
    filter_h : filter height
    filter_w : filter width
    stride : stride
    pad : zero padding on each side of H and W

    Returns
    -------
    col : float64 (N*out_h*out_w, C*filter_h*filter_w); rows ordered (n, oh, ow),
        columns (c, fh, fw), out_h = (H + 2*pad - filter_h)//stride + 1 (out_w alike)
    """
    raise NotImplementedError("ch07.im2col: pad, then for each (y, x) in the filter copy img[:, :, y:y_max:stride, x:x_max:stride]; reshape")


def col2im(col, input_shape, filter_h, filter_w, stride=1, pad=0):
    """Fold a 2-D array back into images: the adjoint of im2col.

    Parameters
    ----------
    col : (N*out_h*out_w, C*filter_h*filter_w) array, laid out as im2col returns it
    input_shape : shape of the images, (N, C, H, W)
    filter_h : filter height
    filter_w : filter width
    stride : stride
    pad : zero padding on each side of H and W

    Returns
    -------
    img : float64 (N, C, H, W); entries that several filter positions cover are summed,
        the padding is cropped
    """
    raise NotImplementedError("ch07.col2im: the reverse of im2col: add (+=) each filter position back into the padded image, then crop")
