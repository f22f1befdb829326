"""Constants of the furby_connect integration."""

from __future__ import annotations

from typing import Final

from homeassistant.const import Platform

DOMAIN: Final = "furby_connect"

PLATFORMS: Final[list[Platform]] = [
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.EVENT,
    Platform.LIGHT,
    Platform.NUMBER,
    Platform.SELECT,
    Platform.SENSOR,
    Platform.SWITCH,
]
"""Entity platforms forwarded for each entry (each platform's owner adds its own)."""

# Options (config entry options flow).
CONF_STAY_CONNECTED: Final = "stay_connected"
"""Connection policy: True keeps the link up (sensor events need it, the toy stays awake);
False connects on demand and disconnects after ``CONF_IDLE_TIMEOUT`` seconds of quiet."""
CONF_IDLE_TIMEOUT: Final = "idle_timeout"
DEFAULT_STAY_CONNECTED: Final = True
DEFAULT_IDLE_TIMEOUT: Final = 60
MIN_IDLE_TIMEOUT: Final = 10
MAX_IDLE_TIMEOUT: Final = 3600

# Connection handling.
CONNECT_MAX_ATTEMPTS: Final = 3
"""Attempts bleak-retry-connector makes inside one connect (it backs off between them)."""
RECONNECT_BACKOFF: Final = (1.0, 2.0, 5.0, 10.0, 30.0, 60.0)
"""Seconds to wait after the 1st, 2nd, ... failed connect; the last value repeats."""
EXECUTE_CONNECT_TIMEOUT: Final = 20.0
"""How long a command waits for the link before it fails with ``not_connected``."""
KEEPALIVE_INTERVAL: Final = 3.0
"""Idle seconds before the client sends ``20 06`` (docs/protocol.md §3.2, §8)."""
REQUEST_TIMEOUT: Final = 5.0
"""Seconds the client waits for the toy's reply to a request."""

# Storage.
STORAGE_VERSION: Final = 1
STORAGE_MINOR_VERSION: Final = 2
"""1.2 added ``antenna_last_on`` (migrated from 1.1 by ``storage.py``)."""
SAVE_DELAY: Final = 1.0
"""Seconds from the first unsaved state change to its write; later changes join that write."""

# Counters kept in state and storage.
COUNTER_ACTIONS_SENT: Final = "actions_sent"
COUNTER_EVENTS_RECEIVED: Final = "events_received"
COUNTER_CONNECTS: Final = "connects"
COUNTERS: Final = (COUNTER_ACTIONS_SENT, COUNTER_EVENTS_RECEIVED, COUNTER_CONNECTS)

MANUFACTURER: Final = "Hasbro"
MODEL: Final = "Furby Connect"
