"""Who follows a Furby (``listeners.py``): state parts, new presses and log entries."""

from __future__ import annotations

from custom_components.furby_connect.listeners import FurbyListeners
from custom_components.furby_connect.models import FurbyChange, FurbyLogEntry, LogKind, LogLevel
from custom_components.furby_connect.protocol.notifications import Interaction


def test_a_listener_hears_only_the_parts_it_follows() -> None:
    """A listener is called for the parts it named, with just those, and never for others."""
    listeners = FurbyListeners()
    heard: list[FurbyChange] = []
    listeners.async_add_listener(heard.append, FurbyChange.LINK | FurbyChange.ANTENNA)
    listeners.async_notify(FurbyChange.UPLOAD)
    listeners.async_notify(FurbyChange.ANTENNA | FurbyChange.COUNTERS)
    listeners.async_notify(FurbyChange.LINK)
    assert heard == [FurbyChange.ANTENNA, FurbyChange.LINK]


def test_listeners_are_called_in_order_and_removed_once() -> None:
    """Callbacks run in the order added; removing twice is harmless; a removed one is silent."""
    listeners = FurbyListeners()
    order: list[str] = []
    remove_first = listeners.async_add_listener(lambda _: order.append("first"), FurbyChange.LINK)
    listeners.async_add_listener(lambda _: order.append("second"), FurbyChange.LINK)
    listeners.async_notify(FurbyChange.LINK)
    remove_first()
    remove_first()
    listeners.async_notify(FurbyChange.LINK)
    assert order == ["first", "second", "second"]


def test_a_listener_may_remove_itself_while_called() -> None:
    """Removing a listener from inside its own callback does not skip the next listener."""
    listeners = FurbyListeners()
    called: list[str] = []

    def once(_changed: FurbyChange) -> None:
        called.append("once")
        remove()

    remove = listeners.async_add_listener(once, FurbyChange.LINK)
    listeners.async_add_listener(lambda _: called.append("other"), FurbyChange.LINK)
    listeners.async_notify(FurbyChange.LINK)
    listeners.async_notify(FurbyChange.LINK)
    assert called == ["once", "other", "other"]


def test_presses_and_log_entries_reach_their_listeners_until_removed() -> None:
    """Interaction and log listeners get each press and entry until they are removed."""
    listeners = FurbyListeners()
    presses: list[Interaction] = []
    entries: list[FurbyLogEntry] = []
    remove_press = listeners.async_add_interaction_listener(presses.append)
    remove_log = listeners.async_add_log_listener(entries.append)
    entry = FurbyLogEntry(LogLevel.INFO, LogKind.CONNECTION, "Connected")
    listeners.async_press(Interaction.TONGUE)
    listeners.async_log(entry)
    remove_press()
    remove_log()
    listeners.async_press(Interaction.TAIL_PULL)
    listeners.async_log(entry)
    assert presses == [Interaction.TONGUE]
    assert entries == [entry]
    assert entry.data is None
    assert entry.time > 0
