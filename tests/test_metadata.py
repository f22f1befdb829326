"""Checks hassfest and HACS make on a custom integration (docs/home_assistant.md §4), run locally.

hassfest itself needs a Home Assistant core checkout, which these machines cannot fetch, so the
rules that matter for this integration are checked here.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from homeassistant.const import __version__ as HA_VERSION

from custom_components.furby_connect.protocol import gatt
from tests.versions import oldest_pinned_version, pinned_versions

ROOT = Path(__file__).parents[1]
INTEGRATION = ROOT / "custom_components" / "furby_connect"
MANIFEST = json.loads((INTEGRATION / "manifest.json").read_text(encoding="utf-8"))
TRANSLATIONS = json.loads((INTEGRATION / "translations" / "en.json").read_text(encoding="utf-8"))


def test_manifest_keys_are_ordered_as_hassfest_wants() -> None:
    """manifest.json has domain and name first, then the other keys sorted."""
    keys = list(MANIFEST)
    assert keys[:2] == ["domain", "name"]
    assert keys[2:] == sorted(keys[2:])


def test_manifest_has_the_required_custom_integration_keys() -> None:
    """manifest.json has every key a custom integration needs."""
    for key in ("domain", "name", "codeowners", "documentation", "issue_tracker", "version"):
        assert MANIFEST[key], key
    assert MANIFEST["domain"] == INTEGRATION.name
    assert MANIFEST["iot_class"] == "local_push"
    assert MANIFEST["documentation"].startswith("https://")
    assert MANIFEST["bluetooth"] == [
        {"connectable": True, "local_name": "Furby"},
        {"connectable": True, "service_uuid": gatt.FLUFF_SERVICE},
    ]
    assert "bluetooth_adapters" in MANIFEST["dependencies"]


def test_hacs_json() -> None:
    """hacs.json holds only keys HACS knows, and a name."""
    hacs = json.loads((ROOT / "hacs.json").read_text(encoding="utf-8"))
    assert set(hacs) <= {
        "name", "content_in_root", "zip_release", "filename", "hide_default_branch",
        "country", "homeassistant", "hacs", "persistent_directory", "render_readme",
    }  # fmt: skip
    assert hacs["name"]


def test_hacs_minimum_is_the_oldest_version_the_tests_run_on() -> None:
    """hacs.json's minimum Home Assistant is the oldest pinned test environment's version."""
    hacs = json.loads((ROOT / "hacs.json").read_text(encoding="utf-8"))
    assert hacs["homeassistant"] == oldest_pinned_version()


def test_the_running_home_assistant_is_one_the_requirements_name() -> None:
    """The version each requirements file names is what its environment runs (so the previous
    check compares with what is really tested; both environments run this)."""
    assert HA_VERSION in pinned_versions().values()


def strings(tree: Any, path: str = "") -> list[tuple[str, str]]:
    """Flatten a translation tree into (dotted key, text) pairs."""
    if isinstance(tree, dict):
        return [pair for key, value in tree.items() for pair in strings(value, f"{path}.{key}")]
    return [(path, tree)]


@pytest.mark.parametrize(("key", "text"), strings(TRANSLATIONS), ids=lambda v: str(v)[:60])
def test_translation_strings_follow_hassfest_rules(key: str, text: str) -> None:
    """Each translation string passes hassfest's checks (spaces, URLs, HTML, placeholders)."""
    assert isinstance(text, str), key
    assert text == text.strip(), f"{key}: leading or trailing space"
    assert text, f"{key}: empty"
    assert not re.search(r"https?://", text), f"{key}: URLs belong in description placeholders"
    assert not re.search(r"<[a-z/][^>]*>", text), f"{key}: no HTML"
    for placeholder in re.findall(r"\{([^}]*)\}", text):
        assert placeholder.isidentifier(), f"{key}: bad placeholder {placeholder!r}"
    assert not re.search(r"'\{[^}]*\}'", text), f"{key}: placeholder inside single quotes"


def test_icons_are_mdi() -> None:
    """Every icon in icons.json is an mdi icon."""
    icons = json.loads((INTEGRATION / "icons.json").read_text(encoding="utf-8"))
    assert icons["services"]
    for key, icon in strings(icons):
        assert icon.startswith("mdi:"), key


# --------------------------------------------------------------------------- changelog

CHANGELOG = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
_VERSION_HEADING = re.compile(r"^## \[(?P<version>[^\]]+)\](?: - (?P<date>.+))?$", re.MULTILINE)
_SECTIONS = {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}


def _versions() -> list[tuple[str, str | None]]:
    return [(m["version"], m["date"]) for m in _VERSION_HEADING.finditer(CHANGELOG)]


def test_changelog_newest_version_is_the_manifest_version() -> None:
    """The newest released entry of CHANGELOG.md carries manifest.json's version."""
    released = [version for version, _date in _versions() if version != "Unreleased"]
    assert released, "CHANGELOG.md has no version"
    assert released[0] == MANIFEST["version"]


def test_changelog_follows_keep_a_changelog() -> None:
    """Title, an optional Unreleased section first, then versions newest first with ISO dates,
    the standard subsections, and a link for each heading."""
    assert CHANGELOG.startswith("# Changelog\n")
    versions = _versions()
    names = [version for version, _date in versions]
    assert "Unreleased" not in names[1:]
    released = [(version, date) for version, date in versions if version != "Unreleased"]
    keys = [tuple(int(part) for part in version.split(".")) for version, _date in released]
    assert keys == sorted(keys, reverse=True)
    assert len(set(keys)) == len(keys)
    for version, date in released:
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), version
        assert date is not None, version
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", date), version
        assert re.search(rf"^\[{re.escape(version)}\]: https://\S+$", CHANGELOG, re.MULTILINE)
    for section in re.findall(r"^### (.+)$", CHANGELOG, re.MULTILINE):
        assert section in _SECTIONS, section
