"""Make Home Assistant's loader find the demo component next to the integration.

The demo component lives in ``demo/custom_components`` (outside what HACS installs); adding that
folder to the ``custom_components`` package path is what the demo's configuration folder does
with a symlink.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import custom_components

DEMO_COMPONENTS = str(Path(__file__).resolve().parents[2] / "demo" / "custom_components")
if DEMO_COMPONENTS not in custom_components.__path__:
    custom_components.__path__.append(DEMO_COMPONENTS)


@pytest.fixture
def expected_lingering_timers() -> bool:
    """Allow Home Assistant's own delayed storage writes to outlive a test.

    The demo component pulls in lovelace, the frontend's stores and the registries, whose
    delayed writes are still scheduled when the test ends; nothing of the demo's own lingers.
    """
    return True
