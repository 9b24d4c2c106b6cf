"""Hidden suite, chapter 6.1: SGD, Momentum, Nesterov, AdaGrad, RMSprop, Adam (common/optimizer.py).

Per optimizer, four kinds of check:
* the §15 oracle on the book's f(x, y) = x²/20 + y² from (-7, 2): the point after 1 and after 30
  updates of one instance (state kept between calls), with params as two Python floats (the
  book's optimizer_compare_naive.py) and as one array;
* several updates of random multi-key params with non-default hyper-parameters against the
  reference's trajectory (hyper-parameters honoured, state per key; the gradients include an
  exact zero and tiny values, where AdaGrad/RMSprop/Adam's 1e-7 matters);
* in place: params shared with Affine layers (as in a net) must still be the layers' arrays after
  update, with the updated values;
* (Momentum, Adam) training race in ch06_experiments.py.

Tolerances (norm relative error): solutions/ and this file's numpy versions of the rules give
the §15 values exactly (measured 0, after 1 and after 30 updates); algebraically equal forms
(Adam's m = beta1·m + (1 - beta1)·g, RMSprop in one line, Nesterov as p += -momentum·v_old +
(1 + momentum)·v_new) measured ≤ 8.4e-15 after 30 updates. Bounds: 1e-12 after one update,
1e-9 after several.
The closest known mistake, AdaGrad's 1e-7 inside the square root, is 1.3e-8 off after one update
on the quadratic (3e-7 after 30) and ≥ 0.11 on the random params; Adam's mistakes ≥ 6.5e-3.
"""
import numpy as np
import pytest

from grader.judge import compare as check
from grader.judge.plugin import points
from grader.worker.client import ImportFailed, StudentError
from grader.worker.recipes.ch06 import optimizer_steps, quadratic_path

O = "common/optimizer.py"
L = "common/layers.py"
STEP1_TOL = 1e-12  # one update (measured 0; equal forms ~1e-16)
PATH_TOL = 1e-9  # 30 updates / 6 random updates (measured 0; equal forms ≤ 8.4e-15)

NAMES = ("SGD", "Momentum", "Nesterov", "AdaGrad", "RMSprop", "Adam")

# §15: f(x, y) = x²/20 + y², grads (x/10, 2y), from (-7, 2) — (kwargs, after 1, after 30).
QUADRATIC = {
    "SGD": ({"lr": 0.95}, (-6.335, -1.7999999999999998), (-0.3503929957523197, 0.0847823165504322)),
    "Momentum": ({"lr": 0.1}, (-6.93, 1.6), (0.896413858493733, 0.08808560171506971)),
    "Nesterov": ({"lr": 0.1}, (-6.867, 1.24), (0.6896149016966209, -0.0006799058361171969)),
    "AdaGrad": ({"lr": 1.5}, (-5.500000214285683, 0.5000000374999991),
                (-0.12016232231416045, 2.486389893984459e-17)),
    "RMSprop": ({"lr": 0.1}, (-6.000001428569388, 1.000000249999938),
                (-0.6974203096807907, 1.4834621508315574e-08)),
    "Adam": ({"lr": 0.3}, (-6.700001355255732, 1.700000237170637), (0.13600685239498186, 0.31824537553721943)),
}

# Non-default hyper-parameters: a constructor that ignores one of them gives another trajectory.
CUSTOM = {
    "SGD": {"lr": 0.3},
    "Momentum": {"lr": 0.05, "momentum": 0.7},
    "Nesterov": {"lr": 0.05, "momentum": 0.6},
    "AdaGrad": {"lr": 0.2},
    "RMSprop": {"lr": 0.05, "decay_rate": 0.8},
    "Adam": {"lr": 0.02, "beta1": 0.7, "beta2": 0.95},
}
POINTS = {"floats": 1, "array": 1, "random": 2, "in_place": 1}


def per_optimizer(kind):
    return pytest.mark.parametrize("name", [
        pytest.param(n, marks=points(f"ch06.{n}.update", POINTS[kind]), id=n) for n in NAMES])


def call_text(name, kwargs):
    return f"{name}({', '.join(f'{k}={v}' for k, v in kwargs.items())}).update"


# ---- the book's rules and known mistakes, in numpy (for hints) -----------------------------

DEFAULTS = {"SGD": {"lr": 0.01}, "Momentum": {"lr": 0.01, "momentum": 0.9},
            "Nesterov": {"lr": 0.01, "momentum": 0.9}, "AdaGrad": {"lr": 0.01},
            "RMSprop": {"lr": 0.01, "decay_rate": 0.99}, "Adam": {"lr": 0.001, "beta1": 0.9, "beta2": 0.999}}


class Simulated:
    """The book's update rule of ``name`` (contract §4), or a known mistake (``variant``):
    "eps_in_sqrt" (lr·g/√(h + 1e-7)), "no_bias_correction" (Adam with lr_t = lr),
    "iter_per_key" (Adam's iter += 1 inside the loop over the keys)."""

    def __init__(self, name, kwargs, variant=None):
        self.name, self.variant = name, variant
        self.hp = dict(DEFAULTS[name], **kwargs)
        self.state, self.iter = {}, 0

    def update(self, params, grads):
        hp, s, v = self.hp, self.state, self.variant
        if self.name == "Adam" and v != "iter_per_key":
            self.iter += 1
        for key in params:
            g = np.asarray(grads[key], dtype=np.float64)
            p = np.asarray(params[key], dtype=np.float64)
            st = s.setdefault(key, {"v": np.zeros_like(p), "h": np.zeros_like(p), "m": np.zeros_like(p)})
            if self.name == "SGD":
                p = p - hp["lr"] * g
            elif self.name == "Momentum":
                st["v"] = hp["momentum"] * st["v"] - hp["lr"] * g
                p = p + st["v"]
            elif self.name == "Nesterov":
                p = p + hp["momentum"] ** 2 * st["v"] - (1 + hp["momentum"]) * hp["lr"] * g
                st["v"] = hp["momentum"] * st["v"] - hp["lr"] * g
            elif self.name in ("AdaGrad", "RMSprop"):
                if self.name == "AdaGrad":
                    st["h"] = st["h"] + g * g
                else:
                    st["h"] = hp["decay_rate"] * st["h"] + (1 - hp["decay_rate"]) * g * g
                d = np.sqrt(st["h"] + 1e-7) if v == "eps_in_sqrt" else np.sqrt(st["h"]) + 1e-7
                p = p - hp["lr"] * g / d
            else:  # Adam
                if v == "iter_per_key":
                    self.iter += 1
                b1, b2 = hp["beta1"], hp["beta2"]
                lr_t = hp["lr"] if v == "no_bias_correction" else \
                    hp["lr"] * np.sqrt(1.0 - b2 ** self.iter) / (1.0 - b1 ** self.iter)
                st["m"] = st["m"] + (1 - b1) * (g - st["m"])
                st["v"] = st["v"] + (1 - b2) * (g ** 2 - st["v"])
                p = p - lr_t * st["m"] / (np.sqrt(st["v"]) + 1e-7)
            params[key] = p if np.ndim(params[key]) else float(p)


VARIANTS = {  # hint id → variant of Simulated, per optimizer
    "AdaGrad": {"hint.adagrad_eps": "eps_in_sqrt"},
    "RMSprop": {"hint.adagrad_eps": "eps_in_sqrt"},
    "Adam": {"hint.adam_bias_correction": "no_bias_correction", "hint.adam_iter": "iter_per_key"},
}


def simulated_quadratic(name, kwargs, form, steps, variant):
    """The path a known mistake (``variant``) gives: the worker's own loop, run in the judge."""
    return quadratic_path(Simulated(name, kwargs, variant), form, steps)


def simulated_steps(name, kwargs, params, grads_list, variant):
    params = {k: np.array(v) for k, v in params.items()}
    return optimizer_steps(Simulated(name, kwargs, variant), params, grads_list)


def quadratic_hints(name, kwargs, form, step):
    return {h: simulated_quadratic(name, kwargs, form, step, v)[step - 1]
            for h, v in VARIANTS.get(name, {}).items()}


# ---- the book's quadratic (§15) ----------------------------------------------------------------

def check_quadratic(student, name, form):
    kwargs, after1, after30 = QUADRATIC[name]
    opt = getattr(student.module(O), name)(**kwargs)
    path = student.recipe("ch06.quadratic_path", opt, form, 30)
    what = (f"{call_text(name, kwargs)} on f(x, y) = x²/20 + y² from (-7, 2), params "
            + ("{'x': -7.0, 'y': 2.0} (floats)" if form == "floats" else "{'xy': array([-7., 2.])}"))
    check.close(path[0], after1, f"{what}: (x, y) after 1 update", tol=STEP1_TOL,
                hints=quadratic_hints(name, kwargs, form, 1))
    check.close(path[29], after30, f"{what}: (x, y) after 30 updates of one optimizer", tol=PATH_TOL,
                hints=quadratic_hints(name, kwargs, form, 30))


@per_optimizer("floats")
def test_book_quadratic_float_params(student, name):
    check_quadratic(student, name, "floats")


@per_optimizer("array")
def test_book_quadratic_one_array(student, name):
    check_quadratic(student, name, "array")


# ---- random params, custom hyper-parameters, vs the reference --------------------------------

def random_problem(rng, steps=6):
    """Params W1 (3, 5), b1 (5,), W2 (5, 4), b2 (4,) and ``steps`` gradient dicts. b1's
    gradient is exactly 0 in its first entry at every step (AdaGrad's h stays 0 there: the 1e-7
    keeps it finite); b2's gradients are ~1e-6 (there the 1e-7 sits next to √h ~ 1e-6)."""
    shapes = {"W1": (3, 5), "b1": (5,), "W2": (5, 4), "b2": (4,)}
    params = {k: rng.normal(size=s) for k, s in shapes.items()}
    grads_list = []
    for _ in range(steps):
        g = {k: rng.normal(size=s) for k, s in shapes.items()}
        g["b1"][0] = 0.0
        g["b2"] *= 1e-6
        grads_list.append(g)
    return params, grads_list


@per_optimizer("random")
def test_random_params_custom_hyperparameters(student, reference, rng, name):
    kwargs = CUSTOM[name]
    params, grads_list = random_problem(rng)
    got = student.recipe("ch06.optimizer_steps", getattr(student.module(O), name)(**kwargs),
                         params, grads_list)
    want = reference.recipe("ch06.optimizer_steps", getattr(reference.module(O), name)(**kwargs),
                            params, grads_list)
    variants = {h: simulated_steps(name, kwargs, params, grads_list, v)
                for h, v in VARIANTS.get(name, {}).items()}
    if not isinstance(got, list) or len(got) != len(want):
        check.holds(False, f"{call_text(name, kwargs)}", "the recipe did not get one params copy per update")
    for step, (g, w) in enumerate(zip(got, want), start=1):
        if not isinstance(g, dict) or sorted(g) != sorted(w):
            check.holds(False, f"{call_text(name, kwargs)}: params after update {step}",
                        "the params dict lost or gained keys (update must change the entries only)")
        if name in ("AdaGrad", "RMSprop"):  # b1[0] has gradient 0: h stays 0 there
            check.holds(np.all(np.isfinite(np.asarray(g["b1"], dtype=np.float64))),
                        f"{call_text(name, kwargs)} with a gradient entry that is exactly 0",
                        "params['b1'] became nan or inf where the gradient is 0 (0 / 0)", hint="hint.adagrad_eps")
        for key in w:
            check.close(g[key], w[key],
                        f"{call_text(name, kwargs)} on params W1 (3, 5), b1, W2 (5, 4), b2: "
                        f"params['{key}'] after {step} update(s) of one optimizer",
                        tol=PATH_TOL, hints={h: v[step - 1][key] for h, v in variants.items()})


# ---- in place: the arrays the layers hold ----------------------------------------------------

@per_optimizer("in_place")
def test_update_in_place_keeps_layers_arrays(student, reference, rng, name):
    kwargs = CUSTOM[name]
    params, grads_list = random_problem(rng, steps=2)
    want = reference.recipe("ch06.optimizer_steps", getattr(reference.module(O), name)(**kwargs),
                            params, grads_list)[-1]
    shared = student.put(params)  # the worker's dict, like net.params
    held = {k: shared.item_ref(k) for k in params}  # the arrays themselves, as the layers hold them
    affine = {}
    try:  # a net's Affine layers on those arrays (if common/layers.py imports and keeps them)
        layers = student.module(L)
        for i in (1, 2):
            a = layers.Affine(held[f"W{i}"], held[f"b{i}"])
            if student.same(a.ref("W"), held[f"W{i}"]) and student.same(a.ref("b"), held[f"b{i}"]):
                affine[i] = a
    except (ImportFailed, StudentError):
        affine = {}
    opt = getattr(student.module(O), name)(**kwargs)
    for grads in grads_list:
        opt.update(shared, grads)
    what = f"{call_text(name, kwargs)}(params, grads) twice, with Affine layers holding params' arrays"
    for key in sorted(params):
        check.holds(student.same(held[key], shared.item_ref(key)), what,
                    f"params['{key}'] is no longer the array the layers hold: the update made a new array "
                    "instead of changing the old one", hint="hint.optimizer_rebinds")
        check.close(student.fetch(held[key]), want[key], f"{what}: the array params['{key}'] after the updates",
                    tol=PATH_TOL)
    for i, a in affine.items():
        for attr in ("W", "b"):
            check.close(getattr(a, attr), want[f"{attr}{i}"], f"{what}: Affine{i}.{attr} after the updates",
                        tol=PATH_TOL)
