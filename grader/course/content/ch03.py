"""Notebook content of chapter 3 (neural networks), in book order."""
from grader.course.notebook import code, ex, md

TITLE = "Chapter 3 — Neural networks"
MODULES = ()

CELLS = (
    md("""
## 3.2 Activation functions
A perceptron fires with a *step function*; a neural network replaces it with a smooth
function such as the sigmoid, or with the ReLU. All of them work element-wise on NumPy arrays.
"""),
    ex("ch03.step_function", """
from common.functions import step_function
print(step_function(np.array([-1.0, 1.0, 2.0])))   # the book: [0 1 1]
"""),
    ex("ch03.sigmoid", """
from common.functions import sigmoid
print(sigmoid(np.array([-1.0, 1.0, 2.0])))   # the book: [0.2689 0.7311 0.8808]
"""),
    md("Figure 3-8: the step function and the sigmoid side by side."),
    code("""
from common.functions import step_function, sigmoid
x = np.arange(-5.0, 5.0, 0.1)
plt.plot(x, step_function(x), linestyle="--", label="step function")
plt.plot(x, sigmoid(x), label="sigmoid")
plt.ylim(-0.1, 1.1)
plt.legend()
plt.show()
"""),
    ex("ch03.relu", """
from common.functions import relu
print(relu(np.array([-2.0, 0.0, 3.0])))   # [0. 0. 3.]
"""),
    md("Figure 3-9: the ReLU function."),
    code("""
from common.functions import relu
x = np.arange(-5.0, 5.0, 0.1)
plt.plot(x, relu(x))
plt.ylim(-1.0, 5.5)
plt.show()
"""),
    md("""
## 3.4–3.5 The output layer
Regression uses the identity function; classification uses softmax, whose outputs are
positive and sum to 1. Subtract the maximum first so that large inputs do not overflow.
"""),
    ex("ch03.identity_function", """
from common.functions import identity_function
print(identity_function(np.array([0.3, 0.7])))   # unchanged: [0.3 0.7]
"""),
    ex("ch03.softmax", """
from common.functions import softmax
y = softmax(np.array([0.3, 2.9, 4.0]))
print(y, y.sum())                               # [0.0182 0.2452 0.7366] 1.0
print(softmax(np.array([1010.0, 1000.0, 990.0])))  # no overflow: [1. 0. 0.] (about)
print(softmax(np.array([[0.3, 2.9, 4.0], [1.0, 1.0, 1.0]])).sum(axis=1))  # each row sums to 1
"""),
    md("""
## 3.6 Handwritten digits
`ch03/neuralnet_mnist.py` runs the book's pre-trained three-layer network
(`sample_weight.pkl`) on the MNIST test set. `predict` takes one image or a batch.
"""),
    ex("ch03.predict", """
from ch03.neuralnet_mnist import get_data, init_network, predict
x, t = get_data()
network = init_network()
y = predict(network, x)                          # the whole batch at once (3.6.3)
print("Accuracy:", float(np.mean(np.argmax(y, axis=1) == t)))   # the book: 0.9352
"""),
)
