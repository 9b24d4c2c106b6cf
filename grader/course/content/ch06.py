"""Notebook content of chapter 6 (training techniques), in book order."""
from grader.course.notebook import code, ex, md

TITLE = "Chapter 6 — Training techniques"
MODULES = ()

_STEP = """
from common.optimizer import {name}
params, grads = {{"x": np.array([-7.0]), "y": np.array([2.0])}}, {{"x": np.array([-0.7]), "y": np.array([4.0])}}
optimizer = {name}({args})
for _ in range(3):
    optimizer.update(params, grads)   # in place: the very same arrays change
print(params)
"""


def _step(name: str, args: str = "lr=0.1") -> str:
    return _STEP.format(name=name, args=args)


CELLS = (
    md("""
## 6.1 Updating the parameters
Every optimizer has `update(params, grads)` and changes the arrays of `params` **in place**
(the net's layers hold the very same arrays). Each cell makes three steps on
f(x, y) = x²/20 + y² from (-7, 2), with the gradient at the start point.
"""),
    ex("ch06.SGD.update", _step("SGD", "lr=0.95")),
    ex("ch06.Momentum.update", _step("Momentum")),
    ex("ch06.Nesterov.update", _step("Nesterov")),
    ex("ch06.AdaGrad.update", _step("AdaGrad", "lr=1.5")),
    ex("ch06.RMSprop.update", _step("RMSprop")),
    ex("ch06.Adam.update", _step("Adam", "lr=0.3")),
    md("Figure 6-8: the paths of the optimizers on f(x, y) = x²/20 + y² (the book's `optimizer_compare_naive.py`)."),
    code("""
from common.optimizer import SGD, Momentum, AdaGrad, Adam
def df(x, y):
    return x / 10.0, 2.0 * y
optimizers = {"SGD": SGD(lr=0.95), "Momentum": Momentum(lr=0.1),
              "AdaGrad": AdaGrad(lr=1.5), "Adam": Adam(lr=0.3)}
X, Y = np.meshgrid(np.arange(-10, 10, 0.01), np.arange(-5, 5, 0.01))
for i, (name, optimizer) in enumerate(optimizers.items()):
    params = {"x": np.array(-7.0), "y": np.array(2.0)}
    path = []
    for _ in range(30):
        path.append((float(params["x"]), float(params["y"])))
        gx, gy = df(params["x"], params["y"])
        optimizer.update(params, {"x": gx, "y": gy})
    path = np.array(path)
    plt.subplot(2, 2, i + 1)
    plt.contour(X, Y, X**2 / 20.0 + Y**2, levels=10, colors="lightgray")
    plt.plot(path[:, 0], path[:, 1], "o-", color="red", markersize=2)
    plt.title(name)
    plt.xlim(-10, 10)
    plt.ylim(-5, 5)
plt.tight_layout()
plt.show()
"""),
    md("""
## 6.2 The initial weights
`weight_init_std="relu"` (or `"he"`) scales the weights by √(2/n), `"sigmoid"` (`"xavier"`)
by √(1/n), where n is the number of inputs of the layer.
"""),
    ex("ch06.MultiLayerNet.__init_weight", """
from common.multi_layer_net import MultiLayerNet
net = MultiLayerNet(input_size=784, hidden_size_list=[100, 100], output_size=10, weight_init_std="relu")
print(net.params["W1"].std(), np.sqrt(2 / 784))   # about the same
print(net.params["W2"].std(), np.sqrt(2 / 100))
"""),
    md("""
## 6.3 Batch Normalization
At training time a BatchNorm layer normalises each feature over the mini-batch, then scales by
gamma and shifts by beta; at test time it uses the running averages.
"""),
    ex("ch06.BatchNormalization.forward", """
from common.layers import BatchNormalization
bn = BatchNormalization(gamma=np.ones(3), beta=np.zeros(3))
out = bn.forward(np.random.randn(5, 3) * 4 + 2, train_flg=True)
print(out.mean(axis=0), out.std(axis=0))   # about 0 and 1 per feature
"""),
    ex("ch06.BatchNormalization.backward", """
from common.layers import BatchNormalization
bn = BatchNormalization(gamma=np.ones(3), beta=np.zeros(3))
bn.forward(np.random.randn(5, 3), train_flg=True)
print(bn.backward(np.random.randn(5, 3)).shape, bn.dgamma.shape, bn.dbeta.shape)   # (5, 3) (3,) (3,)
"""),
    ex("ch06.MultiLayerNetExtend.__init__", """
from common.multi_layer_net_extend import MultiLayerNetExtend
net = MultiLayerNetExtend(input_size=784, hidden_size_list=[100, 100], output_size=10, use_batchnorm=True)
print(list(net.layers.keys()))
"""),
    md("""
## 6.4 Regularisation
Weight decay adds ½λ‖W‖² to the loss (and λW to each weight gradient); Dropout drops random
neurons at training time and scales by (1 - ratio) at test time.
"""),
    ex("ch06.MultiLayerNet.loss", """
from common.multi_layer_net import MultiLayerNet
x, t = np.random.rand(3, 6), np.array([0, 2, 3])
for lam in (0.0, 0.1):
    np.random.seed(0)
    net = MultiLayerNet(input_size=6, hidden_size_list=[5], output_size=4, weight_decay_lambda=lam)
    print(lam, net.loss(x, t))   # larger with weight decay
"""),
    ex("ch06.MultiLayerNet.gradient", """
from common.multi_layer_net import MultiLayerNet
net = MultiLayerNet(input_size=6, hidden_size_list=[5], output_size=4, weight_decay_lambda=0.1)
x, t = np.random.rand(3, 6), np.array([0, 2, 3])
num, backprop = net.numerical_gradient(x, t), net.gradient(x, t)
for key in num:
    print(key, np.abs(num[key] - backprop[key]).mean())   # tiny when gradient is right
"""),
    ex("ch06.Dropout.forward", """
from common.layers import Dropout
layer = Dropout(dropout_ratio=0.3)
x = np.ones((2, 5))
print(layer.forward(x, train_flg=True))    # some entries are 0
print(layer.forward(x, train_flg=False))   # all 0.7
"""),
    ex("ch06.Dropout.backward", """
from common.layers import Dropout
layer = Dropout(dropout_ratio=0.3)
out = layer.forward(np.ones((2, 5)), train_flg=True)
print(layer.backward(np.ones((2, 5))) == out)   # the gradient flows only where the neuron was kept
"""),
    ex("ch06.MultiLayerNetExtend.predict", """
from common.multi_layer_net_extend import MultiLayerNetExtend
net = MultiLayerNetExtend(input_size=6, hidden_size_list=[5], output_size=4, use_dropout=True, dropout_ration=0.3)
x = np.random.rand(3, 6)
print(np.allclose(net.predict(x, train_flg=False), net.predict(x, train_flg=False)))   # True: no dropout at test time
"""),
    ex("ch06.MultiLayerNetExtend.gradient", """
from common.multi_layer_net_extend import MultiLayerNetExtend
net = MultiLayerNetExtend(input_size=6, hidden_size_list=[5], output_size=4, use_batchnorm=True)
x, t = np.random.rand(3, 6), np.array([0, 2, 3])
print(sorted(net.gradient(x, t)))   # W, b, and gamma/beta of the BatchNorm layer
"""),
)
