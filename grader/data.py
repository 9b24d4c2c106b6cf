"""MNIST and the book's ch3 sample weights: found, verified, cached.

``load_mnist`` has the exact semantics of the book's ``dataset/mnist.py``. The four
files (``FILES``) are looked for in this order; a directory counts only if it holds all four:

1. the ``path=`` argument (a directory);  2. ``$DLFS_DATA`` (a directory);
3. the cache dir ``$DLFS_CACHE/mnist``, else ``$XDG_CACHE_HOME/dlfs/mnist``, else ``~/.cache/dlfs/mnist``;
4. a download into the cache dir from ``MNIST_MIRRORS`` (``$DLFS_MNIST_MIRRORS``, space-separated
   base URLs, overrides it; an empty value or ``DLFS_OFFLINE=1`` turns downloading off): temp file
   in the cache dir, md5 check, then os.replace; a mirror with a wrong md5 is skipped;
5. otherwise ``MnistNotFound`` lists each place tried and why it failed.

Every ``.gz`` is checked against ``MNIST_MD5`` once (remembered by size+mtime in
``<cache dir>/verified.json``); a mismatch raises ``MnistCorrupt`` and the user's files (1, 2)
are never changed (a bad file in the cache is downloaded again). Decoded arrays are cached as
``<cache dir>/<name>-<md5>.npy`` and memory-mapped, so later loads take milliseconds; if the
cache cannot be written, the arrays are kept in memory instead.
"""
from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import os
import pickle
import sys
import urllib.request
import zlib
from pathlib import Path
from typing import Callable, Optional, Union


import numpy as np

from grader.atomic import atomic_file

PathLike = Union[str, "os.PathLike[str]"]
FILES = ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
         "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")
MNIST_MD5 = {
    "train-images-idx3-ubyte.gz": "f68b3c2dcbeaaa9fbdd348bbdeb94873",
    "train-labels-idx1-ubyte.gz": "d53e105ee54ea40749a09fcbcd1e9432",
    "t10k-images-idx3-ubyte.gz": "9fb629c4189551a2d022fa330f9573f3",
    "t10k-labels-idx1-ubyte.gz": "ec29112dd5afa0611ce80d1b7f02629c",
}
MNIST_MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "http://yann.lecun.com/exdb/mnist/",
)
WEIGHT_SHAPES = {"W1": (784, 50), "b1": (50,), "W2": (50, 100), "b2": (100,), "W3": (100, 10), "b3": (10,)}
KIT_WEIGHTS = Path(__file__).resolve().parent / "assets" / "ch3_weights.npz"
DOWNLOAD_TIMEOUT = 30.0  # seconds per connection / read

_VERIFIED: dict = {}  # resolved path -> [size, mtime_ns, md5]
_MEM: dict = {}       # md5 -> decoded array, used only when the .npy cache can't be written


class DataError(Exception):
    """A data file (MNIST, sample weights) is missing, unreadable or wrong."""


class MnistNotFound(DataError):
    """No directory with all four MNIST files was found and none could be downloaded."""


class MnistCorrupt(DataError):
    """An MNIST file has the wrong md5 or a bad IDX header. It was neither used nor changed."""

    def __init__(self, path: PathLike, md5: str, expected: str, reason: str = "md5 mismatch"):
        self.path, self.md5, self.expected = Path(path), md5, expected
        super().__init__(
            f"{self.path.name} is corrupt or truncated ({reason}): {self.path} has md5 {md5}, "
            f"expected md5 {expected}. The file was not used and was left as is; "
            f"replace it with a good copy (or remove it to let dlfs download MNIST).")


def cache_dir() -> Path:
    """The MNIST cache directory (it may not exist yet)."""
    root = os.environ.get("DLFS_CACHE")
    if not root:
        xdg = os.environ.get("XDG_CACHE_HOME")
        root = Path(xdg) / "dlfs" if xdg else Path.home() / ".cache" / "dlfs"
    return Path(root).expanduser() / "mnist"


def _atomic_write(dest: Path, write: Callable) -> None:
    """Call write(fileobj) on a temp file next to dest, then rename it onto dest."""
    with atomic_file(dest, "wb", suffix=".part") as f:
        write(f)


def _md5_of(p: Path) -> str:
    """md5 of a file, remembered by size+mtime (in memory and in verified.json)."""
    st, key = p.stat(), str(p.resolve())
    db = cache_dir() / "verified.json"
    if key not in _VERIFIED:
        with contextlib.suppress(OSError, ValueError, TypeError):
            _VERIFIED.update({k: v for k, v in json.loads(db.read_text()).items() if k not in _VERIFIED})
    rec = _VERIFIED.get(key)
    if rec and list(rec[:2]) == [st.st_size, st.st_mtime_ns]:
        return rec[2]
    h = hashlib.md5()
    with open(p, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    _VERIFIED[key] = [st.st_size, st.st_mtime_ns, h.hexdigest()]
    with contextlib.suppress(OSError):
        _atomic_write(db, lambda f: f.write(json.dumps(_VERIFIED, indent=0).encode()))
    return h.hexdigest()


@contextlib.contextmanager
def _progress(desc: str, total: Optional[int]):
    try:
        from tqdm import tqdm
    except ImportError:
        print(f"dlfs: downloading {desc} ...", file=sys.stderr)
        yield lambda n: None
        return
    with tqdm(total=total, unit="B", unit_scale=True, desc=desc, file=sys.stderr) as bar:
        yield bar.update


def _download(name: str, dest_dir: Path, mirrors: list) -> Optional[str]:
    """Download one file into dest_dir; None on success, else the reasons per mirror."""
    errors = []
    for base in mirrors:
        url = base.rstrip("/") + "/" + name

        def fetch(f):
            h = hashlib.md5()
            with urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT) as r:
                size = r.headers.get("Content-Length")
                with _progress(name, int(size) if size and size.isdigit() else None) as update:
                    for chunk in iter(lambda: r.read(1 << 16), b""):
                        f.write(chunk)
                        h.update(chunk)
                        update(len(chunk))
            if h.hexdigest() != MNIST_MD5[name]:
                raise DataError(f"md5 mismatch: got {h.hexdigest()}, expected {MNIST_MD5[name]}")

        try:
            _atomic_write(dest_dir / name, fetch)
            print(f"dlfs: downloaded {url} -> {dest_dir / name} (md5 ok)", file=sys.stderr)
            return None
        except Exception as e:  # URLError, HTTPError, timeouts, md5 mismatch, ...
            errors.append(f"{url}: {e}")
            print(f"dlfs: download of {url} failed: {e}; trying the next mirror", file=sys.stderr)
    return "; ".join(errors) or "no mirrors"


def find_mnist(path: Optional[PathLike] = None) -> Path:
    """The directory holding the four verified MNIST .gz files (downloads them if needed).

    Raises MnistCorrupt if a user's file fails its md5 check, MnistNotFound if
    no place has all four files and the download failed or is disabled.
    """
    tried = []
    for label, d in (("path= argument", path), ("DLFS_DATA", os.environ.get("DLFS_DATA") or None)):
        if d is None:
            tried.append(f"{label}: not set")
            continue
        d = Path(d).expanduser()
        missing = [n for n in FILES if not (d / n).is_file()]
        if not missing:
            for n in FILES:
                if (md5 := _md5_of(d / n)) != MNIST_MD5[n]:
                    raise MnistCorrupt(d / n, md5, MNIST_MD5[n])
            return d
        tried.append(f"{label} {d}: " + ("not a directory" if not d.is_dir() else "missing " + ", ".join(missing)))
    cache, need, problems = cache_dir(), [], []
    for n in FILES:
        p = cache / n
        if not p.is_file():
            need.append(n)
            problems.append(f"missing {n}")
        elif (md5 := _md5_of(p)) != MNIST_MD5[n]:
            need.append(n)
            problems.append(f"{n} corrupt (md5 {md5}, expected {MNIST_MD5[n]})")
    if not need:
        return cache
    tried.append(f"cache {cache}: " + ", ".join(problems))
    env = os.environ.get("DLFS_MNIST_MIRRORS")
    mirrors = list(MNIST_MIRRORS) if env is None else env.split()
    if os.environ.get("DLFS_OFFLINE", "") not in ("", "0"):
        tried.append("download: disabled (DLFS_OFFLINE is set)")
    elif not mirrors:
        tried.append("download: disabled (DLFS_MNIST_MIRRORS is empty)")
    else:
        for n in need:
            err = _download(n, cache, mirrors)
            if err:
                tried.append(f"download into {cache}: download failed: {n}: {err}")
                break
        else:
            return cache
    raise MnistNotFound(
        "MNIST not found. Looked for " + ", ".join(FILES) + " in:\n" + "".join(f"  - {t}\n" for t in tried)
        + "Fix: set DLFS_DATA=/path/to/dir holding the four files (or pass path=...), "
          "or allow the download (network access; DLFS_OFFLINE unset; mirrors in DLFS_MNIST_MIRRORS).")


def _decode(gz: Path, md5: str, images: bool) -> np.ndarray:
    """Decode an IDX .gz into uint8 (N, 784) images or (N,) labels, checking the header."""
    expected = MNIST_MD5[gz.name]
    try:
        with gzip.open(gz) as f:
            buf = f.read()
    except (OSError, EOFError, zlib.error) as e:
        raise MnistCorrupt(gz, md5, expected, f"cannot decompress: {e}") from e
    hdr, magic, item = (16, 2051, 784) if images else (8, 2049, 1)
    head = [int(v) for v in np.frombuffer(buf[:hdr], ">u4")] if len(buf) >= hdr else []
    if not head:
        problem = f"only {len(buf)} bytes, shorter than the IDX header"
    elif head[0] != magic:
        problem = f"IDX magic {head[0]}, expected {magic}"
    elif images and head[2:] != [28, 28]:
        problem = f"images are {head[2]}x{head[3]}, expected 28x28"
    elif len(buf) != hdr + head[1] * item:
        problem = f"header says {head[1]} items, the data holds {(len(buf) - hdr) / item:g}"
    else:
        a = np.frombuffer(buf, np.uint8, offset=hdr)
        if images or a.size == 0 or a.max() <= 9:
            return a.reshape(head[1], 784) if images else a
        problem = f"label {a.max()} is out of 0..9"
    raise MnistCorrupt(gz, md5, expected, f"bad IDX file: {problem}")


def _raw(gz: Path, md5: str, images: bool) -> np.ndarray:
    """Decoded uint8 array (read-only): the .npy cache (memory-mapped), else decode and cache it."""
    npy = cache_dir() / f"{gz.name[:-3]}-{md5}.npy"
    with contextlib.suppress(OSError, ValueError):
        a = np.load(npy, mmap_mode="r", allow_pickle=False).view(np.ndarray)
        if a.dtype == np.uint8 and (a.shape[1:] == (784,) if images else a.ndim == 1):
            return a
    a = _MEM.get(md5)
    if a is None:
        a = _decode(gz, md5, images)
    try:
        _atomic_write(npy, lambda f: np.save(f, a, allow_pickle=False))
        _MEM.pop(md5, None)
    except OSError:  # read-only or missing home: keep it in memory instead
        _MEM[md5] = a
    return a


def load_mnist(normalize: bool = True, flatten: bool = True, one_hot_label: bool = False, *,
               path: Optional[PathLike] = None
               ) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Load MNIST like the book: ``((x_train, t_train), (x_test, t_test))``, 60000 / 10000 samples.

    x: float32 pixel/255.0 in [0, 1] if ``normalize``, else uint8 0..255;
    shape (N, 784) if ``flatten``, else (N, 1, 28, 28).
    t: float64 one-hot (N, 10) if ``one_hot_label``, else uint8 (N,).
    x is a new, writable array when ``normalize`` is on; with ``normalize=False``
    it is a READ-ONLY view of a memory-mapped cache (call ``.copy()`` to modify it).
    t is always a new, writable array. ``path``: a directory with the four files
    (see the module docstring for the lookup order). Raises MnistNotFound, MnistCorrupt.
    """
    d = find_mnist(path)
    raw = [_raw(d / n, _md5_of(d / n), "images" in n) for n in FILES]
    out = []
    for (x, t), name in (((raw[0], raw[1]), FILES[1]), ((raw[2], raw[3]), FILES[3])):
        if len(x) != len(t):
            raise DataError(f"{d / name}: {len(t)} labels for {len(x)} images")
        if normalize:
            x = x.astype(np.float32)
            x /= 255.0
        if one_hot_label:
            onehot = np.zeros((t.size, 10))
            onehot[np.arange(t.size), t] = 1
            t = onehot
        else:
            t = t.copy()
        out.append((x if flatten else x.reshape(-1, 1, 28, 28), t))
    return out[0], out[1]


def _weights_file(path: Optional[PathLike]) -> Path:
    for label, p in (("path= argument", path), ("DLFS_BOOK_WEIGHTS", os.environ.get("DLFS_BOOK_WEIGHTS") or None)):
        if p is not None:
            if not Path(p).expanduser().is_file():
                raise DataError(f"sample weights: {label} {p}: no such file")
            return Path(p).expanduser()
    tried = ["path= argument: not set", "DLFS_BOOK_WEIGHTS: not set"]
    data = os.environ.get("DLFS_DATA")
    if data:
        base = Path(data).expanduser().resolve()
        for d in (base, base.parent / "book"):
            if (d / "sample_weight.npz").is_file():
                return d / "sample_weight.npz"
            tried.append(f"{d}: no sample_weight.npz" + (" (a sample_weight.pkl is read only via path= or "
                         "DLFS_BOOK_WEIGHTS)" if (d / "sample_weight.pkl").is_file() else ""))
    else:
        tried.append("DLFS_DATA (and its sibling ../book/): not set")
    if KIT_WEIGHTS.is_file():
        return KIT_WEIGHTS
    tried.append(f"kit weights {KIT_WEIGHTS}: missing")
    raise DataError("ch3 sample weights not found. Tried:\n" + "".join(f"  - {t}\n" for t in tried)
                    + "Fix: set DLFS_BOOK_WEIGHTS=/path/to/sample_weight.npz (or the book's .pkl).")


def sample_weights_source(path: Optional[PathLike] = None) -> str:
    """The file ``load_sample_weights(path)`` reads (same lookup)."""
    return str(_weights_file(path))


def load_sample_weights(path: Optional[PathLike] = None) -> dict[str, np.ndarray]:
    """The book's ch3 network: float32 W1 (784,50), b1 (50,), W2 (50,100), b2 (100,), W3 (100,10), b3 (10,).

    Lookup: ``path`` (a .npz, or the book's .pkl) -> ``$DLFS_BOOK_WEIGHTS`` (same)
    -> sample_weight.npz in ``$DLFS_DATA`` or its sibling ``../book/`` -> the kit's
    ``grader/assets/ch3_weights.npz``. A .pkl is unpickled, so it is read only when named
    by ``path`` or ``$DLFS_BOOK_WEIGHTS`` (the user's own file); prefer the .npz.
    Returns new writable arrays. Raises DataError if nothing is found or the file is wrong.
    """
    p = _weights_file(path)
    try:
        if p.suffix == ".pkl":
            with open(p, "rb") as f:
                try:
                    obj = pickle.load(f)
                except UnicodeDecodeError:  # a Python 2 pickle
                    f.seek(0)
                    obj = pickle.load(f, encoding="latin1")
        else:
            with np.load(p, allow_pickle=False) as z:
                obj = {k: z[k] for k in z.files}
    except Exception as e:
        raise DataError(f"cannot read sample weights {p}: {e}") from e
    if not isinstance(obj, dict):
        raise DataError(f"sample weights {p}: expected a dict of arrays, got {type(obj).__name__}")
    out = {}
    for k, shape in WEIGHT_SHAPES.items():
        if k not in obj or np.shape(obj[k]) != shape:
            raise DataError(f"sample weights {p}: {k} is {np.shape(obj[k]) if k in obj else 'missing'}, "
                            f"expected shape {shape}")
        out[k] = np.array(obj[k], dtype=np.float32)
    return out
