"""Counting state writes per entity, through Home Assistant's own state events.

An entity's ``async_write_ha_state`` ends in ``hass.states.async_set``, which fires
``state_changed`` when the state or an attribute changed and ``state_reported`` when nothing
did. Counting both counts every write, whatever it wrote.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

from homeassistant.const import EVENT_STATE_CHANGED, EVENT_STATE_REPORTED
from homeassistant.core import Event, HomeAssistant, callback


class StateWrites:
    """Every state write of the watched entities, in order, until ``stop()``."""

    def __init__(self, hass: HomeAssistant, entity_ids: set[str]) -> None:
        """Start recording writes of ``entity_ids``."""
        self.entity_ids = entity_ids
        self.log: list[tuple[str, Mapping[str, Any]]] = []
        """``(entity_id, attributes)`` of each write, in order."""

        @callback
        def watched(event_data: Mapping[str, Any]) -> bool:
            return event_data.get("entity_id") in entity_ids

        @callback
        def record(event: Event[Any]) -> None:
            new_state = event.data.get("new_state")
            attributes = getattr(new_state, "attributes", {})
            self.log.append((str(event.data["entity_id"]), attributes))

        self._removers: list[Callable[[], None]] = [
            hass.bus.async_listen(EVENT_STATE_CHANGED, record, event_filter=watched),
            hass.bus.async_listen(EVENT_STATE_REPORTED, record, event_filter=watched),
        ]

    def mark(self) -> int:
        """The position of the next write (for ``since``)."""
        return len(self.log)

    def since(self, start: int, end: int | None = None) -> Counter[str]:
        """Writes per entity from position ``start`` up to ``end`` (default: now)."""
        counts: Counter[str] = Counter(dict.fromkeys(self.entity_ids, 0))
        counts.update(entity for entity, _ in self.log[start:end])
        return counts

    def stop(self) -> None:
        """Stop recording."""
        while self._removers:
            self._removers.pop()()
