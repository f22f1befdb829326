"""The virtual Furby Connect: the toy's state machine behind its GATT table.

It answers the commands of docs/protocol.md §3 with the notifications of §4 (§11, "Simulator
checklist"); command bytes are parsed here, independently of the integration's encoders, so a
mistake on either side shows up in tests. Timing comes from a :class:`~virtual_furby.clock.Clock`,
a :class:`~virtual_furby.radio.RadioModel` and an :class:`~virtual_furby.intake.IntakeModel`; the
ack reading from an :class:`~virtual_furby.acks.AckModel`; failures from
:class:`~virtual_furby.faults.Faults` (docs/simulator.md).

The toy is assembled from small parts: a :class:`~virtual_furby.state.ToyState` the command
handlers change through a :class:`~virtual_furby.state.CommandContext`, the
:class:`~virtual_furby.slots.SlotStore`, the :class:`~virtual_furby.file_transfer.FileTransfer`
(which sees the clock, the slots, a notifier and the faults, not the toy), and a
:class:`~virtual_furby.session.Session` per connection. The toy implements the session's
``Peripheral`` interface and the handlers' ``Notifier`` and ``ToyControl`` interfaces.

Behaviour the sources leave open, chosen here (documented where implemented): the toy takes one
central at a time and stops advertising while connected; after the host subscribes to
GeneralPlusListen it sends a ``21`` sensor snapshot (bluefluff issue #7 saw one right after
connecting); it leaves its quiet "app mode" after ``ToyTiming.quiet_timeout`` seconds without a
GeneralPlus write (§8: without periodic traffic it starts talking again).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Final, overload

from custom_components.furby_connect.protocol import gatt

from .acks import AckModel
from .clock import Clock, LoopClock, TimerHandle
from .errors import ConnectionRefusedByToyError, DeviceNotFoundError, LinkLostError
from .faults import Faults
from .file_transfer import FileTransfer
from .gatt_table import GattTable
from .generalplus import handle_generalplus
from .intake import IntakeModel
from .link import LinkModel
from .nordic import handle_nordic
from .radio import NotifyPayload, RadioModel
from .sensors import check_interaction, check_orientation, encode_sensor_packet
from .session import Central, Session
from .slots import SlotStore
from .state import CommandContext, ToyState
from .write_log import HostWrite, WriteLog

__all__ = ["DEFAULT_ADDRESS", "HostWrite", "ToyTiming", "VirtualFurby"]

DEFAULT_ADDRESS: Final = "F1:23:45:67:89:AB"
"""A random static address (top two bits set), like the one seen in bluefluff issue #7 (§1)."""

TONGUE_FULLNESS: Final = 5
"""Feeding (pushing the tongue) adds 5 to fullness (bluefluff README, §7.4)."""

FULLNESS: Final = 3
"""The fullness meter's id (§3.1)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ToyTiming:
    """The toy's own timers (none of them is published; these are reasonable guesses)."""

    file_timeout: float = 10.0
    """Seconds the toy waits for a FileWrite packet before an upload ends with ``24 03``."""
    stream_interval: float = 0.1
    """Seconds between ``21`` packets while the ``20 0d`` sensor stream runs."""
    quiet_timeout: float = 10.0
    """Seconds without a GeneralPlus write before the toy leaves its quiet app mode."""
    interaction_seconds: float = 0.5
    """How long :meth:`VirtualFurby.interact` holds a sensor by default."""


class _StateAlias[T]:
    """A toy attribute that reads and writes the same field of ``toy.state`` (for tests)."""

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    @overload
    def __get__(self, toy: None, owner: type) -> _StateAlias[T]: ...
    @overload
    def __get__(self, toy: VirtualFurby, owner: type) -> T: ...
    def __get__(self, toy: VirtualFurby | None, owner: type) -> T | _StateAlias[T]:
        if toy is None:
            return self
        value: T = getattr(toy.state, self._name)
        return value

    def __set__(self, toy: VirtualFurby, value: T) -> None:
        setattr(toy.state, self._name, value)


class VirtualFurby:
    """A simulated Furby Connect with inspectable state."""

    antenna = _StateAlias[tuple[int, int, int] | None]()
    eyes_on = _StateAlias[bool]()
    name_id = _StateAlias[int | None]()
    moods = _StateAlias[dict[int, int]]()
    played_actions = _StateAlias[list[tuple[int, int, int, int]]]()
    group_active = _StateAlias[bool]()
    debug_screen = _StateAlias[int]()
    bodycam_on = _StateAlias[bool]()
    glitched = _StateAlias[bool]()
    language = _StateAlias[int]()
    pressed = _StateAlias[set[str]]()
    orientation = _StateAlias[str | None]()

    def __init__(
        self,
        address: str = DEFAULT_ADDRESS,
        *,
        clock: Clock | None = None,
        radio: RadioModel | None = None,
        intake: IntakeModel | None = None,
        acks: AckModel = AckModel.BACKLOG_AND_DRAIN,
        link: LinkModel | None = None,
        device_info: dict[str, str] | None = None,
        timing: ToyTiming | None = None,
        seed: int = 0,
        name: str = gatt.LOCAL_NAME,
        rssi: int = -50,
        refuse_duplicate_names: bool = True,
        advertises_while_connected: bool = False,
    ) -> None:
        """Create a toy; see the module docstring for the behaviour each option changes.

        ``link`` (the combined model of earlier versions) fills in ``radio`` and ``intake`` when
        they are not given.
        """
        self.address = address.upper()
        self.name = name
        self.rssi = rssi
        self.clock: Clock = clock if clock is not None else LoopClock()
        self.radio = radio or (link.radio if link is not None else RadioModel())
        self._timing = timing if timing is not None else ToyTiming()
        self.gatt = GattTable(device_info)
        self.advertises_while_connected = advertises_while_connected
        self.rng = random.Random(seed)
        self.state = ToyState()
        self.faults: Faults = Faults(seed)
        self.slots: SlotStore = SlotStore()
        self.transfer: FileTransfer = FileTransfer(
            clock=self.clock,
            slots=self.slots,
            notifier=self,
            faults=self.faults,
            intake=intake or (link.intake if link is not None else IntakeModel()),
            acks=acks,
            file_timeout=self._timing.file_timeout,
            refuse_duplicate_names=refuse_duplicate_names,
            seed=seed,
        )
        self.commands = CommandContext(self.state, self.slots, self.transfer, self, self, self.rng)
        self.writes = WriteLog()
        self.connect_count = 0
        self.disconnect_count = 0
        self._session: Session | None = None
        self._last_gp_write = self.clock.now()
        self._stream_handle: TimerHandle | None = None
        self._drop_handle: TimerHandle | None = None
        self._release_handles: set[TimerHandle] = set()
        self._intake_stalled = False
        self.faults._bind(self._apply_faults)

    # Models ---------------------------------------------------------------------------------

    @property
    def intake(self) -> IntakeModel:
        """How the toy takes in FileWrite packets."""
        return self.transfer.intake_model

    @intake.setter
    def intake(self, model: IntakeModel) -> None:
        self.transfer.intake_model = model

    @property
    def acks(self) -> AckModel:
        """Which reading of the ``09 NN`` acks the toy follows."""
        return self.transfer.acks.model

    @acks.setter
    def acks(self, model: AckModel) -> None:
        self.transfer.acks.model = model

    @property
    def link_model(self) -> LinkModel:
        """The radio and intake as one combined model (the interface of earlier versions)."""
        return LinkModel.from_parts(self.radio, self.intake)

    @link_model.setter
    def link_model(self, model: LinkModel) -> None:
        self.radio = model.radio
        self.intake = model.intake

    @property
    def timing(self) -> ToyTiming:
        """The toy's own timers."""
        return self._timing

    @timing.setter
    def timing(self, timing: ToyTiming) -> None:
        self._timing = timing
        self.transfer.file_timeout = timing.file_timeout

    @property
    def refuse_duplicate_names(self) -> bool:
        """Whether an announce of a name a finished slot holds is refused with ``24 01``."""
        return self.transfer.refuse_duplicate_names

    @refuse_duplicate_names.setter
    def refuse_duplicate_names(self, refuse: bool) -> None:
        self.transfer.refuse_duplicate_names = refuse

    @property
    def packet_acks(self) -> bool:
        """True while ``09 NN`` acks are switched on (``09 01 00``)."""
        return self.transfer.acks.enabled

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
        return self._session is not None and idle < self._timing.quiet_timeout

    async def async_connect(self, central: Central) -> Session:
        """Accept a connection from ``central`` (after ``RadioModel.connect_seconds``)."""
        if self.faults.out_of_range:
            raise DeviceNotFoundError(f"{self.address} is out of range")
        if self._session is not None:
            raise ConnectionRefusedByToyError(f"{self.address} is connected to another central")
        if self.faults.consume_refusal():
            raise ConnectionRefusedByToyError(f"{self.address} refused the connection")
        session = Session(self, central, radio=self.radio, clock=self.clock, faults=self.faults)
        self._session = session
        if self.radio.connect_seconds > 0:
            try:
                await self.clock.sleep(self.radio.connect_seconds)
            except BaseException:
                self._session = None
                session.radio.close()
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
        session.radio.close()
        self._session = None
        self.disconnect_count += 1
        self.stop_stream()
        self.transfer.on_disconnect()
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
        if self.faults.intake_stalled != self._intake_stalled:
            self._intake_stalled = self.faults.intake_stalled
            if self._intake_stalled:
                self.transfer.stall_intake()
            else:
                self.transfer.resume_intake()
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

    # Host traffic ---------------------------------------------------------------------------

    def on_host_write(self, uuid: str, data: bytes) -> bool:
        """Act on bytes written by the host; False when a FileWrite must wait (buffer full)."""
        now = self.clock.now()
        if uuid == gatt.FILE_WRITE:
            transfer = self.transfer
            if not transfer.can_take():
                return False
            self.writes.append(uuid, data, now)
            transfer.on_packet(data)
            return True
        self.writes.append(uuid, data, now)
        if uuid == gatt.GENERALPLUS_WRITE:
            self._last_gp_write = now
            handle_generalplus(self.commands, data)
        elif uuid == gatt.NORDIC_WRITE:
            handle_nordic(self.commands, data)
        return True

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
        return encode_sensor_packet(frozenset(self.state.pressed), self.state.orientation)

    def press(self, *interactions: str) -> None:
        """Start touching the toy (e.g. ``"tickle_tummy"``); sends a ``21`` packet."""
        state = self.state
        names = {check_interaction(name) for name in interactions}
        if "tongue" in names - state.pressed:
            state.moods[FULLNESS] = min(100, state.moods[FULLNESS] + TONGUE_FULLNESS)
        state.pressed |= names
        self.notify_gp(self.sensor_packet())

    def release(self, *interactions: str) -> None:
        """Stop touching; sends a ``21`` packet."""
        self.state.pressed -= {check_interaction(name) for name in interactions}
        self.notify_gp(self.sensor_packet())

    def interact(self, interaction: str, seconds: float | None = None) -> None:
        """Press, then release after ``seconds`` of toy time (two ``21`` packets)."""
        self.press(interaction)
        hold = self._timing.interaction_seconds if seconds is None else seconds
        handle: TimerHandle | None = None

        def release() -> None:
            if handle is not None:
                self._release_handles.discard(handle)
            self.release(interaction)

        handle = self.clock.call_later(hold, release)
        self._release_handles.add(handle)

    def set_orientation(self, orientation: str | None) -> None:
        """Turn the toy (e.g. ``"upside_down"``); sends a ``21`` packet."""
        self.state.orientation = check_orientation(orientation)
        self.notify_gp(self.sensor_packet())

    def start_stream(self) -> None:
        """``20 0d``: send ``21`` packets every ``stream_interval`` until stopped."""
        if self._stream_handle is None:
            self._stream_handle = self.clock.call_later(self._timing.stream_interval, self._tick)

    def stop_stream(self) -> None:
        """``20 0e``: stop the sensor stream."""
        if self._stream_handle is not None:
            self._stream_handle.cancel()
            self._stream_handle = None

    def _tick(self) -> None:
        self.notify_gp(self.sensor_packet())
        self._stream_handle = self.clock.call_later(self._timing.stream_interval, self._tick)
