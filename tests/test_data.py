"""Tests for grader.data.

The book's load_mnist semantics are checked on the real MNIST files ($DLFS_DATA);
the failure modes on small fake IDX datasets built in tmp_path (with the md5 table
patched to their md5s), truncated copies of the real files, and a local http.server.
"""
from __future__ import annotations

import functools
import gzip
import hashlib
import http.server
import os
import pickle
import shutil
import socket
import struct
import threading
from pathlib import Path

import numpy as np
import pytest

from grader import data

FILES = data.FILES
REAL_MD5 = dict(data.MNIST_MD5)
USER_DLFS_DATA = os.environ.get("DLFS_DATA")  # before clean_env hides it
ENV_VARS = ("DLFS_DATA", "DLFS_CACHE", "DLFS_MNIST_MIRRORS", "DLFS_OFFLINE", "DLFS_BOOK_WEIGHTS",
            "XDG_CACHE_HOME")


def md5(b: bytes) -> str:
    return hashlib.md5(b).hexdigest()


# --------------------------------------------------------------------------- fixtures

@pytest.fixture(scope="session")
def real_dir() -> Path:
    """The real MNIST directory: $DLFS_DATA (CI sets it), else an existing cache."""
    if os.environ.get("DLFS_DATA"):
        return Path(os.environ["DLFS_DATA"])
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DLFS_OFFLINE", "1")
        try:
            return data.find_mnist()
        except data.DataError:
            pytest.skip("real MNIST not available: set DLFS_DATA=/dir holding the four MNIST .gz files "
                        "(e.g. /work/shared/data/mnist)")


@pytest.fixture(scope="session")
def real_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("real_cache")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch, tmp_path):
    """No user env leaks in, no network, a fresh cache, fresh in-process caches."""
    for v in ENV_VARS:
        monkeypatch.delenv(v, raising=False)
    monkeypatch.setenv("DLFS_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("DLFS_OFFLINE", "1")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setattr(data, "_VERIFIED", {})
    monkeypatch.setattr(data, "_MEM", {})


@pytest.fixture
def real(monkeypatch, real_dir, real_cache) -> Path:
    monkeypatch.setenv("DLFS_DATA", str(real_dir))
    monkeypatch.setenv("DLFS_CACHE", str(real_cache))
    return real_dir


def _images(n: int, seed: int) -> tuple[bytes, np.ndarray]:
    px = np.random.default_rng(seed).integers(0, 256, (n, 784), dtype=np.uint8)
    px[0, 0], px[0, 1] = 0, 255
    return struct.pack(">IIII", 2051, n, 28, 28) + px.tobytes(), px


def _labels(t) -> tuple[bytes, np.ndarray]:
    t = np.asarray(t, np.uint8)
    return struct.pack(">II", 2049, len(t)) + t.tobytes(), t


class Fake:
    """A 5-train / 3-test MNIST look-alike; the md5 table is patched to its md5s."""

    def __init__(self):
        parts = [_images(5, 1), _labels([5, 0, 4, 1, 9]), _images(3, 2), _labels([7, 2, 1])]
        self.arrays = {n: a for n, (_, a) in zip(FILES, parts)}
        self.blobs = {n: gzip.compress(raw, mtime=0) for n, (raw, _) in zip(FILES, parts)}
        self.md5 = {n: md5(b) for n, b in self.blobs.items()}

    def write(self, d: Path, names=FILES) -> Path:
        d.mkdir(parents=True, exist_ok=True)
        for n in names:
            (d / n).write_bytes(self.blobs[n])
        return d


@pytest.fixture
def fake(monkeypatch) -> Fake:
    f = Fake()
    monkeypatch.setattr(data, "MNIST_MD5", dict(f.md5))
    return f


@pytest.fixture
def server(tmp_path):
    """(root dir, base URL) of an http.server on 127.0.0.1 serving root."""
    root = tmp_path / "www"
    root.mkdir()

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(root)))
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    yield root, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _online(monkeypatch, *mirrors: str) -> None:
    monkeypatch.delenv("DLFS_OFFLINE")
    monkeypatch.setenv("DLFS_MNIST_MIRRORS", " ".join(mirrors))


def _leftovers(d: Path) -> list[str]:
    return [p.name for p in d.iterdir() if p.name.endswith(".part")] if d.is_dir() else []


# --------------------------------------------------------------------------- book semantics (real files)

def test_default_is_the_books(real):
    (x, t), (xt, tt) = data.load_mnist()
    assert x.shape == (60000, 784) and xt.shape == (10000, 784)
    assert t.shape == (60000,) and tt.shape == (10000,)
    assert x.dtype == xt.dtype == np.float32 and t.dtype == tt.dtype == np.uint8
    assert x.min() == 0.0 and x.max() == 1.0 and xt.min() == 0.0 and xt.max() == 1.0
    assert t[:10].tolist() == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
    assert tt[:10].tolist() == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]
    (raw, _), _ = data.load_mnist(normalize=False)
    book = raw.astype(np.float32)
    book /= 255.0  # exactly dataset/mnist.py
    assert np.array_equal(x, book)
    assert data.find_mnist() == real


def test_raw_unflattened_one_hot(real):
    (x, t), (xt, tt) = data.load_mnist(normalize=False, flatten=False, one_hot_label=True)
    assert x.shape == (60000, 1, 28, 28) and xt.shape == (10000, 1, 28, 28)
    assert x.dtype == np.uint8 and x.min() == 0 and x.max() == 255
    assert t.shape == (60000, 10) and tt.shape == (10000, 10) and t.dtype == tt.dtype == np.float64
    assert set(np.unique(t)) == {0.0, 1.0} and np.all(t.sum(1) == 1)
    assert t[:10].argmax(1).tolist() == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
    assert tt[:10].argmax(1).tolist() == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]
    (xf, _), _ = data.load_mnist(normalize=False)
    assert np.array_equal(x.reshape(60000, 784), xf)
    (xn, _), _ = data.load_mnist(flatten=False)
    assert xn.shape == (60000, 1, 28, 28) and xn.dtype == np.float32


def test_returned_arrays_are_safe_to_modify(real):
    (x, t), (xt, tt) = data.load_mnist(one_hot_label=True)
    x[:] = 7.0
    t[:] = 3.0
    xt[0] = -1.0
    (x2, t2), (xt2, _) = data.load_mnist(one_hot_label=True)
    assert x2.max() == 1.0 and xt2.min() == 0.0 and t2.sum() == 60000
    (_, lab), _ = data.load_mnist()
    assert lab.flags.writeable
    lab[:] = 9
    (raw, lab2), _ = data.load_mnist(normalize=False)
    assert lab2[:3].tolist() == [5, 0, 4]
    if raw.flags.writeable:  # allowed to be read-only; if not, must not leak
        raw[0] = 1
        assert data.load_mnist(normalize=False)[0][0][0].max() == 0
    else:
        with pytest.raises(ValueError):
            raw[0] = 1


def test_npy_cache_written_for_real_files(real, real_cache):
    data.load_mnist(normalize=False)
    for n in FILES:
        assert (real_cache / "mnist" / f"{n[:-3]}-{REAL_MD5[n]}.npy").is_file()


def test_truncated_real_file_is_corrupt_and_untouched(tmp_path, real_dir):
    d = tmp_path / "user"
    d.mkdir()
    for n in FILES[:3]:
        (d / n).symlink_to(real_dir / n)
    bad = d / FILES[3]
    bad.write_bytes((real_dir / FILES[3]).read_bytes()[:3000])
    before = bad.read_bytes()
    with pytest.raises(data.MnistCorrupt) as e:
        data.load_mnist(path=d)
    msg = str(e.value)
    assert FILES[3] in msg and REAL_MD5[FILES[3]] in msg and md5(before) in msg
    assert e.value.path == bad and e.value.expected == REAL_MD5[FILES[3]]
    assert bad.read_bytes() == before


# --------------------------------------------------------------------------- fake datasets

def test_fake_dataset_loads(tmp_path, fake):
    d = fake.write(tmp_path / "d")
    (x, t), (xt, tt) = data.load_mnist(path=str(d))
    assert x.shape == (5, 784) and xt.shape == (3, 784) and x.dtype == np.float32
    assert np.array_equal(x, fake.arrays[FILES[0]].astype(np.float32) / np.float32(255.0))
    assert t.tolist() == [5, 0, 4, 1, 9] and tt.tolist() == [7, 2, 1] and t.dtype == np.uint8
    (xr, tr), _ = data.load_mnist(False, False, True, path=d)
    assert xr.shape == (5, 1, 28, 28) and xr.dtype == np.uint8 and tr.shape == (5, 10)
    assert np.array_equal(xr.reshape(5, 784), fake.arrays[FILES[0]])


def test_precedence_path_then_env_then_cache(tmp_path, fake, monkeypatch):
    a, b = fake.write(tmp_path / "a"), fake.write(tmp_path / "b")
    cache = fake.write(tmp_path / "cache" / "mnist")
    monkeypatch.setenv("DLFS_DATA", str(b))
    assert data.find_mnist(a) == a
    assert data.find_mnist() == b
    assert data.find_mnist(tmp_path / "nothing") == b  # an unusable path= falls through
    fake.write(tmp_path / "partial", FILES[:3])
    assert data.find_mnist(tmp_path / "partial") == b  # only complete directories count
    (b / FILES[0]).write_bytes(b"garbage")
    assert data.find_mnist(a) == a  # DLFS_DATA is not even looked at
    monkeypatch.delenv("DLFS_DATA")
    assert data.find_mnist() == cache
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("DLFS_CACHE")
    assert data.cache_dir() == tmp_path / "xdg" / "dlfs" / "mnist"


@pytest.mark.parametrize("env", [True, False])
def test_corrupt_user_file_raises_and_is_untouched(tmp_path, fake, monkeypatch, env):
    d = fake.write(tmp_path / "user")
    bad = d / FILES[2]
    blob = bytearray(fake.blobs[FILES[2]])
    blob[40] ^= 0xFF
    bad.write_bytes(bytes(blob))
    fake.write(tmp_path / "cache" / "mnist")  # a good cache must not be used instead
    if env:
        monkeypatch.setenv("DLFS_DATA", str(d))
    with pytest.raises(data.MnistCorrupt) as e:
        data.load_mnist() if env else data.load_mnist(path=d)
    msg = str(e.value)
    assert FILES[2] in msg and fake.md5[FILES[2]] in msg and md5(bytes(blob)) in msg
    assert isinstance(e.value, data.DataError)
    assert bad.read_bytes() == bytes(blob)


def test_truncation_after_verification_is_detected(tmp_path, fake):
    d = fake.write(tmp_path / "user")
    data.load_mnist(path=d)
    (d / FILES[0]).write_bytes(fake.blobs[FILES[0]][:500])
    with pytest.raises(data.MnistCorrupt, match=fake.md5[FILES[0]]):
        data.load_mnist(path=d)
    assert (d / FILES[0]).stat().st_size == 500


@pytest.mark.parametrize("name, raw, expect", [
    (FILES[0], struct.pack(">IIII", 2049, 1, 28, 28) + bytes(784), "magic 2049, expected 2051"),
    (FILES[0], struct.pack(">IIII", 2051, 1, 27, 28) + bytes(756), "27x28"),
    (FILES[0], struct.pack(">IIII", 2051, 2, 28, 28) + bytes(784), "header says 2 items"),
    (FILES[1], struct.pack(">II", 2049, 5) + bytes([1, 2, 3, 4, 12]), "label 12"),
    (FILES[1], b"\x00\x00", "shorter than the IDX header"),
])
def test_bad_idx_header_is_corrupt(tmp_path, fake, monkeypatch, name, raw, expect):
    d = fake.write(tmp_path / "user")
    blob = gzip.compress(raw, mtime=0)
    (d / name).write_bytes(blob)
    monkeypatch.setitem(data.MNIST_MD5, name, md5(blob))
    with pytest.raises(data.MnistCorrupt, match=expect) as e:
        data.load_mnist(path=d)
    assert name in str(e.value)


def test_not_gzip_is_corrupt(tmp_path, fake, monkeypatch):
    d = fake.write(tmp_path / "user")
    (d / FILES[3]).write_bytes(b"not a gzip file at all")
    monkeypatch.setitem(data.MNIST_MD5, FILES[3], md5(b"not a gzip file at all"))
    with pytest.raises(data.MnistCorrupt, match="cannot decompress"):
        data.load_mnist(path=d)


def test_not_found_lists_every_place(tmp_path, fake, monkeypatch):
    with pytest.raises(data.MnistNotFound) as e:
        data.find_mnist()
    msg = str(e.value)
    assert "path= argument: not set" in msg and "DLFS_DATA: not set" in msg
    assert str(tmp_path / "cache" / "mnist") in msg and "missing train-images-idx3-ubyte.gz" in msg
    assert "download: disabled" in msg and "DLFS_DATA=/path/to/dir" in msg and "allow the download" in msg

    fake.write(tmp_path / "partial", [n for n in FILES if n != FILES[3]])
    monkeypatch.setenv("DLFS_DATA", str(tmp_path / "nope"))
    monkeypatch.setenv("DLFS_MNIST_MIRRORS", "")
    monkeypatch.delenv("DLFS_OFFLINE")
    with pytest.raises(data.MnistNotFound) as e:
        data.load_mnist(path=tmp_path / "partial")
    msg = str(e.value)
    assert f"path= argument {tmp_path / 'partial'}: missing {FILES[3]}" in msg
    assert f"DLFS_DATA {tmp_path / 'nope'}: not a directory" in msg
    assert "DLFS_MNIST_MIRRORS is empty" in msg
    assert isinstance(e.value, data.DataError)


# --------------------------------------------------------------------------- npy / verification cache

def test_npy_cache_is_used_on_second_load(tmp_path, fake, monkeypatch):
    d = fake.write(tmp_path / "user")
    first = data.load_mnist(normalize=False, path=d)
    cache = tmp_path / "cache" / "mnist"
    for n in FILES:
        assert (cache / f"{n[:-3]}-{fake.md5[n]}.npy").is_file()
    assert (cache / "verified.json").is_file() and not _leftovers(cache)

    def no_gzip(*a, **k):
        raise AssertionError("the .gz was decoded although the .npy cache exists")

    monkeypatch.setattr(gzip, "open", no_gzip)
    monkeypatch.setattr(data, "_VERIFIED", {})  # a new process: md5s come from verified.json

    def no_md5(*a, **k):
        raise AssertionError("the .gz was hashed again although size+mtime are unchanged")

    monkeypatch.setattr(hashlib, "md5", no_md5)
    second = data.load_mnist(normalize=False, path=d)
    for a, b in zip(first, second):
        assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    assert not second[0][0].flags.writeable  # memory-mapped, read-only
    (x, t), _ = data.load_mnist(one_hot_label=True, path=d)
    assert x.flags.writeable and t.flags.writeable


@pytest.mark.parametrize("how", ["not_a_dir", "chmod"])
def test_unwritable_cache_still_loads(tmp_path, fake, monkeypatch, how):
    if how == "not_a_dir":
        (tmp_path / "file").write_text("x")
        monkeypatch.setenv("DLFS_CACHE", str(tmp_path / "file" / "cache"))
    else:
        ro = tmp_path / "ro"
        ro.mkdir()
        ro.chmod(0o555)
        if os.access(ro, os.W_OK):
            pytest.skip("running as root: chmod does not make a directory read-only")
        monkeypatch.setenv("DLFS_CACHE", str(ro))
    d = fake.write(tmp_path / "user")
    for _ in range(2):
        (x, t), (xt, tt) = data.load_mnist(path=d)
        assert x.shape == (5, 784) and tt.tolist() == [7, 2, 1]


# --------------------------------------------------------------------------- download

def test_download_into_cache(tmp_path, fake, monkeypatch, server, capsys):
    root, url = server
    fake.write(root / "good")
    _online(monkeypatch, url + "/good/")
    cache = tmp_path / "cache" / "mnist"
    assert data.find_mnist() == cache
    for n in FILES:
        assert md5((cache / n).read_bytes()) == fake.md5[n]
    assert not _leftovers(cache)
    (x, t), _ = data.load_mnist()
    assert t.tolist() == [5, 0, 4, 1, 9]
    assert "downloaded" in capsys.readouterr().err


def test_bad_mirror_is_reported_and_next_tried(tmp_path, fake, monkeypatch, server, capsys):
    root, url = server
    fake.write(root / "good")
    bad = root / "bad"
    bad.mkdir()
    for n in FILES:
        (bad / n).write_bytes(fake.blobs[n][:-7] + b"garbage")
    _online(monkeypatch, url + "/bad", url + "/good")
    cache = data.find_mnist()
    assert all((cache / n).read_bytes() == fake.blobs[n] for n in FILES)
    err = capsys.readouterr().err
    assert f"{url}/bad/{FILES[0]}" in err and "md5 mismatch" in err and fake.md5[FILES[0]] in err
    assert not _leftovers(cache)


def test_all_mirrors_fail(tmp_path, fake, monkeypatch, server):
    root, url = server
    bad = root / "bad"
    bad.mkdir()
    (bad / FILES[0]).write_bytes(b"truncated")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{s.getsockname()[1]}/"
    _online(monkeypatch, url + "/bad/", url + "/missing/", closed)
    with pytest.raises(data.MnistNotFound) as e:
        data.load_mnist()
    msg = str(e.value)
    assert "download failed" in msg and "md5 mismatch" in msg and "404" in msg and closed in msg
    cache = tmp_path / "cache" / "mnist"
    assert not any(p.suffix == ".gz" for p in cache.iterdir()) and not _leftovers(cache)


def test_corrupt_cache_file_is_downloaded_again(tmp_path, fake, monkeypatch, server):
    cache = fake.write(tmp_path / "cache" / "mnist")
    (cache / FILES[1]).write_bytes(b"junk")
    with pytest.raises(data.MnistNotFound, match="corrupt"):  # offline: reported, never used
        data.find_mnist()
    root, url = server
    fake.write(root / "m")
    _online(monkeypatch, url + "/m/")
    assert data.load_mnist()[0][1].tolist() == [5, 0, 4, 1, 9]
    assert (cache / FILES[1]).read_bytes() == fake.blobs[FILES[1]]


# --------------------------------------------------------------------------- sample weights

SHAPES = {"W1": (784, 50), "b1": (50,), "W2": (50, 100), "b2": (100,), "W3": (100, 10), "b3": (10,)}


@pytest.fixture
def book_npz() -> Path:
    near_data = Path(USER_DLFS_DATA or ".").resolve().parent / "book" / "sample_weight.npz"
    for p in (near_data, Path("/work/shared/data/book/sample_weight.npz")):
        if p.is_file():
            return p
    pytest.skip("the book's sample_weight.npz is not available")


def test_sample_weights_from_env(book_npz, monkeypatch):
    monkeypatch.setenv("DLFS_BOOK_WEIGHTS", str(book_npz))
    w = data.load_sample_weights()
    assert {k: v.shape for k, v in w.items()} == SHAPES
    assert all(v.dtype == np.float32 for v in w.values())
    assert data.sample_weights_source() == str(book_npz)


def test_sample_weights_pkl_and_dlfs_data_sibling(book_npz, tmp_path, monkeypatch):
    pkl = book_npz.with_suffix(".pkl")
    if pkl.is_file():
        a, b = data.load_sample_weights(pkl), data.load_sample_weights(book_npz)
        assert all(np.array_equal(a[k], b[k]) for k in SHAPES)
    mnist = tmp_path / "mnist"
    mnist.mkdir()
    (tmp_path / "book").mkdir()
    shutil.copy(book_npz, tmp_path / "book" / "sample_weight.npz")
    monkeypatch.setenv("DLFS_DATA", str(mnist))
    assert data.sample_weights_source() == str(tmp_path / "book" / "sample_weight.npz")
    assert data.load_sample_weights()["W2"].shape == (50, 100)


def test_sample_weights_not_found_and_bad(tmp_path, monkeypatch):
    monkeypatch.setattr(data, "KIT_WEIGHTS", tmp_path / "assets" / "ch3_weights.npz")
    (tmp_path / "mnist").mkdir()
    monkeypatch.setenv("DLFS_DATA", str(tmp_path / "mnist"))
    with open(tmp_path / "mnist" / "sample_weight.pkl", "wb") as f:  # never unpickled from DLFS_DATA
        pickle.dump({"W1": 1}, f)
    with pytest.raises(data.DataError) as e:
        data.load_sample_weights()
    msg = str(e.value)
    assert "DLFS_BOOK_WEIGHTS: not set" in msg and str(data.KIT_WEIGHTS) in msg
    assert str(tmp_path / "book") in msg and "read only via path=" in msg
    with pytest.raises(data.DataError, match="no such file"):
        data.load_sample_weights(tmp_path / "nope.npz")
    np.savez(tmp_path / "w.npz", **{k: np.zeros(s, np.float32) for k, s in SHAPES.items() if k != "b3"})
    with pytest.raises(data.DataError, match="b3 is missing"):
        data.load_sample_weights(tmp_path / "w.npz")
    np.savez(tmp_path / "kit.npz", **{k: np.ones(s, np.float32) for k, s in SHAPES.items()})
    monkeypatch.setattr(data, "KIT_WEIGHTS", tmp_path / "kit.npz")
    assert data.sample_weights_source() == str(tmp_path / "kit.npz")
    assert data.load_sample_weights()["b3"].tolist() == [1.0] * 10
