"""Host-side action sequences: the toy has no sequence opcode (docs/protocol.md §3.3).

A sequence is a list of actions with a delay after each. Each Furby has one
``FurbySequenceRunner`` (``entry.runtime_data.sequences``); it plays the sequence as a
background task of the Furby's config entry (so unloading the entry cancels it), at most one at
a time: starting a new one cancels the one playing. Delays are Home Assistant timers
(``async_call_later``), so tests drive them with ``async_fire_time_changed``.
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

from .coordinator import FurbyCoordinator

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


class FurbySequenceRunner:
    """Plays at most one sequence on one Furby."""

    def __init__(self, coordinator: FurbyCoordinator) -> None:
        """Start with no sequence playing on the coordinator's Furby."""
        self._coordinator = coordinator
        self._task: asyncio.Task[None] | None = None

    @property
    def playing(self) -> bool:
        """Whether a sequence is playing."""
        return self._task is not None and not self._task.done()

    async def async_play(self, steps: Sequence[ActionStep]) -> None:
        """Start ``steps``, replacing the sequence playing, if any.

        The old sequence is cancelled before the new one starts, so their steps never interleave;
        this returns once the old one has finished unwinding, while the new one plays on.
        """
        previous = self._task
        if previous is not None:
            previous.cancel()
        coordinator = self._coordinator
        self._task = coordinator.entry.async_create_background_task(
            coordinator.hass,
            self._async_run(tuple(steps)),
            f"furby_connect sequence {coordinator.address}",
        )
        if previous is not None:
            await asyncio.wait({previous})

    async def async_stop(self) -> bool:
        """Cancel the sequence playing; return whether one was playing."""
        task, self._task = self._task, None
        if task is None or task.done():
            return False
        task.cancel()
        await asyncio.wait({task})
        return True

    async def _async_run(self, steps: tuple[ActionStep, ...]) -> None:
        """Send each step through the coordinator, waiting each delay; stop at the first failure."""
        coordinator = self._coordinator
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
                await async_wait(coordinator.hass, step.delay)
        _LOGGER.debug("Sequence of %d steps on %s finished", len(steps), coordinator.address)
