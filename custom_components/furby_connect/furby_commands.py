"""``FurbyCommands``: every command a Furby takes, each one call of ``_async_command``.

``_async_command`` is the one path of a command: run it on the link, record what was sent (the
toy cannot report its antenna colour, eyes, name, moods or slots back), count it, save the state
(delayed), tell the listeners which parts changed and log it; a failure is logged and raised as
the translated error the link gave. ``FurbyCoordinator`` (``coordinator.py``) is the only
subclass: it provides the state, the link and the listeners.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from homeassistant.exceptions import HomeAssistantError

from .const import COUNTER_ACTIONS_SENT
from .executor import ClientCall
from .models import FurbyChange, FurbyState, LogKind, LogLevel, Rgb, SlotTable
from .protocol.client import FurbyClient
from .protocol.commands import MOOD_MAX, MoodMeter


def _nothing[T](_result: T) -> FurbyChange:
    """Record nothing about a command (it changes nothing the integration keeps)."""
    return FurbyChange(0)


class FurbyCommands(ABC):
    """The commands of one Furby (see the module docstring)."""

    state: FurbyState

    @abstractmethod
    async def async_execute[T](self, func: ClientCall[T]) -> T:
        """Run ``func`` on the link, one call at a time, with translated failures."""

    @abstractmethod
    def _async_changed(self, changed: FurbyChange) -> None:
        """Save the state (delayed) and tell the listeners following ``changed``."""

    @abstractmethod
    def async_log(
        self, level: LogLevel, kind: LogKind, text: str, data: Mapping[str, Any] | None = None
    ) -> None:
        """Hand a log entry to the log listeners."""

    async def _async_command[T](
        self,
        command: str,
        send: Callable[[FurbyClient], Awaitable[T]],
        *,
        record: Callable[[T], FurbyChange] = _nothing,
        details: Mapping[str, Any] | None = None,
        count: bool = True,
    ) -> T:
        """Run one command: send it, record what it changed, count it, save, notify and log."""
        data = {"command": command, **(details or {})}
        try:
            result = await self.async_execute(send)
        except HomeAssistantError as err:
            self.async_log(
                LogLevel.ERROR,
                LogKind.ERROR,
                f"{command} failed: {err}",
                {**data, "error": err.translation_key},
            )
            raise
        changed = record(result)
        if count:
            self.state.counters[COUNTER_ACTIONS_SENT] += 1
            changed |= FurbyChange.COUNTERS
        self._async_changed(changed)
        self.async_log(LogLevel.INFO, LogKind.COMMAND, _describe(command, details), data)
        return result

    async def async_set_antenna(self, red: int, green: int, blue: int) -> None:
        """Set the antenna colour (all zero: off) and remember it."""
        color: Rgb = (red, green, blue)

        def record(_result: None) -> FurbyChange:
            self.state.antenna = color
            if any(color):
                self.state.antenna_last_on = color
            return FurbyChange.ANTENNA

        await self._async_command(
            "set_antenna",
            lambda client: client.set_antenna(red, green, blue),
            record=record,
            details={"red": red, "green": green, "blue": blue},
        )

    async def async_set_eyes(self, on: bool) -> None:
        """Switch the LCD eyes on or off (the toy confirms) and remember it."""

        def record(_result: None) -> FurbyChange:
            self.state.eyes_on = on
            return FurbyChange.EYES

        await self._async_command(
            "set_eyes", lambda client: client.set_eyes(on), record=record, details={"on": on}
        )

    async def async_trigger_action(
        self,
        input: int,
        index: int | None = None,
        subindex: int | None = None,
        specific: int | None = None,
    ) -> None:
        """Play an action; a refusal by the toy (out of range) raises ``command_refused``."""
        await self._async_command(
            "trigger_action",
            lambda client: client.trigger_action(input, index, subindex, specific, confirm=True),
            details={"input": input, "index": index, "subindex": subindex, "specific": specific},
        )

    async def async_set_name(self, name_id: int) -> None:
        """Rename the Furby (it says the new name) and remember the name id."""

        def record(_result: None) -> FurbyChange:
            self.state.name_id = name_id
            return FurbyChange.NAME

        await self._async_command(
            "set_name",
            lambda client: client.set_name(name_id),
            record=record,
            details={"name_id": name_id},
        )

    async def async_set_mood(self, meter: MoodMeter, value: int, *, add: bool = False) -> None:
        """Set a mood meter (or add to it) and remember the resulting level when known."""
        moods = self.state.moods

        def record(_result: None) -> FurbyChange:
            if not add:
                moods[meter] = value
            elif meter in moods:
                moods[meter] = min(MOOD_MAX, moods[meter] + value)
            return FurbyChange.MOODS

        await self._async_command(
            "set_mood",
            lambda client: client.set_mood(meter, value, add=add),
            record=record,
            details={"meter": meter.name.lower(), "value": value, "add": add},
        )

    async def async_cycle_debug_screen(self) -> None:
        """Show the next LCD debug screen."""
        await self._async_command("cycle_debug_screen", lambda client: client.cycle_debug_screen())

    def _record_slots(self, table: SlotTable) -> FurbyChange:
        """Keep a freshly read slot table."""
        self.state.slots = table
        return FurbyChange.SLOTS

    async def async_refresh_slots(self) -> SlotTable:
        """Read the slot table: ``72``, then ``73`` for each slot filled or active."""
        return await self._async_command(
            "get_slots", read_slot_table, record=self._record_slots, count=False
        )

    async def _async_slot_command(
        self, command: str, slot: int | None, func: Callable[[FurbyClient], Awaitable[object]]
    ) -> None:
        """Run a slot command, then re-read the slot table in the same turn."""

        async def run(client: FurbyClient) -> SlotTable:
            await func(client)
            return await read_slot_table(client)

        details = None if slot is None else {"slot": slot}
        await self._async_command(command, run, record=self._record_slots, details=details)

    async def async_load_dlc(self, slot: int) -> None:
        """Load the DLC in ``slot`` (waits for the toy's ``dc`` report)."""
        await self._async_slot_command("load_dlc", slot, lambda client: client.load_slot(slot))

    async def async_activate_dlc(self) -> None:
        """Activate the loaded DLC."""
        await self._async_slot_command("activate_dlc", None, lambda c: c.activate_slot())

    async def async_deactivate_dlc(self, slot: int) -> None:
        """Deactivate the DLC in ``slot``."""
        await self._async_slot_command(
            "deactivate_dlc", slot, lambda client: client.deactivate_slot(slot)
        )

    async def async_delete_dlc(self, slot: int) -> None:
        """Delete the contents of ``slot``."""
        await self._async_slot_command("delete_dlc", slot, lambda c: c.delete_slot(slot))


def _describe(command: str, details: Mapping[str, Any] | None) -> str:
    """One line for the log: the command and its arguments."""
    if not details:
        return command
    return f"{command} " + ", ".join(f"{key}={value}" for key, value in details.items())


async def read_slot_table(client: FurbyClient) -> SlotTable:
    """Query ``72``, then ``73`` for each slot filled or active (docs/protocol.md §4.4)."""
    slots = await client.get_slots()
    info = {slot: await client.get_slot_info(slot) for slot in sorted(slots.filled | slots.active)}
    return SlotTable(filled=slots.filled, active=slots.active, info=info)
