"""Host-side action sequences: the toy has no sequence opcode (PROTOCOL.md §3.3).

A sequence is a list of actions with a delay after each. It runs as a background task of the
Furby's config entry (so unloading the entry cancels it), at most one per Furby: starting a new
one cancels the one playing. Delays are Home Assistant event-loop timers (``async_call_later``),
so tests drive them with ``async_fire_time_changed``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.event import async_call_later

from .coordinator import FurbyConfigEntry, FurbyCoordinator

_LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ActionStep:
    """One step: an action (later fields ``None`` = chosen by the toy) and the pause after it."""

    input: int
    index: int | None = None
    subindex: int | None = None
    specific: int | None = None
    delay: float = 0.0
    """Seconds to wait before the next step; the last step's delay is not waited."""


async def async_wait(hass: HomeAssistant, seconds: float) -> None:
    """Wait ``seconds`` on a Home Assistant timer (cancellable; the timer is always removed)."""
    done: asyncio.Future[None] = hass.loop.create_future()

    @callback
    def _elapsed(_now: datetime) -> None:
        if not done.done():
            done.set_result(None)

    cancel = async_call_later(hass, seconds, _elapsed)
    try:
        await done
    finally:
        cancel()


class SequenceRunner:
    """Plays at most one sequence per Furby (config entry)."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Start with no sequence playing."""
        self._hass = hass
        self._tasks: dict[str, asyncio.Task[None]] = {}

    def is_playing(self, entry_id: str) -> bool:
        """Return whether a sequence is playing on the Furby of ``entry_id``."""
        task = self._tasks.get(entry_id)
        return task is not None and not task.done()

    async def async_play(self, entry: FurbyConfigEntry, steps: Sequence[ActionStep]) -> None:
        """Start ``steps`` on the entry's Furby, replacing the sequence playing there, if any.

        The old sequence is cancelled before the new one starts, so their steps never interleave;
        this returns once the old one has finished unwinding, while the new one plays on.
        """
        previous = self._tasks.pop(entry.entry_id, None)
        if previous is not None:
            previous.cancel()
        task = entry.async_create_background_task(
            self._hass,
            self._async_run(entry.runtime_data, tuple(steps)),
            f"furby_connect sequence {entry.entry_id}",
        )
        if not task.done():
            self._tasks[entry.entry_id] = task
            task.add_done_callback(lambda done: self._forget(entry.entry_id, done))
        if previous is not None:
            await asyncio.wait({previous})

    async def async_stop(self, entry_id: str) -> bool:
        """Cancel the sequence playing on the entry's Furby; return whether one was playing."""
        task = self._tasks.pop(entry_id, None)
        if task is None or task.done():
            return False
        task.cancel()
        await asyncio.wait({task})
        return True

    def _forget(self, entry_id: str, task: asyncio.Task[None]) -> None:
        """Drop a finished task unless a newer sequence has taken its place."""
        if self._tasks.get(entry_id) is task:
            del self._tasks[entry_id]

    async def _async_run(
        self, coordinator: FurbyCoordinator, steps: tuple[ActionStep, ...]
    ) -> None:
        """Send each step through the coordinator, waiting each delay; stop at the first failure."""
        for number, step in enumerate(steps, start=1):
            try:
                await coordinator.async_trigger_action(
                    step.input, step.index, step.subindex, step.specific
                )
            except HomeAssistantError as err:
                _LOGGER.warning(
                    "Sequence on %s stopped at step %d of %d: %s",
                    coordinator.address,
                    number,
                    len(steps),
                    err,
                )
                return
            if number < len(steps) and step.delay > 0:
                await async_wait(self._hass, step.delay)
        _LOGGER.debug("Sequence of %d steps on %s finished", len(steps), coordinator.address)
