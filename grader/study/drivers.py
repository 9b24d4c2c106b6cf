"""Generic drivers of ``dlfs compare``: how one exercise is called, written once per kind.

A driver is ``run(worker, inputs, out)``: it calls the exercise's code through a
``grader.worker.client.Worker`` (the learner's or the reference's: the same code drives both)
and fills ``out`` (name → value) step by step, so what was computed before a failure is kept.
Nothing here imports a learner's module.

Kinds: ``function`` (a module-level function), ``layer`` (construct, then a list of steps:
forward / backward calls, attribute reads, seeds), ``optimizer`` (several ``update`` calls on
one params dict), ``net`` (construct with a seed, optionally write the same params in place,
call one method).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from grader.worker.client import StudentError, Worker

Driver = Callable[[Worker, dict, dict], None]
L, O = "common/layers.py", "common/optimizer.py"


@dataclass(frozen=True)
class Fn:
    """An input that is a function living in the worker (grader.worker.recipes.study.FUNCTIONS)."""

    name: str


def _resolve(worker: Worker, inputs: dict, names) -> list:
    args = []
    for name in names:
        value = inputs[name]
        args.append(worker.recipe("study.function", value.name) if isinstance(value, Fn) else value)
    return args


def _attr(obj, names: tuple[str, ...]):
    """The first of ``names`` that ``obj`` (a Remote) has (the kit accepts both spellings of a
    few functions, e.g. mean_squared_error / sum_squared_error)."""
    for name in names[:-1]:
        try:
            return getattr(obj, name)
        except StudentError as e:
            if e.type != "AttributeError":
                raise
    return getattr(obj, names[-1])


def _first_if_tuple(value):
    """gradient_descent: the book's version returns (x, x_history); the kit's returns x."""
    return value[0] if isinstance(value, tuple) and value else value


def function(path: str, names: tuple[str, ...], cases: tuple[tuple[str, tuple[str, ...]], ...]) -> Driver:
    """``module.<name>(*args)`` once per case; ``cases`` = ((output name, input names), ...)."""
    def run(worker: Worker, inputs: dict, out: dict) -> None:
        fn = _attr(worker.module(path), names)
        for label, arg_names in cases:
            out[label] = _first_if_tuple(fn(*_resolve(worker, inputs, arg_names)))
    return run


# A layer step: ("seed", n) | (output name or None, method, input names, kwargs) | (name, "@attr")
Step = tuple


def run_steps(worker: Worker, obj, steps: tuple[Step, ...], inputs: dict, out: dict) -> None:
    for step in steps:
        if step[0] == "seed":
            worker.seed(step[1])
        elif len(step) == 2:
            out[step[0]] = getattr(obj, step[1].lstrip("@"))
        else:
            name, method, arg_names, kwargs = step
            value = getattr(obj, method)(*_resolve(worker, inputs, arg_names), **kwargs)
            if name:
                out[name] = value


def layer(cls: str, ctor: tuple[str, ...], steps: tuple[Step, ...], path: str = L,
          ctor_kwargs: dict | None = None) -> Driver:
    """``cls(*ctor inputs, **ctor_kwargs)`` from ``path``, then ``steps`` on it."""
    def run(worker: Worker, inputs: dict, out: dict) -> None:
        obj = getattr(worker.module(path), cls)(*_resolve(worker, inputs, ctor), **(ctor_kwargs or {}))
        run_steps(worker, obj, steps, inputs, out)
    return run


def optimizer(cls: str, kwargs: dict, show_steps: tuple[int, ...] = (1, 3)) -> Driver:
    """``cls(**kwargs).update(params, grads)`` for each grads of inputs["grads"] on one params
    dict (inputs["params"]); shows the params after the steps ``show_steps`` (1-based)."""
    def run(worker: Worker, inputs: dict, out: dict) -> None:
        opt = getattr(worker.module(O), cls)(**kwargs)
        snaps = worker.recipe("ch06.optimizer_steps", opt, worker.put(inputs["params"]), inputs["grads"])
        for n in show_steps:
            out[f"params after {n} update{'s' if n > 1 else ''}"] = snaps[n - 1]
    return run


def net(path: str, cls: str, ctor: tuple = (), ctor_kwargs: dict | None = None, *,
        steps: tuple[Step, ...] = (), seed: int = 0, set_params: bool = True,
        show: tuple[str, ...] = ()) -> Driver:
    """``np.random.seed(seed); net = cls(*ctor, **ctor_kwargs)``; with ``set_params`` the
    params inputs["params"] are written into the net's own arrays (in place, so its layers see
    them; a wrong ``__init__`` then shows as an error here, not as different numbers); then
    ``steps`` (method calls, as for layers) and the attributes ``show`` (e.g. "params")."""
    def run(worker: Worker, inputs: dict, out: dict) -> None:
        worker.seed(seed)
        obj = getattr(worker.module(path), cls)(*ctor, **(ctor_kwargs or {}))
        if set_params:
            worker.recipe("set_params", obj, inputs["params"])
        run_steps(worker, obj, steps, inputs, out)
        for name in show:
            if name == "layers":
                out["layer names"] = list(obj.layers.keys())
            else:
                out[name] = getattr(obj, name)
    return run


def variants(*drivers: tuple[str, Driver]) -> Driver:
    """Several drivers, their outputs prefixed by a label ("relu/he: params")."""
    def run(worker: Worker, inputs: dict, out: dict) -> None:
        for label, drive in drivers:
            part: dict = {}
            try:
                drive(worker, inputs, part)
            finally:
                out.update({f"{label}: {k}": v for k, v in part.items()})
    return run
