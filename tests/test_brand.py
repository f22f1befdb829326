"""The brand icons in ``custom_components/furby_connect/brand/`` (shown by HA 2026.3+ and HACS).

``icon@2x.png`` is drawn by ``scripts/draw_brand_icon.py``; ``icon.png`` is the same drawing at
256x256. No dark-theme variants are shipped: the face reads on dark backgrounds as it is.
"""

from __future__ import annotations

import importlib.util
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest
from PIL import Image, ImageChops

ROOT = Path(__file__).parents[1]
BRAND = ROOT / "custom_components" / "furby_connect" / "brand"
LIGHT_BACKGROUND = (255, 255, 255)
DARK_BACKGROUND = (17, 17, 17)
"""Home Assistant's dark theme background is about #111111."""


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "draw_brand_icon", ROOT / "scripts" / "draw_brand_icon.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _open(name: str) -> Image.Image:
    with Image.open(BRAND / name) as image:
        converted: Image.Image = image.convert("RGBA")
    return converted


def _blocks(image: Image.Image, background: tuple[int, int, int], blocks: int = 32) -> Image.Image:
    """The icon on a background, averaged over ``blocks`` x ``blocks`` squares."""
    flat = Image.new("RGBA", image.size, (*background, 255))
    flat.alpha_composite(image)
    return flat.convert("RGB").resize((blocks, blocks), Image.Resampling.BOX)


def _difference(
    first: Image.Image, second: Image.Image, background: tuple[int, int, int]
) -> tuple[int, float]:
    """The largest and the mean channel difference between two icons, block by block."""
    diff = ImageChops.difference(_blocks(first, background), _blocks(second, background))
    values = diff.tobytes()  # every channel of every pixel, one byte each
    return max(values), sum(values) / len(values)


def _luminance(rgb: tuple[int, int, int]) -> float:
    """WCAG relative luminance."""

    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(channel) for channel in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def _contrast(first: tuple[int, int, int], second: tuple[int, int, int]) -> float:
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_brand_folder_holds_the_icon_at_both_sizes() -> None:
    """``icon.png`` is 256x256 and ``icon@2x.png`` 512x512, both RGBA with a clear background."""
    assert sorted(path.name for path in BRAND.iterdir()) == ["icon.png", "icon@2x.png"]
    for name, size in (("icon.png", 256), ("icon@2x.png", 512)):
        image = _open(name)
        assert image.size == (size, size), name
        for corner in ((0, 0), (size - 1, 0), (0, size - 1), (size - 1, size - 1)):
            assert image.getpixel(corner)[3] == 0, (name, corner)  # type: ignore[index]


@pytest.mark.parametrize("background", [LIGHT_BACKGROUND, DARK_BACKGROUND])
def test_the_2x_icon_is_the_same_drawing(background: tuple[int, int, int]) -> None:
    """Reduced to 256x256, ``icon@2x.png`` matches ``icon.png`` (a 2-pixel shift would not)."""
    small = _open("icon.png")
    reduced = _open("icon@2x.png").resize((256, 256), Image.Resampling.LANCZOS)
    largest, mean = _difference(small, reduced, background)
    assert largest <= 48
    assert mean <= 3
    largest, _mean = _difference(small, ImageChops.offset(reduced, 2, 0), background)
    assert largest > 48  # the check can tell a different placement apart


def test_the_script_draws_the_committed_icon() -> None:
    """``scripts/draw_brand_icon.py`` regenerates ``icon@2x.png`` (up to Pillow's rounding)."""
    drawn = _script().draw_icon(512)
    largest, mean = _difference(_open("icon@2x.png"), drawn, LIGHT_BACKGROUND)
    assert largest <= 4
    assert mean <= 0.5


def test_the_script_refuses_a_tiny_size() -> None:
    """Sizes too small to show the face are refused."""
    with pytest.raises(ValueError, match="at least 16"):
        _script().draw_icon(8)


def test_the_face_reads_on_light_and_dark_themes_so_no_dark_variant_is_needed() -> None:
    """The head's colour (the most common opaque colour) keeps a 3:1 contrast, the WCAG
    minimum for graphics, against both theme backgrounds."""
    image = _open("icon@2x.png")
    data = image.tobytes()  # RGBA, 4 bytes a pixel
    pixels = (tuple(data[start : start + 4]) for start in range(0, len(data), 4))
    opaque = Counter((p[0], p[1], p[2]) for p in pixels if p[3] == 255)
    head, _count = opaque.most_common(1)[0]
    assert _contrast(head, LIGHT_BACKGROUND) >= 3
    assert _contrast(head, DARK_BACKGROUND) >= 3
