"""Where raw pages come from and outputs go: a local folder or any fsspec URL (s3://, memory://, …).

Workers on other machines read and write shared storage through the same calls. Local folders
get true atomic writes (temp file + rename in the same folder); object stores write whole objects,
which readers never see half-written either.
"""

from __future__ import annotations

import contextlib
import filecmp
import os
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

SYMLINK_OUTSIDE = -1  # sizes of listed entries that are not readable files: a symlink out of the root (never followed)
UNLISTABLE = -2  # a folder that could not be listed (its pages keep their outputs)
NOT_A_FILE = -3  # a FIFO, socket, device or symlink loop: never opened


@dataclass(frozen=True, slots=True)
class Entry:
    rel: str  # POSIX path below the root
    size: int  # bytes, or one of the negative kinds above


class Storage(Protocol):
    url: str

    def list_files(self) -> list[Entry]: ...
    def read(self, rel: str, limit: int | None = None) -> bytes: ...
    def read_if_exists(self, rel: str) -> bytes | None: ...
    def write_atomic(self, rel: str, data: bytes, durable: bool = False) -> bool: ...
    def write_lines_atomic(self, rel: str, lines: Iterable[str], durable: bool = False) -> None: ...
    def delete(self, rel: str) -> None: ...
    def exists(self, rel: str) -> bool: ...
    def is_dir(self) -> bool: ...
    def list_dir(self, rel: str) -> list[str]: ...


_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://")
LOCAL_SCHEMES = ("file", "local")  # fsspec's names for this machine's file system


def _split(location: str | os.PathLike[str]) -> tuple[str | None, str]:
    """(scheme in lower case or None, the rest). URL schemes are case-insensitive (`FILE:///x`)."""
    text = str(location)
    found = _SCHEME.match(text)
    return (found.group(1).lower(), text[found.end():]) if found else (None, text)


def is_url(location: str | os.PathLike[str]) -> bool:
    """A location on another file system (s3://, memory://): every spelling of a local path is not."""
    scheme, _ = _split(location)
    return scheme is not None and scheme not in LOCAL_SCHEMES


PROCESS_SCHEMES = ("memory",)  # file systems that live inside one process: no worker process can see them


def in_this_process(location: str | os.PathLike[str]) -> bool:
    return _split(location)[0] in PROCESS_SCHEMES


def local_path(location: str | os.PathLike[str]) -> str:
    """A local location as a plain path. `file:///x`, `FILE:///x`, `local:///x`, `file://localhost/x`
    all name /x, so they share one lock and one claim; `file://x` is the relative path x."""
    scheme, rest = _split(location)
    if scheme is not None and rest.lower().startswith("localhost/"):
        rest = rest[len("localhost"):]
    return rest or "."


def check_location(location: str | os.PathLike[str], what: str) -> None:
    """A URL's scheme must be one fsspec knows (and can load here); else ValueError in one line."""
    scheme, _ = _split(location)
    if scheme is None or scheme in LOCAL_SCHEMES:
        return
    import fsspec

    try:
        fsspec.get_filesystem_class(scheme)
    except (ValueError, ImportError) as exc:
        raise ValueError(f"{what} {location}: unknown or unavailable storage scheme {scheme!r} "
                         f"({str(exc).splitlines()[0][:120]})") from None


def _temp_path(path: str) -> str:
    """A hidden temp name beside `path`, unique per process and thread (swept if a run is killed)."""
    folder, name = os.path.split(path)
    return os.path.join(folder, f".{name}.{os.getpid()}.{threading.get_ident()}.tmp")


def inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def open_storage(location: str | os.PathLike[str]) -> Storage:
    if is_url(location):
        return FsspecStorage(str(location))
    return LocalStorage(local_path(location))


class LocalStorage:
    def __init__(self, root: str) -> None:
        self.url = root
        self.root = str(root)  # paths below it are built as strings: pathlib interns every name it parses

    def is_dir(self) -> bool:
        return os.path.isdir(self.root)

    def list_files(self) -> list[Entry]:
        """Every file below the root, sorted as paths (by part), hidden parts skipped.

        Walked with os.scandir and plain strings: pathlib would intern every name for the life of
        the process, which on a big crawl is memory that never comes back.
        """
        if not self.is_dir():
            raise FileNotFoundError(f"raw folder not found: {self.root}")
        real_root = os.path.realpath(self.root)
        found: list[Entry] = []
        pending = [""]
        while pending:
            folder = pending.pop()
            try:
                with os.scandir(os.path.join(self.root, folder)) as listing:
                    for item in listing:  # one DirEntry at a time: a big folder is never held as objects
                        self._add(item, folder, real_root, found, pending)
            except FileNotFoundError:
                continue  # vanished while listing: not part of this run
            except OSError:
                if not folder:
                    raise  # the root itself: the run cannot see its pages at all
                found.append(Entry(folder, UNLISTABLE))  # said in the manifest; its pages' outputs stay
        # Part by part, as pathlib sorts: "/" read as the smallest character ("a/b" before "a-b").
        found.sort(key=lambda e: e.rel.replace("/", "\0"))
        return found

    @staticmethod
    def _add(item: os.DirEntry[str], folder: str, real_root: str, found: list[Entry], pending: list[str]) -> None:
        if item.name.startswith("."):
            return
        rel = f"{folder}/{item.name}" if folder else item.name
        try:
            if item.is_symlink() and not inside(os.path.realpath(item.path), real_root):
                found.append(Entry(rel, SYMLINK_OUTSIDE))
            elif item.is_dir(follow_symlinks=False):
                pending.append(rel)
            elif item.is_file():  # a symlink inside the root to a file is read like one
                found.append(Entry(rel, item.stat().st_size))
            else:
                found.append(Entry(rel, NOT_A_FILE))
        except FileNotFoundError:
            return  # vanished while listing
        except OSError:
            found.append(Entry(rel, NOT_A_FILE))  # a symlink loop, or what cannot be stat'ed

    def _path(self, rel: str) -> str:
        return os.path.join(self.root, rel)

    def read(self, rel: str, limit: int | None = None) -> bytes:
        with open(self._path(rel), "rb") as handle:
            return handle.read(-1 if limit is None else limit)

    def read_if_exists(self, rel: str) -> bytes | None:
        try:
            with open(self._path(rel), "rb") as handle:
                return handle.read()
        except (FileNotFoundError, NotADirectoryError):
            return None

    def exists(self, rel: str) -> bool:
        return os.path.exists(self._path(rel))

    def write_atomic(self, rel: str, data: bytes, durable: bool = False) -> bool:
        """Temp file in the same folder, then rename: readers see the old file or the new one, never half.

        `durable` also fsyncs before the rename (for the manifest, the run's commit point), so the
        new bytes survive a power cut too; a killed process never needs it.
        """
        path = self._path(rel)
        try:
            if os.stat(path).st_size == len(data) and self.read(rel) == data:
                return False
        except FileNotFoundError:
            pass
        tmp = _temp_path(path)
        try:
            handle = open(tmp, "wb")  # noqa: SIM115 - closed below, before the rename
        except FileNotFoundError:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            handle = open(tmp, "wb")  # noqa: SIM115
        try:
            with handle:
                handle.write(data)
                if durable:
                    handle.flush()
                    os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        return True

    def write_lines_atomic(self, rel: str, lines: Iterable[str], durable: bool = False) -> None:
        """Stream lines to a temp file, then rename: big outputs never sit in memory whole.

        Rewritten only when the bytes differ, like `write_atomic` (`durable` as there).
        """
        path = self._path(rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        tmp = _temp_path(path)
        try:
            with open(tmp, "w", encoding="utf-8", newline="\n") as handle:
                handle.writelines(lines)
                if durable:
                    handle.flush()
                    os.fsync(handle.fileno())
            if os.path.exists(path) and filecmp.cmp(tmp, path, shallow=False):
                os.unlink(tmp)
                return
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise

    def delete(self, rel: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self._path(rel))

    def list_dir(self, rel: str) -> list[str]:
        try:
            with os.scandir(self._path(rel)) as listing:
                return sorted(e.name for e in listing if e.is_file())  # plain names: no Path per file
        except (FileNotFoundError, NotADirectoryError):
            return []


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

    def write_lines_atomic(self, rel: str, lines: Iterable[str], durable: bool = False) -> None:
        self.write_atomic(rel, "".join(lines).encode("utf-8"))

    def delete(self, rel: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.fs.rm_file(self._path(rel))

    def list_dir(self, rel: str) -> list[str]:
        path = self._path(rel)
        if not self.fs.isdir(path):
            return []
        return sorted(p.rsplit("/", 1)[-1] for p in self.fs.ls(path, detail=False) if self.fs.isfile(p))
