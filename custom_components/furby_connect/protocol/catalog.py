"""The catalog of known actions and names (docs/protocol.md §7).

The data ship gzip'd in ``data/catalog.json.gz`` (built by ``scripts/build_catalog.py`` from
bluefluff's lists, MIT, notice in ``data/LICENSE-bluefluff.md``). ``load_catalog`` reads them once
and caches the result; it does blocking file I/O, so Home Assistant calls it in an executor.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Final

DATA_FILE: Final = Path(__file__).parent / "data" / "catalog.json.gz"
"""The shipped catalog."""

DATA_FORMAT: Final = 1
"""``format`` value the loader understands."""

type ActionCode = tuple[int, int, int, int]

_CODE_SEPARATORS: Final = re.compile(r"[\s/,:.-]+")
_NOT_WORD: Final = re.compile(r"[^\w]+")


def _normalize(text: str) -> str:
    """Lower-case ``text`` and reduce punctuation and runs of spaces to single spaces."""
    return " ".join(_NOT_WORD.sub(" ", text.casefold().replace("_", " ")).split())


def _name_key(name: str) -> str:
    """Compare names ignoring case, hyphens, spaces and underscores."""
    return _normalize(name).replace(" ", "")


@dataclass(frozen=True, slots=True)
class Action:
    """One action the toy can perform, addressed by four bytes (§7.1)."""

    input: int
    index: int
    subindex: int
    specific: int
    category: str
    description: str

    @property
    def code(self) -> ActionCode:
        """``(input, index, subindex, specific)``."""
        return (self.input, self.index, self.subindex, self.specific)

    @property
    def label(self) -> str:
        """A one-line label: description then code, e.g. ``giggle (55/2/14/0)``."""
        return f"{self.description} ({self.input}/{self.index}/{self.subindex}/{self.specific})"


class Catalog:
    """Actions and names with lookups by code, category, text and name."""

    def __init__(
        self,
        actions: Iterable[Action],
        names: Sequence[str],
        well_known: Mapping[str, ActionCode] | None = None,
    ) -> None:
        """Index ``actions`` (codes must be unique) and ``names`` (id = position)."""
        self.actions: tuple[Action, ...] = tuple(actions)
        self.names: tuple[str, ...] = tuple(names)
        self._by_code: dict[ActionCode, Action] = {}
        for action in self.actions:
            if action.code in self._by_code:
                raise ValueError(f"duplicate action code {action.code}")
            self._by_code[action.code] = action
        self._categories: dict[str, list[Action]] = {}
        for action in self.actions:
            self._categories.setdefault(action.category, []).append(action)
        self._category_keys = {category.casefold(): category for category in self._categories}
        self._name_ids: dict[str, int] = {}
        for name_id, name in enumerate(self.names):
            if _name_key(name) in self._name_ids:
                raise ValueError(f"duplicate name {name!r}")
            self._name_ids[_name_key(name)] = name_id
        known: dict[str, Action] = {}
        for key, code in (well_known or {}).items():
            if code not in self._by_code:
                raise ValueError(f"well-known action {key!r} has unknown code {code}")
            known[key] = self._by_code[code]
        self.well_known: Mapping[str, Action] = MappingProxyType(known)
        self._well_known_keys = {_normalize(key): action for key, action in known.items()}
        self._haystacks = [
            (_normalize(action.description), _normalize(action.category)) for action in self.actions
        ]

    def by_code(self, input: int, index: int, subindex: int, specific: int) -> Action | None:
        """Return the action with this exact code, if the catalog knows it."""
        return self._by_code.get((input, index, subindex, specific))

    def matching(
        self, input: int, index: int | None = None, subindex: int | None = None
    ) -> list[Action]:
        """List the known actions a random trigger with these fields may play (§3.1)."""
        prefix = tuple(v for v in (input, index, subindex) if v is not None)
        return [a for a in self.actions if a.code[: len(prefix)] == prefix]

    def categories(self) -> list[str]:
        """List the category names in catalog order."""
        return list(self._categories)

    def by_category(self, category: str) -> list[Action]:
        """List the actions of a category (case-insensitive); empty for an unknown one."""
        key = self._category_keys.get(category.casefold())
        return list(self._categories[key]) if key is not None else []

    def search(self, text: str, limit: int = 20) -> list[Action]:
        """Find actions whose description (or category) holds every word of ``text``, best first.

        Ranking: a well-known key (``giggle``), then an exact description, the phrase as whole
        words, every word as a whole word, every word as a substring, and finally matches that
        need the category; ties go to the shorter description, then the lower code.
        """
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, got {type(text).__name__}")
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise ValueError(f"limit must be a positive integer, got {limit!r}")
        query = _normalize(text)
        if not query:
            raise ValueError("search text must contain at least one letter or digit")
        words = query.split()
        ranked: list[tuple[int, int, ActionCode, Action]] = []
        favourite = self._well_known_keys.get(query)
        for action, (description, category) in zip(self.actions, self._haystacks, strict=True):
            rank = _rank(query, words, description, category)
            if action is favourite:
                rank = 0
            if rank is not None:
                ranked.append((rank, len(description), action.code, action))
        ranked.sort(key=lambda item: item[:3])
        return [item[3] for item in ranked[:limit]]

    def find(self, text: str) -> Action | None:
        """Return the best match for ``text``: a code like ``55/2/14/0``, or the top result."""
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, got {type(text).__name__}")
        parts = _CODE_SEPARATORS.split(text.strip())
        if len(parts) == 4 and all(part.isdecimal() for part in parts):
            code = tuple(int(part) for part in parts)
            return self.by_code(code[0], code[1], code[2], code[3])
        results = self.search(text, limit=1)
        return results[0] if results else None

    def name_id(self, name: str) -> int | None:
        """Return the id of a name, ignoring case and hyphens (``"way toh"`` → 128)."""
        if not isinstance(name, str):
            raise TypeError(f"name must be a str, got {type(name).__name__}")
        return self._name_ids.get(_name_key(name))

    def name(self, name_id: int) -> str:
        """Return the name with this id; ``ValueError`` outside 0 to the last id."""
        if isinstance(name_id, bool) or not isinstance(name_id, int):
            raise TypeError(f"name_id must be an integer, got {type(name_id).__name__}")
        if not 0 <= name_id < len(self.names):
            raise ValueError(f"name_id must be between 0 and {len(self.names) - 1}, got {name_id}")
        return self.names[name_id]


def _rank(query: str, words: list[str], description: str, category: str) -> int | None:
    """How well an action matches (lower is better), or ``None`` for no match."""
    padded = f" {description} "
    if description == query:
        return 1
    if f" {query} " in padded:
        return 2
    if all(f" {word} " in padded for word in words):
        return 3
    if all(word in description for word in words):
        return 4
    if all(word in f"{description} {category}" for word in words):
        return 5
    return None


def parse_catalog(document: object, source: str = DATA_FILE.name) -> Catalog:
    """Build a ``Catalog`` from a decoded catalog document, refusing a malformed one.

    ``source`` names the document in the error (``ValueError``).
    """
    try:
        if not isinstance(document, dict) or document.get("format") != DATA_FORMAT:
            raise ValueError("unknown catalog format")
        categories = [str(c) for c in document["categories"]]
        actions = [
            Action(int(i), int(x), int(s), int(p), categories[int(c)], str(d))
            for i, x, s, p, c, d in document["actions"]
        ]
        names = [str(name) for name in document["names"]]
        well_known = {
            str(key): (int(c[0]), int(c[1]), int(c[2]), int(c[3]))
            for key, c in document["well_known"].items()
        }
        return Catalog(actions, names, well_known)
    except (KeyError, IndexError, TypeError, ValueError, AttributeError) as err:
        raise ValueError(f"catalog data in {source} is malformed: {err}") from err


def read_catalog(path: Path) -> Catalog:
    """Read a gzip'd catalog file (blocking; not cached)."""
    with gzip.open(path, "rt", encoding="utf-8") as file:
        return parse_catalog(json.load(file), path.name)


@cache
def load_catalog() -> Catalog:
    """Read and cache the shipped catalog (blocking: call it in an executor the first time)."""
    return read_catalog(DATA_FILE)
