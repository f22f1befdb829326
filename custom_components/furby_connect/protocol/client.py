"""``FurbyClient``: the Furby Connect's commands over an already connected bleak client.

The transport (subscriptions, one writer at a time, keep-alive, request/reply, device
information, disconnect handling, wire trace) is ``transport.FurbyTransport``; this class adds
one method per command of docs/protocol.md §3. Arguments are encoded first, so bad input raises
``ValueError`` (or ``TypeError``) before anything is written. Commands the toy answers wait for
their reply (``FurbyTimeoutError`` if none comes); the others return once written.

How ``trigger_action`` reports a refusal: the toy answers an out-of-range action with
``20 0f``-``20 12`` (or ``20 19`` when the group is not active, §3.1, §4.2), but no documented
message confirms an accepted action (``20 0c``/``20 0e`` are only inferred from their names, §4.2),
so waiting for a verdict could only end in a timeout. By default the action is therefore sent and
the call returns at once; a refusal still reaches the listeners as a ``FurbyMessage``. With
``confirm=True`` the client sends the firmware-version query ``fe`` (§3.1) right behind the action
as a barrier: a refusal that arrives before the ``fe`` reply raises ``FurbyCommandError``; the
``fe`` reply alone means the toy accepted the action. That costs one round trip instead of a
fixed delay. It relies on the toy answering GeneralPlus commands in the order they were written
(inferred: a single GeneralPlus chip handles them, §8), and a refusal of an earlier, unconfirmed
action that is still on its way would be blamed on this one.
"""

from __future__ import annotations

from typing import cast

from . import commands
from .commands import MoodMeter, MoodOpcode
from .device_info import DeviceInformation
from .errors import FurbyCommandError, FurbyConnectionError, FurbyError, FurbyTimeoutError
from .gatt import GENERALPLUS_WRITE, NORDIC_WRITE
from .notifications import (
    CommTestReply,
    DlcReport,
    FirmwareVersion,
    FurbyMessage,
    FurbyMessageCode,
    Language,
    NordicFirmwareVersion,
    Notification,
    PowerReport,
    SlotDeleted,
    SlotInfo,
    SlotsInfo,
)
from .transport import Direction, FurbyTransport, Listener, Match, TraceListener

__all__ = [
    "DeviceInformation",
    "Direction",
    "FurbyClient",
    "FurbyCommandError",
    "FurbyConnectionError",
    "FurbyError",
    "FurbyTimeoutError",
    "Listener",
    "Match",
    "TraceListener",
]


class FurbyClient(FurbyTransport):
    """The Furby Connect's API over one connected ``BleakClient`` (see ``FurbyTransport``)."""

    # ------------------------------------------------------------------ GeneralPlus commands

    async def trigger_action(
        self,
        input: int,
        index: int | None = None,
        subindex: int | None = None,
        specific: int | None = None,
        *,
        confirm: bool = False,
    ) -> None:
        """Play an action (§3.1, §7.1); missing later fields are picked at random by the toy.

        With ``confirm=True`` wait for the toy's verdict and raise ``FurbyCommandError`` when it
        refuses (``20 0f``-``20 12``, ``20 19``); see the module docstring for how.
        """
        data = commands.trigger_action(input, index, subindex, specific)
        if not confirm:
            await self.write(GENERALPLUS_WRITE, data)
            return
        with self.expect(_is_refusal) as refusal:
            await self.write(GENERALPLUS_WRITE, data)
            await self.request(
                GENERALPLUS_WRITE,
                commands.get_firmware_version(),
                lambda n: isinstance(n, FirmwareVersion),
            )
            if refusal.done():
                message = cast(FurbyMessage, refusal.result())  # guaranteed by _is_refusal
                raise FurbyCommandError(message.code, _refusal_text(message, data))

    async def set_antenna(self, red: int, green: int, blue: int) -> None:
        """Set the antenna LED colour, each 0-255; all zero switches it off (§3.1)."""
        await self.write(GENERALPLUS_WRITE, commands.set_antenna(red, green, blue))

    async def set_eyes(self, on: bool) -> None:
        """Switch the LCD eyes on or off and wait for the toy's ``20 17``/``20 18`` (§3.1)."""
        expected = FurbyMessageCode.EYES_ON if on else FurbyMessageCode.EYES_OFF
        await self.request(
            GENERALPLUS_WRITE,
            commands.set_eyes(on),
            lambda n: isinstance(n, FurbyMessage) and n.code == expected,
        )

    async def cycle_debug_screen(self) -> None:
        """Show the next of the seven LCD debug screens (§3.1)."""
        await self.write(GENERALPLUS_WRITE, commands.cycle_debug_screen())

    async def set_name(self, name_id: int) -> None:
        """Name the Furby (``21 NN``, id 0-128) and have it say the new name (§3.1, §7.3)."""
        rename, say = commands.set_name(name_id), commands.say_name(name_id)
        await self.write(GENERALPLUS_WRITE, rename)
        await self.write(GENERALPLUS_WRITE, say)

    async def set_mood(
        self,
        meter: MoodMeter,
        value: int,
        *,
        add: bool = False,
        opcode: MoodOpcode = MoodOpcode.SET_MOOD_23,
    ) -> None:
        """Set a mood meter to ``value`` (0-100), or raise it by ``value`` when ``add`` (§3.1).

        ``opcode`` picks between the two disputed mood opcodes (§12); 0x23 is what every working
        client sends.
        """
        await self.write(GENERALPLUS_WRITE, commands.set_mood(meter, value, add=add, opcode=opcode))

    async def get_slots(self) -> SlotsInfo:
        """Ask which DLC slots are filled and active (``72``, §4.4)."""
        return await self._ask(GENERALPLUS_WRITE, commands.get_slots(), SlotsInfo)

    async def get_slot_info(self, slot: int) -> SlotInfo:
        """Ask a slot's name, length and Adler-32 (``73 SL``, §4.4)."""
        data = commands.get_slot_info(slot)
        return await self._ask(GENERALPLUS_WRITE, data, SlotInfo, lambda n: n.slot == slot)

    async def load_slot(self, slot: int) -> DlcReport:
        """Load the DLC in ``slot`` and wait for the ``dc`` report (§3.1, §5.2 step 9)."""
        return await self._ask(GENERALPLUS_WRITE, commands.load_slot(slot), DlcReport)

    async def activate_slot(self) -> DlcReport:
        """Activate the loaded DLC and wait for the ``dc`` report (§3.1)."""
        return await self._ask(GENERALPLUS_WRITE, commands.activate_slot(), DlcReport)

    async def deactivate_slot(self, slot: int) -> DlcReport:
        """Deactivate the DLC in ``slot`` and wait for the ``dc`` report (§3.1)."""
        return await self._ask(GENERALPLUS_WRITE, commands.deactivate_slot(slot), DlcReport)

    async def delete_slot(self, slot: int) -> SlotDeleted:
        """Delete a slot's contents and wait for the ``74`` reply (§3.1)."""
        return await self._ask(GENERALPLUS_WRITE, commands.delete_slot(slot), SlotDeleted)

    async def get_firmware_version(self) -> int:
        """Return the GeneralPlus firmware version (``fe`` → ``fe VV``, §3.1)."""
        data = commands.get_firmware_version()
        return (await self._ask(GENERALPLUS_WRITE, data, FirmwareVersion)).version

    async def get_language(self) -> int:
        """Return the language code (``20 0f`` → ``25 LL``; 0 is English, §3.2, §4.1)."""
        return (await self._ask(GENERALPLUS_WRITE, commands.get_language(), Language)).code

    async def start_sensor_stream(self) -> None:
        """Start the continuous ``21`` sensor stream (``20 0d``, §3.2, §4.5)."""
        await self.write(GENERALPLUS_WRITE, commands.start_sensor_stream())

    async def stop_sensor_stream(self) -> None:
        """Stop the sensor stream (``20 0e``, §3.2)."""
        await self.write(GENERALPLUS_WRITE, commands.stop_sensor_stream())

    # ------------------------------------------------------------------------ Nordic commands

    async def set_packet_acks(self, enabled: bool) -> None:
        """Enable or disable the ``09 NN`` FileWrite packet acks (§3.3, §4.3)."""
        await self.write(NORDIC_WRITE, commands.set_packet_acks(enabled))

    async def get_nordic_firmware_version(self) -> bytes:
        """Return the Nordic firmware version bytes (``01`` → ``01 …``, §3.3)."""
        data = commands.nordic_firmware_version()
        return (await self._ask(NORDIC_WRITE, data, NordicFirmwareVersion)).version

    async def get_power_report(self) -> int:
        """Return the Nordic power report value (``03`` → ``03 VV``, "always 0", §3.3)."""
        data = commands.nordic_power_report()
        return (await self._ask(NORDIC_WRITE, data, PowerReport)).value

    async def comm_test(self, a: int, b: int) -> bool:
        """Run the Nordic comm test ``04 AA BB``; ``True`` if the reply is ``04 ~AA ~BB`` (§3.3)."""
        data = commands.nordic_comm_test(a, b)
        return (await self._ask(NORDIC_WRITE, data, CommTestReply)).answers(a, b)


def _is_refusal(notification: Notification) -> bool:
    """Whether a notification refuses an action (``20 0f``-``20 12``, ``20 19``, §4.2)."""
    return isinstance(notification, FurbyMessage) and notification.is_error


def _refusal_text(message: FurbyMessage, data: bytes) -> str:
    """Describe a refused action, e.g. ``… input out of range``."""
    name = message.message.name.lower() if message.message else f"code {message.code:#04x}"
    return f"The Furby refused {data.hex(' ')}: {name.replace('_', ' ')}"
