"""Command encoders against the byte values of docs/protocol.md §3 and §5.1."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from custom_components.furby_connect.protocol import commands as cmd
from custom_components.furby_connect.protocol.commands import MoodMeter, MoodOpcode
from custom_components.furby_connect.protocol.gatt import MAX_WRITE_SIZE


@pytest.mark.parametrize(
    ("encoded", "expected"),
    [
        # §3.1 actions: 10/11/12/13 by how many fields are given.
        (cmd.trigger_action(55), "10 00 37"),
        (cmd.trigger_action(55, 2), "11 00 37 02"),
        (cmd.trigger_action(55, 2, 14), "12 00 37 02 0e"),
        (cmd.trigger_action(55, 2, 14, 0), "13 00 37 02 0e 00"),
        (cmd.trigger_action(0, 0, 0, 0), "13 00 00 00 00 00"),
        (cmd.trigger_action(255, 255, 255, 255), "13 00 ff ff ff ff"),
        # §3.1 antenna, eyes, debug screen, no-op, group activation, firmware version.
        (cmd.set_antenna(0, 0, 0), "14 00 00 00"),
        (cmd.set_antenna(255, 128, 1), "14 ff 80 01"),
        (cmd.set_eyes(True), "cd 01"),
        (cmd.set_eyes(False), "cd 00"),
        (cmd.cycle_debug_screen(), "db"),
        (cmd.noop(), "00"),
        (cmd.set_group_active(True), "e0 00 00 00 01"),
        (cmd.set_group_active(False), "e0 00 00 00 00"),
        (cmd.get_firmware_version(), "fe"),
        # §3.1 names: 21 NN, then the toy says it via input 33.
        (cmd.set_name(0), "21 00"),
        (cmd.set_name(128), "21 80"),
        (cmd.say_name(42), "13 00 21 00 00 2a"),
        (cmd.say_name(128), "13 00 21 00 00 80"),
        # §3.2 FurbyMessage requests.
        (cmd.keep_alive(), "20 06"),
        (cmd.get_language(), "20 0f"),
        (cmd.start_sensor_stream(), "20 0d"),
        (cmd.stop_sensor_stream(), "20 0e"),
        (cmd.furby_message(0x10), "20 10"),
        (cmd.furby_message(cmd.MessageRequest.DISCONNECT), "20 05"),
        # §3.1 slots (§4.4, §5.2 step 9).
        (cmd.get_slots(), "72"),
        (cmd.get_slot_info(13), "73 0d"),
        (cmd.load_slot(2), "60 02"),
        (cmd.activate_slot(), "61"),
        (cmd.deactivate_slot(0), "62 00"),
        (cmd.delete_slot(13), "74 0d"),
        # §3.3 Nordic.
        (cmd.nordic_firmware_version(), "01"),
        (cmd.nordic_power_report(), "03"),
        (cmd.nordic_comm_test(0x12, 0xAB), "04 12 ab"),
        (cmd.set_packet_acks(True), "09 01 00"),
        (cmd.set_packet_acks(False), "09 00 00"),
    ],
)
def test_encoder_bytes(encoded: bytes, expected: str) -> None:
    """Each encoder gives the exact bytes of docs/protocol.md §3, at most 20 of them."""
    assert encoded == bytes.fromhex(expected)
    assert len(encoded) <= MAX_WRITE_SIZE


def test_mood_defaults_to_opcode_23_and_set() -> None:
    """set_mood uses opcode 0x23 and 'set' unless told otherwise."""
    assert cmd.set_mood(MoodMeter.FULLNESS, 50) == bytes.fromhex("23 01 03 32")


def test_mood_add_clears_the_set_flag() -> None:
    """add=True sends AA = 0 (add to the meter)."""
    assert cmd.set_mood(MoodMeter.WELLNESS, 5, add=True) == bytes.fromhex("23 00 04 05")


def test_mood_opcode_24_matches_jeijas_example() -> None:
    """Opcode 0x24 gives Jeija's example 24 01 00 10 (bluefluff issue #8)."""
    # bluefluff issue #8: 24010010 sets excitedness to 16 (§3.1).
    encoded = cmd.set_mood(MoodMeter.EXCITEDNESS, 16, opcode=MoodOpcode.SET_MOOD_24)
    assert encoded == bytes.fromhex("24 01 00 10")


@pytest.mark.parametrize("meter", list(MoodMeter))
def test_mood_meter_ids(meter: MoodMeter) -> None:
    """Each meter's id is the TT byte, as an enum or a plain int."""
    assert cmd.set_mood(meter, 100)[2] == int(meter)
    assert cmd.set_mood(int(meter), 0, opcode=0x24) == bytes([0x24, 1, int(meter), 0])


def test_announce_layout_is_big_endian_size_then_02() -> None:
    """The announce is 50 00, the size big-endian, 02, 12 name bytes, 00 00 (§5.1)."""
    # §5.1: 50 00 S2 S1 S0 02 <12 ASCII> 00 00; chilli.dlc is 313 690 = 0x04c95a bytes.
    encoded = cmd.announce_dlc(313_690, "TU003410.DLC")
    assert encoded == bytes.fromhex("50 00 04 c9 5a 02") + b"TU003410.DLC" + b"\x00\x00"
    assert len(encoded) == 20 == MAX_WRITE_SIZE


def test_announce_largest_size() -> None:
    """The 24-bit size field carries the largest DLC (2^24 - 1 bytes)."""
    assert cmd.announce_dlc(cmd.MAX_DLC_SIZE, "A" * 12)[2:5] == b"\xff\xff\xff"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("chilli.dlc", "__CHILLI.DLC"),
        ("tu003410.dlc", "TU003410.DLC"),
        ("TU003410.DLC", "TU003410.DLC"),
        ("https://example.org/dlc/hacked.dlc", "__HACKED.DLC"),
        ("C:\\furby\\context.dlc", "_CONTEXT.DLC"),
        ("x", "___________X"),
    ],
)
def test_dlc_filename(name: str, expected: str) -> None:
    """FurBLE's rule: last path part, upper case, left-padded with _ to 12 characters."""
    assert cmd.dlc_filename(name) == expected
    assert cmd.announce_dlc(1, cmd.dlc_filename(name))[6:18] == expected.encode()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "must not be empty"),
        ("folder/", "must not be empty"),
        ("tu003410_ctxlogo.dlc", "at most 12 characters"),
        ("été.dlc", "printable ASCII"),
        ("my dlc.dlc", "printable ASCII"),
        ("tab\t.dlc", "printable ASCII"),
    ],
)
def test_dlc_filename_rejects(name: str, message: str) -> None:
    """Names the announce cannot carry are refused with a reason."""
    with pytest.raises(ValueError, match=message):
        cmd.dlc_filename(name)


def test_dlc_filename_rejects_non_str() -> None:
    """A file name that is not a string raises TypeError."""
    with pytest.raises(TypeError, match="name must be a str"):
        cmd.dlc_filename(b"chilli.dlc")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("size", "filename", "error", "message"),
    [
        (0, "TU003410.DLC", ValueError, r"size must be between 1 and 16777215, got 0"),
        (2**24, "TU003410.DLC", ValueError, r"size must be between 1 and 16777215"),
        (-5, "TU003410.DLC", ValueError, r"size must be between"),
        (1.5, "TU003410.DLC", TypeError, "size must be an integer"),
        (100, "CHILLI.DLC", ValueError, "exactly 12 characters, got 10"),
        (100, "TU0034100.DLC", ValueError, "exactly 12 characters, got 13"),
        (100, "TU00341é.DLC", ValueError, "printable ASCII"),
        (100, "TU003 10.DLC", ValueError, "printable ASCII"),
        (100, b"TU003410.DLC", TypeError, "filename must be a str"),
    ],
)
def test_announce_rejects(
    size: object, filename: object, error: type[Exception], message: str
) -> None:
    """Bad sizes and announce names raise before any bytes are made."""
    with pytest.raises(error, match=message):
        cmd.announce_dlc(size, filename)  # type: ignore[arg-type]


@pytest.mark.parametrize("field", ["input", "index", "subindex", "specific"])
@pytest.mark.parametrize("value", [-1, 256, 1000])
def test_trigger_action_field_out_of_range(field: str, value: int) -> None:
    """Action fields outside 0-255 raise ValueError naming the field."""
    fields = {"input": 1, "index": 0, "subindex": 0, "specific": 0, field: value}
    with pytest.raises(ValueError, match=rf"{field} must be between 0 and 255, got {value}"):
        cmd.trigger_action(**fields)


@pytest.mark.parametrize("bad", [1.0, "1", None, True, b"\x01"])
def test_trigger_action_input_wrong_type(bad: object) -> None:
    """An input that is not an integer raises TypeError."""
    with pytest.raises(TypeError, match="input must be an integer"):
        cmd.trigger_action(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"subindex": 1}, "subindex given without index"),
        ({"specific": 1}, "specific given without index"),
        ({"index": 1, "specific": 1}, "specific given without subindex"),
    ],
)
def test_trigger_action_later_field_without_earlier(kwargs: dict[str, int], message: str) -> None:
    """A later field without the earlier ones is refused."""
    with pytest.raises(ValueError, match=message):
        cmd.trigger_action(1, **kwargs)


def test_speaking_a_name_above_128_is_refused() -> None:
    """Input 33 with a specific above 128 is refused: it crashes the toy (§7.2)."""
    # §7.2 hazard (bluefluff #29): 33/x/x/129+ glitches the toy, 131 crashes it.
    assert cmd.trigger_action(33, 0, 0, 128)[-1] == 128
    with pytest.raises(ValueError, match="specific must be between 0 and 128 for input 33"):
        cmd.trigger_action(33, 0, 0, 129)
    assert cmd.trigger_action(34, 0, 0, 200)[-1] == 200


@pytest.mark.parametrize("field", ["red", "green", "blue"])
@pytest.mark.parametrize("value", [-1, 256])
def test_antenna_out_of_range(field: str, value: int) -> None:
    """Colour values outside 0-255 raise ValueError naming the colour."""
    colour = {"red": 0, "green": 0, "blue": 0, field: value}
    with pytest.raises(ValueError, match=rf"{field} must be between 0 and 255, got {value}"):
        cmd.set_antenna(**colour)


def test_antenna_wrong_type() -> None:
    """A colour value that is not an integer raises TypeError."""
    with pytest.raises(TypeError, match="green must be an integer, got float"):
        cmd.set_antenna(0, 0.5, 0)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("encoder", "field"),
    [
        (cmd.set_eyes, "on"),
        (cmd.set_packet_acks, "enabled"),
        (cmd.set_group_active, "active"),
    ],
)
@pytest.mark.parametrize("bad", [1, 0, "true", None])
def test_boolean_fields_need_a_bool(
    encoder: Callable[[bool], bytes], field: str, bad: object
) -> None:
    """Switches (eyes, acks, group) take only a bool."""
    with pytest.raises(TypeError, match=rf"{field} must be a bool"):
        encoder(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("encoder", [cmd.set_name, cmd.say_name])
@pytest.mark.parametrize("value", [-1, 129, 255])
def test_name_id_out_of_range(encoder: Callable[[int], bytes], value: int) -> None:
    """Name ids outside 0-128 are refused by every name encoder."""
    with pytest.raises(ValueError, match=rf"name_id must be between 0 and 128, got {value}"):
        encoder(value)


@pytest.mark.parametrize("encoder", [cmd.set_name, cmd.say_name])
def test_name_id_wrong_type(encoder: Callable[[int], bytes]) -> None:
    """A name id that is not an integer raises TypeError."""
    with pytest.raises(TypeError, match="name_id must be an integer"):
        encoder("Ah-Bay")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "encoder", [cmd.load_slot, cmd.deactivate_slot, cmd.delete_slot, cmd.get_slot_info]
)
@pytest.mark.parametrize("slot", [-1, 14, 255])
def test_slot_out_of_range(encoder: Callable[[int], bytes], slot: int) -> None:
    """Slot numbers outside 0-13 are refused by every slot encoder."""
    with pytest.raises(ValueError, match=rf"slot must be between 0 and 13, got {slot}"):
        encoder(slot)


@pytest.mark.parametrize(
    "encoder", [cmd.load_slot, cmd.deactivate_slot, cmd.delete_slot, cmd.get_slot_info]
)
def test_slot_bounds_accepted(encoder: Callable[[int], bytes]) -> None:
    """Slots 0 and 13 are encoded as given."""
    assert encoder(0)[1:] == b"\x00"
    assert encoder(cmd.SLOT_COUNT - 1)[1:] == b"\x0d"


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"meter": 5, "value": 0}, ValueError, "meter must be between 0 and 4, got 5"),
        ({"meter": -1, "value": 0}, ValueError, "meter must be between 0 and 4"),
        ({"meter": "fullness", "value": 0}, TypeError, "meter must be a MoodMeter"),
        ({"meter": True, "value": 0}, TypeError, "meter must be a MoodMeter"),
        ({"meter": 0, "value": 101}, ValueError, "value must be between 0 and 100, got 101"),
        ({"meter": 0, "value": -1}, ValueError, "value must be between 0 and 100, got -1"),
        ({"meter": 0, "value": 50.0}, TypeError, "value must be an integer"),
        ({"meter": 0, "value": 10, "add": 1}, TypeError, "add must be a bool"),
        ({"meter": 0, "value": 10, "opcode": 0x25}, ValueError, "opcode must be 0x23 or 0x24"),
        ({"meter": 0, "value": 10, "opcode": "0x23"}, TypeError, "opcode must be a MoodOpcode"),
    ],
)
def test_mood_rejects(kwargs: dict[str, object], error: type[Exception], message: str) -> None:
    """Unknown meters or opcodes, values outside 0-100 and wrong types are refused."""
    with pytest.raises(error, match=message):
        cmd.set_mood(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(("a", "b"), [(-1, 0), (0, 256)])
def test_comm_test_out_of_range(a: int, b: int) -> None:
    """Comm-test bytes outside 0-255 are refused."""
    with pytest.raises(ValueError, match="must be between 0 and 255"):
        cmd.nordic_comm_test(a, b)


@pytest.mark.parametrize("code", [-1, 256])
def test_furby_message_out_of_range(code: int) -> None:
    """A 20 MM code outside 0-255 is refused."""
    with pytest.raises(ValueError, match=rf"code must be between 0 and 255, got {code}"):
        cmd.furby_message(code)


@given(
    st.integers(0, 255),
    st.one_of(st.none(), st.integers(0, 255)),
    st.one_of(st.none(), st.integers(0, 255)),
    st.one_of(st.none(), st.integers(0, 255)),
)
def test_trigger_action_property(
    input: int, index: int | None, subindex: int | None, specific: int | None
) -> None:
    """Any valid fields give opcode 0x10 + count - 1, a 00 byte and the fields."""
    given_fields = [input, index, subindex, specific]
    count = next((i for i, v in enumerate(given_fields) if v is None), 4)
    in_order = all(v is None for v in given_fields[count:])
    name_crash = count == 4 and input == 33 and specific is not None and specific > 128
    if not in_order or name_crash:
        with pytest.raises(ValueError, match=r"given without|for input 33"):
            cmd.trigger_action(input, index, subindex, specific)
        return
    encoded = cmd.trigger_action(input, index, subindex, specific)
    assert encoded[0] == 0x0F + count
    assert encoded[1] == 0
    assert list(encoded[2:]) == given_fields[:count]


@given(
    st.integers(1, cmd.MAX_DLC_SIZE), st.text(alphabet="ABCXYZ0189._-~!", min_size=1, max_size=12)
)
def test_announce_property(size: int, name: str) -> None:
    """Any valid size and name give a 20-byte announce that carries both back."""
    filename = cmd.dlc_filename(name)
    encoded = cmd.announce_dlc(size, filename)
    assert len(encoded) == 20
    assert int.from_bytes(encoded[2:5], "big") == size
    assert encoded[6:18].decode("ascii") == filename
    assert filename.endswith(name.upper())


@pytest.mark.parametrize(
    ("file_name", "adler32", "expected"),
    [
        ("chilli.dlc", 0x2754EA15, "__CHILLI.DLC"),  # fits: FurBLE's rule
        ("media/hacked.dlc", 0xF47A3F06, "__HACKED.DLC"),
        ("tu003410_ctxlogo.dlc", 0xDABB068B, "DABB068B.DLC"),  # shortened: stem from Adler-32
        ("tu003410.dlc", 0x7504602E, "7504602E.DLC"),  # fits, but is Hasbro's own name
        ("tr001234.dlc", 0x1, "00000001.DLC"),  # a Russian original's name
        ("my file.dlc", 0xABCDEF12, "ABCDEF12.DLC"),  # a space cannot be announced
        ("würfel.dlc", 0x12, "00000012.DLC"),
        ("", 0x12, "00000012.DLC"),
        ("tu0034.dlc", 0x5, "__TU0034.DLC"),  # stored as __TU0034: not a maker name
    ],
)
def test_dlc_announce_name(file_name: str, adler32: int, expected: str) -> None:
    """Names that fit keep FurBLE's form; shortened or maker-like ones get an Adler-32 stem."""
    name = cmd.dlc_announce_name(file_name, adler32)
    assert name == expected
    assert len(name) == cmd.DLC_FILENAME_LENGTH
    assert not cmd.is_maker_name(name)
    assert cmd.announce_dlc(1, name)[6:18] == name.encode()


def test_dlc_announce_name_differs_per_file() -> None:
    """Two long names with the same first 8 letters get different names (their checksums)."""
    first = cmd.dlc_announce_name("tu003410_ctxlogo.dlc", 0xDABB068B)
    second = cmd.dlc_announce_name("tu003410_minified_chilli.dlc", 0x2754EA15)
    assert first != second
    assert first[:8] != second[:8]  # the toy keeps 8 characters (§4.4)


@pytest.mark.parametrize(
    ("file_name", "adler32", "error", "match"),
    [
        (b"chilli.dlc", 1, TypeError, "file_name must be a str"),
        ("chilli.dlc", -1, ValueError, "adler32 must be between"),
        ("chilli.dlc", 2**32, ValueError, "adler32 must be between"),
        ("chilli.dlc", "1", TypeError, "adler32 must be an integer"),
    ],
)
def test_dlc_announce_name_rejects(
    file_name: object, adler32: object, error: type[Exception], match: str
) -> None:
    """Bad arguments raise before any name is made."""
    with pytest.raises(error, match=match):
        cmd.dlc_announce_name(file_name, adler32)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "maker"),
    [
        ("TU003410.DLC", True),
        ("tr000001.dlc", True),
        ("__TU0034.DLC", False),
        ("TUX03410.DLC", False),
    ],
)
def test_is_maker_name(name: str, maker: bool) -> None:
    """Hasbro's stored names are TU or TR followed by six digits (the first 8 characters)."""
    assert cmd.is_maker_name(name) is maker
