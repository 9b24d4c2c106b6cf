"""Chapter 5 helpers run in the worker: wire a ch5 TwoLayerNet without its ``__init__``, and
stand in for one of its methods with values the judge computed.

The suites test each method of the student's ``TwoLayerNet`` on a net whose structure the judge
builds here (the book's 5.7.2 layout: params shared with ``Affine1``, ``Relu1``, ``Affine2`` and
``lastLayer``), so that a bug in ``__init__`` (tested on its own) does not cost the methods. The
layer classes come in as an argument: the student's own ``common/layers.py`` module (end-to-end
tests) or the book's layers lent by the judge (a dict of judge parts, grader/worker/parts.py).

To test ``gradient`` without the student's ``predict`` / ``loss``, the judge runs the book's
forward pass itself (it calls the layers' ``forward`` one by one from its side), keeps the state
the layers were left in (``snapshot``) and puts them back as they were; ``stand_in`` then answers
``net.loss(x, t)`` for those very x, t with the judge's value, restoring that state at the call
(so a ``gradient`` that skips its forward pass still meets layers without state). Nothing here
computes anything of the book: no layer, no loss, no loop over the layers.
"""
import types
from collections import OrderedDict

import numpy as np

PARAMS = ("W1", "b1", "W2", "b2")


def two_layer_net(cls, params: dict, layers):
    """An instance of ``cls`` (the student's TwoLayerNet class) made without calling its
    ``__init__``: ``params`` (float64 copies of W1, b1, W2, b2), ``layers`` = OrderedDict
    Affine1, Relu1, Affine2 holding those very arrays, and ``lastLayer``. ``layers``: where the
    classes Affine, Relu, SoftmaxWithLoss come from (a module, or a dict name → class)."""
    def kind(name):
        return layers[name] if isinstance(layers, dict) else getattr(layers, name)

    net = cls.__new__(cls)
    p = {k: np.array(params[k], dtype=np.float64) for k in PARAMS}
    net.params = p
    net.layers = OrderedDict()
    net.layers["Affine1"] = kind("Affine")(p["W1"], p["b1"])
    net.layers["Relu1"] = kind("Relu")()
    net.layers["Affine2"] = kind("Affine")(p["W2"], p["b2"])
    net.lastLayer = kind("SoftmaxWithLoss")()
    return net


def attribute_names(obj) -> list:
    """The names of ``obj``'s data attributes (to name a misspelt ``lastLayer``); methods set on
    the instance by ``stand_in`` are left out."""
    return sorted(str(k) for k, v in vars(obj).items() if not callable(v))


def snapshot(objects: dict) -> dict:
    """{name: a shallow copy of the object's attributes} for each of ``objects``."""
    return {name: dict(vars(obj)) for name, obj in objects.items()}


def _copy(value):
    return np.array(value) if isinstance(value, np.ndarray) else value


def _changes(before: dict, after: dict) -> dict:
    """The attributes ``after`` set anew (other objects than ``before``), copied."""
    return {name: {k: _copy(v) for k, v in attrs.items()
                   if k not in before.get(name, {}) or before[name][k] is not v}
            for name, attrs in after.items()}


def _restore(objects: dict, saved: dict) -> None:
    for name, obj in objects.items():
        attrs = saved.get(name, {})
        for k in [k for k in vars(obj) if k not in attrs]:
            delattr(obj, k)
        for k, v in attrs.items():
            setattr(obj, k, v)


def _same(a, b) -> bool:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.shape == b.shape
                and np.array_equal(a, b))
    try:
        return bool(a == b)
    except Exception:
        return False


def stand_in(net, objects: dict, before: dict | None, answers: list) -> None:
    """Put the objects back as in ``before`` (a ``snapshot``, None: leave them) and set on the
    instance, for each answer {"method", "args", "result", "after"}, a ``method`` that for
    those very args sets the attributes the snapshot ``after`` holds anew (None: none) and
    returns a copy of ``result``; for any other args it calls the class's own method."""
    changes = [_changes(before or snapshot(objects), a["after"]) if a.get("after") else {}
               for a in answers]
    if before is not None:
        _restore(objects, before)
    for name in {a["method"] for a in answers}:
        mine = [(a, c) for a, c in zip(answers, changes) if a["method"] == name]
        own = getattr(type(net), name, None)

        def method(self, *args, _mine=mine, _own=own, _name=name, **kwargs):
            for answer, change in _mine:
                if not kwargs and len(args) == len(answer["args"]) \
                        and all(_same(a, b) for a, b in zip(args, answer["args"])):
                    for obj_name, attrs in change.items():
                        for k, v in attrs.items():
                            setattr(objects[obj_name], k, _copy(v))
                    return _copy(answer["result"])
            if _own is None:
                raise AttributeError(f"{type(self).__name__} has no method {_name}")
            return _own(self, *args, **kwargs)

        setattr(net, name, types.MethodType(method, net))


def train_step(net, x, t, lr: float) -> None:
    """One SGD step of the book's training loop on ``net.gradient`` (train_two_layer's body)."""
    grads = net.gradient(x, t)
    for key in PARAMS:
        net.params[key] -= lr * grads[key]
