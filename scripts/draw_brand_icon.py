#!/usr/bin/env python3
"""Draw the integration's brand icon (a purple Furby face) at any size, from shapes.

Usage: scripts/draw_brand_icon.py [--size N] [--output PATH]

Without options it writes ``custom_components/furby_connect/brand/icon@2x.png`` (512x512), the
high-resolution companion of ``brand/icon.png`` (256x256, the same drawing). Run it with the
Home Assistant 2025.4 test environment's Python, which has Pillow
(``~/.cache/furby_connect/venv-ha2025.4/bin/python scripts/draw_brand_icon.py``).

No dark-theme variant is drawn: the face is a saturated purple with a teal, white and orange
face on a transparent background, readable on light and dark backgrounds alike
(``tests/test_brand.py`` checks the contrast against both).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Final

from PIL import Image, ImageDraw

REPO: Final = Path(__file__).resolve().parents[1]
BRAND: Final = REPO / "custom_components" / "furby_connect" / "brand"

DESIGN_SIZE: Final = 256
"""The drawing's coordinates below are in a 256x256 box and scaled to the requested size."""
SUPERSAMPLE: Final = 4
"""Drawn this many times larger, then reduced: smooth edges without an anti-aliasing pass."""

BODY: Final = (124, 77, 255, 255)
EARS: Final = (98, 50, 230, 255)
WHITE: Final = (255, 255, 255, 255)
IRIS: Final = (0, 150, 136, 255)
PUPIL: Final = (20, 20, 20, 255)
BEAK: Final = (255, 152, 0, 255)
ANTENNA: Final = (255, 193, 7, 255)

type Box = tuple[float, float, float, float]
type Point = tuple[float, float]


def _ellipse(center: Point, rx: float, ry: float) -> Box:
    """Return the bounding box of an ellipse."""
    return (center[0] - rx, center[1] - ry, center[0] + rx, center[1] + ry)


def _mirror(point: Point) -> Point:
    """Reflect a point across the face's vertical axis."""
    return (DESIGN_SIZE - point[0], point[1])


# Coordinates are pixel edges: (0, 0) is the top left corner of the 256x256 box, and the face is
# symmetric about x = 128.
LEFT_EAR: Final[tuple[Point, ...]] = ((20.0, 5.0), (107.0, 56.5), (52.5, 89.0))
BODY_BOX: Final[Box] = (30.0, 46.0, 226.0, 251.0)
ANTENNA_STICK: Final[Box] = (124.0, 20.0, 132.0, 52.0)
ANTENNA_BALL: Final = _ellipse((128.0, 15.0), 10.0, 10.0)
EYE_CENTERS: Final[tuple[Point, ...]] = ((92.0, 125.5), (164.0, 125.5))
EYE_RADII: Final = (31.0, 33.5)
IRIS_RADII: Final = (15.5, 18.0)
IRIS_OFFSET: Final = (0.5, 2.5)
PUPIL_RADII: Final = (6.5, 8.0)
BEAK_POINTS: Final[tuple[Point, ...]] = ((108.0, 169.0), (148.0, 169.0), (128.0, 194.0))


def draw_icon(size: int) -> Image.Image:
    """Return the icon as a ``size`` x ``size`` RGBA image with a transparent background."""
    if size < 16:
        raise ValueError(f"size must be at least 16 pixels, got {size}")
    scale = size * SUPERSAMPLE / DESIGN_SIZE
    canvas = Image.new("RGBA", (size * SUPERSAMPLE, size * SUPERSAMPLE), (0, 0, 0, 0))
    pen = ImageDraw.Draw(canvas)

    def box(shape: Box) -> Box:
        # Pillow's boxes include their last pixel: end one supersampled pixel earlier.
        x0, y0, x1, y1 = (value * scale for value in shape)
        return (x0, y0, x1 - 1, y1 - 1)

    def points(shape: tuple[Point, ...]) -> list[Point]:
        return [(x * scale, y * scale) for x, y in shape]

    pen.ellipse(box(BODY_BOX), fill=BODY)
    pen.rectangle(box(ANTENNA_STICK), fill=ANTENNA)  # it enters the top of the head
    pen.ellipse(box(ANTENNA_BALL), fill=ANTENNA)
    pen.polygon(points(LEFT_EAR), fill=EARS)  # the ears overlap the head
    pen.polygon(points(tuple(_mirror(point) for point in LEFT_EAR)), fill=EARS)
    for number, center in enumerate(EYE_CENTERS):
        pen.ellipse(box(_ellipse(center, *EYE_RADII)), fill=WHITE)
        # Both irises look slightly down and towards the middle of the face.
        towards_middle = IRIS_OFFSET[0] if number == 0 else -IRIS_OFFSET[0]
        iris_center = (center[0] + towards_middle, center[1] + IRIS_OFFSET[1])
        pen.ellipse(box(_ellipse(iris_center, *IRIS_RADII)), fill=IRIS)
        pen.ellipse(box(_ellipse(iris_center, *PUPIL_RADII)), fill=PUPIL)
    pen.polygon(points(BEAK_POINTS), fill=BEAK)
    return canvas.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    """Draw the icon and write it as PNG."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=512, help="width and height in pixels")
    parser.add_argument(
        "--output", type=Path, default=BRAND / "icon@2x.png", help="where to write the PNG"
    )
    args = parser.parse_args()
    draw_icon(args.size).save(args.output, optimize=True)
    print(f"wrote {args.output} ({args.size}x{args.size})")


if __name__ == "__main__":
    main()
