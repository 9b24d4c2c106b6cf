"""The judge ⇄ worker wire format: JSON for structure, ``.npy`` for arrays, nothing else.

A frame is ``u64 length | u32 header length | header JSON | blob …``. The header is
``{"msg": <encoded value>, "blobs": [n0, n1, …]}``; each blob is one array in ``.npy`` format,
read back with ``allow_pickle=False``. Values are encoded as

* ``None``, ``bool``, ``int``, ``float``, ``str`` → JSON
* ``list`` → JSON list; ``tuple`` → ``{"__tuple__": [...]}``; ``dict`` → ``{"__dict__": [[k, v], ...]}``
* ``ndarray`` → ``{"__nd__": i}`` (blob i); a numpy scalar → ``{"__np__": i}`` (0-d blob)
* anything else → ``{"__ref__": n, "type": "Affine"}``, a handle on an object living in the worker

The decoder is the judge's side of the trust boundary: it accepts only these forms, numeric
and boolean arrays, bounded sizes and nesting, and raises ProtocolError on anything else.
"""
from __future__ import annotations

import io
import json
import math
import struct

import numpy as np

MAX_FRAME = 256 * 2**20  # bytes in one frame
MAX_DEPTH = 32  # nesting of lists/tuples/dicts
MAX_ITEMS = 200_000  # container entries in one message
ARRAY_KINDS = "biufc"  # bool, int, uint, float, complex: no objects, strings, records


class ProtocolError(Exception):
    """A frame that is not a well-formed dlfs message."""


class Ref:
    """A handle on an object in the worker (the judge wraps it in a Remote proxy)."""

    __slots__ = ("id", "type")

    def __init__(self, id: int, type: str = "object"):
        self.id, self.type = id, type

    def __repr__(self) -> str:
        return f"<{self.type} in the worker #{self.id}>"


# --------------------------------------------------------------------------- encoding
def encode(value, blobs: list[bytes], make_ref=None, depth: int = 0):
    """``value`` as JSON-ready data; arrays appended to ``blobs``. Objects that are not data
    become refs via ``make_ref(obj) -> Ref`` (worker side), or raise TypeError without it."""
    if depth > MAX_DEPTH:
        raise ValueError("value nested too deeply")
    if value is None or isinstance(value, (bool, str)):
        return value
    if type(value) is int:
        return value
    if type(value) is float:
        return value if math.isfinite(value) else {"__float__": repr(value)}
    if isinstance(value, np.ndarray):
        blobs.append(_npy(np.asarray(value)))
        return {"__nd__": len(blobs) - 1}
    if isinstance(value, np.generic):
        blobs.append(_npy(np.asarray(value)))
        return {"__np__": len(blobs) - 1}
    if isinstance(value, Ref):
        return {"__ref__": value.id, "type": value.type}
    if type(value) in (list, tuple):
        items = [encode(v, blobs, make_ref, depth + 1) for v in value]
        return items if type(value) is list else {"__tuple__": items}
    if isinstance(value, dict) and type(value).__module__ in ("builtins", "collections"):
        return {"__dict__": [[encode(k, blobs, make_ref, depth + 1), encode(v, blobs, make_ref, depth + 1)]
                             for k, v in list(value.items())]}
    if make_ref is None:
        raise TypeError(f"cannot send a {type(value).__name__} to the worker")
    ref = make_ref(value)
    return {"__ref__": ref.id, "type": ref.type}


def _npy(arr: np.ndarray) -> bytes:
    if arr.dtype.kind not in ARRAY_KINDS:
        raise TypeError(f"array of dtype {arr.dtype} is not numeric data")
    buf = io.BytesIO()
    np.lib.format.write_array(buf, np.asarray(arr, order="C"), allow_pickle=False)  # keeps 0-d
    return buf.getvalue()


def pack(msg, make_ref=None) -> bytes:
    blobs: list[bytes] = []
    body = encode(msg, blobs, make_ref)
    header = json.dumps({"msg": body, "blobs": [len(b) for b in blobs]}, allow_nan=False).encode()
    payload = struct.pack(">I", len(header)) + header + b"".join(blobs)
    return struct.pack(">Q", len(payload)) + payload


# --------------------------------------------------------------------------- decoding
def unpack(payload: bytes, max_items: int = MAX_ITEMS):
    """Decode one frame's payload (without its u64 length); ProtocolError if malformed."""
    try:
        (hlen,) = struct.unpack(">I", payload[:4])
        header = json.loads(payload[4:4 + hlen].decode("utf-8"), parse_constant=_no_constant)
        sizes = header["blobs"]
        if not isinstance(sizes, list) or not all(type(n) is int and n >= 0 for n in sizes):
            raise ProtocolError("bad blob table")
        if 4 + hlen + sum(sizes) != len(payload):
            raise ProtocolError("frame length does not match its blobs")
        blobs, pos = [], 4 + hlen
        for n in sizes:
            blobs.append(_load_npy(payload[pos:pos + n]))
            pos += n
        return _Decoder(blobs, max_items).value(header["msg"], 0)
    except ProtocolError:
        raise
    except (ValueError, KeyError, TypeError, struct.error, UnicodeDecodeError, RecursionError) as e:
        raise ProtocolError(f"malformed message: {e}") from None


def _no_constant(name):
    raise ProtocolError(f"bare {name} in JSON")


def _load_npy(data: bytes) -> np.ndarray:
    try:
        arr = np.load(io.BytesIO(data), allow_pickle=False)
    except Exception as e:  # numpy raises ValueError for pickles, others for junk
        raise ProtocolError(f"array blob rejected: {e}") from None
    if not isinstance(arr, np.ndarray) or arr.dtype.kind not in ARRAY_KINDS or arr.dtype.fields:
        raise ProtocolError("array blob is not a plain numeric array")
    return arr


class _Decoder:
    def __init__(self, blobs, max_items):
        self.blobs, self.left = blobs, max_items

    def _count(self, n):
        self.left -= n
        if self.left < 0:
            raise ProtocolError("message has too many items")

    def value(self, v, depth):
        if depth > MAX_DEPTH:
            raise ProtocolError("message nested too deeply")
        if v is None or type(v) in (bool, int, float, str):
            return v
        if type(v) is list:
            self._count(len(v))
            return [self.value(x, depth + 1) for x in v]
        if type(v) is not dict or len(v) not in (1, 2):
            raise ProtocolError(f"unexpected JSON value {str(v)[:60]!r}")
        (tag, arg), *rest = v.items()
        if tag == "__tuple__" and type(arg) is list:
            self._count(len(arg))
            return tuple(self.value(x, depth + 1) for x in arg)
        if tag == "__dict__" and type(arg) is list:
            self._count(len(arg))
            out = {}
            for pair in arg:
                if type(pair) is not list or len(pair) != 2:
                    raise ProtocolError("bad dict entry")
                key = self.value(pair[0], depth + 1)
                if not isinstance(key, (str, int, float, bool, tuple, type(None))):
                    raise ProtocolError("unhashable dict key")
                out[key] = self.value(pair[1], depth + 1)
            return out
        if tag in ("__nd__", "__np__") and type(arg) is int and 0 <= arg < len(self.blobs):
            arr = self.blobs[arg]
            return arr if tag == "__nd__" else arr[()]
        if tag == "__float__" and arg in ("nan", "inf", "-inf"):
            return float(arg)
        if tag == "__ref__" and type(arg) is int and (not rest or rest[0][0] == "type"):
            return Ref(arg, str(rest[0][1])[:80] if rest else "object")
        raise ProtocolError(f"unexpected tag {tag!r}")


# --------------------------------------------------------------------------- framing
def read_frame(read_exact, max_frame: int = MAX_FRAME) -> bytes:
    """One frame's payload via ``read_exact(n) -> bytes`` (which raises EOFError at the end)."""
    (n,) = struct.unpack(">Q", read_exact(8))
    if n > max_frame:
        raise ProtocolError(f"frame of {n} bytes exceeds the {max_frame}-byte limit")
    return read_exact(n)
