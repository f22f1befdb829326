"""Constants of the demo component that attaches virtual Furbies to Home Assistant."""

from __future__ import annotations

from typing import Final

DOMAIN: Final = "furby_demo"
FURBY_DOMAIN: Final = "furby_connect"

CONF_FURBIES: Final = "furbies"
CONF_SETUP: Final = "setup"
CONF_LINK_SPEED: Final = "link_speed"
CONF_INTERACTION_INTERVAL: Final = "interaction_interval"
CONF_SEED: Final = "seed"
CONF_READY_FILE: Final = "ready_file"

SETUP_ALL: Final = "all"
SETUP_ONE: Final = "one"
SETUP_NONE: Final = "none"
SETUP_MODES: Final = (SETUP_ALL, SETUP_ONE, SETUP_NONE)

DEFAULT_FURBIES: Final = 2
MAX_FURBIES: Final = 8
DEFAULT_INTERACTION_INTERVAL: Final = 20.0
"""Mean seconds between two simulated interactions (0 turns them off)."""

PROXY_SOURCE: Final = "02:00:00:F0:0B:D0"
PROXY_NAME: Final = "Furby demo proxy"

CARD_TYPE: Final = "custom:furby-connect-card"
