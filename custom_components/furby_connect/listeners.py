"""Who follows one Furby: state changes by part, new presses, and log entries.

The coordinator owns one ``FurbyListeners`` and exposes its ``async_add_*`` methods. Each
state listener names the parts of the state it shows (``FurbyChange`` flags) and is called
only when one of them changed, with the changed parts it asked for: an entity writes its
state only when what it shows changed, and an upload progress tick reaches only the upload
sensor. Callbacks run in the event loop, synchronously, in the order they were added; each
``async_add_*`` returns the function that removes the listener.
"""

from __future__ import annotations

from collections.abc import Callable

from homeassistant.core import CALLBACK_TYPE, callback

from .models import FurbyChange, FurbyLogEntry
from .protocol.notifications import Interaction

type ChangeCallback = Callable[[FurbyChange], None]
type InteractionCallback = Callable[[Interaction], None]
type LogCallback = Callable[[FurbyLogEntry], None]


def _remover[T](items: list[T], item: T) -> CALLBACK_TYPE:
    """Return a function that removes ``item`` from ``items`` (once; later calls do nothing)."""

    @callback
    def remove() -> None:
        if item in items:
            items.remove(item)

    return remove


class FurbyListeners:
    """The listeners of one Furby (see the module docstring)."""

    def __init__(self) -> None:
        """Start with nobody listening."""
        self._changes: list[tuple[ChangeCallback, FurbyChange]] = []
        self._interactions: list[InteractionCallback] = []
        self._log: list[LogCallback] = []

    @callback
    def async_add_listener(
        self, change_callback: ChangeCallback, changes: FurbyChange
    ) -> CALLBACK_TYPE:
        """Call ``change_callback(changed)`` whenever a part in ``changes`` changed."""
        listener = (change_callback, changes)
        self._changes.append(listener)
        return _remover(self._changes, listener)

    @callback
    def async_add_interaction_listener(
        self, interaction_callback: InteractionCallback
    ) -> CALLBACK_TYPE:
        """Call ``interaction_callback(interaction)`` once for every new press of a sensor."""
        self._interactions.append(interaction_callback)
        return _remover(self._interactions, interaction_callback)

    @callback
    def async_add_log_listener(self, log_callback: LogCallback) -> CALLBACK_TYPE:
        """Call ``log_callback(entry)`` for every log-worthy event."""
        self._log.append(log_callback)
        return _remover(self._log, log_callback)

    @callback
    def async_notify(self, changed: FurbyChange) -> None:
        """Tell each listener following one of the ``changed`` parts which of them changed."""
        for change_callback, changes in tuple(self._changes):
            if followed := changed & changes:
                change_callback(followed)

    @callback
    def async_press(self, interaction: Interaction) -> None:
        """Tell every interaction listener about one new press."""
        for interaction_callback in tuple(self._interactions):
            interaction_callback(interaction)

    @callback
    def async_log(self, entry: FurbyLogEntry) -> None:
        """Hand one log entry to every log listener."""
        for log_callback in tuple(self._log):
            log_callback(entry)
