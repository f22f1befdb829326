"""Running calls on a Furby's link: one at a time, translated failures, the upload's lease.

Every call to the toy goes through one ``FurbyExecutor`` per Furby. It waits for a link (a
connect on demand connects here), runs one call at a time, and turns the protocol layer's
failures into translated Home Assistant errors.

A DLC upload holds the link for minutes. It takes an ``UploadLease`` with
``async with executor.reserve_for_upload() as lease`` and runs its calls with
``lease.execute(func)``. While a lease is held every other call is refused at once with the
translated ``busy_uploading`` error, whichever task makes it (tasks started from inside the
upload, such as automations following its progress, included). Leaving the ``async with``
releases that lease only: a lease that is no longer the current one cannot free a newer one.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable

from bleak.exc import BleakError
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError

from .ble import FurbyUnreachableError
from .connection import FurbyConnection
from .const import EXECUTE_CONNECT_TIMEOUT
from .errors import translated_error
from .protocol.client import FurbyClient
from .protocol.errors import (
    FurbyCommandError,
    FurbyConnectionError,
    FurbyError,
    FurbyInputError,
    FurbyTimeoutError,
)

_LOGGER = logging.getLogger(__name__)

type ClientCall[T] = Callable[[FurbyClient], Awaitable[T]]


class UploadLease:
    """One upload's exclusive hold on a Furby's link (see the module docstring)."""

    def __init__(self, executor: FurbyExecutor) -> None:
        """Bind the lease to the executor that granted it."""
        self._executor = executor

    async def execute[T](self, func: ClientCall[T]) -> T:
        """Run ``func`` on the link under this lease (see ``FurbyExecutor.async_execute``)."""
        return await self._executor.async_execute(func, lease=self)


class FurbyExecutor:
    """Run calls on one Furby's link (see the module docstring)."""

    def __init__(self, connection: FurbyConnection, name: Callable[[], str]) -> None:
        """Serve calls over ``connection``; ``name()`` names the Furby in error messages."""
        self._connection = connection
        self._name = name
        self._lock = asyncio.Lock()
        self._lease: UploadLease | None = None

    @property
    def lease(self) -> UploadLease | None:
        """The upload lease held now, if any."""
        return self._lease

    def _check_turn(self, lease: UploadLease | None) -> None:
        """Refuse a call not made with the lease held now (a released lease is refused too)."""
        if self._lease is not lease:
            raise translated_error(HomeAssistantError, "busy_uploading", name=self._name())

    async def async_execute[T](self, func: ClientCall[T], *, lease: UploadLease | None = None) -> T:
        """Run ``func`` with a connected client, one call at a time per Furby.

        Refused at once with ``busy_uploading`` while an upload lease other than ``lease`` is
        held. Waits up to ``EXECUTE_CONNECT_TIMEOUT`` s for the link (connecting on demand).
        Failures become translated errors: ``ServiceValidationError`` (``invalid_value``) only
        for a value the protocol's encoders refuse (``FurbyInputError``); ``HomeAssistantError``
        for the link and the toy's refusals, ``no_reply`` for any timeout, and
        ``unexpected_error`` (logged with its traceback) for anything else, a bug included.
        """
        self._check_turn(lease)
        try:
            async with self._lock:
                self._check_turn(lease)  # a lease may have been taken while this call waited
                async with self._connection.session(EXECUTE_CONNECT_TIMEOUT) as client:
                    return await func(client)
        except HomeAssistantError:
            raise
        except FurbyInputError as err:
            raise translated_error(ServiceValidationError, "invalid_value", error=str(err)) from err
        except FurbyUnreachableError as err:
            raise translated_error(
                HomeAssistantError, "not_connected", name=self._name(), error=err.reason
            ) from err
        except FurbyCommandError as err:
            raise translated_error(
                HomeAssistantError, "command_refused", name=self._name(), error=str(err)
            ) from err
        except FurbyTimeoutError as err:
            raise translated_error(HomeAssistantError, "no_reply", name=self._name()) from err
        except (FurbyConnectionError, BleakError) as err:
            raise translated_error(
                HomeAssistantError, "connection_lost", name=self._name(), error=str(err)
            ) from err
        except FurbyError as err:
            raise translated_error(
                HomeAssistantError, "communication_error", name=self._name(), error=str(err)
            ) from err
        except TimeoutError as err:
            raise translated_error(HomeAssistantError, "no_reply", name=self._name()) from err
        except Exception as err:
            _LOGGER.exception("%s: a call on the link failed unexpectedly", self._name())
            raise translated_error(
                HomeAssistantError, "unexpected_error", name=self._name(), error=repr(err)
            ) from err

    @contextlib.asynccontextmanager
    async def reserve_for_upload(self) -> AsyncIterator[UploadLease]:
        """Hold the link for one upload until the block ends (see the module docstring).

        Refused with ``busy_uploading`` while another upload holds it.
        """
        self._check_turn(None)
        lease = UploadLease(self)
        self._lease = lease
        try:
            yield lease
        finally:
            if self._lease is lease:
                self._lease = None
