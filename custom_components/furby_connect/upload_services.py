"""The DLC upload service actions ``upload_dlc`` and ``cancel_upload`` (admin only).

``furby_connect.upload_dlc`` takes a ``device_id`` and either a ``path`` (must pass
``hass.config.is_allowed_path``) or a ``file_id`` from ``/api/file_upload``. The Furby's upload
manager (``upload.py``) refuses a second upload, finds and validates the file before anything
is sent and then runs the transfer in the background. The call returns once the transfer has
started, with ``{"upload_id": …}`` when a response is asked for. ``furby_connect.cancel_upload``
stops it and re-reads the slot table.

Both are registered once by ``async_setup_upload_services``, from ``async_setup_services``
(``services.py``).
"""

from __future__ import annotations

from typing import Final

from homeassistant.const import ATTR_DEVICE_ID
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import Unauthorized, UnknownUser

from .const import DOMAIN
from .service_schemas import (
    ATTR_ACTIVATE,
    ATTR_FILE_ID,
    ATTR_PATH,
    DEVICE_ONLY_SCHEMA,
    UPLOAD_DLC_SCHEMA,
    ha_schema,
)
from .service_target import async_get_entry

SERVICE_UPLOAD_DLC: Final = "upload_dlc"
SERVICE_CANCEL_UPLOAD: Final = "cancel_upload"
ATTR_UPLOAD_ID: Final = "upload_id"


async def _async_check_admin(hass: HomeAssistant, call: ServiceCall) -> None:
    """Refuse non-admin users (as ``async_register_admin_service`` does)."""
    if call.context.user_id is None:
        return
    user = await hass.auth.async_get_user(call.context.user_id)
    if user is None:
        raise UnknownUser(context=call.context)
    if not user.is_admin:
        raise Unauthorized(context=call.context)


async def _async_upload_dlc(call: ServiceCall) -> ServiceResponse:
    """Validate the file and start the upload; return its id when asked."""
    hass = call.hass
    await _async_check_admin(hass, call)
    uploads = async_get_entry(hass, call.data[ATTR_DEVICE_ID]).runtime_data.uploads
    upload_id = await uploads.async_upload(
        call.data.get(ATTR_PATH), call.data.get(ATTR_FILE_ID), call.data[ATTR_ACTIVATE]
    )
    return {ATTR_UPLOAD_ID: upload_id} if call.return_response else None


async def _async_cancel_upload(call: ServiceCall) -> None:
    """Cancel the running upload of a Furby and re-read its slot table."""
    hass = call.hass
    await _async_check_admin(hass, call)
    await async_get_entry(hass, call.data[ATTR_DEVICE_ID]).runtime_data.uploads.async_cancel()


@callback
def async_setup_upload_services(hass: HomeAssistant) -> None:
    """Register ``upload_dlc`` and ``cancel_upload`` (once, from ``async_setup_services``)."""
    hass.services.async_register(
        DOMAIN,
        SERVICE_UPLOAD_DLC,
        _async_upload_dlc,
        schema=ha_schema(UPLOAD_DLC_SCHEMA),
        supports_response=SupportsResponse.OPTIONAL,
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_CANCEL_UPLOAD,
        _async_cancel_upload,
        schema=ha_schema(DEVICE_ONLY_SCHEMA),
    )
