"""Protocol tests need no Home Assistant: skip the bluetooth set-up the root conftest enables."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def auto_enable_bluetooth() -> None:
    """Override the root fixture: the protocol layer runs without a hass instance."""
