"""Safe extraction of a student's ``.zip``: no path traversal, no links, bounded size and count."""
from __future__ import annotations

import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

MiB = 2**20


class UnsafeZip(ValueError):
    """The archive was refused; the message says why (shown in the student's report)."""


@dataclass(frozen=True)
class ZipLimits:
    max_files: int = 2000
    max_total_bytes: int = 256 * MiB
    max_file_bytes: int = 64 * MiB
    max_ratio: float = 200.0  # uncompressed / compressed, per member (zip bombs)


def extract(archive: Path, dest: Path, limits: ZipLimits = ZipLimits()) -> Path:
    """Extract ``archive`` into ``dest`` and return the submission root inside it.

    The root is the folder holding ``common/`` (so ``alice.zip`` containing ``alice/common/…``
    or ``common/…`` both work). Raises UnsafeZip naming the offending member.
    """
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as e:
        raise UnsafeZip(f"{archive.name} is not a readable zip file ({e})") from None
    with zf:
        members = zf.infolist()
        if len(members) > limits.max_files:
            raise UnsafeZip(f"{archive.name} has {len(members)} files (limit {limits.max_files})")
        total = 0
        for m in members:
            _check_member(m, archive.name, limits)
            total += m.file_size
            if total > limits.max_total_bytes:
                raise UnsafeZip(f"{archive.name} unpacks to more than {limits.max_total_bytes // MiB} MiB")
        dest.mkdir(parents=True, exist_ok=True)
        for m in members:
            target = dest.joinpath(*PurePosixPath(m.filename).parts)
            if m.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(m) as src, open(target, "wb") as out:
                written = 0
                while chunk := src.read(1 << 20):
                    written += len(chunk)
                    if written > m.file_size or written > limits.max_file_bytes:
                        raise UnsafeZip(f"{m.filename} in {archive.name} is larger than declared")
                    out.write(chunk)
    return submission_root(dest)


def _check_member(m: zipfile.ZipInfo, name: str, limits: ZipLimits) -> None:
    path = PurePosixPath(m.filename.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or (path.parts and ":" in path.parts[0]):
        raise UnsafeZip(f"{name}: member {m.filename!r} points outside the folder")
    mode = m.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise UnsafeZip(f"{name}: member {m.filename!r} is a symbolic link")
    if m.file_size > limits.max_file_bytes:
        raise UnsafeZip(f"{name}: {m.filename} is {m.file_size // MiB} MiB "
                        f"(limit {limits.max_file_bytes // MiB} MiB)")
    if m.compress_size and m.file_size / m.compress_size > limits.max_ratio and m.file_size > MiB:
        raise UnsafeZip(f"{name}: {m.filename} compresses {m.file_size // m.compress_size}:1 "
                        "(a zip bomb?)")


def submission_root(folder: Path) -> Path:
    """``folder`` itself if it holds common/ or a chNN/ folder, else its single sub-folder that does."""
    def looks_like(p: Path) -> bool:
        return any((p / d).is_dir() for d in ("common", "ch03", "ch04", "ch05", "ch07"))

    if looks_like(folder):
        return folder
    subs = [p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(("__", "."))]
    if len(subs) == 1 and looks_like(subs[0]):
        return subs[0]
    return folder
