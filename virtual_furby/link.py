"""Compatibility: the combined ``LinkModel`` of earlier versions (radio and file intake in one).

New code uses :class:`~virtual_furby.radio.RadioModel` (connection events) and
:class:`~virtual_furby.intake.IntakeModel` (the toy's buffer, pace and flash pauses) separately;
``VirtualFurby(link=...)`` and ``toy.link_model`` still accept this one so tests written against
it keep working. It maps field by field: ``connection_interval``, ``packets_per_event`` and
``connect_seconds`` to the radio, ``file_packets_per_second`` and ``toy_buffer_packets`` to the
intake (steady: no flash pauses, a full buffer drops).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .intake import IntakeModel
from .radio import PAYLOAD_SIZE, RadioModel

__all__ = ["LinkModel"]


@dataclass(frozen=True, slots=True, kw_only=True)
class LinkModel:
    """Radio timing and file intake in one object (see the module docstring)."""

    connection_interval: float = 0.015
    packets_per_event: int = 4
    file_packets_per_second: float = 200.0
    toy_buffer_packets: int = 32
    connect_seconds: float = 0.1

    def __post_init__(self) -> None:
        """Validate by building both parts (their errors name the field)."""
        _ = self.radio, self.intake

    @classmethod
    def instant(cls) -> LinkModel:
        """Return a link without timing: every operation completes at once."""
        return cls(connection_interval=0.0, file_packets_per_second=math.inf, connect_seconds=0.0)

    @classmethod
    def from_parts(cls, radio: RadioModel, intake: IntakeModel) -> LinkModel:
        """Combine a radio and an intake (flash pauses and the full-buffer policy are dropped)."""
        return cls(
            connection_interval=radio.connection_interval,
            packets_per_event=radio.packets_per_event,
            connect_seconds=radio.connect_seconds,
            file_packets_per_second=intake.packets_per_second,
            toy_buffer_packets=intake.buffer_packets,
        )

    @property
    def radio(self) -> RadioModel:
        """The radio part."""
        return RadioModel(
            connection_interval=self.connection_interval,
            packets_per_event=self.packets_per_event,
            connect_seconds=self.connect_seconds,
        )

    @property
    def intake(self) -> IntakeModel:
        """The file intake part."""
        return IntakeModel(
            packets_per_second=self.file_packets_per_second, buffer_packets=self.toy_buffer_packets
        )

    @property
    def is_instant(self) -> bool:
        """True when the radio adds no delay."""
        return self.connection_interval == 0

    @property
    def link_packets_per_second(self) -> float:
        """Host-to-toy packets per second the radio can carry."""
        return self.radio.packets_per_second

    def theoretical_min_seconds(self, nbytes: int) -> float:
        """Least time to deliver and process ``nbytes`` (see ``profiles.min_upload_seconds``)."""
        if nbytes < 0:
            raise ValueError("nbytes must be >= 0")
        packets = math.ceil(nbytes / PAYLOAD_SIZE)
        process = self.intake.min_process_seconds(nbytes, seed=0)
        return max(process, self.radio.min_stream_seconds(packets))
