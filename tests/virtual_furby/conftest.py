"""Fixtures for the simulator's tests (HA fixtures: ``tests/virtual_furby_fixtures.py``)."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import pytest

from virtual_furby.clock import ManualClock, settle
from virtual_furby.intake import IntakeModel
from virtual_furby.radio import RadioModel
from virtual_furby.toy import VirtualFurby

from .host import Host


@pytest.fixture
def clock() -> ManualClock:
    """Virtual time for one toy."""
    return ManualClock()


@pytest.fixture
def toy(clock: ManualClock) -> VirtualFurby:
    """A toy on an instant link: replies arrive as soon as the loop settles."""
    return VirtualFurby(clock=clock, radio=RadioModel.instant(), intake=IntakeModel.instant())


@pytest.fixture
async def host(toy: VirtualFurby) -> AsyncGenerator[Host]:
    """A connected host subscribed to both Listen characteristics (snapshot consumed)."""
    connected = Host(toy)
    await connected.connect()
    await settle()
    connected.gp.clear()
    yield connected
    toy.close()
