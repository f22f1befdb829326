"""``FurbyLiveHub``: the loaded Furbies the websocket API serves, and their log books.

One hub per Home Assistant (``hass.data[HUB_KEY]``, made in ``async_setup``). Each entry adds
its Furby when it has set up (``async_add_entry``) and the hub takes it out again when the entry
unloads; the websocket subscriptions that follow every Furby watch both (``async_watch``). The
hub also owns each Furby's ``FurbyLogBook``, by entry id, so a reload of the entry keeps the
recent log and its numbering; a removed entry's book is forgotten (``async_forget_entry``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.util.hass_dict import HassKey

from .const import DOMAIN
from .coordinator import FurbyCoordinator
from .log_buffer import FurbyLogBook
from .runtime import FurbyConfigEntry

HUB_KEY: HassKey[FurbyLiveHub] = HassKey(f"{DOMAIN}_live")


@dataclass(frozen=True, slots=True)
class LiveFurby:
    """One loaded Furby as the websocket API sees it."""

    device_id: str
    coordinator: FurbyCoordinator
    book: FurbyLogBook


type FurbyCallback = Callable[[LiveFurby], None]


class FurbyLiveHub:
    """The loaded Furbies by device id, their log books and who watches them (docstring)."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Start with no Furby."""
        self._hass = hass
        self.furbies: dict[str, LiveFurby] = {}
        """The loaded Furbies by device id."""
        self._books: dict[str, FurbyLogBook] = {}
        self._watchers: list[tuple[FurbyCallback, FurbyCallback]] = []
        self.catalog: dict[str, Any] | None = None
        """The catalog as ``furby_connect/catalog`` answers it, built on the first call."""

    @callback
    def device_name(self, device_id: str) -> str:
        """Return the device's name as the user sees it (renamed or not), or its id."""
        device = dr.async_get(self._hass).async_get(device_id)
        if device is None:
            return device_id
        return device.name_by_user or device.name or device_id

    @callback
    def async_add_entry(self, entry: FurbyConfigEntry) -> None:
        """Serve an entry's Furby (once it is set up) until the entry unloads."""
        coordinator = entry.runtime_data.coordinator
        device_id = coordinator.device_id
        if device_id is None:  # pragma: no cover - set by coordinator.async_start
            raise RuntimeError("the Furby has no device yet")
        book = self._books.get(entry.entry_id)
        if book is None or book.device_id != device_id:
            book = FurbyLogBook(device_id, lambda: self.device_name(device_id))
            self._books[entry.entry_id] = book
        furby = LiveFurby(device_id, coordinator, book)
        stop_logging = coordinator.async_add_log_listener(book.async_add)
        self.furbies[device_id] = furby

        @callback
        def remove() -> None:
            stop_logging()
            if self.furbies.get(device_id) is furby:
                del self.furbies[device_id]
            for _added, removed in tuple(self._watchers):
                removed(furby)

        entry.async_on_unload(remove)
        for added, _removed in tuple(self._watchers):
            added(furby)

    @callback
    def async_forget_entry(self, entry_id: str) -> None:
        """Drop a removed entry's log book."""
        self._books.pop(entry_id, None)

    @callback
    def async_watch(self, added: FurbyCallback, removed: FurbyCallback) -> CALLBACK_TYPE:
        """Call ``added(furby)`` for each Furby that loads, ``removed(furby)`` as one unloads."""
        watcher = (added, removed)
        self._watchers.append(watcher)

        @callback
        def unwatch() -> None:
            if watcher in self._watchers:
                self._watchers.remove(watcher)

        return unwatch


@callback
def async_get_hub(hass: HomeAssistant) -> FurbyLiveHub:
    """Return the hub, making it on first use."""
    hub = hass.data.get(HUB_KEY)
    if hub is None:
        hub = hass.data[HUB_KEY] = FurbyLiveHub(hass)
    return hub
