"""The interaction event entity: one event per new press, never one per sensor packet."""

from __future__ import annotations

import asyncio

from homeassistant.components.event import ATTR_EVENT_TYPE, ATTR_EVENT_TYPES
from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.helpers.event import async_track_state_change_event
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.furby_connect.protocol.notifications import Interaction
from virtual_furby.clock import ManualClock
from virtual_furby.toy import VirtualFurby

from .conftest import HANG_GUARD, async_wait_until
from .entity_helpers import FurbyView, entity_id


class EventRecorder:
    """Collects the event type of every event the entity fires."""

    def __init__(self, hass: HomeAssistant, entity: str) -> None:
        self.types: list[str] = []
        self._changed = asyncio.Event()

        @callback
        def record(event: Event[EventStateChangedData]) -> None:
            new = event.data["new_state"]
            if new is not None and new.state not in (STATE_UNKNOWN, STATE_UNAVAILABLE):
                self.types.append(new.attributes[ATTR_EVENT_TYPE])
                self._changed.set()

        self.remove = async_track_state_change_event(hass, [entity], record)

    async def wait_for(self, count: int) -> list[str]:
        """Wait until ``count`` events were recorded (the guard only catches a hang)."""
        async with asyncio.timeout(HANG_GUARD):
            while len(self.types) < count:
                self._changed.clear()
                await self._changed.wait()
        return self.types


async def test_event_types_are_the_interactions(
    hass: HomeAssistant, connected_entry: MockConfigEntry, furby: VirtualFurby
) -> None:
    """The event types are the eleven interactions, in the toy's bit order."""
    state = hass.states.get(entity_id(hass, "event", "interaction", furby.address))
    assert state is not None
    assert state.state == STATE_UNKNOWN
    assert state.attributes[ATTR_EVENT_TYPES] == [
        "tongue",
        "tickle_back",
        "tickle_tummy",
        "tickle_left",
        "tickle_right",
        "tail_pull",
        "antenna_left",
        "antenna_right",
        "antenna_forward",
        "antenna_back",
        "antenna_down",
    ]
    assert set(state.attributes[ATTR_EVENT_TYPES]) == {i.value for i in Interaction}


async def test_one_event_per_press(
    hass: HomeAssistant, connected_entry: MockConfigEntry, furby: VirtualFurby
) -> None:
    """Each new press is one event; a held sensor or a release is none."""
    recorder = EventRecorder(hass, entity_id(hass, "event", "interaction", furby.address))

    furby.press("tickle_tummy")
    assert await recorder.wait_for(1) == ["tickle_tummy"]

    # Holding the tummy while the tail is pulled: only the new press is an event.
    furby.press("tail_pull")
    assert await recorder.wait_for(2) == ["tickle_tummy", "tail_pull"]

    # Releasing is not an event; pressing again is.
    furby.release("tail_pull", "tickle_tummy")
    furby.press("tickle_tummy")
    assert await recorder.wait_for(3) == ["tickle_tummy", "tail_pull", "tickle_tummy"]
    state = hass.states.get(entity_id(hass, "event", "interaction", furby.address))
    assert state is not None
    assert state.attributes[ATTR_EVENT_TYPE] == "tickle_tummy"


async def test_repeated_packets_of_a_held_press_are_one_event(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_clock: ManualClock,
) -> None:
    """The ``20 0d`` stream repeats a held press ten times a second: still one event."""
    recorder = EventRecorder(hass, entity_id(hass, "event", "interaction", furby.address))
    furby.press("antenna_down")
    assert await recorder.wait_for(1) == ["antenna_down"]
    furby.start_stream()  # a 21 packet every 0.1 s of toy time, all with the antenna down
    await furby_clock.advance(1.0)
    await hass.async_block_till_done()
    furby.stop_stream()
    furby.release("antenna_down")
    furby.press("tongue")  # the next press shows the held one was not repeated meanwhile
    assert await recorder.wait_for(2) == ["antenna_down", "tongue"]


async def test_unavailable_without_the_link(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
) -> None:
    """Out of range, the event entity is unavailable."""
    furby.faults.go_out_of_range()
    await async_wait_until(
        hass, lambda: furby_view.state("event", "interaction").state == STATE_UNAVAILABLE
    )


async def test_a_press_held_while_the_link_drops_is_new_again_after_the_reconnect(
    hass: HomeAssistant,
    connected_entry: MockConfigEntry,
    furby: VirtualFurby,
    furby_view: FurbyView,
) -> None:
    """Held sensors are forgotten when the link drops (releases are unseen meanwhile)."""
    recorder = EventRecorder(hass, furby_view.entity_id("event", "interaction"))
    furby.press("tail_pull")
    assert await recorder.wait_for(1) == ["tail_pull"]

    furby.drop_connection()
    await async_wait_until(hass, lambda: not furby_view.connected)
    furby.release("tail_pull")  # unseen: the link is down
    furby.press("tail_pull")
    # a command waits for the reconnect (and cuts the connect loop's pause short)
    await furby_view.call("set_antenna", {"red": 1, "green": 1, "blue": 1})
    assert await recorder.wait_for(2) == ["tail_pull", "tail_pull"]
