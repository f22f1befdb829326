"""The toys act alive: now and then a simulated interaction, so events and the log move.

A seeded random generator picks when (uniformly between half and one and a half times the mean
interval), which connected toy, and what happens: a tongue press, a tickle, a tail pull or a tilt
(turned back upright a few seconds later). The same seed gives the same sequence of choices.
"""

from __future__ import annotations

import logging
import random
from datetime import datetime
from typing import Final

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.event import async_call_later

from virtual_furby import VirtualFurby

_LOGGER = logging.getLogger(__name__)

PRESSES: Final = (
    "tongue",
    "tickle_back",
    "tickle_tummy",
    "tickle_left",
    "tickle_right",
    "tail_pull",
    "antenna_left",
    "antenna_right",
)
TILTS: Final = ("tilted_left", "tilted_right", "leaning_back", "upside_down", "on_left_side")
TILT: Final = "tilt"


class ToyLife:
    """Schedules simulated interactions on the connected toys."""

    def __init__(
        self, hass: HomeAssistant, toys: list[VirtualFurby], *, interval: float, seed: int
    ) -> None:
        """Prepare (nothing runs before :meth:`start`); ``interval`` is the mean gap in seconds."""
        self._hass = hass
        self._toys = toys
        self._interval = interval
        self._rng = random.Random(seed)
        self._next: CALLBACK_TYPE | None = None
        self._upright: dict[str, CALLBACK_TYPE] = {}

    @callback
    def start(self) -> None:
        """Start scheduling (a no-op when the interval is 0)."""
        if self._interval > 0 and self._next is None:
            self._schedule()

    @callback
    def stop(self) -> None:
        """Stop scheduling and cancel pending returns to upright."""
        if self._next is not None:
            self._next()
            self._next = None
        for cancel in self._upright.values():
            cancel()
        self._upright.clear()

    @callback
    def _schedule(self) -> None:
        delay = self._rng.uniform(0.5, 1.5) * self._interval
        self._next = async_call_later(self._hass, delay, self._act)

    @callback
    def _act(self, _now: datetime) -> None:
        self._next = None
        self._schedule()
        choice = self._rng.choice((*PRESSES, TILT, TILT))
        connected = [toy for toy in self._toys if toy.is_connected]
        if not connected:
            return
        toy = self._rng.choice(connected)
        if choice == TILT:
            self.tilt(toy, self._rng.choice(TILTS), self._rng.uniform(2.0, 5.0))
        else:
            _LOGGER.debug("%s: simulated %s", toy.address, choice)
            toy.interact(choice, self._rng.uniform(0.3, 1.5))

    @callback
    def tilt(self, toy: VirtualFurby, orientation: str, seconds: float) -> None:
        """Turn ``toy`` to ``orientation`` and back upright after ``seconds``."""
        _LOGGER.debug("%s: simulated tilt %s for %.1f s", toy.address, orientation, seconds)
        toy.set_orientation(orientation)
        if (pending := self._upright.pop(toy.address, None)) is not None:
            pending()

        @callback
        def upright(_now: datetime) -> None:
            self._upright.pop(toy.address, None)
            toy.set_orientation("upright")

        self._upright[toy.address] = async_call_later(self._hass, seconds, upright)
