"""The storage format: what is dumped, how each stored field is read back and checked."""

from __future__ import annotations

import pytest

from custom_components.furby_connect.models import FurbyState, SlotTable
from custom_components.furby_connect.protocol.commands import MoodMeter
from custom_components.furby_connect.protocol.device_info import DeviceInformation
from custom_components.furby_connect.protocol.notifications import SlotInfo
from custom_components.furby_connect.storage import dump_state, parse_state


def full_state() -> FurbyState:
    return FurbyState(
        antenna=(255, 16, 0),
        antenna_last_on=(255, 16, 0),
        eyes_on=False,
        name_id=128,
        moods={MoodMeter.TIREDNESS: 40, MoodMeter.EXCITEDNESS: 100},
        slots=SlotTable(
            filled=frozenset({2, 13}),
            active=frozenset({13}),
            info={13: SlotInfo(slot=13, name="TU002949", length=313690, adler32=0x2754EA15)},
        ),
        device_info=DeviceInformation(manufacturer="Hasbro", model="Furby", serial_number="S1"),
        counters={"actions_sent": 3, "events_received": 7, "connects": 2},
    )


def test_dump_then_parse_gives_the_same_state() -> None:
    """Every stored field survives a dump and a parse unchanged."""
    state = full_state()
    parsed, problems = parse_state(dump_state(state))
    assert problems == []
    assert parsed == state


def test_dump_is_a_snapshot_not_a_view() -> None:
    """A dump does not change when the state changes after it (it may be written later)."""
    state = full_state()
    snapshot = dump_state(state)
    state.moods[MoodMeter.TIREDNESS] = 1
    state.counters["connects"] = 99
    assert snapshot["moods"]["tiredness"] == 40
    assert snapshot["counters"]["connects"] == 2


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("antenna", [256, 0, 0]),
        ("antenna", [1, 2]),
        ("antenna", "red"),
        ("antenna", [True, 0, 0]),
        ("antenna_last_on", [0, 0, 0]),
        ("antenna_last_on", [1, 2, 3, 4]),
        ("eyes_on", "yes"),
        ("name_id", 129),
        ("name_id", -1),
        ("moods", {"grumpiness": 3}),
        ("moods", {"wellness": 101}),
        ("moods", [1, 2]),
        ("slots", {"filled": [14], "active": [], "info": []}),
        ("slots", {"filled": [1], "active": [], "info": [{"slot": 1, "name": 5}]}),
        ("slots", {"filled": [1], "active": [], "info": "x"}),
        ("slots", "all"),
        ("device_info", {"manufacturer": 7}),
        ("device_info", ["Hasbro"]),
        ("counters", {"connects": -1}),
        ("counters", None),
    ],
)
def test_invalid_field_falls_back_to_its_default_only(field: str, value: object) -> None:
    """A bad value takes its default and is reported; every other field survives."""
    data = dump_state(full_state())
    data[field] = value
    parsed, problems = parse_state(data)
    assert problems == [field]
    assert getattr(parsed, field) == getattr(FurbyState(), field)
    # every other field survives
    fields = ("antenna", "antenna_last_on", "eyes_on", "name_id", "moods", "slots", "device_info")
    for other in (*fields, "counters"):
        if other != field:
            assert getattr(parsed, other) == getattr(full_state(), other)


def test_missing_fields_take_defaults_silently() -> None:
    """Missing fields (an older minor version) take their defaults without a report."""
    parsed, problems = parse_state({"antenna": [1, 2, 3]})
    assert problems == []
    assert parsed == FurbyState(antenna=(1, 2, 3))


@pytest.mark.parametrize("data", ["garbage", [1, 2], None, 5])
def test_a_file_that_is_not_an_object_is_reported(data: object) -> None:
    """Data that is not a mapping gives the defaults and is reported as a whole."""
    parsed, problems = parse_state(data)
    assert problems == ["the whole file"]
    assert parsed == FurbyState()
