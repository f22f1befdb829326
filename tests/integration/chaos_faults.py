"""The fault campaign's catalog: faults of the virtual Furby, operations, and the seeded plan.

``scripts/chaos`` runs ``chaos_campaign.py`` with ``chaos_plugin.py``; each run injects ONE fault
from the virtual Furby's set (``virtual_furby/faults.py``, the ack models, the intake) into ONE
operation. The plan is drawn from ``--chaos-seed``: the fault x operation pairs are shuffled and
visited in turn (so a few hundred runs cover every pair several times), and each run draws its
own fault parameters (the byte or time of a drop, the characteristic of a GATT error, ...).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final

from custom_components.furby_connect.protocol import gatt
from virtual_furby.acks import AckModel
from virtual_furby.intake import IntakeModel
from virtual_furby.toy import VirtualFurby

OPERATIONS: Final = (
    "connect",
    "device_info",
    "command",
    "sequence",
    "upload",
    "slot_query",
    "log_subscription",
)
"""What a run does while its fault is in place."""

FAULTS: Final = (
    "drop_at_byte",
    "drop_at_time",
    "stop_advertising",
    "out_of_range",
    "gatt_error",
    "overload",
    "error_after_ok",
    "slow_link",
    "lossy_link",
    "refused_connection",
    "stop_acks",
    "stall_intake",
    "ack_model_a",
    "ack_model_b",
    "ack_model_c",
    "ack_model_d",
)
"""The faults a run injects (one each)."""

GATT_TARGETS: Final = (
    gatt.GENERALPLUS_WRITE,
    gatt.NORDIC_WRITE,
    gatt.FILE_WRITE,
    gatt.GENERALPLUS_LISTEN,
    gatt.NORDIC_LISTEN,
    gatt.MANUFACTURER_NAME,
    gatt.FIRMWARE_REVISION,
    gatt.MODEL_NUMBER,
)
"""Characteristics a GATT error is attached to (writes, notifications, Device Information)."""

ACK_MODELS: Final = {
    "ack_model_a": AckModel.BACKLOG_AND_DRAIN,
    "ack_model_b": AckModel.BACKLOG,
    "ack_model_c": AckModel.SINCE_LAST_REPORT,
    "ack_model_d": AckModel.NONE,
}


@dataclass(frozen=True)
class ChaosCase:
    """One run of the campaign: its fault, operation and their drawn parameters."""

    index: int
    fault: str
    operation: str
    seed: int
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        """The pytest id: run number, fault and operation."""
        return f"{self.index:04d}-{self.fault}-{self.operation}"


def _params(fault: str, operation: str, rng: random.Random) -> dict[str, Any]:
    """Draw the parameters of ``fault`` for ``operation``."""
    upload_size = rng.choice((2_000, 4_000, 8_000))
    params: dict[str, Any] = {"upload_size": upload_size, "value": rng.randint(0, 255)}
    if fault == "drop_at_byte":
        limit = upload_size if operation == "upload" else 60
        params["nbytes"] = rng.randint(0, limit)
    elif fault == "drop_at_time":
        params["after"] = round(rng.uniform(0.0, 3.0), 3)
    elif fault == "gatt_error":
        params["uuid"] = rng.choice(GATT_TARGETS)
        ops = [op for op in ("read", "write", "notify") if rng.random() < 0.6]
        params["ops"] = ops or ["write"]
        params["code"] = rng.choice((0x03, 0x0E, 0x80))
    elif fault == "overload":
        params["buffer_packets"] = rng.randint(1, 3)
    elif fault == "slow_link":
        params["factor"] = round(rng.uniform(2.0, 8.0), 2)
    elif fault == "lossy_link":
        params["rate"] = round(rng.uniform(0.05, 0.5), 3)
    elif fault == "refused_connection":
        params["count"] = rng.randint(1, 6)
    elif fault == "stop_acks":
        params["after"] = rng.randint(0, 5)
    return params


def plan(seed: int, runs: int) -> list[ChaosCase]:
    """The runs for ``seed``: every fault x operation pair in a seeded order, repeated."""
    rng = random.Random(seed)
    pairs = [(fault, operation) for fault in FAULTS for operation in OPERATIONS]
    rng.shuffle(pairs)
    cases = []
    for index in range(runs):
        fault, operation = pairs[index % len(pairs)]
        run_seed = rng.randrange(2**32)
        params = _params(fault, operation, random.Random(run_seed))
        cases.append(ChaosCase(index, fault, operation, run_seed, params))
    return cases


def toy_options(case: ChaosCase) -> dict[str, Any]:
    """Options the toy is built with for ``case`` (ack model, intake); the rest is injected."""
    options: dict[str, Any] = {"seed": case.seed % 1000}
    if case.fault in ACK_MODELS:
        options["acks"] = ACK_MODELS[case.fault]
    if case.fault == "overload":
        options["intake"] = IntakeModel(buffer_packets=case.params["buffer_packets"])
    return options


def injector(case: ChaosCase) -> Callable[[VirtualFurby], None]:
    """What injects ``case``'s fault into a toy (nothing for the faults built into the toy)."""
    params = case.params
    faults: dict[str, Callable[[VirtualFurby], None]] = {
        "drop_at_byte": lambda toy: toy.faults.drop_link_after_bytes(params["nbytes"]),
        "drop_at_time": lambda toy: toy.faults.drop_link_at(toy.clock.now() + params["after"]),
        "stop_advertising": lambda toy: toy.faults.stop_advertising(),
        "out_of_range": lambda toy: toy.faults.go_out_of_range(),
        "gatt_error": lambda toy: toy.faults.gatt_error(
            params["uuid"], ops=params["ops"], code=params["code"]
        ),
        "error_after_ok": lambda toy: toy.faults.send_error_after_ok(),
        "slow_link": lambda toy: toy.faults.slow_link(params["factor"]),
        "lossy_link": lambda toy: toy.faults.lossy_link(params["rate"], seed=case.seed),
        "refused_connection": _refuse_and_drop(params),
        "stop_acks": lambda toy: toy.faults.stop_acks(params["after"]),
        "stall_intake": lambda toy: toy.faults.stall_intake(),
    }
    return faults.get(case.fault, lambda toy: None)


def _refuse_and_drop(params: dict[str, Any]) -> Callable[[VirtualFurby], None]:
    """Refuse the next connections; a live link drops, so the refusals are met at once."""

    def inject(toy: VirtualFurby) -> None:
        toy.faults.refuse_connections(params["count"])
        if toy.is_connected:
            toy.drop_connection()

    return inject


def repair(toy: VirtualFurby) -> None:
    """Take every injected fault away again (the built-in ack model and intake stay)."""
    toy.faults.clear()
    if toy.intake.buffer_packets < IntakeModel().buffer_packets:
        toy.intake = IntakeModel()
