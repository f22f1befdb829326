"""The virtual Furby Connect: the toy's state machine behind its GATT table.

It answers the commands of PROTOCOL.md §3 with the notifications of §4 (see §11, "Simulator
checklist"); command bytes are parsed here, independently of the integration's encoders, so a
mistake on either side shows up in tests. Timing comes from a :class:`~virtual_furby.clock.Clock`
and a :class:`~virtual_furby.link.LinkModel`; failures from :class:`~virtual_furby.faults.Faults`.

Behaviour the sources leave open, chosen here (documented where implemented): the toy takes one
central at a time and stops advertising while connected; after the host subscribes to
GeneralPlusListen it sends a ``21`` sensor snapshot (bluefluff issue #7 saw one right after
connecting); it leaves its quiet "app mode" after ``ToyTiming.quiet_timeout`` seconds without a
GeneralPlus write (§8: without periodic traffic it starts talking again).
"""

from __future__ import annotations

import random
from collections import deque
from dataclasses import dataclass
from typing import Final, NamedTuple

from custom_components.furby_connect.protocol import gatt

from .clock import Clock, LoopClock, TimerHandle
from .errors import ConnectionRefusedByToyError, DeviceNotFoundError, LinkLostError
from .faults import Faults
from .file_transfer import FileTransfer
from .gatt_table import GattTable
from .generalplus import handle_generalplus
from .link import Link, LinkModel
from .nordic import handle_nordic
from .sensors import check_interaction, check_orientation, encode_sensor_packet
from .session import Central, NotifyPayload, Session
from .slots import SlotStore

DEFAULT_ADDRESS: Final = "F1:23:45:67:89:AB"
"""A random static address (top two bits set), like the one seen in bluefluff issue #7 (§1)."""

MOOD_METERS: Final = (0, 1, 2, 3, 4)
"""Mood meter ids: excitedness, displeasedness, tiredness, fullness, wellness (§3.1)."""

TONGUE_FULLNESS: Final = 5
"""Feeding (pushing the tongue) adds 5 to fullness (bluefluff README, §7.4)."""


class HostWrite(NamedTuple):
    """One write as it reached the toy."""

    uuid: str
    data: bytes
    time: float


@dataclass(frozen=True, slots=True, kw_only=True)
class ToyTiming:
    """The toy's own timers (none of them is published; these are reasonable guesses)."""

    file_timeout: float = 10.0
    """Seconds without a FileWrite packet before an upload ends with ``24 03``."""
    stream_interval: float = 0.1
    """Seconds between ``21`` packets while the ``20 0d`` sensor stream runs."""
    quiet_timeout: float = 10.0
    """Seconds without a GeneralPlus write before the toy leaves its quiet app mode."""
    interaction_seconds: float = 0.5
    """How long :meth:`VirtualFurby.interact` holds a sensor by default."""


class VirtualFurby:
    """A simulated Furby Connect with inspectable state."""

    def __init__(
        self,
        address: str = DEFAULT_ADDRESS,
        *,
        clock: Clock | None = None,
        link: LinkModel | None = None,
        device_info: dict[str, str] | None = None,
        timing: ToyTiming | None = None,
        seed: int = 0,
        name: str = gatt.LOCAL_NAME,
        rssi: int = -50,
        refuse_duplicate_names: bool = True,
        advertises_while_connected: bool = False,
    ) -> None:
        """Create a toy; see the module docstring for the behaviour each option changes."""
        self.address = address.upper()
        self.name = name
        self.rssi = rssi
        self.clock: Clock = clock if clock is not None else LoopClock()
        self.link_model = link if link is not None else LinkModel()
        self.timing = timing if timing is not None else ToyTiming()
        self.gatt = GattTable(device_info)
        self.refuse_duplicate_names = refuse_duplicate_names
        self.advertises_while_connected = advertises_while_connected
        self.rng = random.Random(seed)
        self.faults: Faults = Faults(seed)
        self.slots: SlotStore = SlotStore()
        self.transfer: FileTransfer = FileTransfer(self)
        self.antenna: tuple[int, int, int] | None = None
        self.eyes_on = True
        self.name_id: int | None = None
        self.moods: dict[int, int] = dict.fromkeys(MOOD_METERS, 50)
        self.played_actions: list[tuple[int, int, int, int]] = []
        self.group_active = True
        self.debug_screen = 0
        self.bodycam_on = False
        self.packet_acks = False
        self.glitched = False
        self.language = 0
        self.pressed: set[str] = set()
        self.orientation: str | None = "upright"
        self.writes: deque[HostWrite] = deque(maxlen=10_000)
        self.connect_count = 0
        self.disconnect_count = 0
        self._session: Session | None = None
        self._last_gp_write = self.clock.now()
        self._stream_handle: TimerHandle | None = None
        self._drop_handle: TimerHandle | None = None
        self._release_handles: set[TimerHandle] = set()
        self.faults._bind(self._apply_faults)

    # Radio presence -------------------------------------------------------------------------

    @property
    def is_connected(self) -> bool:
        """True while a central is connected."""
        return self._session is not None

    @property
    def session(self) -> Session | None:
        """The live connection, if any."""
        return self._session

    @property
    def advertising(self) -> bool:
        """True when a scanner would hear the toy's advertisements now."""
        if self.faults.out_of_range or self.faults.advertising_stopped:
            return False
        return self._session is None or self.advertises_while_connected

    @property
    def streaming(self) -> bool:
        """True while the ``20 0d`` sensor stream runs."""
        return self._stream_handle is not None

    @property
    def quiet(self) -> bool:
        """True while connected and kept in app mode by GeneralPlus traffic (§8)."""
        idle = self.clock.now() - self._last_gp_write
        return self._session is not None and idle < self.timing.quiet_timeout

    async def async_connect(self, central: Central) -> Session:
        """Accept a connection from ``central`` (after ``LinkModel.connect_seconds``)."""
        if self.faults.out_of_range:
            raise DeviceNotFoundError(f"{self.address} is out of range")
        if self._session is not None:
            raise ConnectionRefusedByToyError(f"{self.address} is connected to another central")
        if self.faults.consume_refusal():
            raise ConnectionRefusedByToyError(f"{self.address} refused the connection")
        session = Session(self, central, Link(self.link_model, self.clock, self.faults))
        self._session = session
        if self.link_model.connect_seconds > 0:
            try:
                await self.clock.sleep(self.link_model.connect_seconds)
            except BaseException:
                self._session = None
                session.link.close()
                raise
            if self._session is not session:
                raise LinkLostError(f"{self.address} dropped the link while connecting")
        self.connect_count += 1
        self._last_gp_write = self.clock.now()
        self._apply_faults()
        return session

    def close_session(self, session: Session, *, unsolicited: bool) -> None:
        """End ``session``; an unsolicited drop is reported to its central."""
        if self._session is not session:
            return
        session.connected = False
        session.link.close()
        self._session = None
        self.disconnect_count += 1
        self.stop_stream()
        self.transfer.on_disconnect()
        self.packet_acks = False
        if self._drop_handle is not None:
            self._drop_handle.cancel()
            self._drop_handle = None
        if unsolicited:
            session.central.on_link_lost()

    def drop_connection(self) -> None:
        """Drop the link now, from the toy's side (an unsolicited disconnect)."""
        if self._session is not None:
            self.close_session(self._session, unsolicited=True)

    def close(self) -> None:
        """Drop any connection and cancel every timer (test teardown)."""
        self.drop_connection()
        self.transfer.stop()
        for handle in self._release_handles:
            handle.cancel()
        self._release_handles.clear()

    def _apply_faults(self) -> None:
        if self._session is None:
            return
        if self.faults.out_of_range:
            self.drop_connection()
            return
        if self._drop_handle is not None:
            self._drop_handle.cancel()
            self._drop_handle = None
        if self.faults.drop_at is not None:
            delay = self.faults.drop_at - self.clock.now()
            self._drop_handle = self.clock.call_later(delay, self._drop_by_fault)

    def _drop_by_fault(self) -> None:
        self._drop_handle = None
        self.faults.drop_at = None
        self.drop_connection()

    # Host traffic -------------------------------------------------------------------------

    def on_host_write(self, uuid: str, data: bytes) -> None:
        """Act on bytes written by the host (called when they reach the toy)."""
        now = self.clock.now()
        self.writes.append(HostWrite(uuid, data, now))
        if uuid == gatt.GENERALPLUS_WRITE:
            self._last_gp_write = now
            handle_generalplus(self, data)
        elif uuid == gatt.NORDIC_WRITE:
            handle_nordic(self, data)
        elif uuid == gatt.FILE_WRITE:
            self.transfer.on_packet(data)

    def on_subscribed(self, session: Session, uuid: str) -> None:
        """Notifications were enabled; the first GeneralPlus subscription gets a snapshot."""
        if uuid == gatt.GENERALPLUS_LISTEN and not session.snapshot_sent:
            session.snapshot_sent = True
            self.notify_gp(self.sensor_packet())

    def notify_gp(self, payload: NotifyPayload) -> bool:
        """Notify on GeneralPlusListen; return whether the host will get it."""
        return self._session is not None and self._session.notify(gatt.GENERALPLUS_LISTEN, payload)

    def notify_nordic(self, payload: NotifyPayload) -> bool:
        """Notify on NordicListen; return whether the host will get it."""
        return self._session is not None and self._session.notify(gatt.NORDIC_LISTEN, payload)

    # Sensors --------------------------------------------------------------------------------

    def sensor_packet(self) -> bytes:
        """Return the ``21`` packet for the current sensor state."""
        return encode_sensor_packet(frozenset(self.pressed), self.orientation)

    def press(self, *interactions: str) -> None:
        """Start touching the toy (e.g. ``"tickle_tummy"``); sends a ``21`` packet."""
        names = {check_interaction(name) for name in interactions}
        if "tongue" in names - self.pressed:
            self.moods[3] = min(100, self.moods[3] + TONGUE_FULLNESS)
        self.pressed |= names
        self.notify_gp(self.sensor_packet())

    def release(self, *interactions: str) -> None:
        """Stop touching; sends a ``21`` packet."""
        self.pressed -= {check_interaction(name) for name in interactions}
        self.notify_gp(self.sensor_packet())

    def interact(self, interaction: str, seconds: float | None = None) -> None:
        """Press, then release after ``seconds`` of toy time (two ``21`` packets)."""
        self.press(interaction)
        hold = self.timing.interaction_seconds if seconds is None else seconds
        handle: TimerHandle | None = None

        def release() -> None:
            if handle is not None:
                self._release_handles.discard(handle)
            self.release(interaction)

        handle = self.clock.call_later(hold, release)
        self._release_handles.add(handle)

    def set_orientation(self, orientation: str | None) -> None:
        """Turn the toy (e.g. ``"upside_down"``); sends a ``21`` packet."""
        self.orientation = check_orientation(orientation)
        self.notify_gp(self.sensor_packet())

    def start_stream(self) -> None:
        """``20 0d``: send ``21`` packets every ``stream_interval`` until stopped."""
        if self._stream_handle is None:
            self._stream_handle = self.clock.call_later(self.timing.stream_interval, self._tick)

    def stop_stream(self) -> None:
        """``20 0e``: stop the sensor stream."""
        if self._stream_handle is not None:
            self._stream_handle.cancel()
            self._stream_handle = None

    def _tick(self) -> None:
        self.notify_gp(self.sensor_packet())
        self._stream_handle = self.clock.call_later(self.timing.stream_interval, self._tick)
