"""``WireTrace``: the live log doubles as a protocol trace while someone reads it.

Each packet on the wire (``FurbyTransport.add_trace_listener``) becomes one log entry at level
``debug``: a write is kind ``command`` (text ``Sent``), a notification kind ``reply`` (text
``Received``), and ``data`` is ``{"characteristic": "generalplus" | "nordic" | "file", "hex":
"13 00 37 02 0e 00"}`` (docs/websocket.md). The human-readable ``command`` entry of a command
still follows once it is done.

The trace listener sits on the connected client only while the link is up *and* at least one
live-log subscription follows the Furby (``async_request``). Otherwise it is not registered at
all, so each packet costs the transport's one truth test, and a new link gets it again when
it comes up. It is taken off the client when the link ends and when the last reader leaves.

Left out, so the ring buffer of 500 entries and the websocket are not flooded:

- the keep-alive ``20 06`` and its ImHere answer ``22 …`` (docs/protocol.md §3.2), sent every
  few seconds on a quiet link: an open card on an idle Furby stays idle;
- the FileWrite packets and the ``09 NN`` packet acks of a DLC upload (docs/protocol.md §4.3,
  §5.2), thousands per file. They are only counted (a comparison and two additions per packet,
  nothing allocated) and summed up in one ``upload`` entry, ``FileWrite: 151 packets (3,001
  bytes) and 117 acks not traced one by one``, written before the next packet that is traced (in
  an upload, the toy's ``24 05``) or when the trace stops.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

from homeassistant.core import CALLBACK_TYPE, callback

from .models import LogKind, LogLevel
from .protocol import commands
from .protocol.client import Direction, FurbyClient
from .protocol.gatt import (
    FILE_WRITE,
    GENERALPLUS_LISTEN,
    GENERALPLUS_WRITE,
    NORDIC_LISTEN,
    NORDIC_WRITE,
)

type LogFunction = Callable[[LogLevel, LogKind, str, Mapping[str, Any] | None], None]
"""``coordinator.async_log``: where the trace's entries go."""

CHARACTERISTIC_NAMES: Final = {
    GENERALPLUS_WRITE: "generalplus",
    GENERALPLUS_LISTEN: "generalplus",
    NORDIC_WRITE: "nordic",
    NORDIC_LISTEN: "nordic",
    FILE_WRITE: "file",
}
"""The ``characteristic`` of an entry's ``data``: the chip a packet goes to or comes from."""

KEEP_ALIVE: Final = commands.keep_alive()
"""``20 06``, not traced (nor its answer)."""
IM_HERE: Final = 0x22
"""First byte of the toy's answer to the keep-alive on GeneralPlusListen (§4.1)."""
PACKET_ACK: Final = 0x09
"""First byte of a ``09 NN`` packet ack on NordicListen (§4.3)."""


class WireTrace:
    """One Furby's protocol trace into its log (see the module docstring)."""

    def __init__(self, log: LogFunction) -> None:
        """Trace into ``log``; nothing is registered before a link and a reader are there."""
        self._log = log
        self._client: FurbyClient | None = None
        self._readers = 0
        self._remove: Callable[[], None] | None = None
        self._file_packets = 0
        self._file_bytes = 0
        self._acks = 0

    @callback
    def async_request(self) -> CALLBACK_TYPE:
        """Trace while the returned function has not been called (one per log reader)."""
        self._readers += 1
        self._update()
        released = False

        @callback
        def release() -> None:
            nonlocal released
            if not released:
                released = True
                self._readers -= 1
                self._update()

        return release

    @callback
    def async_set_client(self, client: FurbyClient | None) -> None:
        """Follow the client of the link that is up now (``None``: no link)."""
        if client is self._client:
            return
        self._stop()
        self._client = client
        self._update()

    def _update(self) -> None:
        """Register the trace listener when a link and a reader are there; remove it if not."""
        client = self._client
        if client is not None and self._readers > 0:
            if self._remove is None:
                self._remove = client.add_trace_listener(self._on_packet)
        else:
            self._stop()

    def _stop(self) -> None:
        """Take the trace listener off the client and sum up what was left out."""
        remove, self._remove = self._remove, None
        if remove is not None:
            remove()
            self._summarize()

    def _on_packet(self, direction: Direction, characteristic: str, data: bytes) -> None:
        """Turn one packet into a log entry, or count it (FileWrite, acks) or skip it."""
        if characteristic == FILE_WRITE:
            self._file_packets += 1
            self._file_bytes += len(data)
            return
        if characteristic == NORDIC_LISTEN and data and data[0] == PACKET_ACK:
            self._acks += 1
            return
        if characteristic == GENERALPLUS_WRITE and data == KEEP_ALIVE:
            return
        if characteristic == GENERALPLUS_LISTEN and data and data[0] == IM_HERE:
            return
        self._summarize()
        sent = direction == "tx"
        self._log(
            LogLevel.DEBUG,
            LogKind.COMMAND if sent else LogKind.REPLY,
            "Sent" if sent else "Received",
            {
                "characteristic": CHARACTERISTIC_NAMES.get(characteristic, characteristic),
                "hex": data.hex(" "),
            },
        )

    def _summarize(self) -> None:
        """Write one entry for the FileWrite packets and acks counted since the last one."""
        if not (self._file_packets or self._acks):
            return
        packets, size, acks = self._file_packets, self._file_bytes, self._acks
        self._file_packets = self._file_bytes = self._acks = 0
        self._log(
            LogLevel.DEBUG,
            LogKind.UPLOAD,
            f"FileWrite: {packets:,} packets ({size:,} bytes) and {acks:,} acks"
            " not traced one by one",
            {"characteristic": "file", "packets": packets, "bytes": size, "acks": acks},
        )
