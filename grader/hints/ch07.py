"""Hints for chapter 7 mistakes (im2col, Convolution, Pooling, SimpleConvNet)."""

HINTS = {
    "hint.im2col_transpose":
        "your rows are laid out (c, fh, fw, oh, ow): im2col must transpose col from (N, C, FH, FW, OH, OW) "
        "to (N, OH, OW, C, FH, FW) with col.transpose(0, 4, 5, 1, 2, 3) before reshape(N*out_h*out_w, -1), "
        "so that each row is one filter position (7.4.3)",
    "hint.col2im_assign":
        "where filter positions overlap, col2im must add them up: img[...] += col[...], not = (7.4.3)",
    "hint.col2im_not_cropped":
        "col2im returns the padded image: crop it with img[:, :, pad:H + pad, pad:W + pad] (7.4.3)",
    "hint.conv_out_not_transposed":
        "your output is (N, OH, OW, FN): after out.reshape(N, out_h, out_w, -1) transpose it to (N, FN, OH, OW) "
        "with .transpose(0, 3, 1, 2) (7.4.3)",
    "hint.conv_out_reshape_order":
        "col·col_W + b has one row per (n, oh, ow) and one column per filter: reshape it to "
        "(N, out_h, out_w, -1) and then transpose(0, 3, 1, 2); reshaping straight to (N, FN, OH, OW) "
        "mixes up the positions (7.4.3)",
    "hint.conv_dW_not_transposed":
        "np.dot(col.T, dout) is (C*FH*FW, FN): transpose it to (FN, C*FH*FW) before reshape(FN, C, FH, FW) (7.4.3)",
    "hint.conv_dout_not_transposed":
        "dout is (N, FN, OH, OW): bring the filters last with dout.transpose(0, 2, 3, 1).reshape(-1, FN) "
        "before using it with col (7.4.3)",
    "hint.pool_out_not_transposed":
        "your output is (N, OH, OW, C): after out.reshape(N, out_h, out_w, C) transpose it to (N, C, OH, OW) "
        "with .transpose(0, 3, 1, 2) (7.4.4)",
    "hint.pool_out_reshape_order":
        "the maxima come one per (n, oh, ow, c): reshape them to (N, out_h, out_w, C) and then "
        "transpose(0, 3, 1, 2); reshaping straight to (N, C, OH, OW) mixes up channels and positions (7.4.4)",
    "hint.pool_arg_max_not_kept":
        "store the window argmax in self.arg_max (np.argmax(col, axis=1)) and the input in self.x: "
        "backward sends each dout to that position (7.4.4)",
    "hint.pool_backward_everywhere":
        "max pooling passes each dout only to the position of its window's maximum (self.arg_max); "
        "the other positions get 0 (7.4.4, 5.5.1)",
    "hint.pool_dout_not_transposed":
        "arg_max is ordered like im2col's rows and channels (n, oh, ow, c): flatten "
        "dout.transpose(0, 2, 3, 1), not dout itself, when you scatter it into dmax (7.4.4)",
    "hint.convnet_w2_shape":
        "W2 is (pool_output_size, hidden_size): the Affine layer after Pool1 takes the flattened "
        "(filter_num, conv_output_size/2, conv_output_size/2) feature maps (7.5)",
    "hint.convnet_stride_pad":
        "Convolution takes (W, b, stride, pad) in this order: Convolution(self.params['W1'], "
        "self.params['b1'], conv_param['stride'], conv_param['pad']) (7.5)",
    "hint.convnet_params_not_shared":
        "the layers must hold the very arrays of self.params (Convolution(self.params['W1'], …)), not copies, "
        "or the optimizer's updates never reach them (7.5, 6.1)",
}
