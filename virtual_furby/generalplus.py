"""The toy's answers to GeneralPlusWrite commands (docs/protocol.md §3.1, §3.2, §4.1, §4.2).

Malformed commands (too short) are ignored, as a firmware that reads fixed fields would. Each
handler gets a :class:`~virtual_furby.state.CommandContext`: the toy's state, its DLC store and
upload, the notifier for replies and the toy-level actions; never the toy itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from .action_table import NAME_ID_MAX, SAY_NAME_INPUT, check_action, random_action
from .state import CommandContext

GP_FIRMWARE_VERSION: Final = 0x04
"""``fe`` answer on Jeija's unit (§3.1)."""
IM_HERE_PAYLOAD: Final = bytes(18)
"""The 18 bytes after ``22`` are undecoded (§4.1); the simulator sends zeros."""
DEBUG_SCREENS: Final = 7

type Handler = Callable[[CommandContext, bytes], None]


def _reply(*payload: int) -> Handler:
    def handler(ctx: CommandContext, data: bytes) -> None:
        ctx.notifier.notify_gp(bytes(payload))

    return handler


def _trigger_action(ctx: CommandContext, data: bytes) -> None:
    """``10``-``13 00 II [XX [SS [PP]]]``: trigger an action, random below the given fields."""
    count = data[0] - 0x0F
    fields = tuple(data[2 : 2 + count])
    if len(fields) < count:
        return
    if not ctx.state.group_active:
        ctx.notifier.notify_gp(b"\x20\x19")
        return
    if fields[0] == SAY_NAME_INPUT and count == 4 and fields[3] > NAME_ID_MAX:
        # bluefluff issue #29: the toy loops glitching (or crashes) instead of refusing.
        ctx.state.glitched = True
        return
    error = check_action(fields, dlc_active=bool(ctx.slots.active))
    if error is not None:
        ctx.notifier.notify_gp(bytes([0x20, error]))
        return
    if count == 4:
        ctx.state.played_actions.append((fields[0], fields[1], fields[2], fields[3]))
    else:
        ctx.state.played_actions.append(random_action(fields, ctx.rng))


def _set_antenna(ctx: CommandContext, data: bytes) -> None:
    if len(data) >= 4:
        ctx.state.antenna = (data[1], data[2], data[3])


def _set_name(ctx: CommandContext, data: bytes) -> None:
    if len(data) < 2:
        return
    if data[1] > NAME_ID_MAX:
        ctx.state.glitched = True
        return
    ctx.state.name_id = data[1]


def _set_mood(ctx: CommandContext, data: bytes) -> None:
    """``23``/``24 AA TT VV``: AA 1 = set, 0 = add (VV read as a signed byte)."""
    if len(data) < 4 or data[1] not in (0, 1) or data[2] not in ctx.state.moods:
        return
    meter, value = data[2], data[3]
    delta = value - 256 if value > 127 else value
    new = value if data[1] == 1 else ctx.state.moods[meter] + delta
    ctx.state.moods[meter] = max(0, min(100, new))


def _eyes(ctx: CommandContext, data: bytes) -> None:
    if len(data) < 2:
        return
    ctx.state.eyes_on = data[1] != 0
    ctx.notifier.notify_gp(b"\x20\x17" if ctx.state.eyes_on else b"\x20\x18")


def _bodycam(ctx: CommandContext, data: bytes) -> None:
    if len(data) < 2:
        return
    ctx.state.bodycam_on = data[1] != 0
    ctx.notifier.notify_gp(b"\x20\x15" if ctx.state.bodycam_on else b"\x20\x16")


def _debug_screen(ctx: CommandContext, data: bytes) -> None:
    ctx.state.debug_screen = (ctx.state.debug_screen + 1) % (DEBUG_SCREENS + 1)


def _group(ctx: CommandContext, data: bytes) -> None:
    if len(data) >= 5:
        ctx.state.group_active = data[4] != 0


def _announce(ctx: CommandContext, data: bytes) -> None:
    ctx.transfer.announce(data)


def _slot_command(action: Callable[[CommandContext, int], None], reply_id: int) -> Handler:
    def handler(ctx: CommandContext, data: bytes) -> None:
        if len(data) < 2:
            return
        action(ctx, data[1])
        ctx.notifier.notify_gp(bytes([reply_id, data[1]]))

    return handler


def _activate(ctx: CommandContext, data: bytes) -> None:
    ctx.slots.activate()
    loaded = ctx.slots.loaded
    ctx.notifier.notify_gp(bytes([0xDC, 0xFF if loaded is None else loaded]))


def _slots(ctx: CommandContext, data: bytes) -> None:
    ctx.notifier.notify_gp(ctx.slots.slots_reply())


def _slot_info(ctx: CommandContext, data: bytes) -> None:
    if len(data) >= 2:
        ctx.notifier.notify_gp(ctx.slots.slot_info_reply(data[1]))


def _furby_message(ctx: CommandContext, data: bytes) -> None:
    """``20 MM`` (§3.2)."""
    if len(data) < 2:
        return
    message = data[1]
    if message == 0x05:
        ctx.control.drop_connection()
    elif message == 0x0D:
        ctx.control.start_stream()
    elif message == 0x0E:
        ctx.control.stop_stream()
    elif (replies := _MESSAGE_REPLIES.get(message)) is not None:
        for reply in replies:
            ctx.notifier.notify_gp(reply)
        if message == 0x0F:
            ctx.notifier.notify_gp(bytes([0x25, ctx.state.language]))


_MESSAGE_REPLIES: Final[dict[int, tuple[bytes, ...]]] = {
    0x01: (b"\x20\x05", b"\x20\x01"),
    0x02: (b"\x20\x02", b"\x20\x04"),
    0x06: (b"\x22" + IM_HERE_PAYLOAD,),
    0x0A: (b"\x20\x0e",),
    0x0B: (b"\x20\x0d",),
    0x0C: (b"\x23\x08",),
    0x0F: (),
    0x10: (b"\x26\x00",),
}


def _noop(ctx: CommandContext, data: bytes) -> None:
    """``00``: the keep-quiet no-op."""


_HANDLERS: Final[dict[int, Handler]] = {
    0x00: _noop,
    0x10: _trigger_action,
    0x11: _trigger_action,
    0x12: _trigger_action,
    0x13: _trigger_action,
    0x14: _set_antenna,
    0x20: _furby_message,
    0x21: _set_name,
    0x23: _set_mood,
    0x24: _set_mood,
    0x31: _reply(0x20, 0x1B),
    0x46: _reply(0x20, 0x0D),
    0x50: _announce,
    0x53: _reply(0x53),
    0x54: _reply(0x54),
    0x55: _reply(0x55),
    0x56: _reply(0x56),
    0x57: _reply(0x57),
    0x58: _reply(0x58),
    0x60: _slot_command(lambda ctx, slot: ctx.slots.load(slot), 0xDC),
    0x61: _activate,
    0x62: _slot_command(lambda ctx, slot: ctx.slots.deactivate(slot), 0xDC),
    0x70: _reply(0x56),
    0x71: _reply(0x57),
    0x72: _slots,
    0x73: _slot_info,
    0x74: _slot_command(lambda ctx, slot: ctx.slots.delete(slot), 0x74),
    0xBC: _bodycam,
    0xCD: _eyes,
    0xDB: _debug_screen,
    0xE0: _group,
    0xE1: _reply(0xE0),
    0xE2: _reply(0x20, 0x1A),
    0xE3: _reply(0xE0),
    0xF0: _reply(0xF0),
    0xF2: _reply(0xF2, 0x00),
    0xFE: _reply(0xFE, GP_FIRMWARE_VERSION),
}


def handle_generalplus(ctx: CommandContext, data: bytes) -> None:
    """Act on one GeneralPlusWrite packet; unknown opcodes are ignored."""
    if data and (handler := _HANDLERS.get(data[0])) is not None:
        handler(ctx, data)
