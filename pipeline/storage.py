"""Where raw pages come from and outputs go: a local folder or any fsspec URL (s3://, memory://, …).

Workers on other machines read and write shared storage through the same calls. Local folders
get true atomic writes (temp file + rename in the same folder); object stores write whole objects,
which readers never see half-written either.
"""

from __future__ import annotations

import contextlib
import filecmp
import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol


@dataclass(frozen=True)
class Entry:
    rel: str  # POSIX path below the root
    size: int  # bytes; -1 for a symlink that points outside the root (never followed)


class Storage(Protocol):
    url: str

    def list_files(self) -> list[Entry]: ...
    def read(self, rel: str, limit: int | None = None) -> bytes: ...
    def read_if_exists(self, rel: str) -> bytes | None: ...
    def write_atomic(self, rel: str, data: bytes, durable: bool = False) -> bool: ...
    def write_lines_atomic(self, rel: str, lines: Iterable[str]) -> None: ...
    def delete(self, rel: str) -> None: ...
    def exists(self, rel: str) -> bool: ...
    def is_dir(self) -> bool: ...
    def list_dir(self, rel: str) -> list[str]: ...


def is_url(location: str | os.PathLike[str]) -> bool:
    return "://" in str(location) and not str(location).startswith("file://")


def open_storage(location: str | os.PathLike[str]) -> Storage:
    if is_url(location):
        return FsspecStorage(str(location))
    return LocalStorage(str(location).removeprefix("file://"))


class LocalStorage:
    def __init__(self, root: str) -> None:
        self.url = root
        self.root = Path(root)

    def is_dir(self) -> bool:
        return self.root.is_dir()

    def list_files(self) -> list[Entry]:
        if not self.root.is_dir():
            raise FileNotFoundError(f"raw folder not found: {self.root}")
        real_root = self.root.resolve()
        found: list[Entry] = []
        for path in sorted(self.root.rglob("*")):
            if any(part.startswith(".") for part in path.relative_to(self.root).parts):
                continue
            rel = path.relative_to(self.root).as_posix()
            try:
                if path.is_symlink() and not path.resolve().is_relative_to(real_root):
                    found.append(Entry(rel, -1))
                    continue
                if path.is_dir():
                    continue
                found.append(Entry(rel, path.stat().st_size))
            except OSError:
                continue  # vanished while listing: it is simply not part of this run
        return found

    def read(self, rel: str, limit: int | None = None) -> bytes:
        with open(self.root / rel, "rb") as handle:
            return handle.read(-1 if limit is None else limit)

    def read_if_exists(self, rel: str) -> bytes | None:
        try:
            return (self.root / rel).read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            return None

    def exists(self, rel: str) -> bool:
        return (self.root / rel).exists()

    def write_atomic(self, rel: str, data: bytes, durable: bool = False) -> bool:
        """Temp file in the same folder, then rename: readers see the old file or the new one, never half.

        `durable` also fsyncs before the rename (for the manifest, the run's commit point), so the
        new bytes survive a power cut too; a killed process never needs it.
        """
        path = self.root / rel
        try:
            if path.stat().st_size == len(data) and path.read_bytes() == data:
                return False
        except FileNotFoundError:
            pass
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            handle = open(tmp, "wb")  # noqa: SIM115 - closed below, before the rename
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle = open(tmp, "wb")  # noqa: SIM115
        try:
            with handle:
                handle.write(data)
                if durable:
                    handle.flush()
                    os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        return True

    def write_lines_atomic(self, rel: str, lines: Iterable[str]) -> None:
        """Stream lines to a temp file, then rename: big outputs never sit in memory whole.

        Rewritten only when the bytes differ, like `write_atomic`.
        """
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            with open(tmp, "w", encoding="utf-8", newline="\n") as handle:
                handle.writelines(lines)
            if path.exists() and filecmp.cmp(tmp, path, shallow=False):
                tmp.unlink()
                return
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise

    def delete(self, rel: str) -> None:
        (self.root / rel).unlink(missing_ok=True)

    def list_dir(self, rel: str) -> list[str]:
        folder = self.root / rel
        if not folder.is_dir():
            return []
        return sorted(p.name for p in folder.iterdir() if p.is_file())


class FsspecStorage:
    def __init__(self, url: str) -> None:
        import fsspec

        self.url = url.rstrip("/")
        self.fs, self.root = fsspec.core.url_to_fs(self.url)
        self.root = self.root.rstrip("/")

    def _path(self, rel: str) -> str:
        return f"{self.root}/{rel}" if rel else self.root

    def is_dir(self) -> bool:
        return bool(self.fs.isdir(self.root))

    def list_files(self) -> list[Entry]:
        if not self.fs.isdir(self.root):
            raise FileNotFoundError(f"raw folder not found: {self.url}")
        found = []
        for path, info in sorted(self.fs.find(self.root, detail=True).items()):
            rel = path[len(self.root):].lstrip("/")
            if info.get("type") == "file" and not any(p.startswith(".") for p in rel.split("/")):
                found.append(Entry(rel, int(info.get("size") or 0)))
        return found

    def read(self, rel: str, limit: int | None = None) -> bytes:
        with self.fs.open(self._path(rel), "rb") as handle:
            return handle.read(-1 if limit is None else limit)

    def read_if_exists(self, rel: str) -> bytes | None:
        try:
            return self.fs.cat_file(self._path(rel))
        except FileNotFoundError:
            return None

    def exists(self, rel: str) -> bool:
        return bool(self.fs.exists(self._path(rel)))

    def write_atomic(self, rel: str, data: bytes, durable: bool = False) -> bool:
        if self.read_if_exists(rel) == data:
            return False
        self.fs.pipe_file(self._path(rel), data)  # one whole-object put: never seen half-written
        return True

    def write_lines_atomic(self, rel: str, lines: Iterable[str]) -> None:
        self.write_atomic(rel, "".join(lines).encode("utf-8"))

    def delete(self, rel: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.fs.rm_file(self._path(rel))

    def list_dir(self, rel: str) -> list[str]:
        path = self._path(rel)
        if not self.fs.isdir(path):
            return []
        return sorted(p.rsplit("/", 1)[-1] for p in self.fs.ls(path, detail=False) if self.fs.isfile(p))
