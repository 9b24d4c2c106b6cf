"""Every attack of the corpus, under the sandbox and without it (the plain launcher).

Under the sandbox each attack gets exactly its expected points (full marks minus the points
of the exercises it loses, from the reference's own report) and changes nothing outside:
sentinels, the judge's reference copy, the kit, a test server, no process left behind.
Without the sandbox the test asserts what really happens: the same points for the attacks
the judge's protocol stops, and the harm done for those only the sandbox stops
(the README's "Security model" section lists them).
"""
from __future__ import annotations

import time

import pytest

from attacks.corpus import ATTACKS
from attacks.harness import (MODES, REPO_SOLUTIONS, SKIP_NO_BWRAP, World, available_modes, expected_points,
                             grade_in_process, grade_in_subprocess, patched_reference)
from grader.judge.parts import PartLender
from grader.worker.bwrap import BwrapLauncher
from grader.worker.client import Worker, WorkerError
from grader.worker.sandbox import Limits, trusted_launcher

CASES = [(mode, a) for a in ATTACKS for mode in MODES]


@pytest.fixture
def world(tmp_path, monkeypatch):
    w = World(tmp_path / "world")
    monkeypatch.setenv("DLFS_REFERENCE", str(w.reference))
    monkeypatch.setenv("DLFS_TEST_SECRET", w.secret)
    yield w
    w.close()


@pytest.mark.parametrize("mode,attack", CASES, ids=[f"{m}-{a.name}" for m, a in CASES])
def test_attack(mode, attack, world, tmp_path):
    if mode not in available_modes():
        pytest.skip(SKIP_NO_BWRAP)
    if mode == "none" and attack.fallback_skip:
        pytest.skip(f"not run without the sandbox: {attack.fallback_skip}")
    folder = patched_reference(tmp_path / "submission", attack.file, world.substitute(attack.code))
    limits = Limits(call_timeout=attack.timeout or Limits.call_timeout,
                    max_reply_bytes=attack.max_reply or Limits.max_reply_bytes)
    sandboxed = mode == "bwrap"
    full = expected_points(attack.chapter, ())  # the reference's points, before any harm
    if attack.own_judge and not sandboxed:  # it may kill the judge: not this process
        got = grade_in_subprocess(folder, attack.chapter, mode, world.token, limits, tmp_path / "judge-tmp")
        assert got == attack.fallback_judge
        assert not world.harm(), "the killed judge's workers must exit"
        return
    got = grade_in_process(folder, attack.chapter, mode, world.token, limits)
    time.sleep(attack.settle)
    harm_expected = not sandboxed and attack.fallback_harm
    harm = world.harm(wait=0.5 if harm_expected else 3.0)
    lose = attack.lose if sandboxed or attack.fallback_lose is None else attack.fallback_lose
    if lose == "any":
        assert all(got[ex] <= pts for ex, pts in full.items()), got
    else:
        want = expected_points(attack.chapter, lose)
        assert got == want, {ex: (got.get(ex), pts) for ex, pts in want.items() if got.get(ex) != pts}
        assert sum(got.values()) == sum(want.values())
    if not harm_expected:
        assert harm == [], f"{attack.name} reached outside: {harm}"
    else:
        assert harm, f"{attack.name}: expected to do harm without the sandbox (docs say so), did none"


STALL = """
def stall(n):
    x = np.zeros(n)
    while True:  # each call is answered by the judge, and the judge's time is not counted
        numerical_gradient(lambda v: float(np.sum(v ** 2)), x)
"""


@pytest.mark.skipif("bwrap" not in available_modes(), reason=SKIP_NO_BWRAP)
def test_lent_parts_cannot_hold_the_judge_past_the_timeout(tmp_path):
    """The student's code calls the judge's numerical_gradient (lent to it) in an endless loop
    on a 500-element array: every call costs the judge 1000 requests of its own time."""
    folder = patched_reference(tmp_path / "submission", "ch04/gradient_method.py", STALL)
    extra = {"callback_seconds": 2.0} if "callback_seconds" in Limits.__dataclass_fields__ else {}
    reference = Worker(REPO_SOLUTIONS, launcher=trusted_launcher())
    student = Worker(folder, launcher=BwrapLauncher(), limits=Limits(call_timeout=1.0, **extra), budget=6.0)
    student.callback_handler = PartLender(reference)
    try:
        module = student.module("ch04/gradient_method.py")
        start = time.monotonic()
        with pytest.raises(WorkerError):
            with student.lending("common/gradient.py", "numerical_gradient", into=module):
                module.stall(500)
        assert time.monotonic() - start < 1.0 + extra.get("callback_seconds", 2.0) + 1.5
    finally:
        student.close()
        reference.close()
