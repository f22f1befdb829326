"""Config flow: discovery + confirm, the user pick list, the connection test, options."""

from __future__ import annotations

from typing import Any
from unittest.mock import patch

import bleak_retry_connector
import pytest
from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_BLUETOOTH, SOURCE_IGNORE, SOURCE_USER, ConfigEntry
from homeassistant.const import CONF_ADDRESS
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType, InvalidData
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.furby_connect.const import (
    CONF_IDLE_TIMEOUT,
    CONF_STAY_CONNECTED,
    DOMAIN,
)
from custom_components.furby_connect.protocol import gatt
from virtual_furby.toy import VirtualFurby

from ..bluetooth_helpers import inject_advertisement
from .conftest import async_drive, async_setup, async_wait_until, make_entry
from .entity_helpers import FurbyView

SECOND = "F1:23:45:67:89:AC"
THIRD = "F1:23:45:67:89:AD"


async def policy(
    hass: HomeAssistant, hass_client: ClientSessionGenerator, entry: ConfigEntry[Any]
) -> tuple[bool, float]:
    """The connection policy the entry runs with, from its diagnostics."""
    connection = (await get_diagnostics_for_config_entry(hass, hass_client, entry))["connection"]
    return connection["stay_connected"], connection["idle_timeout"]


def schema_of(result: Any) -> dict[Any, Any]:
    """The fields of a form result's schema."""
    assert result["data_schema"] is not None
    fields: dict[Any, Any] = result["data_schema"].schema
    return fields


async def _discovery_flow(hass: HomeAssistant, furby: VirtualFurby) -> dict[str, Any]:
    """The bluetooth discovery flow HA started for ``furby``'s advertisement."""
    await hass.async_block_till_done(wait_background_tasks=True)
    flows = [
        flow
        for flow in hass.config_entries.flow.async_progress_by_handler(DOMAIN)
        if flow["context"]["unique_id"] == furby.address
    ]
    assert len(flows) == 1
    return dict(flows[0])


async def test_discovery_confirm_connects_and_creates_the_entry(
    hass: HomeAssistant, furby: VirtualFurby
) -> None:
    """Discovery asks for confirmation, tests the link once and creates the entry."""
    flow = await _discovery_flow(hass, furby)
    assert flow["context"]["source"] == SOURCE_BLUETOOTH
    assert flow["step_id"] == "bluetooth_confirm"
    assert flow["context"]["title_placeholders"] == {"name": "Furby (89AB)"}
    connects = furby.connect_count

    result = await hass.config_entries.flow.async_configure(flow["flow_id"], {})

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Furby (89AB)"
    assert result["data"] == {CONF_ADDRESS: furby.address}
    entry = result["result"]
    assert entry.unique_id == furby.address
    # the connection test connected once and disconnected; then the new entry connected
    view = FurbyView(hass, entry)
    await async_wait_until(hass, lambda: view.connected)
    assert furby.connect_count == connects + 2
    assert furby.disconnect_count == 1
    await hass.config_entries.async_unload(entry.entry_id)


async def test_discovery_shows_cannot_connect_then_recovers(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    furby: VirtualFurby,
) -> None:
    """A failed connection test shows cannot_connect; the next try creates the entry."""
    flow = await _discovery_flow(hass, furby)
    furby.faults.refuse_connections()

    result = await async_drive(
        hass, freezer, hass.config_entries.flow.async_configure(flow["flow_id"], {})
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "bluetooth_confirm"
    assert result["errors"] == {"base": "cannot_connect"}
    assert not furby.is_connected

    furby.faults.allow_connections()
    result = await hass.config_entries.flow.async_configure(flow["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.config_entries.async_unload(result["result"].entry_id)


async def test_discovery_of_a_configured_furby_aborts(
    hass: HomeAssistant, furby_factory: Any
) -> None:
    """A configured Furby starts no discovery flow and a forced one aborts."""
    make_entry("F1:23:45:67:89:AB").add_to_hass(hass)
    furby = furby_factory()
    await hass.async_block_till_done(wait_background_tasks=True)
    assert hass.config_entries.flow.async_progress_by_handler(DOMAIN) == []

    result = await hass.config_entries.flow.async_init(
        DOMAIN,
        context={"source": SOURCE_BLUETOOTH},
        data=inject_advertisement(hass, furby.address, "Furby"),
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_user_step_lists_unconfigured_furbies_only(
    hass: HomeAssistant, furby_factory: Any
) -> None:
    """The pick list holds the Furbies in range not set up yet, nothing else."""
    configured = make_entry("F1:23:45:67:89:AB")
    configured.add_to_hass(hass)
    furby_factory()
    furby_factory(SECOND)
    furby_factory(THIRD)
    inject_advertisement(hass, "C0:FF:EE:00:00:01", "Kipps")  # an R2-D2, not a Furby
    await hass.async_block_till_done(wait_background_tasks=True)

    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    choices = schema_of(result)[CONF_ADDRESS].container
    assert set(choices) == {SECOND, THIRD}
    assert choices[SECOND] == f"Furby (89AC) {SECOND}"

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_ADDRESS: THIRD}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Furby (89AD)"
    assert result["data"] == {CONF_ADDRESS: THIRD}
    assert result["result"].unique_id == THIRD
    # the discovery flow of the same Furby went away with the new entry
    progress = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert {flow["context"]["unique_id"] for flow in progress} == {SECOND}
    await hass.config_entries.async_unload(result["result"].entry_id)


async def test_user_step_offers_an_ignored_furby(hass: HomeAssistant, furby: VirtualFurby) -> None:
    """An ignored Furby is offered again in the pick list."""
    MockConfigEntry(domain=DOMAIN, unique_id=furby.address, source=SOURCE_IGNORE).add_to_hass(hass)
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["type"] is FlowResultType.FORM
    assert set(schema_of(result)[CONF_ADDRESS].container) == {furby.address}


async def test_user_step_without_furbies_aborts(hass: HomeAssistant) -> None:
    """Without Furbies in range the user step aborts with no_devices_found."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "no_devices_found"


async def test_user_step_when_every_furby_is_configured_aborts(
    hass: HomeAssistant, furby: VirtualFurby
) -> None:
    """With every Furby set up the user step aborts with no_devices_found."""
    make_entry(furby.address).add_to_hass(hass)
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "no_devices_found"


async def test_user_step_cannot_connect_then_recovers(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    furby: VirtualFurby,
) -> None:
    """A failed connection test from the pick list shows cannot_connect, then recovers."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    furby.faults.go_out_of_range()

    result = await async_drive(
        hass,
        freezer,
        hass.config_entries.flow.async_configure(result["flow_id"], {CONF_ADDRESS: furby.address}),
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "cannot_connect"}

    furby.faults.come_into_range()
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_ADDRESS: furby.address}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.config_entries.async_unload(result["result"].entry_id)


async def test_user_step_rejects_an_address_not_offered(
    hass: HomeAssistant, furby: VirtualFurby
) -> None:
    """An address that was not offered is refused by the form."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    with pytest.raises(InvalidData):
        await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_ADDRESS: "00:11:22:33:44:55"}
        )


async def test_user_step_aborts_when_configured_meanwhile(
    hass: HomeAssistant, furby: VirtualFurby
) -> None:
    """A Furby configured while the form was open aborts as already configured."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    make_entry(furby.address).add_to_hass(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_ADDRESS: furby.address}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_connection_test_fails_when_the_proxy_lost_the_toy(
    freezer: FrozenDateTimeFactory,
    hass: HomeAssistant,
    furby: VirtualFurby,
    virtual_proxy: Any,
) -> None:
    """A toy the proxy can no longer reach fails the connection test."""
    flow = await _discovery_flow(hass, furby)
    virtual_proxy.scanner.remove_peripheral(furby)
    # HA still has the advertisement, but the proxy can no longer reach the toy
    result = await async_drive(
        hass, freezer, hass.config_entries.flow.async_configure(flow["flow_id"], {})
    )
    assert result["errors"] == {"base": "cannot_connect"}


async def test_options_flow_sets_the_connection_policy(
    hass: HomeAssistant, hass_client: ClientSessionGenerator, furby: VirtualFurby
) -> None:
    """The options flow stores the policy and the entry reloads with it."""
    entry = make_entry(furby.address)
    entry.add_to_hass(hass)
    await async_setup(hass, entry)
    assert (await policy(hass, hass_client, entry)) == (True, 60)

    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "init"
    defaults = {key.schema: key.default() for key in schema_of(result)}
    assert defaults == {CONF_STAY_CONNECTED: True, CONF_IDLE_TIMEOUT: 60}

    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_STAY_CONNECTED: False, CONF_IDLE_TIMEOUT: 120.0}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert entry.options == {CONF_STAY_CONNECTED: False, CONF_IDLE_TIMEOUT: 120}
    await hass.async_block_till_done()
    # the entry was reloaded with the new policy
    assert (await policy(hass, hass_client, entry)) == (False, 120)

    result = await hass.config_entries.options.async_init(entry.entry_id)
    defaults = {key.schema: key.default() for key in schema_of(result)}
    assert defaults == {CONF_STAY_CONNECTED: False, CONF_IDLE_TIMEOUT: 120}
    await hass.config_entries.async_unload(entry.entry_id)


@pytest.mark.parametrize("idle", [0, 9, 3601, "soon"])
async def test_options_flow_rejects_a_bad_idle_time(
    hass: HomeAssistant, furby: VirtualFurby, idle: object
) -> None:
    """An idle time outside 10-3600 s or not a number is refused."""
    entry = make_entry(furby.address)
    entry.add_to_hass(hass)
    await async_setup(hass, entry)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    with pytest.raises(InvalidData):
        await hass.config_entries.options.async_configure(
            result["flow_id"], {CONF_STAY_CONNECTED: False, CONF_IDLE_TIMEOUT: idle}
        )
    assert entry.options == {}
    await hass.config_entries.async_unload(entry.entry_id)


@pytest.mark.parametrize(
    ("name", "service_uuids", "is_furby"),
    [
        ("Furby", [], True),
        ("Furby", [gatt.FLUFF_SERVICE], True),
        ("", [gatt.FLUFF_SERVICE], True),  # a proxy that lost the name still sees the service
        ("Kipps", ["dab91435-b5a1-e29c-b041-bcd562613be4"], False),  # Hasbro's R2-D2
        ("Furby Boom", [], False),
        ("furby", [], False),
    ],
)
async def test_the_pick_list_and_discovery_agree_on_what_a_furby_is(
    hass: HomeAssistant, name: str, service_uuids: list[str], is_furby: bool
) -> None:
    """An advertisement is offered in the pick list exactly when discovery starts a flow for it
    (both follow the manifest's matchers: the name "Furby" or the Fluff service).
    """
    address = "F1:23:45:67:89:EE"
    inject_advertisement(hass, address, name, service_uuids)
    await hass.async_block_till_done(wait_background_tasks=True)
    discovered = [
        flow
        for flow in hass.config_entries.flow.async_progress_by_handler(DOMAIN)
        if flow["context"]["unique_id"] == address
    ]
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    offered = result["type"] is FlowResultType.FORM and address in (
        schema_of(result)[CONF_ADDRESS].container
    )
    assert (bool(discovered), offered) == (is_furby, is_furby)


async def test_an_unexpected_error_in_the_connection_test_shows_unknown(
    hass: HomeAssistant, furby: VirtualFurby, caplog: pytest.LogCaptureFixture
) -> None:
    """An error nobody planned for during the connection test (here from the Bluetooth
    library) shows the ``unknown`` error with the traceback logged, instead of breaking the
    flow; the next try creates the entry.
    """
    flow = await _discovery_flow(hass, furby)
    with patch.object(
        bleak_retry_connector, "establish_connection", side_effect=RuntimeError("boom")
    ):
        result = await hass.config_entries.flow.async_configure(flow["flow_id"], {})
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "unknown"}
    assert "Unexpected error" in caplog.text
    assert "RuntimeError: boom" in caplog.text

    result = await hass.config_entries.flow.async_configure(flow["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.config_entries.async_unload(result["result"].entry_id)


async def test_an_unexpected_error_from_the_pick_list_shows_unknown(
    hass: HomeAssistant, furby: VirtualFurby
) -> None:
    """The user step shows ``unknown`` too when the connection test fails unexpectedly."""
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    with patch.object(
        bleak_retry_connector, "establish_connection", side_effect=RuntimeError("boom")
    ):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], {CONF_ADDRESS: furby.address}
        )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    assert result["errors"] == {"base": "unknown"}
