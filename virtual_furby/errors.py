"""Errors the virtual Furby raises towards its bleak backend (which maps them to bleak's)."""

from __future__ import annotations


class VirtualFurbyError(Exception):
    """Base class of every error the simulator raises."""


class LinkLostError(VirtualFurbyError):
    """The link is down: never connected, disconnected, or dropped while waiting."""


class DeviceNotFoundError(VirtualFurbyError):
    """The toy is out of range: nothing answers the connection request."""


class ConnectionRefusedByToyError(VirtualFurbyError):
    """The toy refused the connection (already connected, or a stuck toy after a bad drop)."""


class GattError(VirtualFurbyError):
    """An ATT error response, with its ATT error code (Core spec Vol 3 Part F 3.4.1.1)."""

    READ_NOT_PERMITTED = 0x02
    WRITE_NOT_PERMITTED = 0x03
    REQUEST_NOT_SUPPORTED = 0x06
    INVALID_ATTRIBUTE_VALUE_LENGTH = 0x0D
    UNLIKELY_ERROR = 0x0E

    def __init__(self, code: int, message: str) -> None:
        """Create the error for ATT error ``code`` with a readable ``message``."""
        super().__init__(f"ATT error 0x{code:02x}: {message}")
        self.code = code
