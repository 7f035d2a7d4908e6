"""The run's manifest entries, held compactly: one page costs ~250 bytes, not ~1.4 KB as a model.

A run keeps one entry per raw page until the manifest is written, so on a big crawl the entries
are what memory grows with. They are kept as their compact JSON (what the manifest holds anyway)
and read back one at a time, so peak memory stays nearly flat from 1,000 to 10,000 pages.
"""

from __future__ import annotations

import json
import tempfile
from array import array
from collections.abc import Iterable, Iterator

from pipeline.models import ManifestEntry


class Entries:
    """An append-only list of manifest entries, stored as JSON rows; iterating yields models.

    The rows sit end to end in one spooled buffer (with their end offsets): no object per page,
    nothing for the allocator to fragment, and past `SPOOL_BYTES` the buffer moves to an anonymous
    temp file, so a run's memory does not grow with the corpus at all.
    """

    __slots__ = ("_buffer", "_ends")
    SPOOL_BYTES = 1 << 20

    def __init__(self, entries: Iterable[ManifestEntry] = ()) -> None:
        self._buffer = tempfile.SpooledTemporaryFile(max_size=self.SPOOL_BYTES)  # noqa: SIM115 - lives with self
        self._ends = array("Q")
        self.extend(entries)

    def __getstate__(self) -> tuple[bytes, array]:
        return b"".join(self.rows()), self._ends  # batches travel to and from Dask workers whole

    def __setstate__(self, state: tuple[bytes, array]) -> None:
        data, self._ends = state
        self._buffer = tempfile.SpooledTemporaryFile(max_size=self.SPOOL_BYTES)  # noqa: SIM115
        self._buffer.write(data)

    def append(self, entry: ManifestEntry) -> None:
        self._append_row(entry.model_dump_json().encode("utf-8"))

    def _append_row(self, row: bytes) -> None:
        end = self._ends[-1] if self._ends else 0
        self._buffer.seek(end)
        self._buffer.write(row)
        self._ends.append(end + len(row))

    def extend(self, entries: Iterable[ManifestEntry]) -> None:
        if isinstance(entries, Entries):
            for row in entries.rows():
                self._append_row(row)
        else:
            for entry in entries:
                self.append(entry)

    def __iter__(self) -> Iterator[ManifestEntry]:
        return (ManifestEntry.model_validate_json(row) for row in self.rows())

    def __len__(self) -> int:
        return len(self._ends)

    def rows(self) -> Iterator[bytes]:
        """The JSON of each entry, as the manifest writes it."""
        start = 0
        for end in self._ends:
            self._buffer.seek(start)
            yield self._buffer.read(end - start)
            start = end

    def sorted_by_path(self) -> Entries:
        if self._in_path_order():
            return self  # the usual case (pages are discovered in order): no copy
        rows = list(self.rows())
        order = sorted(range(len(rows)), key=lambda i: json.loads(rows[i])["path"])  # stable, like sorted()
        ordered = Entries()
        for i in order:
            ordered._append_row(rows[i])
        return ordered

    def _in_path_order(self) -> bool:
        previous = None
        for row in self.rows():
            path = json.loads(row)["path"]
            if previous is not None and path < previous:
                return False
            previous = path
        return True


class PreviousEntries:
    """The last run's entries by path, kept as JSON rows and parsed only for the pages asked about."""

    __slots__ = ("_rows",)

    def __init__(self, rows: dict[str, bytes] | None = None) -> None:
        self._rows = rows or {}

    @classmethod
    def of(cls, entries: Iterable[ManifestEntry]) -> PreviousEntries:
        return cls({e.path: e.model_dump_json().encode("utf-8") for e in entries})

    def get(self, path: str) -> ManifestEntry | None:
        row = self._rows.get(path)
        return None if row is None else ManifestEntry.model_validate_json(row)

    def __getitem__(self, path: str) -> ManifestEntry:
        return ManifestEntry.model_validate_json(self._rows[path])

    def __contains__(self, path: object) -> bool:
        return path in self._rows

    def __iter__(self) -> Iterator[str]:
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)

    def subset(self, paths: Iterable[str]) -> PreviousEntries:
        return PreviousEntries({p: self._rows[p] for p in paths if p in self._rows})
