"""Translated Home Assistant errors of the integration (messages in ``translations/en.json``)."""

from __future__ import annotations

from homeassistant.exceptions import HomeAssistantError

from .const import DOMAIN


def translated_error[E: HomeAssistantError](kind: type[E], key: str, **placeholders: str) -> E:
    """Build a translated error of ``kind`` with ``translation_key`` ``key``."""
    return kind(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders=placeholders,
    )
