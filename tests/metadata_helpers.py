"""What the integration's code uses, read from its source (for the local hassfest-like rules).

``CodeScan`` parses every module of ``custom_components/furby_connect`` and collects, without
importing anything: the string literals, the literal prefixes of f-strings (``f"upload_{key}"``
gives ``upload_``), the identifiers, the config and options flow step ids / errors / abort
reasons, and the exception translation keys the code raises. The rules in
``tests/test_translation_keys.py`` compare those with ``translations/en.json``; they are written
for patterns, not for today's keys, so they stay right as code is added.
"""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.util.yaml import load_yaml_dict
from pytest_homeassistant_custom_component.common import MockConfigEntry

ROOT = Path(__file__).parents[1]
INTEGRATION = ROOT / "custom_components" / "furby_connect"
DOMAIN = INTEGRATION.name
TRANSLATIONS: dict[str, Any] = json.loads(
    (INTEGRATION / "translations" / "en.json").read_text(encoding="utf-8")
)
ICONS: dict[str, Any] = json.loads((INTEGRATION / "icons.json").read_text(encoding="utf-8"))
SERVICES_YAML: dict[str, Any] = dict(load_yaml_dict(str(INTEGRATION / "services.yaml")))

KEY_BUILDERS: dict[str, tuple[int, str]] = {
    "translated_error": (1, ""),
    "upload_error": (1, "upload_"),
    "FurbyIntentError": (0, ""),
}
"""Functions that turn a literal argument into an ``exceptions`` key: name -> (position, prefix).

A new helper that builds translated errors from a key is added here."""

OPTIONS_FLOW_BASES = ("OptionsFlow",)
CONFIG_FLOW_BASES = ("ConfigFlow",)


@dataclass
class FlowScan:
    """What one kind of flow (config or options) shows: step ids, errors and abort reasons."""

    steps: set[str] = field(default_factory=set)
    errors: set[str] = field(default_factory=set)
    aborts: set[str] = field(default_factory=set)
    title_placeholders: bool = False


def _literal(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def _keyword(node: ast.Call, name: str) -> ast.AST | None:
    return next((kw.value for kw in node.keywords if kw.arg == name), None)


@dataclass
class CodeScan:
    """Everything the rules need from the integration's source."""

    literals: set[str] = field(default_factory=set)
    prefixes: set[str] = field(default_factory=set)
    identifiers: set[str] = field(default_factory=set)
    exception_keys: set[str] = field(default_factory=set)
    translation_key_literals: set[str] = field(default_factory=set)
    config: FlowScan = field(default_factory=FlowScan)
    options: FlowScan = field(default_factory=FlowScan)

    @classmethod
    def of_integration(cls) -> CodeScan:
        """Scan every module of the integration (protocol package included)."""
        scan = cls()
        for path in sorted(INTEGRATION.rglob("*.py")):
            scan.add(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        return scan

    def add(self, tree: ast.Module) -> None:
        """Collect what one module uses."""
        for node in ast.walk(tree):
            if (text := _literal(node)) is not None:
                self.literals.add(text)
            elif isinstance(node, ast.JoinedStr) and node.values:
                if (prefix := _literal(node.values[0])) is not None:
                    self.prefixes.add(prefix)
            elif isinstance(node, ast.Name):
                self.identifiers.add(node.id)
            elif isinstance(node, ast.Attribute):
                self.identifiers.add(node.attr)
            elif isinstance(node, ast.arg):
                self.identifiers.add(node.arg)
            elif isinstance(node, ast.Call):
                self._add_call(node)
            elif isinstance(node, ast.ClassDef):
                self._add_flow(node)

    def _add_call(self, node: ast.Call) -> None:
        name = _call_name(node)
        if (key := _literal(_keyword(node, "translation_key"))) is not None:
            self.translation_key_literals.add(key)
            if _keyword(node, "translation_domain") is not None:
                self.exception_keys.add(key)
        if name in KEY_BUILDERS:
            position, prefix = KEY_BUILDERS[name]
            if len(node.args) > position and (key := _literal(node.args[position])):
                self.exception_keys.add(prefix + key)

    def _add_flow(self, node: ast.ClassDef) -> None:
        bases = {base.id if isinstance(base, ast.Name) else "" for base in node.bases}
        if any(base.startswith(OPTIONS_FLOW_BASES) for base in bases):
            flow = self.options
        elif any(base.startswith(CONFIG_FLOW_BASES) for base in bases):
            flow = self.config
        else:
            return
        for child in ast.walk(node):
            if isinstance(child, ast.Call):
                name = _call_name(child)
                if (step := _literal(_keyword(child, "step_id"))) is not None:
                    flow.steps.add(step)
                if name == "async_abort" and (reason := _literal(_keyword(child, "reason"))):
                    flow.aborts.add(reason)
                if name == "_abort_if_unique_id_configured":
                    flow.aborts.add("already_configured")
                errors = _keyword(child, "errors")
                if isinstance(errors, ast.Dict):
                    flow.errors.update(v for v in map(_literal, errors.values) if v)
            elif isinstance(child, ast.Assign):
                target = child.targets[0]
                if (
                    isinstance(target, ast.Subscript)
                    and isinstance(target.value, ast.Name)
                    and target.value.id == "errors"
                    and (error := _literal(child.value)) is not None
                ):
                    flow.errors.add(error)
            elif isinstance(child, ast.Constant) and child.value == "title_placeholders":
                flow.title_placeholders = True

    def builds_key(self, key: str) -> bool:
        """Whether ``key`` is a literal, or an f-string prefix followed by a literal."""
        if key in self.literals:
            return True
        return any(
            key.startswith(prefix) and key[len(prefix) :] in self.literals
            for prefix in self.prefixes
            if prefix
        )


async def async_load_furby(hass: HomeAssistant, address: str) -> MockConfigEntry:
    """Set up a Furby entry (as the config flow creates it); its entities exist at once."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        unique_id=address,
        title=f"Furby ({address.replace(':', '')[-4:]})",
        data={"address": address},
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


def furby_entities(hass: HomeAssistant, entry: MockConfigEntry) -> list[er.RegistryEntry]:
    """The entity registry entries of a Furby entry."""
    return er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)


def service_fields(service: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A services.yaml action's fields by name, those inside sections included."""
    fields: dict[str, dict[str, Any]] = {}
    for key, spec in (service.get("fields") or {}).items():
        if "fields" in spec:  # a section: {"collapsed": ..., "fields": {...}}
            fields.update(spec["fields"])
        else:
            fields[key] = spec
    return fields


def service_sections(service: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A services.yaml action's sections by name."""
    return {k: v for k, v in (service.get("fields") or {}).items() if "fields" in v}


def schema_keys(schema: Any) -> set[str]:
    """The field names a (voluptuous or probatio) service schema accepts."""
    if isinstance(schema, dict):
        return {str(getattr(key, "schema", key)) for key in schema}
    if hasattr(schema, "validators"):  # All / Any
        return {key for validator in schema.validators for key in schema_keys(validator)}
    if hasattr(schema, "schema"):  # Schema
        return schema_keys(schema.schema)
    return set()
