"""``kill -9`` of a running Home Assistant during a burst of state changes (part of scripts/chaos).

Run by ``scripts/chaos`` with the demo's Python (Home Assistant 2026.10, ``scripts/setup demo``);
not a test. It starts a real Home Assistant on 127.0.0.1 with a fresh configuration (a copy of
``demo/config``, one virtual Furby set up, no simulated interactions) in its own process group,
logs in over the REST API, and for each round:

1. drives a burst of ``furby_connect.set_antenna`` calls (REST, one after the other, each colour
   unique in the round) and notes the time each call returned;
2. at a random moment of the burst sends SIGKILL to Home Assistant's process group;
3. reads the Furby's storage file as the kill left it, and finds the stored colour among the
   calls: the loss is the time from the call that stored it (or from the burst's start, when
   none of the burst was stored) to the kill, and the number of acknowledged calls after it;
4. starts Home Assistant again and reads the antenna light's state (the restored colour).

Prints one line per round and, with ``--json``, one JSON object (also written to ``--out``). The
figure to compare with is the integration's storage debounce (``SAVE_DELAY``): the goal is a loss
of at most that, plus ``WRITE_ALLOWANCE`` for the write itself to reach the disk.

Usage: chaos_kill.py [--rounds N] [--seed N] [--port P] [--state DIR] [--json] [--out FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import aiohttp

REPO = Path(__file__).resolve().parent.parent
SAVE_DELAY = 1.0
"""The integration's storage debounce (``const.SAVE_DELAY``), read from the source below."""
HASS = (sys.executable, "-m", "homeassistant")
"""How Home Assistant is run (with this Python, the demo environment's)."""
type Json = Any
"""A decoded JSON answer (or the plain text of a non-JSON one)."""
WRITE_ALLOWANCE = 0.5
"""Seconds allowed on top of the debounce for the write itself (JSON, file, rename) to land."""
START_TIMEOUT = 240.0
CALL_TIMEOUT = 30.0


def log(message: str) -> None:
    """Progress on stderr."""
    print(f"[chaos kill -9] {message}", file=sys.stderr, flush=True)


def save_delay() -> float:
    """``SAVE_DELAY`` as the integration's ``const.py`` defines it (no import of the package)."""
    for line in (REPO / "custom_components/furby_connect/const.py").read_text().splitlines():
        if line.startswith("SAVE_DELAY"):
            return float(line.split("=")[1].split("#")[0].strip())
    return SAVE_DELAY


def prepare(state: Path, port: int, seed: int) -> tuple[Path, str]:
    """Write a fresh configuration (demo's, one toy set up, no interactions); add a user."""
    if state.exists():
        shutil.rmtree(state)
    config = state / "config"
    shutil.copytree(REPO / "demo/config", config)
    template = (config / ".storage/http.template").read_text()
    (config / ".storage/http").write_text(template.replace("@PORT@", str(port)))
    (config / ".storage/http.template").unlink()
    (config / "custom_components").mkdir()
    for name, target in (
        ("furby_connect", REPO / "custom_components/furby_connect"),
        ("furby_demo", REPO / "demo/custom_components/furby_demo"),
    ):
        (config / "custom_components" / name).symlink_to(target)
    (state / "pylib").mkdir()
    (state / "pylib/virtual_furby").symlink_to(REPO / "virtual_furby")
    (config / "furby_demo.yaml").write_text(
        f"furbies: 1\nsetup: one\nlink_speed: 1\ninteraction_interval: 0\nseed: {seed}\n"
    )
    password = secrets.token_urlsafe(12)
    subprocess.run(
        [*HASS, "--script", "auth", "-c", str(config), "add", "chaos", password],
        check=True,
        stdout=subprocess.DEVNULL,
        cwd=state,
    )
    return config, password


class Hass:
    """One Home Assistant process (its own process group) on 127.0.0.1:``port``."""

    def __init__(self, config: Path, state: Path, port: int) -> None:
        self.config = config
        self.state = state
        self.port = port
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start Home Assistant; its output goes to ``hass.out`` in the state folder."""
        (self.config / ".furby_demo_ready").unlink(missing_ok=True)
        env = {**os.environ, "PYTHONPATH": str(self.state / "pylib")}
        out = (self.state / "hass.out").open("ab")
        self.proc = subprocess.Popen(
            [*HASS, "-c", str(self.config), "--skip-pip", "--log-no-color"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            # Not the repository: ``python -m`` puts the working directory first on sys.path,
            # and the repository's own custom_components package would hide the demo's.
            cwd=self.state,
        )

    async def ready(self) -> None:
        """Wait until the demo component says the Furby is set up."""
        deadline = time.monotonic() + START_TIMEOUT
        while not (self.config / ".furby_demo_ready").exists():
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise RuntimeError(f"Home Assistant exited ({self.proc.returncode}); see hass.out")
            if time.monotonic() > deadline:
                raise RuntimeError("Home Assistant did not start in time")
            await asyncio.sleep(0.2)

    def kill(self) -> None:
        """SIGKILL the whole process group, at once."""
        assert self.proc is not None
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> None:
        """Stop cleanly (SIGTERM, then SIGKILL after 60 s)."""
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


class Api:
    """The REST API of one Home Assistant, logged in as the chaos user."""

    def __init__(self, session: aiohttp.ClientSession, port: int) -> None:
        self.session = session
        self.base = f"http://127.0.0.1:{port}"
        self.token = ""

    async def login(self, password: str) -> None:
        """Log in through the login flow and keep the access token."""
        client_id = f"{self.base}/"
        async with self.session.post(
            f"{self.base}/auth/login_flow",
            json={
                "client_id": client_id,
                "handler": ["homeassistant", None],
                "redirect_uri": client_id,
            },
        ) as resp:
            flow = await resp.json()
        async with self.session.post(
            f"{self.base}/auth/login_flow/{flow['flow_id']}",
            json={"client_id": client_id, "username": "chaos", "password": password},
        ) as resp:
            code = (await resp.json())["result"]
        async with self.session.post(
            f"{self.base}/auth/token",
            data={"grant_type": "authorization_code", "code": code, "client_id": client_id},
        ) as resp:
            self.token = (await resp.json())["access_token"]

    async def request(self, method: str, path: str, body: object = None) -> Json:
        """One authenticated request; the JSON answer (or the text)."""
        headers = {"Authorization": f"Bearer {self.token}"}
        async with self.session.request(
            method,
            f"{self.base}{path}",
            json=body,
            headers=headers,
            timeout=aiohttp.ClientTimeout(total=CALL_TIMEOUT),
        ) as resp:
            text = await resp.text()
            if resp.status >= 400:
                raise RuntimeError(f"{method} {path}: {resp.status} {text[:200]}")
            with contextlib.suppress(ValueError):
                return json.loads(text)
            return text

    async def template(self, template: str) -> Json:
        """Render a template (how the device id and entity ids are found)."""
        return await self.request("POST", "/api/template", {"template": template})


def colour(index: int) -> dict[str, int]:
    """Return a colour unique for each index below 2**24 - 1 (never black)."""
    value = index + 1
    return {"red": (value >> 16) & 0xFF, "green": (value >> 8) & 0xFF, "blue": value & 0xFF}


def stored_antenna(config: Path) -> tuple[list[int] | None, float | None]:
    """Read the antenna colour in the Furby's storage file and when the file was last written."""
    for path in (config / ".storage").glob("furby_connect.*"):
        data = json.loads(path.read_text())
        antenna = data.get("data", {}).get("antenna")
        return (list(antenna) if antenna else None), path.stat().st_mtime
    return None, None


async def burst_and_kill(
    api: Api, hass: Hass, device_id: str, burst: float, rng: random.Random
) -> dict[str, Any]:
    """Change the antenna as fast as the link allows; SIGKILL at a random moment of the burst."""
    acked: list[tuple[float, float, list[int]]] = []  # monotonic and wall time, colour
    kill_after = rng.uniform(0.3 * burst, burst)
    start = time.monotonic()

    async def calls() -> None:
        index = rng.randrange(2**20)
        while True:
            rgb = colour(index)
            await api.request(
                "POST", "/api/services/furby_connect/set_antenna", {"device_id": device_id, **rgb}
            )
            now = (time.monotonic(), time.time())
            acked.append((*now, [rgb["red"], rgb["green"], rgb["blue"]]))
            index += 1

    task = asyncio.create_task(calls())
    await asyncio.sleep(kill_after)
    killed_at, killed_wall = time.monotonic(), time.time()
    hass.kill()
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError, aiohttp.ClientError, RuntimeError):
        await task
    on_disk, written_wall = stored_antenna(hass.config)
    acked_before = [entry for entry in acked if entry[0] <= killed_at]
    matches = [i for i, entry in enumerate(acked_before) if entry[2] == on_disk]
    change_to_disk = None
    if matches:
        stored_at, stored_wall, _ = acked_before[matches[-1]]
        lost_calls = len(acked_before) - 1 - matches[-1]
        if written_wall is not None:
            change_to_disk = round(written_wall - stored_wall, 3)
    else:
        stored_at = start
        lost_calls = len(acked_before)
    return {
        "burst_seconds": round(killed_at - start, 3),
        "calls_acknowledged": len(acked_before),
        "calls_per_second": round(len(acked_before) / max(killed_at - start, 1e-9), 1),
        "stored_is_from_burst": bool(matches),
        "loss_seconds": round(killed_at - stored_at, 3),
        "calls_lost": lost_calls,
        "stored": on_disk,
        "last_acknowledged": acked_before[-1][2] if acked_before else None,
        # Diagnostics: how long the stored change took to reach the disk, and how long before
        # the kill the file was last written (file times, wall clock).
        "change_to_disk_seconds": change_to_disk,
        "last_write_before_kill_seconds": (
            None if written_wall is None else round(killed_wall - written_wall, 3)
        ),
    }


async def find_furby(api: Api) -> tuple[str, str, str]:
    """Find the Furby's device id, its Connected sensor and its antenna light."""
    entities = await api.template("{{ integration_entities('furby_connect') | list | tojson }}")
    connected = next(e for e in entities if e.startswith("binary_sensor.") and "connected" in e)
    light = next(e for e in entities if e.startswith("light.") and "antenna" in e)
    device_id = str(await api.template(f"{{{{ device_id('{light}') | tojson }}}}"))
    return device_id, connected, light


async def wait_state(api: Api, entity_id: str, wanted: str) -> None:
    """Wait until ``entity_id`` shows ``wanted``."""
    deadline = time.monotonic() + START_TIMEOUT
    while (await api.request("GET", f"/api/states/{entity_id}"))["state"] != wanted:
        if time.monotonic() > deadline:
            raise RuntimeError(f"{entity_id} never became {wanted}")
        await asyncio.sleep(0.2)


async def run(args: argparse.Namespace, hass: Hass, password: str) -> dict[str, Any]:
    """Run every round; return the summary."""
    rng = random.Random(args.seed)
    rounds = []
    try:
        async with aiohttp.ClientSession() as session:
            hass.start()
            for number in range(1, args.rounds + 1):
                await hass.ready()
                api = Api(session, args.port)
                await api.login(password)
                device_id, connected, light = await find_furby(api)
                await wait_state(api, connected, "on")
                result = await burst_and_kill(api, hass, device_id, args.burst, rng)
                hass.start()
                await hass.ready()
                api = Api(session, args.port)
                await api.login(password)
                restored = (await api.request("GET", f"/api/states/{light}"))["attributes"]
                # Home Assistant shows the colour scaled to full brightness.
                result["restored_rgb"] = restored.get("rgb_color")
                result["round"] = number
                rounds.append(result)
                log(
                    f"round {number}: killed after {result['burst_seconds']} s of "
                    f"{result['calls_per_second']} calls/s; stored state "
                    f"{result['loss_seconds']} s old ({result['calls_lost']} calls lost)"
                )
    finally:
        hass.stop()
    worst = max((r["loss_seconds"] for r in rounds), default=None)
    return {
        "rounds": rounds,
        "save_delay_seconds": save_delay(),
        "max_loss_seconds": worst,
        "max_calls_lost": max((r["calls_lost"] for r in rounds), default=None),
        "write_allowance_seconds": WRITE_ALLOWANCE,
        "within_one_debounce": worst is not None and worst <= save_delay() + WRITE_ALLOWANCE,
    }


def main() -> int:
    """Parse the options, run, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--burst", type=float, default=6.0, help="longest burst (s)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--port", type=int, default=18125)
    parser.add_argument("--state", default=str(REPO / ".cache/chaos-kill"))
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    state = Path(args.state).resolve()
    config, password = prepare(state, args.port, args.seed)
    result = asyncio.run(run(args, Hass(config, state, args.port), password))
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=1))
    if args.json:
        print(json.dumps(result))
    else:
        print(
            f"kill -9 during a burst: stored state at most {result['max_loss_seconds']} s old "
            f"({result['max_calls_lost']} calls lost) vs a debounce of "
            f"{result['save_delay_seconds']} s"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
