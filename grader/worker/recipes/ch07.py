"""Chapter 7 loops the judge runs in the worker (called as ``ch07.<name>``).

Nothing here implements an exercise or any of the book's code (no im2col / col2im, no layer,
no predict / loss): the student's code can import whatever this process holds. The book's
im2col / col2im and layers reach the worker only as judge parts (``student.lending``), and the
judge does the wiring (which layer, with which arguments, in which order) itself.

* ``layer_call`` / ``layer_backward_from_state``: call a layer's method and read back the
  attributes the test names; the backward tests set the forward's cached state (x, col, col_W /
  x, arg_max) first instead of running the forward.
* ``build_convnet``: an object of the student's net class, its ``__init__`` not run, holding the
  params dict, the layer objects and the last layer the judge made.
* ``train_convnet``: SGD on ``net.gradient`` (mini-batches by ``np.random.choice``).

Everything here runs next to the student's code; the judge treats the results as the
student's answers and compares them with the reference's values or exact oracles.
"""
from __future__ import annotations

from collections import OrderedDict

import numpy as np


def layer_call(layer, method: str, *args, state=(), **kwargs) -> dict:
    """{"out": layer.<method>(*args), plus the attributes named in ``state``} (None if unset)."""
    out = getattr(layer, method)(*args, **kwargs)
    result = {"out": out}
    for name in state:
        result[name] = getattr(layer, name, None)
    return result


def layer_backward_from_state(layer, state: dict, dout, grads=()) -> dict:
    """Set the attributes ``state`` on the layer, then dx = backward(dout); returns {"dx": dx,
    plus the attributes named in ``grads``}."""
    for name, value in state.items():
        setattr(layer, name, value)
    dx = layer.backward(np.array(dout))
    result = {"dx": dx}
    for name in grads:
        result[name] = getattr(layer, name, None)
    return result


def build_convnet(net_class, params: dict, layers: list, last_layer):
    """A ``net_class`` object whose ``__init__`` is not run, with ``params`` (the very dict
    given), ``layers`` (an OrderedDict of the given (name, layer) pairs, in their order) and
    ``last_layer``."""
    net = net_class.__new__(net_class)
    net.params = params
    net.layers = OrderedDict((str(name), layer) for name, layer in layers)
    net.last_layer = last_layer
    return net


def train_convnet(net, x_train, t_train, iters: int, batch_size: int, lr: float, seed: int) -> dict:
    """np.random.seed(seed), then ``iters`` × [batch = np.random.choice(N, batch_size);
    grads = net.gradient(x[batch], t[batch]); params[key] -= lr · grads[key]]; returns copies
    of the final params."""
    np.random.seed(seed)
    n = x_train.shape[0]
    for _ in range(iters):
        batch = np.random.choice(n, batch_size)
        grads = net.gradient(x_train[batch], t_train[batch])
        for key in ("W1", "b1", "W2", "b2", "W3", "b3"):
            net.params[key] -= lr * grads[key]
    return {k: np.array(v) for k, v in net.params.items()}
