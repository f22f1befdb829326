"""The virtual Furby's action table agrees with the shipped catalog (docs/protocol.md §7.2)."""

from __future__ import annotations

from custom_components.furby_connect.protocol.catalog import load_catalog
from virtual_furby.action_table import MAX_SPECIFIC, RangeError, check_action


def test_every_catalog_action_is_accepted() -> None:
    """Each of the catalog's actions (12/3/0/6 included) plays instead of being refused."""
    refused = [
        action.code
        for action in load_catalog().actions
        if action.input != 75 and check_action(action.code, dlc_active=False) is not None
    ]
    assert refused == []
    assert check_action((12, 3, 0, 6), dlc_active=False) is None


def test_table_maxima_are_the_catalogs() -> None:
    """The largest specific per (input, index, subindex) is the catalog's, so no row is lost."""
    largest: dict[tuple[int, int, int], int] = {}
    for action in load_catalog().actions:
        key = (action.input, action.index, action.subindex)
        largest[key] = max(largest.get(key, 0), action.specific)
    assert largest == MAX_SPECIFIC
    assert check_action((12, 3, 0, 7), dlc_active=False) is RangeError.SPECIFIC
