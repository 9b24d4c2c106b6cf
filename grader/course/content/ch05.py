"""Notebook content of chapter 5 (backpropagation), in book order."""
from grader.course.notebook import ex, md, training

TITLE = "Chapter 5 — Backpropagation"
MODULES = ("dataset.mnist",)

CELLS = (
    md("""
## 5.4 Simple layers: buying apples
Each layer has `forward` and `backward`. The book's example: 2 apples at 100 yen each, 10 % tax.
"""),
    ex("ch05.MulLayer.forward", """
from ch05.layer_naive import MulLayer
mul_apple_layer, mul_tax_layer = MulLayer(), MulLayer()
apple_price = mul_apple_layer.forward(100, 2)
print(mul_tax_layer.forward(apple_price, 1.1))   # the book: 220
"""),
    ex("ch05.MulLayer.backward", """
from ch05.layer_naive import MulLayer
mul_apple_layer, mul_tax_layer = MulLayer(), MulLayer()
mul_tax_layer.forward(mul_apple_layer.forward(100, 2), 1.1)
dapple_price, dtax = mul_tax_layer.backward(1)
dapple, dapple_num = mul_apple_layer.backward(dapple_price)
print(dapple, dapple_num, dtax)   # the book: 2.2 110 200
"""),
    ex("ch05.AddLayer.forward", """
from ch05.layer_naive import AddLayer
print(AddLayer().forward(200, 450))   # 650: apples plus oranges (5.4.2)
"""),
    ex("ch05.AddLayer.backward", """
from ch05.layer_naive import AddLayer
layer = AddLayer()
layer.forward(200, 450)
print(layer.backward(1.1))   # (1.1, 1.1): addition passes the gradient on unchanged
"""),
    md("## 5.5 Activation layers"),
    ex("ch05.Relu.forward", """
from common.layers import Relu
print(Relu().forward(np.array([[1.0, -0.5], [-2.0, 3.0]])))   # negatives become 0
"""),
    ex("ch05.Relu.backward", """
from common.layers import Relu
relu = Relu()
relu.forward(np.array([[1.0, -0.5], [-2.0, 3.0]]))
print(relu.backward(np.ones((2, 2))))   # [[1 0] [0 1]]: no gradient where x <= 0
"""),
    ex("ch05.Sigmoid.forward", """
from common.layers import Sigmoid
print(Sigmoid().forward(np.array([-1.0, 0.0, 2.0])))   # [0.2689 0.5 0.8808]
"""),
    ex("ch05.Sigmoid.backward", """
from common.layers import Sigmoid
layer = Sigmoid()
y = layer.forward(np.array([-1.0, 0.0, 2.0]))
print(layer.backward(np.ones(3)), y * (1 - y))   # both the same: dy/dx = y(1 - y)
"""),
    md("## 5.6 Affine and Softmax-with-Loss"),
    ex("ch05.Affine.forward", """
from common.layers import Affine
W, b = np.arange(6.0).reshape(2, 3), np.array([0.5, -0.5, 1.0])
print(Affine(W, b).forward(np.array([[1.0, 2.0], [0.0, -1.0]])))
"""),
    ex("ch05.Affine.backward", """
from common.layers import Affine
W, b = np.arange(6.0).reshape(2, 3), np.array([0.5, -0.5, 1.0])
layer = Affine(W, b)
layer.forward(np.array([[1.0, 2.0], [0.0, -1.0]]))
dx = layer.backward(np.ones((2, 3)))
print(dx.shape, layer.dW.shape, layer.db.shape)   # (2, 2) (2, 3) (3,): the shapes of x, W, b
"""),
    ex("ch05.SoftmaxWithLoss.forward", """
from common.layers import SoftmaxWithLoss
print(SoftmaxWithLoss().forward(np.array([[0.3, 2.9, 4.0]]), np.array([[0, 0, 1]])))   # 0.3057
"""),
    ex("ch05.SoftmaxWithLoss.backward", """
from common.layers import SoftmaxWithLoss
layer = SoftmaxWithLoss()
layer.forward(np.array([[0.3, 2.9, 4.0]]), np.array([[0, 0, 1]]))
print(layer.backward())   # y - t: [[ 0.0182  0.2452 -0.2634]]
"""),
    md("""
## 5.7 The two-layer network with layers
`ch05/two_layer_net.py` stacks Affine → Relu → Affine and ends in Softmax-with-Loss; its
`gradient` is backpropagation. The book checks it against the numerical gradient
(`gradient_check.py`).
"""),
    ex("ch05.TwoLayerNet.__init__", """
from ch05.two_layer_net import TwoLayerNet
net = TwoLayerNet(input_size=784, hidden_size=50, output_size=10)
print(list(net.layers.keys()), {k: v.shape for k, v in net.params.items()})
"""),
    ex("ch05.TwoLayerNet.predict", """
from ch05.two_layer_net import TwoLayerNet
net = TwoLayerNet(input_size=784, hidden_size=50, output_size=10)
print(net.predict(np.random.rand(3, 784)).shape)   # (3, 10): scores, no softmax
"""),
    ex("ch05.TwoLayerNet.loss", """
from ch05.two_layer_net import TwoLayerNet
net = TwoLayerNet(input_size=784, hidden_size=50, output_size=10)
print(net.loss(np.random.rand(3, 784), np.eye(10)[[3, 1, 4]]))   # about 2.30 before training
"""),
    ex("ch05.TwoLayerNet.accuracy", """
from ch05.two_layer_net import TwoLayerNet
net = TwoLayerNet(input_size=784, hidden_size=50, output_size=10)
print(net.accuracy(np.random.rand(100, 784), np.eye(10)[np.random.randint(0, 10, 100)]))   # about 0.1
"""),
    ex("ch05.TwoLayerNet.gradient", """
from ch05.two_layer_net import TwoLayerNet
net = TwoLayerNet(input_size=6, hidden_size=5, output_size=4)
x, t = np.random.rand(3, 6), np.eye(4)[[0, 2, 3]]
num, backprop = net.numerical_gradient(x, t), net.gradient(x, t)
for key in num:
    print(key, np.average(np.abs(backprop[key] - num[key])))   # the book: about 1e-10 … 1e-13
"""),
    md("""
Training with backpropagation (the book's `train_neuralnet.py`, on a subset): the loss falls
and the accuracy rises within seconds.
"""),
    training("ch05", samples=5000, iters=500, lr=0.1),
)
