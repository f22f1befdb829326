"""Config flow for Furby Connect: Bluetooth discovery, a pick list, and the connection policy.

What a Furby is comes from one place, the ``bluetooth`` matchers of ``manifest.json`` (its
advertised name ``Furby`` or its Fluff service, docs/protocol.md §1): Home Assistant's discovery
uses them, and so does the pick list of the user step. Before an entry is created the flow
connects to the toy and reads its Device Information (test before configure); the unique id is
the Bluetooth address, so each Furby gets one entry.
"""

from __future__ import annotations

import logging
from typing import Any, cast

import voluptuous as vol
from homeassistant.components.bluetooth import (
    BluetoothServiceInfoBleak,
    async_discovered_service_info,
)
from homeassistant.components.bluetooth.match import ble_device_matches
from homeassistant.config_entries import ConfigEntry, ConfigFlow, ConfigFlowResult, OptionsFlow
from homeassistant.const import CONF_ADDRESS
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.selector import (
    BooleanSelector,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
)
from homeassistant.loader import BluetoothMatcherOptional, async_get_integration

from .ble import CONNECT_ERRORS, async_read_device_information
from .const import (
    CONF_IDLE_TIMEOUT,
    CONF_STAY_CONNECTED,
    DEFAULT_IDLE_TIMEOUT,
    DEFAULT_STAY_CONNECTED,
    DOMAIN,
    MAX_IDLE_TIMEOUT,
    MIN_IDLE_TIMEOUT,
)
from .protocol.gatt import LOCAL_NAME

_LOGGER = logging.getLogger(__name__)

type FormSchema = Any
"""A form's ``vol.Schema``: HA 2026 aliases voluptuous to probatio at run time and types
``data_schema`` as probatio's class, which mypy cannot match to voluptuous."""

PROBE_READ_TIMEOUT = 5.0
"""Seconds each Device Information read of the connection test may take."""


async def async_furby_matchers(hass: HomeAssistant) -> list[BluetoothMatcherOptional]:
    """Return the ``bluetooth`` matchers of the manifest: what a Furby advertises."""
    integration = await async_get_integration(hass, DOMAIN)
    return [cast(BluetoothMatcherOptional, matcher) for matcher in integration.bluetooth or []]


def is_furby(
    matchers: list[BluetoothMatcherOptional], service_info: BluetoothServiceInfoBleak
) -> bool:
    """Whether an advertisement matches one of ``matchers`` (as discovery matches them)."""
    return any(ble_device_matches(matcher, service_info) for matcher in matchers)


def furby_title(address: str) -> str:
    """Entry title: the name every Furby advertises plus the end of its address."""
    return f"{LOCAL_NAME} ({address.replace(':', '')[-4:].upper()})"


class FurbyConnectConfigFlow(ConfigFlow, domain=DOMAIN):
    """Discover a Furby over Bluetooth (or pick one), test the link, create the entry."""

    VERSION = 1

    def __init__(self) -> None:
        """Start with nothing discovered."""
        self._discovery: BluetoothServiceInfoBleak | None = None
        self._choices: dict[str, str] = {}

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: ConfigEntry) -> FurbyOptionsFlow:
        """Return the options flow (the connection policy)."""
        return FurbyOptionsFlow()

    async def async_step_bluetooth(
        self, discovery_info: BluetoothServiceInfoBleak
    ) -> ConfigFlowResult:
        """Handle a Furby found by the bluetooth integration."""
        await self.async_set_unique_id(discovery_info.address)
        self._abort_if_unique_id_configured()
        self._discovery = discovery_info
        self.context["title_placeholders"] = {"name": furby_title(discovery_info.address)}
        return await self.async_step_bluetooth_confirm()

    async def async_step_bluetooth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask the user to confirm the discovered Furby, then test the link."""
        assert self._discovery is not None
        address = self._discovery.address
        errors: dict[str, str] = {}
        if user_input is not None and await self._async_test_connection(address, errors):
            return self.async_create_entry(title=furby_title(address), data={CONF_ADDRESS: address})
        self._set_confirm_only()
        return self.async_show_form(
            step_id="bluetooth_confirm",
            description_placeholders={"name": furby_title(address)},
            errors=errors,
        )

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Let the user pick one of the Furbies in range that is not set up yet."""
        errors: dict[str, str] = {}
        if user_input is not None:
            address = user_input[CONF_ADDRESS]
            await self.async_set_unique_id(address, raise_on_progress=False)
            self._abort_if_unique_id_configured()
            if await self._async_test_connection(address, errors):
                return self.async_create_entry(
                    title=furby_title(address), data={CONF_ADDRESS: address}
                )
        else:
            configured = self._async_current_ids(include_ignore=False)
            matchers = await async_furby_matchers(self.hass)
            self._choices = {
                info.address: f"{furby_title(info.address)} {info.address}"
                for info in async_discovered_service_info(self.hass, connectable=True)
                if is_furby(matchers, info) and info.address not in configured
            }
        if not self._choices:
            return self.async_abort(reason="no_devices_found")
        schema: FormSchema = vol.Schema({vol.Required(CONF_ADDRESS): vol.In(self._choices)})
        return self.async_show_form(step_id="user", data_schema=schema, errors=errors)

    async def _async_test_connection(self, address: str, errors: dict[str, str]) -> bool:
        """Connect, read the Device Information and disconnect; ``True`` if that worked.

        Otherwise the form's error goes into ``errors``: ``cannot_connect`` when the connection
        fails, ``unknown`` (its traceback logged, as core integrations do) for anything else, a
        bug or an error nobody planned for.
        """
        try:
            info = await async_read_device_information(
                self.hass, address, read_timeout=PROBE_READ_TIMEOUT
            )
        except CONNECT_ERRORS as err:
            _LOGGER.debug("Connection test to %s failed: %s", address, err)
            errors["base"] = "cannot_connect"
            return False
        except Exception:
            _LOGGER.exception("Unexpected error testing the connection to %s", address)
            errors["base"] = "unknown"
            return False
        _LOGGER.debug("Connection test to %s passed: %s", address, info)
        return True


class FurbyOptionsFlow(OptionsFlow):
    """Choose between staying connected and connecting on demand."""

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Show and store the connection policy."""
        if user_input is not None:
            return self.async_create_entry(
                data={
                    CONF_STAY_CONNECTED: bool(user_input[CONF_STAY_CONNECTED]),
                    CONF_IDLE_TIMEOUT: int(user_input[CONF_IDLE_TIMEOUT]),
                }
            )
        options = self.config_entry.options
        schema: FormSchema = vol.Schema(
            {
                vol.Required(
                    CONF_STAY_CONNECTED,
                    default=options.get(CONF_STAY_CONNECTED, DEFAULT_STAY_CONNECTED),
                ): BooleanSelector(),
                vol.Required(
                    CONF_IDLE_TIMEOUT,
                    default=options.get(CONF_IDLE_TIMEOUT, DEFAULT_IDLE_TIMEOUT),
                ): NumberSelector(
                    NumberSelectorConfig(
                        min=MIN_IDLE_TIMEOUT,
                        max=MAX_IDLE_TIMEOUT,
                        step=1,
                        unit_of_measurement="s",
                        mode=NumberSelectorMode.BOX,
                    )
                ),
            }
        )
        return self.async_show_form(step_id="init", data_schema=schema)
