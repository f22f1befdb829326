"""The toy's log of the last host writes that reached it (for tests and benchmarks).

The log keeps three parallel ring buffers (characteristic, bytes, time) instead of one record
object per write: strings, bytes and floats are not tracked by Python's cycle collector, so a
long upload does not fill the young generation with thousands of live records that every
collection then has to walk (that made garbage-collection pauses of several milliseconds).
:class:`HostWrite` records are made only when a test reads the log.
"""

from __future__ import annotations

import sys
from collections import deque
from collections.abc import Iterator
from typing import NamedTuple

DEFAULT_LENGTH = 10_000
"""Writes kept; older ones are forgotten."""


class HostWrite(NamedTuple):
    """One write as it reached the toy."""

    uuid: str
    data: bytes
    time: float


class WriteLog:
    """The last ``maxlen`` host writes, oldest first."""

    def __init__(self, maxlen: int = DEFAULT_LENGTH) -> None:
        """Create an empty log."""
        self._uuids: deque[str] = deque(maxlen=maxlen)
        self._data: deque[bytes] = deque(maxlen=maxlen)
        self._times: deque[float] = deque(maxlen=maxlen)

    def append(self, uuid: str, data: bytes, time: float) -> None:
        """Record one write."""
        self._uuids.append(uuid)
        self._data.append(data)
        self._times.append(time)

    def __len__(self) -> int:
        """Return the number of writes kept."""
        return len(self._times)

    def __iter__(self) -> Iterator[HostWrite]:
        """Iterate over the writes, oldest first."""
        return map(HostWrite, self._uuids, self._data, self._times)

    def __getitem__(self, index: int) -> HostWrite:
        """Return one write (negative indexes count from the newest)."""
        return HostWrite(self._uuids[index], self._data[index], self._times[index])

    def clear(self) -> None:
        """Forget every write."""
        self._uuids.clear()
        self._data.clear()
        self._times.clear()

    def memory_bytes(self) -> int:
        """Memory the log holds (its buffers and the byte strings, not the shared UUIDs)."""
        buffers = sum(map(sys.getsizeof, (self._uuids, self._data, self._times)))
        return buffers + sum(map(sys.getsizeof, self._data)) + sum(map(sys.getsizeof, self._times))
