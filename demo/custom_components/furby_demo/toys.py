"""The demo's virtual Furbies: fixed addresses, a seeded toy each, an optionally faster link."""

from __future__ import annotations

from dataclasses import replace

from virtual_furby import IntakeModel, RadioModel, VirtualFurby


def toy_address(number: int) -> str:
    """Return the address of toy ``number`` (1-based): ``F1:23:45:67:00:01`` and so on.

    Random static addresses like a real toy's; the integration titles them "Furby (0001)".
    """
    return f"F1:23:45:67:00:{number:02X}"


def demo_radio(speed: float) -> RadioModel:
    """Return the default radio, ``speed`` times faster (connection events and connecting).

    At 1 the radio is the realistic one; the toy's own timers are never changed.
    """
    base = RadioModel()
    if speed == 1:
        return base
    return replace(
        base,
        connection_interval=base.connection_interval / speed,
        connect_seconds=base.connect_seconds / speed,
    )


def demo_intake(speed: float) -> IntakeModel:
    """Return the default file intake, taking packets ``speed`` times faster.

    At 1 the toy takes about 4 kB/s of DLC, as the real toy does.
    """
    base = IntakeModel()
    if speed == 1:
        return base
    return replace(base, packets_per_second=base.packets_per_second * speed)


def make_toys(count: int, *, speed: float, seed: int) -> list[VirtualFurby]:
    """Create ``count`` toys on the event loop's clock, each with its own seed."""
    radio = demo_radio(speed)
    intake = demo_intake(speed)
    return [
        VirtualFurby(toy_address(number), radio=radio, intake=intake, seed=seed * 100 + number)
        for number in range(1, count + 1)
    ]
