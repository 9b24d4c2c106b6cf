"""Notebook content of chapter 7 (convolutional neural networks), in book order."""
from grader.course.notebook import code, ex, md

TITLE = "Chapter 7 — Convolutional neural networks"
MODULES = ()

CELLS = (
    md("""
## 7.4 Convolution and pooling with im2col
`im2col` unfolds every filter position of a batch of images into one row, so that a
convolution becomes one matrix product; `col2im` folds the rows back (adding overlaps).
"""),
    ex("ch07.im2col", """
from common.util import im2col
x1 = np.random.rand(1, 3, 7, 7)
print(im2col(x1, 5, 5, stride=1, pad=0).shape)    # the book: (9, 75)
x2 = np.random.rand(10, 3, 7, 7)
print(im2col(x2, 5, 5, stride=1, pad=0).shape)    # the book: (90, 75)
"""),
    ex("ch07.col2im", """
from common.util import im2col, col2im
x = np.random.rand(2, 3, 7, 7)
col = im2col(x, 3, 3, stride=2, pad=1)
print(col2im(col, x.shape, 3, 3, stride=2, pad=1).shape)   # back to (2, 3, 7, 7)
"""),
    ex("ch07.Convolution.forward", """
from common.layers import Convolution
conv = Convolution(np.random.randn(4, 3, 3, 3), np.zeros(4), stride=1, pad=1)
print(conv.forward(np.random.rand(2, 3, 7, 7)).shape)   # (2, 4, 7, 7)
"""),
    ex("ch07.Convolution.backward", """
from common.layers import Convolution
conv = Convolution(np.random.randn(4, 3, 3, 3), np.zeros(4), stride=1, pad=1)
out = conv.forward(np.random.rand(2, 3, 7, 7))
dx = conv.backward(np.ones_like(out))
print(dx.shape, conv.dW.shape, conv.db.shape)   # (2, 3, 7, 7) (4, 3, 3, 3) (4,)
"""),
    ex("ch07.Pooling.forward", """
from common.layers import Pooling
x = np.arange(16.0).reshape(1, 1, 4, 4)
print(Pooling(2, 2, stride=2).forward(x))   # the max of each 2x2 window: [[5 7] [13 15]]
"""),
    ex("ch07.Pooling.backward", """
from common.layers import Pooling
pool = Pooling(2, 2, stride=2)
pool.forward(np.arange(16.0).reshape(1, 1, 4, 4))
print(pool.backward(np.ones((1, 1, 2, 2)))[0, 0])   # 1 only where each window had its max
"""),
    md("""
## 7.5 A simple ConvNet
Conv → ReLU → Pool → Affine → ReLU → Affine → Softmax. Its `gradient` is backpropagation
through all of them; check it on a tiny net against the numerical gradient.
"""),
    ex("ch07.SimpleConvNet.__init__", """
from ch07.simple_convnet import SimpleConvNet
net = SimpleConvNet()
print({k: v.shape for k, v in net.params.items()})   # W1 (30, 1, 5, 5) … W3 (100, 10)
"""),
    ex("ch07.SimpleConvNet.gradient", """
from ch07.simple_convnet import SimpleConvNet
net = SimpleConvNet(input_dim=(1, 8, 8), conv_param={"filter_num": 3, "filter_size": 3, "pad": 0, "stride": 1},
                    hidden_size=5, output_size=4, weight_init_std=0.1)
x, t = np.random.rand(2, 1, 8, 8), np.array([1, 3])
num, backprop = net.numerical_gradient(x, t), net.gradient(x, t)
for key in num:
    print(key, np.abs(num[key] - backprop[key]).mean())   # tiny when gradient is right
"""),
    md("Figure 7-24 (before training): the 30 first-layer filters of a new net are random noise."),
    code("""
from ch07.simple_convnet import SimpleConvNet
W1 = SimpleConvNet().params["W1"]
for i in range(W1.shape[0]):
    plt.subplot(3, 10, i + 1)
    plt.imshow(W1[i, 0], cmap="gray_r")
    plt.axis("off")
plt.show()
"""),
)
