"""The virtual Furby Connect: a simulated toy for tests, benchmarks and the demo (never shipped).

The toy (:class:`VirtualFurby`) answers the protocol of ``docs/protocol.md`` over a modelled BLE
radio (:class:`RadioModel`), takes in DLC uploads at the pace and with the buffer of its
:class:`IntakeModel`, acks them under one of the readings of :class:`AckModel`, runs on a clock the
caller chooses (:class:`LoopClock`, :class:`ManualClock`) and takes injected failures
(:class:`Faults`). ``virtual_furby.bleak_backend`` plugs it into bleak; ``virtual_furby.ha_proxy``
plugs it into Home Assistant's bluetooth stack like a proxy. docs/simulator.md describes it all.
"""

from .acks import AckModel
from .clock import Clock, LoopClock, ManualClock
from .faults import Faults
from .intake import FullBuffer, IntakeModel
from .radio import RadioModel
from .slots import SlotState
from .toy import ToyTiming, VirtualFurby

__all__ = [
    "AckModel",
    "Clock",
    "Faults",
    "FullBuffer",
    "IntakeModel",
    "LoopClock",
    "ManualClock",
    "RadioModel",
    "SlotState",
    "ToyTiming",
    "VirtualFurby",
]
