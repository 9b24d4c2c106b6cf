"""Hints for chapter 5 mistakes (backpropagation, layers, the layered TwoLayerNet)."""

HINTS = {
    # 5.4 simple layers
    "hint.mul_not_swapped": "a multiplication node swaps its inputs on the way back: "
                            "dx = dout * self.y and dy = dout * self.x (5.4.1)",
    "hint.add_ignores_dout": "an addition node passes the upstream derivative on unchanged: "
                             "return dout * 1, dout * 1, not the local derivative 1 alone (5.4.2)",
    # 5.5 activation layers
    "hint.relu_mask_zero": "the mask is (x <= 0): at x = 0 ReLU's output is 0 and its gradient is 0, "
                           "so the zeros belong to the mask too; x < 0 leaves them out (5.5.1)",
    "hint.relu_no_copy": "forward must not change its input: out = x.copy(), then out[self.mask] = 0 "
                         "(writing into x changes the caller's array) (5.5.1)",
    "hint.sigmoid_dout": "the Sigmoid layer's backward multiplies the upstream derivative: "
                         "dx = dout * (1.0 - self.out) * self.out (5.5.2)",
    # 5.6 Affine / Softmax-with-Loss
    "hint.affine_flatten": "Affine.forward must accept a 4-D input (N, C, H, W): remember "
                           "self.original_x_shape = x.shape, then x = x.reshape(x.shape[0], -1) before "
                           "the dot product (5.6.2)",
    "hint.affine_bias": "the Affine layer adds the bias: out = np.dot(self.x, self.W) + self.b (5.6.2)",
    "hint.affine_dW_transposed": "dW must have W's shape: self.dW = np.dot(self.x.T, dout) (xᵀ·dout), "
                                 "not the transposed product dout·xᵀ (5.6.2)",
    "hint.affine_db_not_summed": "the bias is added to every row of the batch, so its gradient is the "
                                 "sum over the batch axis: self.db = np.sum(dout, axis=0) (5.6.2)",
    "hint.affine_db_axis": "db has one entry per output (b's shape): sum dout over axis=0, the batch "
                           "axis, not axis=1 (5.6.2)",
    "hint.affine_dx_shape": "dx must have the input's shape: dx = dx.reshape(*self.original_x_shape) "
                            "for a 4-D input (5.6.2)",
    "hint.softmax_loss_batch": "SoftmaxWithLoss.backward divides by the batch size: "
                               "dx = (self.y - self.t) / batch_size with batch_size = self.t.shape[0] (5.6.3)",
    "hint.softmax_loss_dout": "SoftmaxWithLoss is the last layer: the book's backward(dout=1) ignores "
                              "dout and returns (y - t) / batch_size (5.6.3)",
    "hint.softmax_loss_labels": "for labels t (not one-hot), copy y and subtract 1 at each row's label: "
                                "dx = self.y.copy(); dx[np.arange(batch_size), self.t] -= 1; "
                                "dx = dx / batch_size (5.6.3)",
    "hint.softmax_loss_state": "backward must not change self.y: take dx = self.y.copy() before "
                               "subtracting 1 at the labels, or a second backward gives another result (5.6.3)",
    # 5.7 TwoLayerNet
    "hint.ch05_values_call": "self.layers.values is a method: call it, self.layers.values() "
                        "(list(self.layers.values()) in gradient) (5.7.2)",
    "hint.ch05_predict_softmax": "predict returns the scores of the last Affine layer (no softmax): "
                            "the softmax is inside lastLayer, SoftmaxWithLoss (5.7.2)",
    "hint.ch05_lastLayer_name": "the book's net keeps its loss layer in self.lastLayer (camelCase, capital L): "
                                "self.lastLayer = SoftmaxWithLoss() in __init__, self.lastLayer.forward / "
                                ".backward in loss and gradient; the net's attributes are {found} (5.7.2)",
    "hint.ch05_params_shared": "the Affine layers must hold the very same arrays as params: "
                          "Affine(self.params['W1'], self.params['b1']), so that updating params in "
                          "place trains the layers (5.7.2)",
    "hint.ch05_init_std": "the weights are weight_init_std * np.random.randn(rows, cols): the scale "
                     "weight_init_std (0.01 by default) is missing (4.5.1, 5.7.2)",
    "hint.ch05_accuracy_onehot": "accuracy also takes one-hot t: if t.ndim != 1: t = np.argmax(t, axis=1) (5.7.2)",
    "hint.ch05_gradient_forward": "gradient starts with the forward pass, self.loss(x, t), which stores "
                                  "what every layer's backward needs (x, mask, y, t) (5.7.2)",
    "hint.ch05_backward_order": "backward runs through the layers in reverse order: layers = "
                           "list(self.layers.values()); layers.reverse() (5.7.2)",
}
