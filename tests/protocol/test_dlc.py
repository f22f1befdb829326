"""DLC validation (docs/protocol.md §6): real and synthetic files, streaming, and properties."""

from __future__ import annotations

import itertools
import zlib
from collections.abc import AsyncIterator, Iterable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from custom_components.furby_connect.protocol.dlc import (
    DLC_HEADER_SIZE,
    DlcInfo,
    DlcRejection,
    DlcSection,
    DlcValidationError,
    DlcValidator,
    validate_bytes,
    validate_file,
    validate_stream,
)

from .dlc_factory import (
    MAGIC,
    MAX_DLC_SIZE,
    MIN_DLC_SIZE,
    build_dlc,
    build_header,
    dlc_layout,
    iter_dlc,
    write_dlc,
)

DLC_DIR = Path(__file__).resolve().parents[2] / ".." / "shared" / "furby" / "dlc"

# docs/protocol.md §6, "Measured on real files".
REAL_FILES = [
    ("tu003410.dlc", 1_129_942, 0x7504602E, 79, 832_024),
    ("context.dlc", 343_710, 0xAF0112DD, 78, 48_864),
    ("chilli.dlc", 313_690, 0x2754EA15, 79, 15_772),
    ("tu003410_ctxlogo.dlc", 313_690, 0xDABB068B, 79, 15_772),
    ("hacked.dlc", 141_142, 0xF47A3F06, 18, 30_616),
]
REAL_ORDER = ["PAL", "SPR", "CEL", "XLS", "AMF", "APL", "LPS", "SEQ", "MTR"]


def outcome(data: bytes, cuts: Iterable[int]) -> tuple[object, ...]:
    validator = DlcValidator()
    bounds = [0, *sorted(set(cuts)), len(data)]
    try:
        for start, end in itertools.pairwise(bounds):
            validator.feed(data[start:end])
        return ("valid", validator.finish())
    except DlcValidationError as err:
        return ("rejected", err.reason, err.detail)


# --- real files -------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "size", "adler", "cels", "amf"), REAL_FILES)
def test_real_files_validate(name: str, size: int, adler: int, cels: int, amf: int) -> None:
    """The five real DLC files validate with their known size, Adler-32 and sections."""
    path = DLC_DIR / name
    if not path.exists():
        pytest.skip(f"{path} is absent")
    info = validate_file(path)
    assert (info.size, info.adler32) == (size, adler)
    assert [s.name for s in info.sections] == REAL_ORDER
    cel = info.section("CEL")
    amf_section = info.section("AMF")
    assert cel is not None
    assert amf_section is not None
    assert cel.length == cels * 0xC00
    assert amf_section.length == amf
    lengths = {s.name: s.length for s in info.sections}
    assert lengths | {"CEL": 0, "AMF": 0} == {
        **dict.fromkeys(REAL_ORDER, 0),
        "PAL": 768,
        "SPR": 5460,
        "XLS": 40690,
        "APL": 834,
        "LPS": 5214,
        "SEQ": 1128,
        "MTR": 488,
    }
    assert info.sections[0].offset == DLC_HEADER_SIZE
    assert info.sections[-1].end == size
    for before, after in zip(info.sections, info.sections[1:], strict=False):
        assert before.end == after.offset
    data = path.read_bytes()
    assert validate_bytes(data) == info
    assert outcome(data, range(0, size, 997)) == ("valid", info)


async def test_real_file_as_a_stream() -> None:
    """A real file validates the same from an async stream of chunks."""
    path = DLC_DIR / "hacked.dlc"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    data = path.read_bytes()

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(data), 20):
            yield data[start : start + 20]

    info = await validate_stream(chunks())
    assert (info.size, info.adler32) == (141_142, 0xF47A3F06)


# --- synthetic files --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "size", [MIN_DLC_SIZE, MIN_DLC_SIZE + 1, 4_000, 20_000, 313_690, 1_129_942]
)
def test_synthetic_files_validate(size: int) -> None:
    """Synthetic files of many sizes validate with their own size and checksum."""
    data = build_dlc(size, seed=size)
    info = validate_bytes(data)
    assert info.size == size == len(data)
    assert info.adler32 == zlib.adler32(data)
    assert [(s.name, s.length) for s in info.sections] == list(dlc_layout(size).sections)


def test_largest_uploadable_file_streams_from_disk(tmp_path: Path) -> None:
    """A 16 MiB - 1 file validates from disk in chunks."""
    path = tmp_path / "big.dlc"
    write_dlc(path, MAX_DLC_SIZE, seed=3)
    assert path.stat().st_size == MAX_DLC_SIZE == 2**24 - 1
    info = validate_file(path)
    assert info.size == MAX_DLC_SIZE
    cel = info.section("CEL")
    assert cel is not None
    assert cel.length == 79 * 0xC00


def test_factory_is_deterministic_and_seeded(tmp_path: Path) -> None:
    """The test factory gives the same file for a seed, another for another seed."""
    assert build_dlc(9_000, seed=1) == build_dlc(9_000, seed=1)
    assert build_dlc(9_000, seed=1) != build_dlc(9_000, seed=2)
    write_dlc(tmp_path / "a.dlc", 9_000, seed=1)
    assert (tmp_path / "a.dlc").read_bytes() == build_dlc(9_000, seed=1)
    assert b"".join(iter_dlc(9_000, seed=1, chunk_size=7)) == build_dlc(9_000, seed=1)


@pytest.mark.parametrize("size", [MIN_DLC_SIZE - 1, MAX_DLC_SIZE + 1, 0])
def test_factory_refuses_impossible_sizes(size: int) -> None:
    """The factory refuses sizes no DLC can have."""
    with pytest.raises(ValueError, match="total_size must be"):
        dlc_layout(size)


def test_factory_refuses_bad_chunk_size() -> None:
    """The factory refuses a chunk size that is not positive."""
    with pytest.raises(ValueError, match="chunk_size must be positive"):
        next(iter_dlc(5_000, chunk_size=0))


def test_optional_section_in_an_unused_entry_is_accepted() -> None:
    """Known optional sections (FIR, FIT, CMR, INT) may sit in any unused entry."""
    # FIR/FIT/CMR/INT are known names with no known entry (§6): any unused entry will do.
    size = 5_000
    body = build_dlc(size)[DLC_HEADER_SIZE:]
    sections = [*dlc_layout(size).sections, ("FIR", 0)]
    info = validate_bytes(build_header(sections, slots={"FIR": 15}) + body)
    assert info.section("FIR") == DlcSection(name="FIR", offset=size, length=0)


# --- validator behaviour ------------------------------------------------------------------------


def test_error_is_a_value_error_with_reason_and_detail() -> None:
    """A rejection is a ValueError carrying a reason and a readable detail."""
    with pytest.raises(DlcValidationError) as caught:
        validate_bytes(b"")
    err = caught.value
    assert isinstance(err, ValueError)
    assert str(err) == f"invalid DLC file (truncated_header): {err.detail}"


def test_errors_stick() -> None:
    """After a rejection, feeding more raises the same rejection."""
    validator = DlcValidator()
    with pytest.raises(DlcValidationError) as first:
        validator.feed(b"x" * 40)
    with pytest.raises(DlcValidationError) as again:
        validator.feed(b"more")
    with pytest.raises(DlcValidationError) as finished:
        validator.finish()
    assert first.value is again.value is finished.value


def test_truncation_error_sticks_too() -> None:
    """A truncation found at finish() is raised again by later calls."""
    validator = DlcValidator()
    with pytest.raises(DlcValidationError) as first:
        validator.finish()
    with pytest.raises(DlcValidationError) as again:
        validator.feed(b"\x00")
    assert first.value is again.value


def test_finish_is_idempotent_and_ends_feeding() -> None:
    """finish() can be called twice; feeding after it is refused."""
    validator = DlcValidator()
    data = build_dlc(3_000)
    validator.feed(memoryview(data))
    assert validator.bytes_seen == 3_000
    info = validator.finish()
    assert validator.finish() is info
    with pytest.raises(RuntimeError, match="after finish"):
        validator.feed(b"")


def test_expected_size_is_known_after_the_header() -> None:
    """The expected size is known once the header is in."""
    data = build_dlc(7_000)
    validator = DlcValidator()
    validator.feed(data[: DLC_HEADER_SIZE - 1])
    sizes = [validator.expected_size]
    validator.feed(data[DLC_HEADER_SIZE - 1 : DLC_HEADER_SIZE])
    sizes.append(validator.expected_size)
    assert sizes == [None, 7_000]
    validator.feed(bytearray(data[DLC_HEADER_SIZE:]))
    assert validator.finish() == DlcInfo(
        size=7_000, adler32=zlib.adler32(data), sections=validate_bytes(data).sections
    )


def test_validate_file_errors(tmp_path: Path) -> None:
    """validate_file reports missing files and directories clearly."""
    with pytest.raises(FileNotFoundError):
        validate_file(tmp_path / "missing.dlc")
    path = tmp_path / "broken.dlc"
    path.write_bytes(build_dlc(4_000)[:-1])
    with pytest.raises(DlcValidationError) as caught:
        validate_file(path, chunk_size=100)
    assert caught.value.reason is DlcRejection.SIZE_MISMATCH
    with pytest.raises(ValueError, match="chunk_size must be at least 1"):
        validate_file(path, chunk_size=0)


async def test_validate_stream_rejects_like_the_others() -> None:
    """validate_stream rejects a bad file like the other entry points."""
    data = bytearray(build_dlc(4_000))
    data[0] = 0

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(data), 333):
            yield bytes(data[start : start + 333])

    with pytest.raises(DlcValidationError) as caught:
        await validate_stream(chunks())
    assert caught.value.reason is DlcRejection.BAD_MAGIC


# --- properties ---------------------------------------------------------------------------------


@st.composite
def mutated_dlc(draw: st.DrawFn) -> bytes:
    """A synthetic DLC with a few bytes changed, maybe cut short or extended."""
    size = draw(st.integers(MIN_DLC_SIZE, 6_000))
    data = bytearray(build_dlc(size, seed=draw(st.integers(0, 3))))
    focus = draw(st.sampled_from([DLC_HEADER_SIZE, len(data)]))
    for _ in range(draw(st.integers(0, 3))):
        data[draw(st.integers(0, focus - 1))] = draw(st.integers(0, 255))
    match draw(st.sampled_from(["keep", "cut", "extend"])):
        case "cut":
            del data[draw(st.integers(0, len(data))) :]
        case "extend":
            data += draw(st.binary(min_size=1, max_size=30))
    return bytes(data)


files = st.one_of(
    st.binary(max_size=300),
    st.binary(max_size=1_200).map(lambda tail: MAGIC + tail),
    mutated_dlc(),
)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files)
def test_arbitrary_input_only_raises_validation_errors(data: bytes) -> None:
    """Random bytes only ever raise DlcValidationError."""
    result = outcome(data, [])
    if result[0] == "rejected":
        assert isinstance(result[1], DlcRejection)
        assert result[2]
    else:
        info = validate_bytes(data)
        assert result == ("valid", info)
        assert info.size == len(data)
        assert info.adler32 == zlib.adler32(data)
        assert DLC_HEADER_SIZE + sum(s.length for s in info.sections) == len(data)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_any_chunking_agrees_with_one_shot(data: st.DataObject) -> None:
    """Any split into chunks gives the result of one feed."""
    content = data.draw(files)
    cuts = data.draw(st.lists(st.integers(0, len(content)), max_size=12))
    assert outcome(content, cuts) == outcome(content, [])
