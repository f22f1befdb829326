"""The DLC upload service actions ``upload_dlc`` and ``cancel_upload`` (admin only).

``furby_connect.upload_dlc`` takes a ``device_id`` and either a ``path`` (must pass
``hass.config.is_allowed_path``) or a ``file_id`` from ``/api/file_upload``. A second upload to
the same Furby is refused; otherwise an ``UploadJob`` (``upload.py``) finds and validates the file
before anything is sent and then runs the transfer in the background. The call returns once the
transfer has started, with ``{"upload_id": …}`` when a response is asked for.
``furby_connect.cancel_upload`` stops it and re-reads the slot table.

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
from homeassistant.exceptions import ServiceValidationError, Unauthorized, UnknownUser

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
from .upload import UPLOAD_JOBS, UploadJob, upload_error

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
    entry = async_get_entry(hass, call.data[ATTR_DEVICE_ID])
    jobs = hass.data[UPLOAD_JOBS]
    current = jobs.get(entry.entry_id)
    if current is not None and current.running:
        raise upload_error(
            ServiceValidationError,
            "in_progress",
            name=entry.runtime_data.name,
            upload_id=current.status.upload_id,
        )
    job = UploadJob(hass, entry, call.data[ATTR_ACTIVATE])
    jobs[entry.entry_id] = job  # reserved before the first await: no second upload slips in
    await job.async_prepare(call.data.get(ATTR_PATH), call.data.get(ATTR_FILE_ID))
    job.start()
    return {ATTR_UPLOAD_ID: job.status.upload_id} if call.return_response else None


async def _async_cancel_upload(call: ServiceCall) -> None:
    """Cancel the running upload of a Furby and re-read its slot table."""
    hass = call.hass
    await _async_check_admin(hass, call)
    entry = async_get_entry(hass, call.data[ATTR_DEVICE_ID])
    job = hass.data[UPLOAD_JOBS].get(entry.entry_id)
    if job is None or not job.running:
        raise upload_error(ServiceValidationError, "not_running", name=entry.runtime_data.name)
    await job.async_cancel()
    await job.async_refresh_slots()


@callback
def async_setup_upload_services(hass: HomeAssistant) -> None:
    """Register ``upload_dlc`` and ``cancel_upload`` (once, from ``async_setup_services``)."""
    hass.data[UPLOAD_JOBS] = {}
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
