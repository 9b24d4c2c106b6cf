"""The worker boundary: only data crosses it, and nothing the student's code does breaks the judge."""
from __future__ import annotations

import io
import pickle
import struct
import textwrap
import time

import numpy as np
import pytest

from grader.worker import protocol
from grader.worker.client import (ImportFailed, Remote, StudentError, Worker, WorkerCrashed,
                                  WorkerTimeout)
from grader.worker.sandbox import Limits


def submission(tmp_path, **files):
    """A submission folder: files given as relpath__with__dunders=source."""
    for name, src in files.items():
        path = tmp_path / name.replace("__", "/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(src), encoding="utf-8")
    (tmp_path / "common").mkdir(exist_ok=True)
    (tmp_path / "common" / "__init__.py").touch()
    return tmp_path


# ---------------------------------------------------------------- protocol
@pytest.mark.parametrize("value", [
    None, True, 3, -2.5, float("nan"), float("inf"), "x", [1, [2, 3]], (1, (2,)),
    {"a": 1, 2: "b", (1, 2): [3]}, np.arange(6.0).reshape(2, 3), np.float32(1.5), np.int64(7),
    np.array([True, False]), np.zeros((0, 3)),
])
def test_protocol_round_trip(value):
    frame = protocol.pack(value)
    back = protocol.unpack(frame[8:])
    if isinstance(value, np.ndarray):
        assert back.dtype == value.dtype and np.array_equal(back, value)
    elif isinstance(value, float) and value != value:
        assert back != back
    else:
        assert back == value and type(back) is type(value)


def _frame(header: dict, *blobs: bytes) -> bytes:
    import json
    h = json.dumps(header).encode()
    return struct.pack(">I", len(h)) + h + b"".join(blobs)


def _npy(arr, allow_pickle=False) -> bytes:
    buf = io.BytesIO()
    np.save(buf, arr, allow_pickle=allow_pickle)
    return buf.getvalue()


@pytest.mark.parametrize("payload", [
    b"\x00\x00\x00\x05nope!",
    _frame({"msg": {"__nd__": 0}, "blobs": [len(_npy(np.array([object()]), True))]},
           _npy(np.array([object()]), True)),  # an object array (a pickle inside .npy)
    _frame({"msg": {"__nd__": 0}, "blobs": [5]}, pickle.dumps(1)[:5]),
    _frame({"msg": {"__nd__": 3}, "blobs": []}),  # no such blob
    _frame({"msg": {"__evil__": 1}, "blobs": []}),
    _frame({"msg": {"__dict__": [[[1], 2]]}, "blobs": []}),  # unhashable key
    _frame({"msg": eval("[" * 40 + "1" + "]" * 40), "blobs": []}),  # nested too deeply
    _frame({"msg": 1, "blobs": [10]}),  # blob table longer than the frame
    _frame({"msg": {"__nd__": 0}, "blobs": [len(_npy(np.array(["a"])))]}, _npy(np.array(["a"]))),
])
def test_protocol_rejects_garbage(payload):
    with pytest.raises(protocol.ProtocolError):
        protocol.unpack(payload)


def test_protocol_refuses_oversized_frame():
    with pytest.raises(protocol.ProtocolError, match="exceeds"):
        protocol.read_frame(lambda n: struct.pack(">Q", 2**40)[:n], max_frame=1000)


# ---------------------------------------------------------------- the worker
def _layers(tmp_path, body: str):
    return submission(tmp_path, **{"common__layers.py": body})


def test_calls_attributes_and_handles(tmp_path):
    sub = _layers(tmp_path, """
        import numpy as np
        class Affine:
            def __init__(self, W, b):
                self.W, self.b = W, b
            def forward(self, x):
                self.x = x
                return np.dot(x, self.W) + self.b
    """)
    with Worker(sub) as w:
        layer = w.module("common/layers.py").Affine(np.ones((2, 3)), np.arange(3.0))
        assert isinstance(layer, Remote) and layer.type_name == "Affine"
        out = layer.forward(np.eye(2))
        assert np.array_equal(out, np.ones((2, 3)) + np.arange(3.0))
        assert np.array_equal(layer.x, np.eye(2))
        d = w.put({"W": np.zeros(2)})
        assert w.same(d.item_ref("W"), d.item_ref("W"))


def test_student_exception_is_data_with_location(tmp_path):
    sub = _layers(tmp_path, """
        def f(x):
            return np.dout(x)
    """)
    with Worker(sub) as w, pytest.raises(StudentError) as e:
        w.module("common/layers.py").f(1)
    assert e.value.type == "NameError" and "common/layers.py:3" in e.value.where


def test_import_errors_are_remembered(tmp_path):
    sub = _layers(tmp_path, "raise RuntimeError('boom at import')\n")
    with Worker(sub) as w:
        with pytest.raises(ImportFailed, match="boom"):
            w.module("common/layers.py")
        calls = w.calls
        with pytest.raises(ImportFailed):
            w.module("common/layers.py")
        assert w.calls == calls  # not asked again
        with pytest.raises(ImportFailed) as e:
            w.module("ch05/two_layer_net.py")
        assert e.value.missing


def test_endless_loop_times_out_and_worker_restarts(tmp_path):
    sub = _layers(tmp_path, """
        def spin():
            while True:
                pass
        def ok():
            return 42
    """)
    with Worker(sub, limits=Limits(call_timeout=1.0)) as w:
        start = time.monotonic()
        with pytest.raises(WorkerTimeout):
            w.module("common/layers.py").spin()
        assert time.monotonic() - start < 5
        assert w.module("common/layers.py").ok() == 42  # a fresh worker answers


@pytest.mark.parametrize("body,match", [
    ("import os\ndef f():\n    os._exit(3)\n", "status 3"),
    ("import os, signal\ndef f():\n    os.kill(os.getpid(), signal.SIGKILL)\n", "SIGKILL"),
    ("def f():\n    return [0] * (10**10)\n", "MemoryError"),
])
def test_crashes_are_reported(tmp_path, body, match):
    with Worker(_layers(tmp_path, body)) as w, pytest.raises((WorkerCrashed, StudentError), match=match):
        w.module("common/layers.py").f()


def test_megabytes_of_output_do_not_block(tmp_path):
    sub = _layers(tmp_path, """
        import sys
        def f():
            for _ in range(200):
                print("x" * 50000)
                sys.stderr.write("y" * 50000)
            return 1
    """)
    with Worker(sub) as w:
        assert w.module("common/layers.py").f() == 1
        assert 0 < len(w.output) <= 40000


def test_objects_that_are_not_data_come_back_as_handles(tmp_path):
    sub = _layers(tmp_path, """
        import numpy as np
        class Sneaky(np.ndarray):
            def __eq__(self, other):
                return True
        class Liar:
            def __eq__(self, other):
                return True
            def __array__(self, *a, **k):
                return np.zeros(3)
        def sub():
            return np.arange(3.0).view(Sneaky)
        def liar():
            return Liar()
        def objects():
            return np.array([Liar()], dtype=object)
    """)
    with Worker(sub) as w:
        m = w.module("common/layers.py")
        got = m.sub()
        assert type(got) is np.ndarray and not (got == np.array([9.0, 9.0, 9.0])).any()
        assert isinstance(m.liar(), Remote)
        with pytest.raises(StudentError, match="not numeric"):
            m.objects()


def test_budget_ends_grading_of_a_slow_submission(tmp_path):
    sub = _layers(tmp_path, "import time\ndef f():\n    time.sleep(0.4)\n")
    from grader.worker.client import BudgetExhausted
    with Worker(sub, budget=1.0) as w:
        with pytest.raises((BudgetExhausted, WorkerTimeout)):
            for _ in range(10):
                w.module("common/layers.py").f()
