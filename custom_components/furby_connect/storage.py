"""Per-entry persistence of what the toy cannot tell us again (one ``Store`` per Furby).

Kept: the Device Information strings (so reconnects and restarts read nothing), the last antenna
colour and the last one that was not black (what turning the light on brings back), eyes, name
and moods this integration sent, the DLC slot table and the counters. A write comes
``SAVE_DELAY`` seconds after the first unsaved change, with the changes made meanwhile: a burst
gives one write per ``SAVE_DELAY``, and a crash loses at most that much. The value handed to
``Store.async_delay_save`` is a snapshot built on the event loop, because HA 2025.4 calls
``data_func`` in an executor thread.

Versions: 1.1 had no ``antenna_last_on``; 1.2 adds it, migrated from the antenna colour when
that was not black. A file that cannot be read, has the wrong shape or comes from another
version never fails setup: the readable fields are kept, the rest fall back to defaults, and a
warning is logged. A file of a newer major version (written by a later release, then
downgraded) is the exception to "repaired and written back": the entry runs on defaults in memory
and that file is never written over, so upgrading again finds it as it was.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, Final

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers import storage as ha_storage
from homeassistant.helpers.event import async_call_later
from homeassistant.helpers.storage import Store

from .const import COUNTERS, DOMAIN, SAVE_DELAY, STORAGE_MINOR_VERSION, STORAGE_VERSION
from .models import FurbyState, Rgb, SlotTable
from .protocol.commands import MOOD_MAX, NAME_ID_MAX, SLOT_COUNT, MoodMeter
from .protocol.device_info import DeviceInformation
from .protocol.notifications import SlotInfo

_LOGGER = logging.getLogger(__name__)

type StoredData = dict[str, Any]

_DEVICE_INFO_FIELDS = (
    "manufacturer",
    "model",
    "serial_number",
    "hardware_version",
    "firmware_version",
    "software_version",
)


def storage_key(entry_id: str) -> str:
    """Name of the storage file of one config entry."""
    return f"{DOMAIN}.{entry_id}"


class NewerStorageError(Exception):
    """The storage file was written by a newer major version of the integration."""

    def __init__(self, version: object) -> None:
        """Keep the version found for the warning."""
        super().__init__(f"written by a newer version ({version})")


_HA_NEWER_VERSION_ERROR: Final = getattr(ha_storage, "UnsupportedStorageVersionError", None)
_NEWER_VERSION_ERRORS: tuple[type[Exception], ...] = (
    (NewerStorageError, _HA_NEWER_VERSION_ERROR)
    if isinstance(_HA_NEWER_VERSION_ERROR, type) and issubclass(_HA_NEWER_VERSION_ERROR, Exception)
    else (NewerStorageError,)
)
"""How a newer major version shows when loading: ours (HA 2025.4 hands such a file to the
migration), or Home Assistant's own error (later versions refuse it before migrating)."""


class _FurbyStoreBackend(Store[StoredData]):
    """``Store`` that turns files of other versions into something ``parse_state`` can read."""

    async def _async_migrate_func(
        self, old_major_version: int, old_minor_version: int, old_data: object
    ) -> StoredData:
        """Carry older layouts over; refuse newer major versions (written by a later release).

        A newer minor version only adds fields, which are ignored; 1.1 gains ``antenna_last_on``.
        A newer major version raises ``NewerStorageError`` (the store must not save it over).
        """
        if old_major_version > STORAGE_VERSION:
            raise NewerStorageError(f"{old_major_version}.{old_minor_version}")
        if old_major_version < STORAGE_VERSION:
            _LOGGER.warning(
                "Storage %s has the old version %s.%s; keeping the fields that still fit",
                self.key,
                old_major_version,
                old_minor_version,
            )
        data = dict(old_data) if isinstance(old_data, dict) else {}
        if (old_major_version, old_minor_version) < (1, 2) and "antenna_last_on" not in data:
            antenna = data.get("antenna")
            lit = isinstance(antenna, list) and any(antenna)
            data["antenna_last_on"] = antenna if lit else None
        return data


class FurbyStore:
    """Load, save (delayed or at once) and remove the state file of one Furby."""

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        """Bind to the entry's storage file; nothing is read until ``async_load``."""
        self._store = _FurbyStoreBackend(
            hass, STORAGE_VERSION, storage_key(entry_id), minor_version=STORAGE_MINOR_VERSION
        )
        self._hass = hass
        # The newest state not written yet, and the timer that writes it SAVE_DELAY after the
        # first change that made it unsaved.
        self._unsaved: StoredData | None = None
        self._cancel_write: CALLBACK_TYPE | None = None
        self._read_only = False

    @property
    def key(self) -> str:
        """The storage key (file name under ``.storage``)."""
        return self._store.key

    async def async_load(self) -> FurbyState:
        """Return the stored state, or defaults (with a warning) when the file is unusable."""
        try:
            data = await self._store.async_load()
        except _NEWER_VERSION_ERRORS as err:
            self._read_only = True
            _LOGGER.warning(
                "Storage %s was %s; running on defaults and leaving the file as it is "
                "(nothing is saved until the integration is upgraded again)",
                self.key,
                err if isinstance(err, NewerStorageError) else "written by a newer version",
            )
            return FurbyState()
        except Exception as err:  # a broken file must never fail setup
            _LOGGER.warning(
                "Storage %s could not be read (%s: %s); starting from defaults",
                self.key,
                type(err).__name__,
                err,
            )
            return FurbyState()
        if data is None:
            return FurbyState()
        state, problems = parse_state(data)
        if problems:
            _LOGGER.warning(
                "Storage %s had unusable values for %s; using defaults for them",
                self.key,
                ", ".join(problems),
            )
            self.async_schedule_save(state)
        return state

    @callback
    def async_schedule_save(self, state: FurbyState) -> None:
        """Write ``state`` at most ``SAVE_DELAY`` seconds after the first unsaved change.

        Later changes join that write (it writes the newest state) instead of moving it, so a
        steady stream of changes is written every ``SAVE_DELAY`` seconds and a crash
        (``kill -9``) loses at most that much. The write has its own timer: ``Store``'s delayed
        write moves with every call (HA 2026 also re-arms an overdue one), so a busy burst would
        never land. ``Store.async_delay_save`` is still called, so a stop writes the newest state.
        Never for a file of a newer version (``async_load`` left it untouched on purpose).
        """
        if self._read_only:
            return
        snapshot = dump_state(state)
        self._unsaved = snapshot
        self._store.async_delay_save(_constant(snapshot), SAVE_DELAY)
        if self._cancel_write is None:
            self._cancel_write = async_call_later(self._hass, SAVE_DELAY, self._async_write_unsaved)

    async def _async_write_unsaved(self, _now: datetime) -> None:
        """Write the newest unsaved state (the timer of ``async_schedule_save``)."""
        self._cancel_write = None
        snapshot, self._unsaved = self._unsaved, None
        if snapshot is not None:
            await self._store.async_save(snapshot)

    @callback
    def _async_cancel_write(self) -> None:
        """Forget the timed write (an immediate write or a removal replaces it)."""
        if self._cancel_write is not None:
            self._cancel_write()
            self._cancel_write = None
        self._unsaved = None

    async def async_save(self, state: FurbyState) -> None:
        """Write ``state`` now, replacing any pending delayed write (used on unload).

        Never for a file of a newer version (see ``async_schedule_save``).
        """
        self._async_cancel_write()
        if self._read_only:
            return
        await self._store.async_save(dump_state(state))

    async def async_remove(self) -> None:
        """Delete the file and forget any pending write (used when the entry is removed)."""
        self._async_cancel_write()
        await self._store.async_remove()


def _constant(snapshot: StoredData) -> Callable[[], StoredData]:
    """Wrap a snapshot taken now as a ``data_func`` (safe in an executor thread)."""
    return lambda: snapshot


def dump_state(state: FurbyState) -> StoredData:
    """Turn the persisted part of ``state`` into a fresh JSON-ready dict."""
    info = state.device_info
    slots = state.slots
    return {
        "device_info": (
            None if info is None else {name: getattr(info, name) for name in _DEVICE_INFO_FIELDS}
        ),
        "antenna": None if state.antenna is None else list(state.antenna),
        "antenna_last_on": None if state.antenna_last_on is None else list(state.antenna_last_on),
        "eyes_on": state.eyes_on,
        "name_id": state.name_id,
        "moods": {meter.name.lower(): value for meter, value in sorted(state.moods.items())},
        "slots": (
            None
            if slots is None
            else {
                "filled": sorted(slots.filled),
                "active": sorted(slots.active),
                "info": [
                    {
                        "slot": item.slot,
                        "name": item.name,
                        "length": item.length,
                        "adler32": item.adler32,
                    }
                    for _, item in sorted(slots.info.items())
                ],
            }
        ),
        "counters": {name: state.counters.get(name, 0) for name in COUNTERS},
    }


class _Invalid(ValueError):
    """A stored value of the wrong type or range."""


def _int(value: object, low: int, high: int) -> int:
    """Return ``value`` if it is an int (not a bool) within ``[low, high]``."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise _Invalid(value)
    return value


def _optional_str(value: object) -> str | None:
    """Return a string or ``None``."""
    if value is None or isinstance(value, str):
        return value
    raise _Invalid(value)


def _parse_device_info(value: object) -> DeviceInformation | None:
    """Read the Device Information strings, or ``None`` when never read."""
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise _Invalid(value)
    return DeviceInformation(
        **{name: _optional_str(value.get(name)) for name in _DEVICE_INFO_FIELDS}
    )


def _parse_color(value: object) -> Rgb | None:
    """Read an ``[r, g, b]`` list of bytes."""
    if value is None:
        return None
    if not isinstance(value, list) or len(value) != 3:
        raise _Invalid(value)
    red, green, blue = (_int(channel, 0, 255) for channel in value)
    return red, green, blue


def _parse_lit_color(value: object) -> Rgb | None:
    """Read an ``[r, g, b]`` list of bytes that is not black."""
    color = _parse_color(value)
    if color is not None and not any(color):
        raise _Invalid(value)
    return color


def _parse_eyes(value: object) -> bool | None:
    """Read ``True``, ``False`` or ``None``."""
    if value is None or isinstance(value, bool):
        return value
    raise _Invalid(value)


def _parse_name_id(value: object) -> int | None:
    """Read a name id 0-128 (docs/protocol.md §7.3)."""
    return None if value is None else _int(value, 0, NAME_ID_MAX)


def _parse_moods(value: object) -> dict[MoodMeter, int]:
    """Read mood values 0-100 keyed by lower-case meter name (§7.4)."""
    if not isinstance(value, Mapping):
        raise _Invalid(value)
    moods: dict[MoodMeter, int] = {}
    for name, level in value.items():
        if not isinstance(name, str) or name.upper() not in MoodMeter.__members__:
            raise _Invalid(name)
        moods[MoodMeter[name.upper()]] = _int(level, 0, MOOD_MAX)
    return moods


def _slot_set(value: object) -> frozenset[int]:
    """Read a list of slot numbers 0-13 (§4.4)."""
    if not isinstance(value, list):
        raise _Invalid(value)
    return frozenset(_int(slot, 0, SLOT_COUNT - 1) for slot in value)


def _parse_slots(value: object) -> SlotTable | None:
    """Read the slot table, or ``None`` when it was never read."""
    if value is None:
        return None
    if not isinstance(value, Mapping) or not isinstance(info := value.get("info", []), list):
        raise _Invalid(value)
    details: dict[int, SlotInfo] = {}
    for item in info:
        if not isinstance(item, Mapping) or not isinstance(name := item.get("name"), str):
            raise _Invalid(item)
        slot = _int(item.get("slot"), 0, SLOT_COUNT - 1)
        details[slot] = SlotInfo(
            slot=slot,
            name=name,
            length=_int(item.get("length"), 0, 2**24 - 1),
            adler32=_int(item.get("adler32"), 0, 2**32 - 1),
        )
    return SlotTable(
        filled=_slot_set(value.get("filled")), active=_slot_set(value.get("active")), info=details
    )


def _parse_counters(value: object) -> dict[str, int]:
    """Read the non-negative counters; unknown names are dropped."""
    if not isinstance(value, Mapping):
        raise _Invalid(value)
    return {name: _int(value.get(name, 0), 0, 2**63 - 1) for name in COUNTERS}


_PARSERS: dict[str, Callable[[object], Any]] = {
    "device_info": _parse_device_info,
    "antenna": _parse_color,
    "antenna_last_on": _parse_lit_color,
    "eyes_on": _parse_eyes,
    "name_id": _parse_name_id,
    "moods": _parse_moods,
    "slots": _parse_slots,
    "counters": _parse_counters,
}
"""How each stored field is read back; the keys are ``FurbyState`` field names."""


def parse_state(data: object) -> tuple[FurbyState, list[str]]:
    """Rebuild a state from stored data; returns it and the names of fields that were unusable.

    Missing fields take their defaults silently (a newer minor version may add fields);
    present but invalid ones take their defaults and are reported.
    """
    if not isinstance(data, Mapping):
        return FurbyState(), ["the whole file"]
    values: dict[str, Any] = {}
    problems: list[str] = []
    for key, parse in _PARSERS.items():
        if key not in data:
            continue
        try:
            values[key] = parse(data[key])
        except _Invalid:
            problems.append(key)
    return FurbyState(**values), problems
