"""The demo's virtual Furbies: fixed addresses, a seeded toy each, an optionally faster link."""

from __future__ import annotations

from virtual_furby import LinkModel, VirtualFurby


def toy_address(number: int) -> str:
    """Return the address of toy ``number`` (1-based): ``F1:23:45:67:00:01`` and so on.

    Random static addresses like a real toy's; the integration titles them "Furby (0001)".
    """
    return f"F1:23:45:67:00:{number:02X}"


def demo_link(speed: float) -> LinkModel:
    """Return the default link model, ``speed`` times faster (connection events and file intake).

    At 1 the link is the realistic one (about 4 kB/s for uploads); the toy's own timers are
    never changed, only what the radio and the toy's file intake can carry per second.
    """
    base = LinkModel()
    if speed == 1:
        return base
    return LinkModel(
        connection_interval=base.connection_interval / speed,
        packets_per_event=base.packets_per_event,
        file_packets_per_second=base.file_packets_per_second * speed,
        toy_buffer_packets=base.toy_buffer_packets,
        connect_seconds=base.connect_seconds / speed,
    )


def make_toys(count: int, *, speed: float, seed: int) -> list[VirtualFurby]:
    """Create ``count`` toys on the event loop's clock, each with its own seed."""
    link = demo_link(speed)
    return [
        VirtualFurby(toy_address(number), link=link, seed=seed * 100 + number)
        for number in range(1, count + 1)
    ]
