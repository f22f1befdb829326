"""The action and name catalog (docs/protocol.md §7)."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest

from custom_components.furby_connect.protocol.catalog import (
    Action,
    Catalog,
    load_catalog,
    read_catalog,
)
from custom_components.furby_connect.protocol.commands import NAME_ID_MAX

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "custom_components" / "furby_connect" / "protocol" / "data"

FIRST = ["Ah", "Bee", "Dah", "Day", "Dee", "Doo", "Kee", "Loo", "May", "Noo", "Tay", "Toh", "Way"]
SECOND = ["Bay", "Boh", "Boo", "Dah", "Doh", "Doo", "Kah", "Koh", "Tah", "Toh"]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def test_load_is_cached(catalog: Catalog) -> None:
    """The catalog file is read once; later calls return the same object."""
    assert load_catalog() is catalog


def test_sizes(catalog: Catalog) -> None:
    """The shipped catalog holds all 1,760 actions of actions.tsv and the 129 names."""
    assert len(catalog.actions) == 1_760
    assert len(catalog.names) == NAME_ID_MAX + 1 == 129
    assert len(catalog.categories()) == 30
    assert catalog.categories()[0] == "Generic reactions"


def test_names_follow_the_syllable_rule(catalog: Catalog) -> None:
    """Name ids follow the syllable rule of docs/protocol.md §7.3, without Tay-Tah."""
    # §7.3: id = 10*f + s below Tay-Toh (108), one less from there on; Tay-Tah does not exist.
    for f, first in enumerate(FIRST):
        for s, second in enumerate(SECOND):
            name = f"{first}-{second}"
            name_id = 10 * f + s
            if name == "Tay-Tah":
                assert catalog.name_id(name) is None
                continue
            expected = name_id if name_id < 108 else name_id - 1
            assert catalog.name_id(name) == expected
            assert catalog.name(expected) == name
    assert catalog.name(108) == "Tay-Toh"
    assert catalog.name(128) == "Way-Toh"
    assert "Tay-Tah" not in catalog.names


@pytest.mark.parametrize(
    ("text", "expected"),
    [("way-toh", 128), ("WAY TOH", 128), ("waytoh", 128), ("Ah_Bay", 0), (" tay-toh ", 108)],
)
def test_name_id_ignores_case_and_hyphens(catalog: Catalog, text: str, expected: int) -> None:
    """Name lookups ignore case, hyphens and spaces."""
    assert catalog.name_id(text) == expected


@pytest.mark.parametrize("text", ["", "Furby", "Tay-Tah", "Ah-Bay-Boo"])
def test_unknown_names(catalog: Catalog, text: str) -> None:
    """A name the toy does not know has no id."""
    assert catalog.name_id(text) is None


def test_name_id_rejects_non_str(catalog: Catalog) -> None:
    """Looking up a name that is not a string raises TypeError."""
    with pytest.raises(TypeError, match="name must be a str"):
        catalog.name_id(7)  # type: ignore[arg-type]


@pytest.mark.parametrize("name_id", [-1, 129, 1_000])
def test_name_out_of_range(catalog: Catalog, name_id: int) -> None:
    """Name ids outside 0-128 raise ValueError naming the range."""
    with pytest.raises(ValueError, match=rf"name_id must be between 0 and 128, got {name_id}"):
        catalog.name(name_id)


@pytest.mark.parametrize("name_id", [True, 1.0, "1"])
def test_name_wrong_type(catalog: Catalog, name_id: object) -> None:
    """A name id that is not an integer raises TypeError."""
    with pytest.raises(TypeError, match="name_id must be an integer"):
        catalog.name(name_id)  # type: ignore[arg-type]


def test_speaking_names_match_the_names(catalog: Catalog) -> None:
    """Input 33's 129 actions say the 129 names in id order (two source files agree)."""
    # Input 33 says name `specific` (§7.2); the two lists come from different source files.
    spoken = catalog.by_category("Speaking names")
    assert [a.code for a in spoken] == [(33, 0, 0, i) for i in range(129)]
    assert [a.description.strip('"') for a in spoken] == list(catalog.names)


@pytest.mark.parametrize(
    ("code", "description"),
    [
        ((55, 2, 14, 0), "giggle"),
        ((56, 3, 15, 1), "puke sounds"),
        ((17, 0, 0, 5), "beatboxing"),
        ((16, 0, 0, 0), "hiccup"),
        ((34, 0, 0, 0), '"Connected!"'),
        ((71, 0, 0, 7), '"Do"'),
    ],
)
def test_by_code(catalog: Catalog, code: tuple[int, int, int, int], description: str) -> None:
    """Known action codes give their catalog entry."""
    action = catalog.by_code(*code)
    assert action is not None
    assert action.code == code
    assert action.description == description


@pytest.mark.parametrize(
    "code", [(75, 0, 0, 0), (33, 0, 0, 129), (0, 0, 0, 0), (255, 255, 255, 255)]
)
def test_by_code_unknown(catalog: Catalog, code: tuple[int, int, int, int]) -> None:
    """Unknown action codes give nothing."""
    assert catalog.by_code(*code) is None


def test_by_category(catalog: Catalog) -> None:
    """Actions are listed by category, case-insensitively; every action has one."""
    notes = catalog.by_category("octave notes")
    assert [a.description for a in notes] == [
        '"Do"',
        '"Re"',
        '"Mi"',
        '"Fa"',
        '"Sol"',
        '"La"',
        '"Ti"',
        '"Do"',
    ]
    assert notes == catalog.by_category("Octave Notes")
    assert catalog.by_category("No such category") == []
    assert sum(len(catalog.by_category(c)) for c in catalog.categories()) == len(catalog.actions)


def test_by_category_returns_a_copy(catalog: Catalog) -> None:
    """Changing a returned list does not change the catalog."""
    catalog.by_category("Hiccup").clear()
    assert len(catalog.by_category("Hiccup")) == 6


def test_matching_prefix(catalog: Catalog) -> None:
    """A code prefix lists the actions below it; input 75 (DLC content) has none listed."""
    assert len(catalog.matching(71)) == 8
    giggles = catalog.matching(55, 2, 14)
    assert [a.specific for a in giggles] == list(range(11))
    assert catalog.matching(75) == []


def test_search_giggle_puts_the_known_giggle_first(catalog: Catalog) -> None:
    """A search ranks the well-known action and exact matches first."""
    results = catalog.search("giggle")
    assert len(results) == 20
    assert results[0].code == (55, 2, 14, 0)
    assert all("giggle" in a.description.lower() for a in results)
    exact = [a for a in results if a.description == "giggle"]
    assert results[: len(exact)] == exact


def test_search_ranks_whole_words_before_substrings(catalog: Catalog) -> None:
    """Whole-word matches come before substring matches."""
    results = catalog.search("dog", limit=100)
    whole_word = [bool(re.search(r"\bdog\b", a.description.lower())) for a in results]
    assert len(results) == 6
    assert whole_word == [True] * 4 + [False] * 2  # "hot dog" before "hotdog"


def test_search_needs_every_word(catalog: Catalog) -> None:
    """Every word of a search must appear in the description."""
    results = catalog.search("hot dog bun", limit=50)
    assert results
    assert all(all(w in a.description.lower() for w in ("hot", "dog", "bun")) for a in results)


def test_search_falls_back_to_the_category(catalog: Catalog) -> None:
    """A search matching no description matches category names."""
    results = catalog.search("octave", limit=50)
    assert [a.input for a in results] == [71] * 8


def test_search_limit_and_misses(catalog: Catalog) -> None:
    """The result limit holds and nonsense finds nothing."""
    assert len(catalog.search("giggle", limit=3)) == 3
    assert catalog.search("xyzzy plugh") == []


@pytest.mark.parametrize(
    ("text", "limit", "error", "message"),
    [
        ("", 20, ValueError, "at least one letter or digit"),
        ("  -- !!", 20, ValueError, "at least one letter or digit"),
        ("giggle", 0, ValueError, "limit must be a positive integer"),
        ("giggle", True, ValueError, "limit must be a positive integer"),
        (None, 20, TypeError, "text must be a str"),
    ],
)
def test_search_bad_input(
    catalog: Catalog, text: object, limit: object, error: type[Exception], message: str
) -> None:
    """Bad search text or limits raise a clear TypeError or ValueError."""
    with pytest.raises(error, match=message):
        catalog.search(text, limit)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("giggle", (55, 2, 14, 0)),
        ("Giggle!", (55, 2, 14, 0)),
        ("puke", (56, 3, 15, 1)),
        ("ear up", (55, 2, 17, 0)),
        ("hey hey", (39, 3, 1, 1)),
        ("dragonslayer", (30, 0, 0, 0)),
        ("55/2/14/3", (55, 2, 14, 3)),
        ("55 2 14 3", (55, 2, 14, 3)),
        ("55, 2, 14, 3", (55, 2, 14, 3)),
    ],
)
def test_find(catalog: Catalog, text: str, code: tuple[int, int, int, int]) -> None:
    """find() resolves well-known keys, descriptions and codes written in several ways."""
    action = catalog.find(text)
    assert action is not None
    assert action.code == code


@pytest.mark.parametrize("text", ["xyzzy", "75/0/0/0", "1/2/3/4"])
def test_find_nothing(catalog: Catalog, text: str) -> None:
    """find() returns None for text that matches nothing."""
    assert catalog.find(text) is None


def test_find_bad_input(catalog: Catalog) -> None:
    """find() refuses blank text and non-strings."""
    with pytest.raises(ValueError, match="at least one letter"):
        catalog.find("   ")
    with pytest.raises(TypeError, match="text must be a str"):
        catalog.find(55)  # type: ignore[arg-type]


def test_well_known_actions(catalog: Catalog) -> None:
    """The well-known actions of §7.2 exist and the mapping is read-only."""
    assert set(catalog.well_known) >= {"giggle", "puke", "hiccup", "beatboxing"}
    assert catalog.well_known["giggle"].code == (55, 2, 14, 0)
    with pytest.raises(TypeError):
        catalog.well_known["x"] = catalog.actions[0]  # type: ignore[index]


def test_action_label() -> None:
    """An action's label shows its description and its four-byte code."""
    action = Action(55, 2, 14, 0, "World App", "giggle")
    assert action.label == "giggle (55/2/14/0)"
    assert action.code == (55, 2, 14, 0)


def test_catalog_refuses_inconsistent_data() -> None:
    """Duplicate codes, duplicate names and unknown well-known codes are refused."""
    a = Action(1, 0, 0, 0, "c", "one")
    with pytest.raises(ValueError, match="duplicate action code"):
        Catalog([a, Action(1, 0, 0, 0, "c", "two")], [])
    with pytest.raises(ValueError, match="duplicate name"):
        Catalog([a], ["Ah-Bay", "ah bay"])
    with pytest.raises(ValueError, match="well-known action 'x' has unknown code"):
        Catalog([a], [], {"x": (2, 0, 0, 0)})


@pytest.mark.parametrize(
    "document",
    [
        [],
        {"format": 2},
        {"format": 1},
        {
            "format": 1,
            "categories": [],
            "actions": [[1, 0, 0, 0, 0, "x"]],
            "names": [],
            "well_known": {},
        },
        {"format": 1, "categories": ["c"], "actions": [[1, 0, 0]], "names": [], "well_known": {}},
        {"format": 1, "categories": ["c"], "actions": [], "names": [], "well_known": {"x": [1]}},
    ],
)
def test_malformed_data_file(tmp_path: Path, document: object) -> None:
    """A malformed catalog file raises a ValueError naming the file."""
    path = tmp_path / "broken.json.gz"
    path.write_bytes(gzip.compress(json.dumps(document).encode()))
    with pytest.raises(ValueError, match=r"catalog data in broken\.json\.gz is malformed"):
        read_catalog(path)


def test_data_ships_with_the_mit_notice() -> None:
    """bluefluff's MIT notice ships next to the data."""
    notice = (DATA / "LICENSE-bluefluff.md").read_text(encoding="utf-8")
    assert "Copyright 2017 Florian Euchner" in notice
    assert "Permission is hereby granted, free of charge" in notice


def test_row_dropped_by_the_earlier_conversion_is_back(catalog: Catalog) -> None:
    """12/3/0/6 ("neighbor, way-loo toh-toh", sung) is in the catalog (issue: 1,760 actions)."""
    action = catalog.by_code(12, 3, 0, 6)
    assert action is not None
    assert "way-loo toh-toh" in action.description
