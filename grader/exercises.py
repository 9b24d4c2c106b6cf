"""The exercise catalogue: one id per exercise, used everywhere.

An exercise id is ``chNN.Name[.method]`` (``ch05.Affine.backward``). The same id appears

* in ``solutions/`` as ``### BEGIN SOLUTION ch05.Affine.backward`` around the body,
* in ``scaffold/`` as ``raise NotImplementedError("ch05.Affine.backward: <hint>")``,
* in the hidden suites as ``@points("ch05.Affine.backward", n)``,
* in reports, feedback and the gradebook.

``uses`` lists the exercises whose code an exercise calls (a net's ``gradient`` calls the
layers' ``backward``). The judge uses it to say "blocked by ch05.Affine.backward" instead of
blaming the net for a layer's bug.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Exercise:
    id: str
    file: str  # path in the book's layout, e.g. "common/layers.py"
    section: str  # book section, the same in the Japanese, Korean and English editions
    title: str
    hint: str  # one line, in book terms; becomes the stub's NotImplementedError text
    uses: tuple[str, ...] = ()

    @property
    def chapter(self) -> str:
        return self.id.split(".", 1)[0]

    @property
    def name(self) -> str:
        """The exercise id without its chapter: ``Affine.backward``."""
        return self.id.split(".", 1)[1]


def _ex(id, file, section, title, hint, uses=()):
    return Exercise(id, file, section, title, hint, tuple(uses))


F, G, L = "common/functions.py", "common/gradient.py", "common/layers.py"
O, U = "common/optimizer.py", "common/util.py"
MLN, MLNX = "common/multi_layer_net.py", "common/multi_layer_net_extend.py"
N3, GM, N4 = "ch03/neuralnet_mnist.py", "ch04/gradient_method.py", "ch04/two_layer_net.py"
LN, N5, CNN = "ch05/layer_naive.py", "ch05/two_layer_net.py", "ch07/simple_convnet.py"

_SOFTMAX_LOSS = ("ch03.softmax", "ch04.cross_entropy_error")
_CH5_FORWARD = ("ch05.Affine.forward", "ch05.Relu.forward", "ch05.SoftmaxWithLoss.forward")
_CH5_BACKWARD = ("ch05.Affine.backward", "ch05.Relu.backward", "ch05.SoftmaxWithLoss.backward")

EXERCISES: tuple[Exercise, ...] = (
    # ---- chapter 3: neural networks ------------------------------------------------------
    _ex("ch03.step_function", F, "3.2.3", "step function",
        "return an int array: 1 where x > 0, else 0 (np.array(x > 0, dtype=int))"),
    _ex("ch03.sigmoid", F, "3.2.4", "sigmoid function", "return 1 / (1 + exp(-x)), element-wise"),
    _ex("ch03.relu", F, "3.2.7", "ReLU function", "return max(0, x) element-wise (np.maximum)"),
    _ex("ch03.identity_function", F, "3.4.2", "identity function", "return x unchanged"),
    _ex("ch03.softmax", F, "3.5.2", "softmax function",
        "subtract each row's max, exponentiate, divide by each row's sum (1-D or (N, C))"),
    _ex("ch03.predict", N3, "3.6.2", "MNIST inference with the sample weights",
        "a1 = x·W1 + b1, z1 = sigmoid(a1), … three layers, softmax at the end",
        ("ch03.sigmoid", "ch03.softmax")),
    # ---- chapter 4: neural network learning ----------------------------------------------
    _ex("ch04.mean_squared_error", F, "4.2.1", "squared error",
        "return 0.5 * sum((y - t)**2), summed over everything, no batch average"),
    _ex("ch04.cross_entropy_error", F, "4.2.4", "cross-entropy error (mini-batch)",
        "reshape 1-D to one row, turn one-hot t into labels, return -sum(log(y[i, t_i] + 1e-7)) / N"),
    _ex("ch04.numerical_diff", GM, "4.3.2", "numerical differentiation",
        "central difference (f(x+h) - f(x-h)) / (2h) with h = 1e-4"),
    _ex("ch04.numerical_gradient", G, "4.4", "numerical gradient",
        "for every element of x (np.nditer, multi_index): set x+h, f, set x-h, f, restore x"),
    _ex("ch04.gradient_descent", GM, "4.4.1", "gradient descent",
        "step_num times: x -= lr * numerical_gradient(f, x); return x",
        ("ch04.numerical_gradient",)),
    _ex("ch04.TwoLayerNet.__init__", N4, "4.5.1", "two-layer net: weight initialisation",
        "params W1 = weight_init_std * randn(input, hidden), b1 = zeros, then W2, b2"),
    _ex("ch04.TwoLayerNet.predict", N4, "4.5.1", "two-layer net: predict",
        "a1 = x·W1 + b1, z1 = sigmoid(a1), a2 = z1·W2 + b2, return softmax(a2)",
        ("ch03.sigmoid", "ch03.softmax")),
    _ex("ch04.TwoLayerNet.loss", N4, "4.5.1", "two-layer net: loss",
        "return cross_entropy_error(self.predict(x), t)",
        ("ch04.TwoLayerNet.predict", "ch04.cross_entropy_error")),
    _ex("ch04.TwoLayerNet.accuracy", N4, "4.5.1", "two-layer net: accuracy",
        "argmax of predict(x) and of one-hot t per row; return hits / N",
        ("ch04.TwoLayerNet.predict",)),
    _ex("ch04.TwoLayerNet.numerical_gradient", N4, "4.5.1", "two-layer net: numerical gradient",
        "loss_W = lambda W: self.loss(x, t); grads['W1'] = numerical_gradient(loss_W, self.params['W1']) …",
        ("ch04.numerical_gradient", "ch04.TwoLayerNet.loss")),
    _ex("ch04.TwoLayerNet.gradient", N4, "4.5.1", "two-layer net: fast gradient",
        "forward, dy = (y - t) / N, then dW2 = z1ᵀ·dy, db2 = sum(dy), da1 = dy·W2ᵀ, dz1 = sigmoid_grad(a1)·da1 …",
        ("ch03.sigmoid", "ch03.softmax")),
    # ---- chapter 5: backpropagation ------------------------------------------------------
    _ex("ch05.MulLayer.forward", LN, "5.4.1", "multiplication layer, forward",
        "store x and y in self.x, self.y; return x * y"),
    _ex("ch05.MulLayer.backward", LN, "5.4.1", "multiplication layer, backward",
        "swap the inputs: return dout * self.y, dout * self.x"),
    _ex("ch05.AddLayer.forward", LN, "5.4.2", "addition layer, forward", "return x + y"),
    _ex("ch05.AddLayer.backward", LN, "5.4.2", "addition layer, backward",
        "pass dout through to both inputs: return dout * 1, dout * 1"),
    _ex("ch05.Relu.forward", L, "5.5.1", "ReLU layer, forward",
        "self.mask = (x <= 0); out = x.copy(); out[self.mask] = 0"),
    _ex("ch05.Relu.backward", L, "5.5.1", "ReLU layer, backward",
        "dout[self.mask] = 0; return dout (gradient 0 where x <= 0)"),
    _ex("ch05.Sigmoid.forward", L, "5.5.2", "Sigmoid layer, forward",
        "self.out = sigmoid(x); return self.out", ("ch03.sigmoid",)),
    _ex("ch05.Sigmoid.backward", L, "5.5.2", "Sigmoid layer, backward",
        "return dout * (1.0 - self.out) * self.out"),
    _ex("ch05.Affine.forward", L, "5.6.2", "Affine layer, forward",
        "remember x.shape, flatten x to (N, -1), store it in self.x, return x·W + b"),
    _ex("ch05.Affine.backward", L, "5.6.2", "Affine layer, backward",
        "dx = dout·Wᵀ (reshaped back), self.dW = xᵀ·dout, self.db = sum of dout over axis 0"),
    _ex("ch05.SoftmaxWithLoss.forward", L, "5.6.3", "Softmax-with-Loss layer, forward",
        "self.t = t; self.y = softmax(x); self.loss = cross_entropy_error(self.y, self.t)",
        _SOFTMAX_LOSS),
    _ex("ch05.SoftmaxWithLoss.backward", L, "5.6.3", "Softmax-with-Loss layer, backward",
        "(y - t) / batch_size for one-hot t; for labels subtract 1 at each row's label, then / N"),
    _ex("ch05.TwoLayerNet.__init__", N5, "5.7.2", "two-layer net with layers: construction",
        "params as in ch04; layers = OrderedDict Affine1, Relu1, Affine2 sharing params; lastLayer"),
    _ex("ch05.TwoLayerNet.predict", N5, "5.7.2", "two-layer net with layers: predict",
        "for layer in self.layers.values(): x = layer.forward(x); return x (scores, no softmax)",
        ("ch05.Affine.forward", "ch05.Relu.forward")),
    _ex("ch05.TwoLayerNet.loss", N5, "5.7.2", "two-layer net with layers: loss",
        "return self.lastLayer.forward(self.predict(x), t)",
        ("ch05.TwoLayerNet.predict", "ch05.SoftmaxWithLoss.forward")),
    _ex("ch05.TwoLayerNet.accuracy", N5, "5.7.2", "two-layer net with layers: accuracy",
        "argmax of predict(x); argmax t too if t.ndim != 1; return hits / N",
        ("ch05.TwoLayerNet.predict",)),
    _ex("ch05.TwoLayerNet.gradient", N5, "5.7.2", "two-layer net with layers: backpropagation",
        "loss, dout = lastLayer.backward(1), layers in reverse, then grads from Affine1/Affine2 dW, db",
        _CH5_FORWARD + _CH5_BACKWARD),
    # ---- chapter 6: training techniques --------------------------------------------------
    _ex("ch06.SGD.update", O, "6.1.2", "SGD", "for each key: params[key] -= self.lr * grads[key]"),
    _ex("ch06.Momentum.update", O, "6.1.4", "Momentum",
        "v starts as zeros_like each param; v = momentum*v - lr*grad; params[key] += v"),
    _ex("ch06.Nesterov.update", O, "6.1.4", "Nesterov's accelerated gradient",
        "params += momentum² * v; params -= (1 + momentum) * lr * grad; then update v as Momentum"),
    _ex("ch06.AdaGrad.update", O, "6.1.5", "AdaGrad",
        "h += grad²; params[key] -= lr * grad / (sqrt(h) + 1e-7)"),
    _ex("ch06.RMSprop.update", O, "6.1.5", "RMSProp",
        "h = decay_rate*h + (1 - decay_rate)*grad²; params[key] -= lr * grad / (sqrt(h) + 1e-7)"),
    _ex("ch06.Adam.update", O, "6.1.6", "Adam",
        "iter += 1; lr_t = lr*sqrt(1 - beta2**iter)/(1 - beta1**iter); m += (1-beta1)(g-m); v += (1-beta2)(g²-v)"),
    _ex("ch06.MultiLayerNet.__init_weight", MLN, "6.2.2", "weight initialisation (He / Xavier)",
        "scale = sqrt(2/n_prev) for 'relu'/'he', sqrt(1/n_prev) for 'sigmoid'/'xavier', else the number"),
    _ex("ch06.MultiLayerNet.loss", MLN, "6.4.2", "weight decay in the loss",
        "add 0.5 * lambda * sum(W**2) for every W1 … W(L+1) to last_layer.forward(predict(x), t)",
        _CH5_FORWARD),
    _ex("ch06.MultiLayerNet.gradient", MLN, "6.4.2", "weight decay in the gradient",
        "backprop as in ch5; grads['W%d'] = dW + lambda * W for every Affine layer",
        _CH5_FORWARD + _CH5_BACKWARD + ("ch06.MultiLayerNet.loss",)),
    _ex("ch06.BatchNormalization.forward", L, "6.3.2", "Batch Normalization, forward",
        "train: normalise with batch mean/var (+10e-7), update running stats; test: use running stats"),
    _ex("ch06.BatchNormalization.backward", L, "6.3.2", "Batch Normalization, backward",
        "dbeta = sum(dout), dgamma = sum(xn*dout), then back through xn = xc/std to dx"),
    _ex("ch06.Dropout.forward", L, "6.4.3", "Dropout, forward",
        "train: self.mask = rand(*x.shape) > ratio, return x * mask; test: return x * (1 - ratio)"),
    _ex("ch06.Dropout.backward", L, "6.4.3", "Dropout, backward", "return dout * self.mask"),
    _ex("ch06.MultiLayerNetExtend.__init__", MLNX, "6.3.2", "multi-layer net with BatchNorm/Dropout: layers",
        "per hidden layer: Affine, [BatchNorm with gamma/beta in params], Activation_function, [Dropout]"),
    _ex("ch06.MultiLayerNetExtend.predict", MLNX, "6.4.3", "multi-layer net: predict with train_flg",
        "pass train_flg to layers whose key contains 'Dropout' or 'BatchNorm'; others forward(x)",
        ("ch05.Affine.forward", "ch05.Relu.forward", "ch06.BatchNormalization.forward",
         "ch06.Dropout.forward")),
    _ex("ch06.MultiLayerNetExtend.gradient", MLNX, "6.3.2", "multi-layer net: gradient with gamma/beta",
        "forward with train_flg=True, backprop, W with weight decay, gamma/beta from dgamma/dbeta",
        ("ch06.MultiLayerNetExtend.predict", "ch05.Affine.forward", "ch05.Relu.forward",
         "ch06.BatchNormalization.forward", "ch06.Dropout.forward",
         "ch05.SoftmaxWithLoss.forward", "ch05.Affine.backward",
         "ch05.Relu.backward", "ch06.BatchNormalization.backward", "ch06.Dropout.backward",
         "ch05.SoftmaxWithLoss.backward")),
    # ---- chapter 7: convolutional neural networks ----------------------------------------
    _ex("ch07.im2col", U, "7.4.3", "im2col",
        "pad, then for each (y, x) in the filter copy img[:, :, y:y_max:stride, x:x_max:stride]; reshape"),
    _ex("ch07.col2im", U, "7.4.3", "col2im",
        "the reverse of im2col: add (+=) each filter position back into the padded image, then crop"),
    _ex("ch07.Convolution.forward", L, "7.4.3", "Convolution layer, forward",
        "col = im2col(x, FH, FW, stride, pad); col_W = W.reshape(FN, -1).T; out = col·col_W + b",
        ("ch07.im2col",)),
    _ex("ch07.Convolution.backward", L, "7.4.3", "Convolution layer, backward",
        "dout to (-1, FN); db = sum; dW = colᵀ·dout reshaped; dx = col2im(dout·col_Wᵀ, …)",
        ("ch07.im2col", "ch07.col2im")),
    _ex("ch07.Pooling.forward", L, "7.4.4", "Pooling layer, forward",
        "im2col, reshape to (-1, pool_h*pool_w), keep arg_max, take the max, reshape to (N, C, OH, OW)",
        ("ch07.im2col",)),
    _ex("ch07.Pooling.backward", L, "7.4.4", "Pooling layer, backward",
        "send each dout to its window's arg_max position, then col2im back to the input shape",
        ("ch07.im2col", "ch07.col2im")),
    _ex("ch07.SimpleConvNet.__init__", CNN, "7.5", "SimpleConvNet: construction",
        "W1 (FN, C, FS, FS), W2 (pool_output_size, hidden), W3; layers Conv1 Relu1 Pool1 Affine1 Relu2 Affine2"),
    _ex("ch07.SimpleConvNet.gradient", CNN, "7.5", "SimpleConvNet: backpropagation",
        "loss, last_layer.backward(1), layers in reverse; grads W1/b1 from Conv1, W2/b2 Affine1, W3/b3 Affine2",
        ("ch07.Convolution.forward", "ch07.Pooling.forward", "ch05.Affine.forward",
         "ch05.Relu.forward", "ch05.SoftmaxWithLoss.forward", "ch07.Convolution.backward",
         "ch07.Pooling.backward", "ch05.Affine.backward", "ch05.Relu.backward",
         "ch05.SoftmaxWithLoss.backward")),
)

BY_ID: dict[str, Exercise] = {e.id: e for e in EXERCISES}
CHAPTERS: tuple[str, ...] = ("ch03", "ch04", "ch05", "ch06", "ch07")


def get(exercise_id: str) -> Exercise:
    """The exercise with this id; KeyError naming the id if there is none."""
    try:
        return BY_ID[exercise_id]
    except KeyError:
        raise KeyError(f"unknown exercise id {exercise_id!r}") from None


def of_chapter(chapter: str) -> list[Exercise]:
    return [e for e in EXERCISES if e.chapter == chapter]


def _check_catalogue() -> None:
    assert len(BY_ID) == len(EXERCISES), "duplicate exercise id"
    for e in EXERCISES:
        for u in e.uses:
            assert u in BY_ID, f"{e.id} uses unknown {u}"


_check_catalogue()
