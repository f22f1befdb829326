"""``scripts/build_catalog.py``: reproducible output, staleness check and bad sources."""

from __future__ import annotations

import gzip
import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

from custom_components.furby_connect.protocol import catalog as catalog_module

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO / ".." / "shared" / "furby"
DATA = REPO / "custom_components" / "furby_connect" / "protocol" / "data"

FIRST = ["Ah", "Bee", "Dah", "Day", "Dee", "Doo", "Kee", "Loo", "May", "Noo", "Tay", "Toh", "Way"]
SECOND = ["Bay", "Boh", "Boo", "Dah", "Doh", "Doo", "Kah", "Koh", "Tah", "Toh"]


def load_build_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_catalog", REPO / "scripts" / "build_catalog.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_shipped_data_is_up_to_date() -> None:
    """The shipped catalog is exactly what the build script makes from the reference TSVs."""
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is absent")
    build_catalog = load_build_script()
    assert build_catalog.main(["--check"]) == 0
    assert build_catalog.build(SHARED) == (DATA / "catalog.json.gz").read_bytes()


def test_build_writes_then_reports_up_to_date(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A build writes the catalog, a second one reports it up to date, --check reports staleness."""
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is absent")
    build_catalog = load_build_script()
    out = tmp_path / "data"
    assert build_catalog.main(["--check", "--output-dir", str(out)]) == 1
    assert build_catalog.main(["--output-dir", str(out)]) == 0
    assert "wrote" in capsys.readouterr().out
    assert build_catalog.main(["--output-dir", str(out)]) == 0
    assert "catalog up to date" in capsys.readouterr().out
    assert (out / "catalog.json.gz").read_bytes() == (DATA / "catalog.json.gz").read_bytes()


def write_sources(folder: Path, actions: str, names: str) -> Path:
    folder.mkdir()
    (folder / "actions.tsv").write_text(actions, encoding="utf-8")
    (folder / "names.tsv").write_text(names, encoding="utf-8")
    (folder / "LICENSE-bluefluff.md").write_text("MIT", encoding="utf-8")
    return folder


GOOD_NAMES = "id\tname\n" + "".join(
    f"{i}\t{n}\n"
    for i, n in enumerate(f"{a}-{b}" for a in FIRST for b in SECOND if f"{a}-{b}" != "Tay-Tah")
)
WELL_KNOWN_ROWS = "".join(
    f"{i}\t{x}\t{s}\t{p}\tcat\tdesc\n"
    for i, x, s, p in [
        (55, 2, 14, 0),
        (56, 3, 15, 1),
        (17, 0, 0, 5),
        (16, 0, 0, 0),
        (34, 0, 0, 0),
        (55, 2, 17, 0),
        (39, 3, 8, 1),
        (39, 4, 6, 1),
        (39, 3, 1, 1),
    ]
)
HEADER = "input\tindex\tsubindex\tspecific\tcategory\tdescription\n"


@pytest.mark.parametrize(
    ("actions", "names", "message"),
    [
        ("wrong\theader\n", GOOD_NAMES, "header must be"),
        (HEADER + "1\t0\t0\n", GOOD_NAMES, "expected 6 columns"),
        (HEADER + "256\t0\t0\t0\tc\td\n", GOOD_NAMES, "input must be 0-255"),
        (HEADER + "1\t-1\t0\t0\tc\td\n", GOOD_NAMES, "index must be 0-255"),
        (HEADER + "1\t0\t0\t0\t\td\n", GOOD_NAMES, "empty category or description"),
        (HEADER + "1\t0\t0\t0\tc\td\n1\t0\t0\t0\tc\te\n", GOOD_NAMES, "duplicate action"),
        (HEADER, GOOD_NAMES, "no actions"),
        (HEADER + "1\t0\t0\t0\tc\td\n", GOOD_NAMES, "well-known action giggle"),
        (
            HEADER + WELL_KNOWN_ROWS,
            GOOD_NAMES.replace("108\tTay-Toh", "108\tTay-Tah"),
            "names differ",
        ),
        (HEADER + WELL_KNOWN_ROWS, GOOD_NAMES.replace("\n5\t", "\n6\t"), "ids must run"),
    ],
)
def test_build_rejects_bad_sources(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], actions: str, names: str, message: str
) -> None:
    """Broken reference TSVs stop the build with a message naming the problem; nothing written."""
    build_catalog = load_build_script()
    source = write_sources(tmp_path / "src", actions, names)
    out = tmp_path / "out"
    assert build_catalog.main(["--source", str(source), "--output-dir", str(out)]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_build_from_minimal_sources_round_trips(tmp_path: Path) -> None:
    """A build from minimal sources loads back: actions, well-known keys, names and notice."""
    build_catalog = load_build_script()
    source = write_sources(tmp_path / "src", HEADER + WELL_KNOWN_ROWS, GOOD_NAMES)
    out = tmp_path / "out"
    assert build_catalog.main(["--source", str(source), "--output-dir", str(out)]) == 0
    document = json.loads(gzip.decompress((out / "catalog.json.gz").read_bytes()))
    built = catalog_module.parse_catalog(document)
    assert len(built.actions) == 9
    assert built.well_known["puke"].code == (56, 3, 15, 1)
    assert built.name(128) == "Way-Toh"
    assert (out / "LICENSE-bluefluff.md").read_text(encoding="utf-8") == "MIT"
