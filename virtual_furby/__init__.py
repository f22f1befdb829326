"""The virtual Furby Connect: a simulated toy for tests, benchmarks and the demo (never shipped).

The toy (:class:`VirtualFurby`) answers the protocol of ``PROTOCOL.md`` over a modelled BLE link
(:class:`LinkModel`), on a clock the caller chooses (:class:`LoopClock`, :class:`ManualClock`),
with injectable failures (:class:`Faults`). ``virtual_furby.bleak_backend`` plugs it into bleak;
``virtual_furby.ha_proxy`` plugs it into Home Assistant's bluetooth stack like a proxy.
"""

from .clock import Clock, LoopClock, ManualClock
from .faults import Faults
from .link import LinkModel
from .slots import SlotState
from .toy import ToyTiming, VirtualFurby

__all__ = [
    "Clock",
    "Faults",
    "LinkModel",
    "LoopClock",
    "ManualClock",
    "SlotState",
    "ToyTiming",
    "VirtualFurby",
]
