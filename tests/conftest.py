"""Fixtures shared by every test.

``import custom_components`` makes Home Assistant's loader find this repository's package
rather than phcc's testing_config one (docs/home_assistant.md §7.8).
"""

from __future__ import annotations

import pytest

import custom_components  # noqa: F401

pytest_plugins = ["tests.virtual_furby_fixtures"]


@pytest.fixture(autouse=True)
def auto_enable_bluetooth(enable_custom_integrations: None, enable_bluetooth: None) -> None:
    """Enable custom integrations, then bluetooth, so its matchers include ours.

    The order matters (docs/home_assistant.md §5.1): with bluetooth first, the manager never loads
    the custom domain's matchers and discovery does not happen.
    """
