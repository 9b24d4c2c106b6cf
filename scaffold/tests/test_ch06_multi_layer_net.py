"""Chapter 6.2-6.4: MultiLayerNet (initial weights, weight decay) and MultiLayerNetExtend
(BatchNorm / Dropout layers, predict with train_flg, gradient with gamma / beta).

The initial weights are checked statistically (He: std √(2/n), Xavier: √(1/n), n = nodes of the
previous layer); the gradients against a numerical gradient of the net's own loss on a small net.
Run: pytest -k MultiLayerNet (or Extend)
"""
import numpy as np

from grader.judge import compare as check

MLN, MLNX = "common/multi_layer_net.py", "common/multi_layer_net_extend.py"


def numerical_gradient(f, x, h=1e-4):
    """Central difference of f() with respect to the array x, changed in place and restored."""
    grad = np.zeros_like(x, dtype=np.float64)
    for i in np.ndindex(x.shape):
        saved = x[i]
        x[i] = saved + h
        f1 = f()
        x[i] = saved - h
        f2 = f()
        x[i] = saved
        grad[i] = (f1 - f2) / (2 * h)
    return grad


def test_multi_layer_net_initial_weights(load):
    Net = load(MLN).MultiLayerNet
    for init, std in (("relu", lambda n: np.sqrt(2.0 / n)), ("xavier", lambda n: np.sqrt(1.0 / n)),
                      (0.05, lambda n: 0.05)):
        net = Net(400, [300], 50, weight_init_std=init)
        for i, n_prev, n in ((1, 400, 300), (2, 300, 50)):
            W = check.array(net.params[f"W{i}"], f"MultiLayerNet(400, [300], 50, weight_init_std={init!r}): W{i}",
                            (n_prev, n))
            # 6 standard errors of the sample standard deviation: a right init never misses
            check.close(np.float64(W.std()), std(n_prev), f"weight_init_std={init!r}: standard deviation of W{i}",
                        tol=6 / np.sqrt(2 * W.size))
            check.equal(net.params[f"b{i}"], np.zeros(n), f"weight_init_std={init!r}: b{i} (zeros)")


def test_multi_layer_net_weight_decay_in_loss(load, rng):
    np.random.seed(0)
    net = load(MLN).MultiLayerNet(6, [5, 4, 3], 4, weight_decay_lambda=0.1)
    x, t = rng.normal(size=(3, 6)), np.array([2, 0, 3])
    decay = sum(0.5 * 0.1 * np.sum(net.params[f"W{i}"] ** 2) for i in range(1, 5))
    base = net.last_layer.forward(net.predict(x), t)
    check.close_number(net.loss(x, t), base + decay,
                       "MultiLayerNet(…, weight_decay_lambda=0.1).loss(x, t) (+ 0.5·λ·ΣW² over W1 … W4)", tol=1e-10)
    t1 = np.eye(4)[t]
    check.close_number(net.loss(x, t1), base + decay, "MultiLayerNet.loss(x, t) with one-hot t", tol=1e-10)


def test_multi_layer_net_gradient_check(load, rng):
    np.random.seed(1)
    net = load(MLN).MultiLayerNet(6, [5, 4], 3, activation="sigmoid", weight_init_std="xavier",
                                  weight_decay_lambda=0.1)
    for k in ("b1", "b2", "b3"):
        net.params[k][...] = rng.normal(scale=0.1, size=net.params[k].shape)  # in place: shared with Affine
    x, t = rng.normal(size=(3, 6)), np.array([2, 0, 1])
    grads = net.gradient(x, t)
    for key in ("W1", "b1", "W2", "b2", "W3", "b3"):
        num = numerical_gradient(lambda: net.loss(x, t), net.params[key])
        check.gradient(grads[key], num, "MultiLayerNet.gradient (with weight decay)", key, tol=1e-4)


def test_multi_layer_net_extend_layers(load):
    net = load(MLNX).MultiLayerNetExtend(6, [5, 4], 3, use_dropout=True, dropout_ration=0.3, use_batchnorm=True)
    want = ["Affine1", "BatchNorm1", "Activation_function1", "Dropout1",
            "Affine2", "BatchNorm2", "Activation_function2", "Dropout2", "Affine3"]
    check.holds(list(net.layers) == want, "MultiLayerNetExtend(…, use_dropout=True, use_batchnorm=True).layers",
                f"the layers must be, in order, {', '.join(want)}")
    for i, n in ((1, 5), (2, 4)):
        check.equal(net.params[f"gamma{i}"], np.ones(n), f"params['gamma{i}'] (ones)")
        check.equal(net.params[f"beta{i}"], np.zeros(n), f"params['beta{i}'] (zeros)")
        check.holds(net.layers[f"BatchNorm{i}"].gamma is net.params[f"gamma{i}"], "MultiLayerNetExtend",
                    f"BatchNorm{i} must hold the very array params['gamma{i}']")
    check.holds(net.layers["Dropout1"].dropout_ratio == 0.3, "MultiLayerNetExtend(…, dropout_ration=0.3)",
                "the Dropout layers must get the ratio")


def test_multi_layer_net_extend_predict_and_gradient(load, rng):
    Net = load(MLNX).MultiLayerNetExtend
    x, t = rng.normal(size=(5, 6)), np.array([2, 0, 3, 1, 2])
    np.random.seed(2)
    net = Net(6, [5, 4], 4, use_batchnorm=True, use_dropout=True, dropout_ration=0.3)
    net.predict(x, train_flg=True)  # moves the running statistics
    check.close(net.predict(x, train_flg=False), net.predict(x), "MultiLayerNetExtend.predict in test mode, "
                "twice (no Dropout masks: train_flg=False reaches the Dropout and BatchNorm layers)", tol=0)
    np.random.seed(3)
    net = Net(6, [5, 4], 4, weight_decay_lambda=0.1, use_batchnorm=True)
    for key in net.params:  # in place (shared with the layers): biases ≠ 0, gamma ≠ 1, beta ≠ 0
        net.params[key][...] += rng.normal(scale=0.1 if key.startswith("b") else 0.3, size=net.params[key].shape) \
            if not key.startswith("W") else 0
    grads = net.gradient(x, t)
    check.holds(sorted(grads) == sorted(net.params), "MultiLayerNetExtend.gradient with use_batchnorm",
                "grads must have a key for every param, gamma1, beta1, … included")
    for key in sorted(net.params):
        num = numerical_gradient(lambda: net.loss(x, t, train_flg=True), net.params[key])
        if key in ("b1", "b2"):  # right before BatchNorm: the gradient is 0
            check.holds(np.abs(grads[key]).max() < 1e-8 and np.abs(num).max() < 1e-8,
                        f"MultiLayerNetExtend.gradient: {key}", "must be 0 (BatchNorm subtracts the batch mean)")
        else:
            check.gradient(grads[key], num, "MultiLayerNetExtend.gradient (BatchNorm, weight decay)", key, tol=1e-4)
