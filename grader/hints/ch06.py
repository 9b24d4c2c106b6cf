"""Hints for chapter 6 mistakes (optimizers, initial weights, Batch Normalization, weight decay,
Dropout, MultiLayerNet / MultiLayerNetExtend)."""

HINTS = {
    # 6.1 optimizers
    "hint.optimizer_rebinds": "update params in place with augmented assignment, params[key] -= … "
                              "(or +=): params[key] = params[key] - … puts a new array in the dict, "
                              "while the net's Affine layers keep the old one, so the net never "
                              "learns (6.1.2)",
    "hint.adagrad_eps": "add the small constant after the square root: "
                        "params[key] -= lr * grads[key] / (np.sqrt(self.h[key]) + 1e-7); it keeps a "
                        "zero h from dividing by zero (6.1.5)",
    "hint.adam_bias_correction": "Adam scales the step with the bias-corrected learning rate "
                                 "lr_t = lr * np.sqrt(1.0 - beta2**self.iter) / (1.0 - beta1**self.iter), "
                                 "computed once per call of update (6.1.6)",
    "hint.adam_iter": "Adam's self.iter counts the calls of update: add 1 once per call, before "
                      "computing lr_t and outside the loop over the keys (6.1.6)",
    # 6.2 initial weights
    "hint.init_he_scale": "He initialisation ('relu' / 'he') draws the weights with standard "
                          "deviation np.sqrt(2.0 / n), n the number of nodes of the previous layer; "
                          "np.sqrt(1.0 / n) is Xavier's (6.2.2)",
    "hint.init_xavier_scale": "Xavier initialisation ('sigmoid' / 'xavier') uses standard deviation "
                              "np.sqrt(1.0 / n), n the number of nodes of the previous layer; "
                              "np.sqrt(2.0 / n) is He's (6.2.2)",
    "hint.init_no_sqrt": "the scale is a standard deviation: np.sqrt(2.0 / n) (He) or "
                         "np.sqrt(1.0 / n) (Xavier), not the variance 2 / n or 1 / n (6.2.2)",
    "hint.init_fan_in": "n is the number of nodes of the previous layer, all_size_list[idx - 1] "
                        "(the rows of W), not of the layer being initialised (6.2.2)",
    # 6.3 Batch Normalization
    "hint.bn_running_stats": "in training mode forward must also update the running statistics: "
                             "self.running_mean = self.momentum * self.running_mean + "
                             "(1 - self.momentum) * mu, and the same for running_var with var (6.3.2)",
    "hint.bn_momentum_swapped": "the running statistics keep momentum of the old value: "
                                "running_mean = momentum * running_mean + (1 - momentum) * mu; "
                                "the two weights are swapped (6.3.2)",
    "hint.bn_test_batch_stats": "with train_flg=False Batch Normalization normalises with the running "
                                "statistics, xn = (x - running_mean) / np.sqrt(running_var + 10e-7), "
                                "not with the batch's own mean and variance (6.3.2)",
    "hint.bn_axis": "Batch Normalization normalises each feature over the mini-batch: "
                    "mu = x.mean(axis=0) and var = np.mean(xc**2, axis=0), one value per column (6.3.2)",
    "hint.bn_gamma_beta": "the output is out = gamma * xn + beta: scale by gamma and shift by beta "
                          "after normalising (6.3.2)",
    "hint.bn_backward_mean_path": "x reaches the output also through the batch mean and variance: after "
                                  "dxc = dxn / std, add (2.0 / batch_size) * xc * dvar, then subtract "
                                  "the mean of dxc: dx = dxc - dmu / batch_size (6.3.2)",
    "hint.bn_dgamma_dbeta": "the parameter gradients are sums over the batch: dbeta = dout.sum(axis=0), "
                            "dgamma = np.sum(xn * dout, axis=0) (6.3.2)",
    # 6.4 weight decay
    "hint.weight_decay_loss_missing": "with weight decay the loss adds 0.5 * λ * np.sum(W ** 2) for every "
                                      "weight matrix W1 … W{L+1} to the SoftmaxWithLoss loss (6.4.2)",
    "hint.weight_decay_layers": "weight decay covers the weights of every Affine layer: loop "
                                "idx over range(1, self.hidden_layer_num + 2), W1 … W{L+1}, not a fixed "
                                "or shorter range (6.4.2)",
    "hint.weight_decay_half": "the penalty is 0.5 * λ * np.sum(W ** 2) (its derivative is λ·W): the "
                              "factor 0.5 is missing (6.4.2)",
    "hint.weight_decay_grad_missing": "the gradient of 0.5·λ·ΣW² is λ·W: grads['W' + str(idx)] = "
                                      "dW + self.weight_decay_lambda * W for every Affine layer (6.4.2)",
    "hint.weight_decay_grad_layers": "add λ·W to the gradient of every weight matrix W1 … W{L+1} "
                                     "(idx in range(1, self.hidden_layer_num + 2)), not only some (6.4.2)",
    # 6.4.3 Dropout
    "hint.dropout_inverted": "the book's Dropout does not rescale while training: return x * self.mask; "
                             "instead the test-time output is scaled, x * (1.0 - self.dropout_ratio) "
                             "(dividing by 1 - ratio in training is 'inverted dropout', another "
                             "method) (6.4.3)",
    "hint.dropout_at_test": "with train_flg=False Dropout drops nothing and draws no mask: return "
                            "x * (1.0 - self.dropout_ratio), the same on every call (6.4.3)",
    "hint.dropout_keep_ratio": "self.mask = np.random.rand(*x.shape) > self.dropout_ratio keeps a unit "
                               "with probability 1 - ratio; '<' keeps only the ratio (6.4.3)",
    "hint.dropout_backward_mask": "backward lets the gradient through only where the unit was kept in "
                                  "forward: return dout * self.mask (6.4.3)",
    # 6.3/6.4 MultiLayerNetExtend
    "hint.bn_params_missing": "with use_batchnorm, params must hold 'gamma{i}' (ones) and 'beta{i}' "
                              "(zeros) for every hidden layer, and BatchNorm{i} must be built with those "
                              "very arrays: BatchNormalization(self.params['gamma' + str(idx)], "
                              "self.params['beta' + str(idx)]) (6.3.2)",
    "hint.bn_grads_missing": "with use_batchnorm, gradient must also return grads['gamma' + str(idx)] = "
                             "self.layers['BatchNorm' + str(idx)].dgamma and grads['beta' + str(idx)] = "
                             "….dbeta for every hidden layer, or the optimizer never trains them (6.3.2)",
    "hint.train_flg_not_passed": "predict must hand train_flg to the layers whose key contains 'Dropout' "
                                 "or 'BatchNorm' (layer.forward(x, train_flg)); their forward defaults "
                                 "to training mode, so without it the net drops units and uses batch "
                                 "statistics at test time (6.4.3)",
    "hint.gradient_train_mode": "gradient runs the forward pass in training mode: "
                                "self.loss(x, t, train_flg=True), so BatchNorm and Dropout keep what "
                                "backward needs (6.3.2)",
}
