"""Buttons for a few well-known actions (docs/protocol.md §7.2) and the LCD debug screens (§3.1)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from homeassistant.components.button import ButtonEntity, ButtonEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import FurbyCoordinator
from .entity import FurbyEntity
from .errors import translated_error
from .protocol.commands import SPEAKING_NAMES_INPUT
from .runtime import FurbyConfigEntry

PARALLEL_UPDATES = 0
"""No limit here: the coordinator already sends one command at a time per Furby."""

GIGGLE = (55, 2, 14, 0)
"""Giggle (§7.2: bluefluff's button; 55/2/14/0-10 are all giggles)."""
PUKE = (56, 3, 15, 1)
"""Puke (§7.2: bluefluff's button and action list)."""


async def _async_say_name(coordinator: FurbyCoordinator) -> None:
    """Say the current name: action 33/0/0/<name id> (§7.2); refused while the name is unknown."""
    name_id = coordinator.state.name_id
    if name_id is None:
        raise translated_error(ServiceValidationError, "name_not_set", name=coordinator.name)
    await coordinator.async_trigger_action(SPEAKING_NAMES_INPUT, 0, 0, name_id)


@dataclass(frozen=True, kw_only=True)
class FurbyButtonEntityDescription(ButtonEntityDescription):
    """A button and what pressing it does."""

    press_fn: Callable[[FurbyCoordinator], Awaitable[None]]


BUTTONS: tuple[FurbyButtonEntityDescription, ...] = (
    FurbyButtonEntityDescription(
        key="giggle",
        translation_key="giggle",
        press_fn=lambda coordinator: coordinator.async_trigger_action(*GIGGLE),
    ),
    FurbyButtonEntityDescription(
        key="puke",
        translation_key="puke",
        press_fn=lambda coordinator: coordinator.async_trigger_action(*PUKE),
    ),
    FurbyButtonEntityDescription(
        key="say_name",
        translation_key="say_name",
        press_fn=_async_say_name,
    ),
    FurbyButtonEntityDescription(
        key="debug_screen",
        translation_key="debug_screen",
        entity_category=EntityCategory.DIAGNOSTIC,
        entity_registry_enabled_default=False,
        press_fn=lambda coordinator: coordinator.async_cycle_debug_screen(),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: FurbyConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the buttons."""
    async_add_entities(
        FurbyButton(entry.runtime_data.coordinator, description) for description in BUTTONS
    )


class FurbyButton(FurbyEntity, ButtonEntity):
    """Runs its description's command when pressed."""

    entity_description: FurbyButtonEntityDescription

    def __init__(
        self, coordinator: FurbyCoordinator, description: FurbyButtonEntityDescription
    ) -> None:
        """Attach the description's command to the Furby's device."""
        super().__init__(coordinator, description.key)
        self.entity_description = description

    async def async_press(self) -> None:
        """Send the command."""
        await self.entity_description.press_fn(self.coordinator)
