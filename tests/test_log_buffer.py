"""The live log's buffers (``log_buffer.py``): a Furby's numbered recent entries, and one
subscriber's batches with their bounded queue.

Entries are pushed synchronously, so they all land between two flushes; the flush timer runs on
Home Assistant's loop and is fired with ``async_fire_time_changed``.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
from homeassistant.util.async_ import get_scheduled_timer_handles
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.furby_connect.log_buffer import (
    BACKLOG_SIZE,
    FurbyLogBook,
    LogBatcher,
    merged_backlog,
)
from custom_components.furby_connect.models import FurbyLogEntry, LogKind, LogLevel


def _entry(text: str, time: float = 1.0, data: dict[str, Any] | None = None) -> FurbyLogEntry:
    return FurbyLogEntry(LogLevel.INFO, LogKind.EVENT, text, data, time)


def _fire(hass: HomeAssistant) -> None:
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=1))


def _batcher_timers(hass: HomeAssistant) -> int:
    return sum(
        1
        for handle in get_scheduled_timer_handles(hass.loop)
        if not handle.cancelled() and "LogBatcher." in repr(handle)
    )


def test_a_book_numbers_its_entries_and_keeps_the_last_ones() -> None:
    """Entries get increasing numbers and the contract's fields; only the newest
    ``BACKLOG_SIZE`` stay; the entry's data is copied, not shared.
    """
    book = FurbyLogBook("dev1", lambda: "Furby (89AB)")
    data = {"command": "set_antenna"}
    book.async_add(_entry("first", 5.5, data))
    data["command"] = "changed later"
    assert book.recent == [
        {
            "seq": 1,
            "time": 5.5,
            "device_id": "dev1",
            "furby": "Furby (89AB)",
            "level": "info",
            "kind": "event",
            "text": "first",
            "data": {"command": "set_antenna"},
        }
    ]
    for number in range(BACKLOG_SIZE + 99):
        book.async_add(_entry(f"e{number}"))
    recent = book.recent
    assert len(recent) == BACKLOG_SIZE
    assert [e["seq"] for e in recent] == list(range(101, BACKLOG_SIZE + 101))


async def test_a_batcher_sends_one_batch_per_flush_and_no_timer_when_idle(
    hass: HomeAssistant,
) -> None:
    """Entries pushed between flushes go out together; an idle batcher has no timer, a
    waiting entry exactly one; a closed batcher forgets what waits and takes nothing more.
    """
    sent: list[dict[str, Any]] = []
    batcher = LogBatcher(hass, sent.append, batch_max=10, queue_max=50)
    assert _batcher_timers(hass) == 0
    for seq in range(3):
        batcher.async_push({"seq": seq})
    assert _batcher_timers(hass) == 1
    assert sent == []
    _fire(hass)
    assert sent == [{"type": "entries", "entries": [{"seq": 0}, {"seq": 1}, {"seq": 2}]}]
    assert _batcher_timers(hass) == 0

    batcher.async_push({"seq": 3})
    batcher.async_close()
    _fire(hass)
    batcher.async_push({"seq": 4})
    assert _batcher_timers(hass) == 0
    assert len(sent) == 1


async def test_an_overflowing_queue_drops_the_oldest_and_says_how_many(
    hass: HomeAssistant,
) -> None:
    """Past ``queue_max`` the oldest entries go; the next flush sends ``dropped`` alone, the
    following ones at most ``batch_max`` entries each, until the queue is empty.
    """
    sent: list[dict[str, Any]] = []
    batcher = LogBatcher(hass, sent.append, batch_max=10, queue_max=25)
    for seq in range(40):
        batcher.async_push({"seq": seq})
    _fire(hass)
    assert sent == [{"type": "dropped", "count": 15}]
    for _ in range(3):
        _fire(hass)
    assert [len(m["entries"]) for m in sent[1:]] == [10, 10, 5]
    assert [e["seq"] for m in sent[1:] for e in m["entries"]] == list(range(15, 40))
    assert _batcher_timers(hass) == 0


async def test_closing_with_a_flush_sends_everything_waiting(hass: HomeAssistant) -> None:
    """The final flush (the entry unloads) sends the marker and every waiting entry at once,
    in batches, and leaves no timer.
    """
    sent: list[dict[str, Any]] = []
    batcher = LogBatcher(hass, sent.append, batch_max=10, queue_max=25)
    for seq in range(30):
        batcher.async_push({"seq": seq})
    batcher.async_close(flush=True)
    assert sent[0] == {"type": "dropped", "count": 5}
    assert [e["seq"] for m in sent[1:] for e in m["entries"]] == list(range(5, 30))
    assert _batcher_timers(hass) == 0
    batcher.async_close(flush=True)
    assert len(sent) == 4


def test_a_merged_backlog_is_oldest_first() -> None:
    """Several Furbies' entries are merged by time; equal times keep each Furby's order."""
    first = FurbyLogBook("a", lambda: "A")
    second = FurbyLogBook("b", lambda: "B")
    first.async_add(_entry("a1", 1.0))
    first.async_add(_entry("a2", 3.0))
    first.async_add(_entry("a3", 3.0))
    second.async_add(_entry("b1", 2.0))
    second.async_add(_entry("b2", 3.0))
    merged = merged_backlog([first, second])
    assert [e["text"] for e in merged] == ["a1", "b1", "a2", "a3", "b2"]
    assert merged_backlog([]) == []
