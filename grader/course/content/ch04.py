"""Notebook content of chapter 4 (neural network learning), in book order."""
from grader.course.notebook import ex, md, training

TITLE = "Chapter 4 — Neural network learning"
MODULES = ("dataset.mnist",)

CELLS = (
    md("""
## 4.2 Loss functions
A loss says how bad the network's output `y` is for the labels `t` (one-hot here).
"""),
    ex("ch04.mean_squared_error", """
from common.functions import mean_squared_error
t = np.array([0, 0, 1, 0, 0, 0, 0, 0, 0, 0])
y = np.array([0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0])
print(mean_squared_error(y, t))   # the book: 0.0975
"""),
    ex("ch04.cross_entropy_error", """
from common.functions import cross_entropy_error
t = np.array([0, 0, 1, 0, 0, 0, 0, 0, 0, 0])
y = np.array([0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0])
print(cross_entropy_error(y, t))                  # the book: 0.5108
print(cross_entropy_error(np.stack([y, y]), np.array([2, 2])))   # a mini-batch with labels: 0.5108
"""),
    md("## 4.3–4.4 Numerical differentiation and gradients"),
    ex("ch04.numerical_diff", """
from ch04.gradient_method import numerical_diff
def function_1(x):
    return 0.01 * x**2 + 0.1 * x
print(numerical_diff(function_1, 5), numerical_diff(function_1, 10))   # the book: 0.2 0.3
"""),
    ex("ch04.numerical_gradient", """
from common.gradient import numerical_gradient
def function_2(x):
    return x[0]**2 + x[1]**2
print(numerical_gradient(function_2, np.array([3.0, 4.0])))   # the book: [6. 8.]
"""),
    ex("ch04.gradient_descent", """
from ch04.gradient_method import gradient_descent
def function_2(x):
    return x[0]**2 + x[1]**2
print(gradient_descent(function_2, init_x=np.array([-3.0, 4.0]), lr=0.1, step_num=100))   # ≈ [0 0]
"""),
    md("""
## 4.5 A two-layer network that learns
`ch04/two_layer_net.py` builds the book's `TwoLayerNet` (sigmoid hidden layer, softmax output).
`numerical_gradient` is the slow, obviously right gradient; `gradient` is the fast one (it is
backpropagation in disguise, explained in chapter 5). They must agree.
"""),
    ex("ch04.TwoLayerNet.__init__", """
from ch04.two_layer_net import TwoLayerNet
net = TwoLayerNet(input_size=784, hidden_size=100, output_size=10)
print({k: v.shape for k, v in net.params.items()})   # W1 (784, 100), b1 (100,), W2 (100, 10), b2 (10,)
"""),
    ex("ch04.TwoLayerNet.predict", """
from ch04.two_layer_net import TwoLayerNet
net = TwoLayerNet(input_size=784, hidden_size=100, output_size=10)
y = net.predict(np.random.rand(3, 784))
print(y.shape, y.sum(axis=1))   # (3, 10), each row sums to 1
"""),
    ex("ch04.TwoLayerNet.loss", """
from ch04.two_layer_net import TwoLayerNet
net = TwoLayerNet(input_size=784, hidden_size=100, output_size=10)
t = np.eye(10)[[3, 1, 4]]
print(net.loss(np.random.rand(3, 784), t))   # about log(10) = 2.30 for an untrained net
"""),
    ex("ch04.TwoLayerNet.accuracy", """
from ch04.two_layer_net import TwoLayerNet
net = TwoLayerNet(input_size=784, hidden_size=100, output_size=10)
t = np.eye(10)[np.random.randint(0, 10, 100)]
print(net.accuracy(np.random.rand(100, 784), t))   # about 0.1 before training
"""),
    ex("ch04.TwoLayerNet.numerical_gradient", """
from ch04.two_layer_net import TwoLayerNet
net = TwoLayerNet(input_size=6, hidden_size=5, output_size=4)   # small: numerical gradients are slow
x, t = np.random.rand(3, 6), np.eye(4)[[0, 2, 3]]
print({k: v.shape for k, v in net.numerical_gradient(x, t).items()})
"""),
    ex("ch04.TwoLayerNet.gradient", """
from ch04.two_layer_net import TwoLayerNet
net = TwoLayerNet(input_size=6, hidden_size=5, output_size=4)
x, t = np.random.rand(3, 6), np.eye(4)[[0, 2, 3]]
num, fast = net.numerical_gradient(x, t), net.gradient(x, t)
for k in num:
    print(k, np.abs(num[k] - fast[k]).mean())   # tiny (about 1e-10) when gradient is right
"""),
    md("""
Figure 4-11: the loss falls while the network trains on MNIST (mini-batch SGD with the fast
`gradient`; a subset and a few hundred steps, so it takes seconds).
"""),
    training("ch04", samples=2000, iters=300, lr=0.5),
)
