"""Constants of the furby_connect integration."""

from __future__ import annotations

from typing import Final

DOMAIN: Final = "furby_connect"
