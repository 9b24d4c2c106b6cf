"""Planted bugs, chapter 6 (common/optimizer.py, common/layers.py BatchNormalization / Dropout,
common/multi_layer_net.py, common/multi_layer_net_extend.py)."""
from bugs import Bug

O, L = "common/optimizer.py", "common/layers.py"
MLN, MLNX = "common/multi_layer_net.py", "common/multi_layer_net_extend.py"

BUGS = [
    # ---- 6.1 optimizers
    Bug("ch06.SGD.update", O, "params[key] -= self.lr * grads[key]\n",
        "params[key] = params[key] - self.lr * grads[key]\n", "rebinds params instead of in place",
        hint="hint.optimizer_rebinds"),
    Bug("ch06.SGD.update", O, "params[key] -= self.lr * grads[key]\n", "params[key] += self.lr * grads[key]\n",
        "ascends the gradient"),
    Bug("ch06.Momentum.update", O,
        "        if self.v is None:\n            self.v = {}\n            for key, val in params.items():\n"
        "                self.v[key] = np.zeros_like(val)\n\n        for key in params.keys():\n"
        "            self.v[key] = self.momentum*self.v[key]",
        "        self.v = {}\n        for key, val in params.items():\n"
        "            self.v[key] = np.zeros_like(val)\n\n        for key in params.keys():\n"
        "            self.v[key] = self.momentum*self.v[key]",
        "velocity reset at every call"),
    Bug("ch06.Momentum.update", O, "params[key] += self.v[key]", "params[key] = params[key] + self.v[key]",
        "rebinds params", hint="hint.optimizer_rebinds"),
    Bug("ch06.Nesterov.update", O, "params[key] += self.momentum * self.momentum * self.v[key]",
        "params[key] += self.momentum * self.v[key]", "momentum not squared"),
    Bug("ch06.AdaGrad.update", O,
        "self.h[key] += grads[key] * grads[key]\n"
        "            params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + 1e-7)",
        "self.h[key] += grads[key] * grads[key]\n"
        "            params[key] -= self.lr * grads[key] / np.sqrt(self.h[key] + 1e-7)",
        "eps inside the sqrt", hint="hint.adagrad_eps"),
    Bug("ch06.AdaGrad.update", O,
        "self.h[key] += grads[key] * grads[key]\n"
        "            params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + 1e-7)",
        "self.h[key] += grads[key] * grads[key]\n"
        "            params[key] -= self.lr * grads[key] / np.sqrt(self.h[key])",
        "eps missing", hint="hint.adagrad_eps"),
    Bug("ch06.RMSprop.update", O, "            self.h[key] *= self.decay_rate\n", "",
        "h never decays"),
    Bug("ch06.Adam.update", O,
        "        self.iter += 1\n        lr_t = self.lr * np.sqrt(1.0 - self.beta2**self.iter) / (1.0 - self.beta1**self.iter)\n\n"
        "        for key in params.keys():\n",
        "        for key in params.keys():\n        "
        "    self.iter += 1\n            lr_t = self.lr * np.sqrt(1.0 - self.beta2**self.iter) / (1.0 - self.beta1**self.iter)\n",
        "iter counted per key", hint="hint.adam_iter"),
    Bug("ch06.Adam.update", O,
        "lr_t = self.lr * np.sqrt(1.0 - self.beta2**self.iter) / (1.0 - self.beta1**self.iter)",
        "lr_t = self.lr", "no bias correction", hint="hint.adam_bias_correction"),
    # ---- 6.2 initial weights
    Bug("ch06.MultiLayerNet.__init_weight", MLN, "scale = np.sqrt(2.0 / all_size_list[idx - 1])",
        "scale = np.sqrt(1.0 / all_size_list[idx - 1])", "He with 1/n", hint="hint.init_he_scale"),
    Bug("ch06.MultiLayerNet.__init_weight", MLN, "scale = np.sqrt(1.0 / all_size_list[idx - 1])",
        "scale = np.sqrt(1.0 / all_size_list[idx])", "Xavier with the layer's own size",
        hint="hint.init_fan_in"),
    Bug("ch06.MultiLayerNet.__init_weight", MLN, "scale = np.sqrt(1.0 / all_size_list[idx - 1])",
        "scale = np.sqrt(2.0 / all_size_list[idx - 1])", "Xavier with 2/n", hint="hint.init_xavier_scale"),
    Bug("ch06.MultiLayerNet.__init_weight", MLN, "scale = np.sqrt(2.0 / all_size_list[idx - 1])",
        "scale = 2.0 / all_size_list[idx - 1]", "variance instead of std", hint="hint.init_no_sqrt"),
    Bug("ch06.MultiLayerNet.__init_weight", MLN, "self.params['b' + str(idx)] = np.zeros(all_size_list[idx])",
        "self.params['b' + str(idx)] = scale * np.random.randn(all_size_list[idx])", "random biases"),
    # ---- 6.4.2 weight decay
    Bug("ch06.MultiLayerNet.loss", MLN,
        "for idx in range(1, self.hidden_layer_num + 2):\n            W = self.params['W' + str(idx)]",
        "for idx in range(1, self.hidden_layer_num + 1):\n            W = self.params['W' + str(idx)]",
        "decay misses the last layer", hint="hint.weight_decay_layers"),
    Bug("ch06.MultiLayerNet.loss", MLN, "return self.last_layer.forward(y, t) + weight_decay",
        "return self.last_layer.forward(y, t)", "decay not added", hint="hint.weight_decay_loss_missing"),
    Bug("ch06.MultiLayerNet.loss", MLN, "weight_decay += 0.5 * self.weight_decay_lambda * np.sum(W ** 2)",
        "weight_decay += self.weight_decay_lambda * np.sum(W ** 2)", "no one half", hint="hint.weight_decay_half"),
    Bug("ch06.MultiLayerNet.gradient", MLN,
        "grads['W' + str(idx)] = self.layers['Affine' + str(idx)].dW + self.weight_decay_lambda * "
        "self.layers['Affine' + str(idx)].W",
        "grads['W' + str(idx)] = self.layers['Affine' + str(idx)].dW",
        "weight decay left out of the gradient", hint="hint.weight_decay_grad_missing"),
    Bug("ch06.MultiLayerNet.gradient", MLN,
        "grads['W' + str(idx)] = self.layers['Affine' + str(idx)].dW + self.weight_decay_lambda * "
        "self.layers['Affine' + str(idx)].W",
        "grads['W' + str(idx)] = self.layers['Affine' + str(idx)].dW\n"
        "            if idx <= self.hidden_layer_num: grads['W' + str(idx)] = grads['W' + str(idx)] + "
        "self.weight_decay_lambda * self.layers['Affine' + str(idx)].W",
        "weight decay only on the hidden layers", hint="hint.weight_decay_grad_layers"),
    # ---- 6.3.2 Batch Normalization
    Bug("ch06.BatchNormalization.forward", L,
        "            self.running_mean = self.momentum * self.running_mean + (1-self.momentum) * mu\n"
        "            self.running_var = self.momentum * self.running_var + (1-self.momentum) * var\n",
        "", "running statistics never updated", hint="hint.bn_running_stats"),
    Bug("ch06.BatchNormalization.forward", L,
        "self.running_mean = self.momentum * self.running_mean + (1-self.momentum) * mu",
        "self.running_mean = (1-self.momentum) * self.running_mean + self.momentum * mu",
        "momentum swapped", hint="hint.bn_momentum_swapped"),
    Bug("ch06.BatchNormalization.forward", L,
        "xc = x - self.running_mean\n            xn = xc / ((np.sqrt(self.running_var + 10e-7)))",
        "xc = x - x.mean(axis=0)\n            xn = xc / np.sqrt(np.mean(xc**2, axis=0) + 10e-7)",
        "test mode uses the batch statistics", hint="hint.bn_test_batch_stats"),
    Bug("ch06.BatchNormalization.forward", L,
        "mu = x.mean(axis=0)\n            xc = x - mu\n            var = np.mean(xc**2, axis=0)",
        "mu = x.mean(axis=1, keepdims=True)\n            xc = x - mu\n"
        "            var = np.mean(xc**2, axis=1, keepdims=True)", "normalised per sample", hint="hint.bn_axis"),
    Bug("ch06.BatchNormalization.forward", L, "out = self.gamma * xn + self.beta", "out = xn",
        "gamma and beta left out", hint="hint.bn_gamma_beta"),
    Bug("ch06.BatchNormalization.backward", L, "dx = dxc - dmu / self.batch_size", "dx = dxc",
        "mean path left out", hint="hint.bn_backward_mean_path"),
    Bug("ch06.BatchNormalization.backward", L, "dgamma = np.sum(self.xn * dout, axis=0)",
        "dgamma = np.sum(self.xc * dout, axis=0)", "dgamma from xc"),
    Bug("ch06.BatchNormalization.backward", L, "dbeta = dout.sum(axis=0)", "dbeta = dout",
        "dbeta not summed", hint="hint.bn_dgamma_dbeta"),
    # ---- 6.4.3 Dropout
    Bug("ch06.Dropout.forward", L, "            return x * self.mask\n        else:",
        "            return x * self.mask / (1.0 - self.dropout_ratio)\n        else:",
        "inverted dropout in training", hint="hint.dropout_inverted"),
    Bug("ch06.Dropout.forward", L,
        "        if train_flg:\n            self.mask = np.random.rand(*x.shape) > self.dropout_ratio\n"
        "            return x * self.mask\n        else:\n            return x * (1.0 - self.dropout_ratio)",
        "        self.mask = np.random.rand(*x.shape) > self.dropout_ratio\n        return x * self.mask",
        "still dropping at test time", hint="hint.dropout_at_test"),
    Bug("ch06.Dropout.forward", L, "self.mask = np.random.rand(*x.shape) > self.dropout_ratio",
        "self.mask = np.random.rand(*x.shape) < self.dropout_ratio", "keeps only the ratio",
        hint="hint.dropout_keep_ratio"),
    Bug("ch06.Dropout.backward", L, "return dout * self.mask", "return dout", "mask ignored",
        hint="hint.dropout_backward_mask"),
    # ---- MultiLayerNetExtend
    Bug("ch06.MultiLayerNetExtend.__init__", MLNX,
        "                self.params['gamma' + str(idx)] = np.ones(hidden_size_list[idx-1])\n"
        "                self.params['beta' + str(idx)] = np.zeros(hidden_size_list[idx-1])\n"
        "                self.layers['BatchNorm' + str(idx)] = BatchNormalization(self.params['gamma' + str(idx)], "
        "self.params['beta' + str(idx)])",
        "                self.layers['BatchNorm' + str(idx)] = BatchNormalization(np.ones(hidden_size_list[idx-1]), "
        "np.zeros(hidden_size_list[idx-1]))",
        "gamma and beta not in params", hint="hint.bn_params_missing"),
    Bug("ch06.MultiLayerNetExtend.__init__", MLNX, "Dropout(dropout_ration)", "Dropout()",
        "ratio not handed to Dropout"),
    Bug("ch06.MultiLayerNetExtend.predict", MLNX, "x = layer.forward(x, train_flg)", "x = layer.forward(x)",
        "train_flg not passed", hint="hint.train_flg_not_passed"),
    Bug("ch06.MultiLayerNetExtend.gradient", MLNX,
        "            if self.use_batchnorm and idx != self.hidden_layer_num+1:\n"
        "                grads['gamma' + str(idx)] = self.layers['BatchNorm' + str(idx)].dgamma\n"
        "                grads['beta' + str(idx)] = self.layers['BatchNorm' + str(idx)].dbeta\n",
        "", "gamma and beta missing from grads", hint="hint.bn_grads_missing"),
    Bug("ch06.MultiLayerNetExtend.gradient", MLNX, "self.loss(x, t, train_flg=True)", "self.loss(x, t)",
        "forward in test mode", hint="hint.gradient_train_mode"),
    Bug("ch06.MultiLayerNetExtend.gradient", MLNX,
        "grads['W' + str(idx)] = self.layers['Affine' + str(idx)].dW + self.weight_decay_lambda * "
        "self.params['W' + str(idx)]",
        "grads['W' + str(idx)] = self.layers['Affine' + str(idx)].dW", "weight decay left out",
        hint="hint.weight_decay_grad_missing"),
]
