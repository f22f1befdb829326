"""Errors raised by the Furby client (``client.py``).

Every error the client raises on purpose is a ``FurbyError``, so a caller (the Home Assistant
coordinator) can map the whole family with one ``except``. Bad arguments are not ``FurbyError``:
the encoders raise ``FurbyInputError`` (a ``ValueError``) or ``TypeError`` before anything is
written, so a caller can tell a refused value from a bug's ``ValueError``.
"""

from __future__ import annotations


class FurbyError(Exception):
    """Base class for everything the Furby client raises about the toy or the link."""


class FurbyConnectionError(FurbyError):
    """The link is not usable: never started, stopped, lost, or a write/subscription failed."""


class FurbyTimeoutError(FurbyError):
    """The toy did not send the expected reply in time."""


class FurbyCommandError(FurbyError):
    """The toy refused a command with a FurbyMessage (docs/protocol.md §4.2).

    ``code`` is the ``MM`` of the ``20 MM`` reply, for example ``0x0f`` (input out of range)
    to ``0x12`` (specific out of range) or ``0x19`` (group not active).
    """

    def __init__(self, code: int, message: str) -> None:
        """Keep the refusal ``code`` next to a readable ``message``."""
        super().__init__(message)
        self.code = code


class FurbyInputError(ValueError):
    """An encoder refused an argument (out of range, too long, bad characters)."""
