"""The Furby Connect BLE protocol, independent of Home Assistant.

Nothing in this package may import ``homeassistant`` (a test enforces it), so it could become a
library of its own, as Home Assistant's core BLE integrations keep their device libraries apart.
Section numbers (§) refer to the project's docs/protocol.md.
"""
