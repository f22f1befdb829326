"""The antenna light's colour math: an antenna value to colour and brightness, and back."""

from __future__ import annotations

import pytest

from custom_components.furby_connect.light import combine_color, split_color


@pytest.mark.parametrize(
    ("antenna", "expected"),
    [
        ((255, 0, 0), ((255, 0, 0), 255)),
        ((128, 0, 64), ((255, 0, 128), 128)),
        ((10, 20, 40), ((64, 128, 255), 40)),
        ((0, 0, 0), None),
    ],
)
def test_split_color(
    antenna: tuple[int, int, int], expected: tuple[tuple[int, int, int], int] | None
) -> None:
    """A value splits into a full-scale colour and its brightest channel; black is off."""
    assert split_color(antenna) == expected


@pytest.mark.parametrize(
    ("rgb", "brightness", "expected"),
    [
        ((255, 0, 0), 128, (128, 0, 0)),
        ((255, 0, 128), 128, (128, 0, 64)),
        ((100, 50, 0), 255, (255, 128, 0)),
        ((0, 0, 0), 200, (0, 0, 0)),
        ((255, 255, 255), 0, (0, 0, 0)),
    ],
)
def test_combine_color(
    rgb: tuple[int, int, int], brightness: int, expected: tuple[int, int, int]
) -> None:
    """A colour is scaled so its brightest channel equals the brightness (black stays black)."""
    assert combine_color(rgb, brightness) == expected
