"""The GATT map matches docs/protocol.md §2 and is in bleak's canonical form."""

from __future__ import annotations

import re

from custom_components.furby_connect.protocol import gatt

CANONICAL = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def all_uuids() -> dict[str, str]:
    return {
        name: value
        for name, value in vars(gatt).items()
        if name.isupper() and isinstance(value, str) and name != "LOCAL_NAME"
    }


def test_every_uuid_is_canonical_and_unique() -> None:
    """The 26 UUIDs are distinct and in bleak's lower-case canonical form."""
    uuids = all_uuids()
    assert len(uuids) == 26
    for name, value in uuids.items():
        assert CANONICAL.match(value), name
    assert len(set(uuids.values())) == len(uuids)


def test_fluff_characteristics_match_the_protocol() -> None:
    """The Fluff service's UUIDs are the documented ones."""
    assert gatt.FLUFF_SERVICE == "dab91435-b5a1-e29c-b041-bcd562613bde"
    assert gatt.GENERALPLUS_WRITE == "dab91383-b5a1-e29c-b041-bcd562613bde"
    assert gatt.NORDIC_LISTEN == "dab90756-b5a1-e29c-b041-bcd562613bde"
    assert gatt.FILE_WRITE == "dab90758-b5a1-e29c-b041-bcd562613bde"
    assert gatt.DFU_CONTROL_POINT == "00001531-1212-efde-1523-785feabcd123"
    assert gatt.MANUFACTURER_NAME == "00002a29-0000-1000-8000-00805f9b34fb"
    assert gatt.LISTEN_CHARACTERISTICS == (gatt.GENERALPLUS_LISTEN, gatt.NORDIC_LISTEN)
    assert set(gatt.DEVICE_INFORMATION_FIELDS.values()) == {
        gatt.MANUFACTURER_NAME,
        gatt.MODEL_NUMBER,
        gatt.SERIAL_NUMBER,
        gatt.HARDWARE_REVISION,
        gatt.FIRMWARE_REVISION,
        gatt.SOFTWARE_REVISION,
    }
