"""Hidden suite, chapter 7: SimpleConvNet (ch07/simple_convnet.py, section 7.5).

``__init__`` is checked on its own: param shapes and seeded values against the reference, the
layers' names, order, kinds and hyperparameters, params shared with the layers, and the seeded
loss oracle of contract §15 computed by the *reference* net on the student's initial params.

``gradient`` never runs the student's ``__init__``: the judge wires a net of the student's class
as the book's ``__init__`` does (``student_net``: params put in the worker, layers made by the
judge on those very arrays, assembled by the recipe ``ch07.build_convnet``), either from the
book's layers lent by the judge (own tests: of the exercises, only the student's ``gradient``
runs, with the provided ``predict`` / ``loss`` of their file) or from the student's layers
(end-to-end tests: the book's backward procedure through their layers, the gradient check, a
short training run).
"""
import numpy as np
import pytest

from grader.judge import compare as check
from grader.judge import numeric
from grader.judge.plugin import points
from grader.suites.ch07_conv_pool import naive_conv

CNN, L = "ch07/simple_convnet.py", "common/layers.py"
KEYS = ("W1", "b1", "W2", "b2", "W3", "b3")
LAYERS = ["Conv1", "Relu1", "Pool1", "Affine1", "Relu2", "Affine2"]
KINDS = ["Convolution", "Relu", "Pooling", "Affine", "Relu", "Affine"]

# contract §16's gradient-check net: x (3, 1, 12, 12), 3 filters 3×3 pad 1, hidden 7, 5 classes
SMALL_CONV = {"filter_num": 3, "filter_size": 3, "pad": 1, "stride": 1}
SMALL = dict(input_dim=(1, 12, 12), conv_param=SMALL_CONV, hidden_size=7, output_size=5,
             weight_init_std=0.1)
# two configurations for __init__: pad 2 / stride 1 and pad 1 / stride 2 (a swap of stride and
# pad changes the conv output), 2 input channels, non-square param shapes
CONFIGS = [dict(input_dim=(2, 12, 12), conv_param={"filter_num": 3, "filter_size": 3, "pad": 2, "stride": 1},
                hidden_size=7, output_size=5, weight_init_std=0.05),
           dict(input_dim=(1, 16, 16), conv_param={"filter_num": 4, "filter_size": 4, "pad": 1, "stride": 2},
                hidden_size=6, output_size=3, weight_init_std=0.2)]
CONFIG_IDS = ["pad2", "stride2"]


def expected_shapes(cfg):
    c = cfg["conv_param"]
    C, H = cfg["input_dim"][0], cfg["input_dim"][1]
    conv = (H - c["filter_size"] + 2 * c["pad"]) // c["stride"] + 1
    pool = c["filter_num"] * (conv // 2) ** 2
    fs, hidden, out = c["filter_size"], cfg["hidden_size"], cfg["output_size"]
    return {"W1": (c["filter_num"], C, fs, fs), "b1": (c["filter_num"],), "W2": (pool, hidden),
            "b2": (hidden,), "W3": (hidden, out), "b3": (out,)}


def seeded(worker, seed, **cfg):
    worker.seed(seed)
    return worker.module(CNN).SimpleConvNet(**cfg)


# ---- __init__: 12 points --------------------------------------------------------------------
DEFAULT = dict(input_dim=(1, 28, 28), hidden_size=100, output_size=10,
               conv_param={"filter_num": 30, "filter_size": 5, "pad": 0, "stride": 1})


def checked_params(params, cfg, what):
    check.holds(isinstance(params, dict) and all(k in params for k in KEYS), what,
                "must be a dict with the keys W1, b1, W2, b2, W3, b3")
    shapes = expected_shapes(cfg)
    check.holds(np.shape(params["W2"]) != shapes["W2"][::-1], f"{what}['W2']",
                "is (hidden_size, pool_output_size): it must be (pool_output_size, hidden_size)",
                hint="hint.convnet_w2_shape")
    return {k: check.array(params[k], f"{what}['{k}']", shapes[k]) for k in KEYS}


@points("ch07.SimpleConvNet.__init__", 2)
def test_init_default_param_shapes(student):
    params = checked_params(seeded(student, 0).params, DEFAULT, "SimpleConvNet().params")
    for key in ("b1", "b2", "b3"):
        check.equal(params[key], np.zeros(params[key].shape), f"SimpleConvNet().params['{key}'] (biases start at zero)")


@points("ch07.SimpleConvNet.__init__", 1)
@pytest.mark.parametrize("cfg", CONFIGS, ids=CONFIG_IDS)
def test_init_seeded_values_match_reference(student, reference, cfg):
    what = (f"SimpleConvNet(input_dim={cfg['input_dim']}, conv_param={cfg['conv_param']}, …) "
            f"after np.random.seed(3): params")
    got = checked_params(seeded(student, 3, **cfg).params, cfg, what)
    want = seeded(reference, 3, **cfg).params
    for key in KEYS:
        # the same np.random.randn draws times the std: exact (measured error 0)
        check.close(got[key], want[key], f"{what}['{key}'] (W1, W2, W3 drawn in this order, each std · randn)",
                    tol=1e-12)


@points("ch07.SimpleConvNet.__init__", 2)
def test_init_layers_names_order_and_kinds(student):
    net = seeded(student, 0, **CONFIGS[0])
    layers = net.layers
    check.holds(isinstance(layers, dict), "SimpleConvNet.layers", "must be an OrderedDict of layers")
    names = list(layers.keys())
    check.holds(names == LAYERS, "SimpleConvNet.layers",
                "must hold Conv1, Relu1, Pool1, Affine1, Relu2, Affine2 in this order (7.5)")
    for name, kind in zip(LAYERS, KINDS):
        layer = layers[name]
        check.holds(getattr(layer, "type_name", None) == kind, f"SimpleConvNet.layers['{name}']",
                    f"must be a {kind} layer")
    last = net.ref("last_layer")
    check.holds(last.type_name == "SoftmaxWithLoss", "SimpleConvNet.last_layer", "must be a SoftmaxWithLoss layer")


@points("ch07.SimpleConvNet.__init__", 1)
@pytest.mark.parametrize("cfg", CONFIGS, ids=CONFIG_IDS)
def test_init_layer_hyperparameters(student, cfg):
    layers = seeded(student, 0, **cfg).layers
    conv, pool = layers["Conv1"], layers["Pool1"]
    c = cfg["conv_param"]
    got = (conv.stride, conv.pad)
    check.holds(got == (c["stride"], c["pad"]), "SimpleConvNet.layers['Conv1']",
                "must use conv_param['stride'] and conv_param['pad'] (Convolution(W, b, stride, pad))",
                hint="hint.convnet_stride_pad" if got == (c["pad"], c["stride"]) else None)
    check.holds((pool.pool_h, pool.pool_w, pool.stride) == (2, 2, 2), "SimpleConvNet.layers['Pool1']",
                "must be Pooling(pool_h=2, pool_w=2, stride=2)")


@points("ch07.SimpleConvNet.__init__", 2)
def test_init_params_shared_with_layers(student):
    net = seeded(student, 0, **CONFIGS[1])
    params, layers = net.ref("params"), net.layers
    for layer, key in (("Conv1", "1"), ("Affine1", "2"), ("Affine2", "3")):
        for attr in ("W", "b"):
            check.holds(student.same(layers[layer].ref(attr), params.item_ref(attr + key)),
                        f"SimpleConvNet.layers['{layer}'].{attr}",
                        f"must be the very array params['{attr}{key}'] (not a copy)",
                        hint="hint.convnet_params_not_shared")


@points("ch07.SimpleConvNet.__init__", 2)
def test_init_seeded_loss_oracle(student, reference, mnist):
    # contract §15: np.random.seed(0); SimpleConvNet(); loss on the first 3 training images
    # (as (3, 1, 28, 28)) is 2.302280715886352. The loss is computed by the *reference* net on the
    # student's initial params, so it depends only on __init__.
    params = checked_params(seeded(student, 0).params, DEFAULT, "SimpleConvNet().params")
    (x_train, t_train), _ = mnist
    ref = reference.module(CNN).SimpleConvNet()
    reference.recipe("set_params", ref, params)
    loss = ref.loss(x_train[:3].reshape(3, 1, 28, 28), t_train[:3])
    # measured 2.302280715886352 exactly (float64 everywhere after im2col)
    check.close_number(loss, 2.302280715886352,
                       "the book's loss on the first 3 MNIST images with your initial params "
                       "(np.random.seed(0); SimpleConvNet())", tol=1e-10)


# ---- gradient: 20 points --------------------------------------------------------------------
def small_problem(rng, n=3):
    """Contract §16's net (x (n, 1, 12, 12) random normal, 3 filters 3×3 pad 1, hidden 7, 5
    classes, non-zero biases), drawn until no Relu input, pool-window runner-up or hidden unit
    is near a kink. With W1 std 0.1 (§16) conv outputs are ~0.3 and the h = 1e-4 steps of W1
    crossed a Relu kink or a pool tie in 7 of 20 draws (norm errors up to 2.6e-2 on correct
    code), so W1 has std 1 here (W3 std 0.05 keeps the logits small: p_true ≥ 0.067) and the
    draw needs margins of 1e-3 (conv, pool) and 1e-2 (hidden). Measured over 30 seeds: correct
    code ≤ 1.2e-6, about 2 draws each."""
    for _ in range(200):
        params = {"W1": rng.normal(size=(3, 1, 3, 3)), "b1": rng.normal(size=3) * 0.1,
                  "W2": rng.normal(size=(108, 7)) * 0.1, "b2": rng.normal(size=7) * 0.1,
                  "W3": rng.normal(size=(7, 5)) * 0.05, "b3": rng.normal(size=5) * 0.1}
        x = rng.normal(size=(n, 1, 12, 12))
        t = rng.integers(0, 5, size=n)
        conv_margin, hidden_margin = kink_margins(params, x)
        if conv_margin > 1e-3 and hidden_margin > 1e-2:
            break
    return params, x, t


def kink_margins(params, x):
    """(distance of the conv outputs from the Relu kink and of each positive pool window's max
    from its runner-up, distance of the hidden Affine outputs from the Relu kink)."""
    z = naive_conv(x, params["W1"], params["b1"], 1, 1)
    N, C, H, W = z.shape
    win = np.sort(z.reshape(N, C, H // 2, 2, W // 2, 2).transpose(0, 1, 2, 4, 3, 5).reshape(N, C, H // 2, W // 2, 4),
                  axis=-1)
    gap = np.where(win[..., -1] > 0, win[..., -1] - np.maximum(win[..., -2], 0), np.inf)
    hidden = np.maximum(win[..., -1], 0).reshape(N, -1) @ params["W2"] + params["b2"]
    return min(np.abs(z).min(), gap.min()), np.abs(hidden).min()


def wire_convnet(student, layer_class, params, conv_param):
    """A SimpleConvNet of the student's class, its ``__init__`` not run, wired as the book's
    ``__init__`` does: ``params`` put in the worker and shared with Conv1, Affine1, Affine2;
    layers Conv1 Relu1 Pool1 Affine1 Relu2 Affine2 and last_layer made here, each by
    ``layer_class(name)`` (a class in the worker: the student's or a lent book part)."""
    p = student.put({k: np.array(v, dtype=np.float64) for k, v in params.items()})
    arg = p.item_ref
    layers = [("Conv1", layer_class("Convolution")(arg("W1"), arg("b1"), conv_param["stride"], conv_param["pad"])),
              ("Relu1", layer_class("Relu")()),
              ("Pool1", layer_class("Pooling")(pool_h=2, pool_w=2, stride=2)),
              ("Affine1", layer_class("Affine")(arg("W2"), arg("b2"))),
              ("Relu2", layer_class("Relu")()),
              ("Affine2", layer_class("Affine")(arg("W3"), arg("b3")))]
    return student.recipe("ch07.build_convnet", student.module(CNN).SimpleConvNet, p, layers,
                          layer_class("SoftmaxWithLoss")())


BOOK_LAYERS = ("Convolution", "Relu", "Pooling", "Affine", "SoftmaxWithLoss")


def book_layers(student):
    """For the block, the book's layers lent by the judge: {name: class proxy in the worker}."""
    return student.lending(L, *BOOK_LAYERS)


def student_net(student, params, conv_param, book=None):
    """``wire_convnet`` from the lent ``book`` layers, or from the student's own when None."""
    if book is not None:
        return wire_convnet(student, book.__getitem__, params, conv_param)
    layers = student.module(L)
    return wire_convnet(student, lambda name: getattr(layers, name), params, conv_param)


def reference_net(reference, params, **cfg):
    net = reference.module(CNN).SimpleConvNet(**cfg)
    reference.recipe("set_params", net, params)
    return net


def check_grads(got, want, what, tol):
    check.holds(isinstance(got, dict), what, "must return a dict of gradients (grads['W1'] …)")
    for key in KEYS:
        check.holds(key in got, what, f"the returned dict has no '{key}'")
        check.close(got[key], want[key], f"{what}: grads['{key}']", tol=tol)


@points("ch07.SimpleConvNet.gradient", 4)
def test_gradient_with_book_layers_labels(student, reference, rng):
    params, x, t = small_problem(rng)
    want = reference_net(reference, params, **SMALL).gradient(x, t)
    with book_layers(student) as book:
        got = student_net(student, params, SMALL_CONV, book).gradient(x, t)
    # the same layer code as the reference: measured ≤ 1e-16
    check_grads(got, want, "SimpleConvNet.gradient(x, t labels) with the book's layers", tol=1e-9)


@points("ch07.SimpleConvNet.gradient", 4)
def test_gradient_with_book_layers_one_hot_twice(student, reference, rng):
    params, x, t = small_problem(rng)
    x2, t2 = rng.normal(size=(4, 1, 12, 12)), rng.integers(0, 5, size=4)
    onehot, onehot2 = np.eye(5)[t], np.eye(5)[t2]
    ref = reference_net(reference, params, **SMALL)
    with book_layers(student) as book:
        net = student_net(student, params, SMALL_CONV, book)
        got, got2 = net.gradient(x, onehot), net.gradient(x2, onehot2)
    check_grads(got, ref.gradient(x, onehot),
                "SimpleConvNet.gradient(x, t one-hot) with the book's layers", tol=1e-9)
    check_grads(got2, ref.gradient(x2, onehot2),
                "SimpleConvNet.gradient called a second time (another batch of 4)", tol=1e-9)


@points("ch07.SimpleConvNet.gradient", 3, end_to_end=True)
def test_gradient_wiring_with_own_layers(student, rng):
    # the book's backward procedure, run here through the student's own layer objects, must give
    # what the net's gradient gives with the same layers
    params, x, t = small_problem(rng)
    net = student_net(student, params, SMALL_CONV)
    got = net.gradient(x, t)
    check.holds(isinstance(got, dict), "SimpleConvNet.gradient", "must return a dict of gradients")
    net.loss(x, t)
    layers = net.layers
    dout = net.ref("last_layer").backward(1)
    for name in reversed(LAYERS):
        dout = layers[name].backward(dout)
    want = {}
    for layer, key in (("Conv1", "1"), ("Affine1", "2"), ("Affine2", "3")):
        want["W" + key], want["b" + key] = layers[layer].dW, layers[layer].db
    # the same calls in the same order: measured error 0
    check_grads(got, want, "SimpleConvNet.gradient vs the book's backward through your layers", tol=1e-9)


@points("ch07.SimpleConvNet.gradient", 5, end_to_end=True)
def test_gradient_check_small_net(student, reference, rng):
    params, x, t = small_problem(rng)
    num = numeric.net_numerical_gradient(reference, reference_net(reference, params, **SMALL), x, t, list(KEYS))
    got = student_net(student, params, SMALL_CONV).gradient(x, t)
    check.holds(isinstance(got, dict), "SimpleConvNet.gradient", "must return a dict of gradients")
    # small_problem's draws: correct code ≤ 1.2e-6 over 30 seeds (the 1e-7 of cross_entropy_error
    # over p_true), bugs ≥ 4.5e-2 (contract §16)
    for key in KEYS:
        check.holds(key in got, "SimpleConvNet.gradient", f"the returned dict has no '{key}'")
        check.gradient(got[key], num[key], "SimpleConvNet.gradient (your layers) vs numerical gradient",
                       key, tol=1e-4)


# training: a small conv net on 500 MNIST images, 80 SGD steps of 40 images, lr 0.15, He
# initial weights drawn by the judge (seed TRAIN_SEED); the student's layers and gradient run
# the loop, the reference net scores the returned params on 500 test images.
TRAIN_CONV = {"filter_num": 4, "filter_size": 5, "pad": 0, "stride": 1}
TRAIN = dict(input_dim=(1, 28, 28), conv_param=TRAIN_CONV, hidden_size=20, output_size=10)
TRAIN_SEED, TRAIN_N, TEST_N = 0, 500, 500
# reference accuracy at TRAIN_SEED; over seeds 0-4: 0.746 0.798 0.816 0.832 0.824 (min 0.746).
# The threshold sits 0.15 below the worst seed (chance is 0.1; a training loop fed a wrong
# gradient stays near it)
TRAIN_REFERENCE, TRAIN_THRESHOLD = 0.746, 0.6


def he_params(rng, shapes):
    fan_in = {"W1": int(np.prod(shapes["W1"][1:])), "W2": shapes["W2"][0], "W3": shapes["W3"][0]}
    params = {}
    for key in KEYS:
        params[key] = (rng.normal(size=shapes[key]) * np.sqrt(2.0 / fan_in[key]) if key.startswith("W")
                       else np.zeros(shapes[key]))
    return params


@points("ch07.SimpleConvNet.gradient", 4, end_to_end=True)
def test_training_reaches_accuracy(student, reference, mnist):
    (x_train, t_train), (x_test, t_test) = mnist
    params = he_params(np.random.default_rng(TRAIN_SEED), expected_shapes(TRAIN))
    net = student_net(student, params, TRAIN_CONV)
    trained = student.recipe("ch07.train_convnet", net, x_train[:TRAIN_N].reshape(-1, 1, 28, 28),
                             t_train[:TRAIN_N], iters=80, batch_size=40, lr=0.15, seed=TRAIN_SEED, timeout=60)
    check.holds(isinstance(trained, dict) and all(k in trained for k in KEYS), "SimpleConvNet training",
                "the params dict lost entries during training")
    for key in KEYS:
        check.array(trained[key], f"params['{key}'] after training", expected_shapes(TRAIN)[key])
    acc = reference_net(reference, trained, **TRAIN).accuracy(x_test[:TEST_N].reshape(-1, 1, 28, 28),
                                                               t_test[:TEST_N])
    check.accuracy(acc, TRAIN_THRESHOLD, TRAIN_REFERENCE, "SimpleConvNet trained with your gradient (80 SGD steps)")
