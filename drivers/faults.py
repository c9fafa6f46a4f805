"""Fault injection for the simulated reader: what goes wrong on a real serial line and device."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

FAULTS = ("corrupt", "drop", "slow", "unplug", "lid-open", "led-drift")
_DEFAULTS = {"corrupt": 0.05, "drop": 0.05, "slow": 0.05, "unplug": 10.0, "led-drift": 0.15}


@dataclass(frozen=True)
class Faults:
    """Which faults the simulator injects, and how strongly."""

    corrupt: float = 0.0  # probability that a sent frame gets one byte flipped
    drop: float = 0.0  # probability that a sent frame loses 1-8 bytes
    slow: float = 0.0  # seconds of delay before each answer (a tenth of it per image chunk)
    unplug_after: int | None = None  # chunks sent before the port is closed, once
    lid_open: bool = False  # lid sensor open; room light leaks into UV
    led_drift: float = 0.0  # relative LED intensity change (white up, IR and UV down)

    def conditions(self) -> dict[str, object]:
        """Specimen-renderer condition overrides that make the page look like these faults."""
        cond: dict[str, object] = {}
        if self.lid_open:
            cond["room_light"] = 0.04
        if self.led_drift:
            d = self.led_drift
            cond["drift"] = {"white": 0.6 * d, "ir": -0.8 * d, "uv": -d}
        return cond

    def mangle(self, frame: bytes, rng: random.Random) -> bytes:
        """The frame as the line delivers it: maybe one byte flipped, maybe some bytes lost."""
        out = bytearray(frame)
        if self.corrupt and rng.random() < self.corrupt:
            out[rng.randrange(len(out))] ^= rng.randrange(1, 256)
        if self.drop and rng.random() < self.drop:
            at = rng.randrange(len(out))
            del out[at:at + rng.randint(1, 8)]
        return bytes(out)


def parse_faults(specs: Sequence[str]) -> Faults:
    """Faults from options such as `corrupt`, `corrupt:0.1`, `slow:0.2`, `unplug:5`, `lid-open`."""
    values: dict[str, object] = {}
    for spec in specs:
        name, _, arg = spec.partition(":")
        if name not in FAULTS:
            raise ValueError(f"unknown fault {name!r}; choose from {', '.join(FAULTS)} "
                             "(with an optional :VALUE, e.g. corrupt:0.1)")
        if name == "lid-open":
            values["lid_open"] = True
            continue
        try:
            value = float(arg) if arg else _DEFAULTS[name]
        except ValueError as err:
            raise ValueError(f"fault {name}: {arg!r} is not a number") from err
        if value < 0 or (name in ("corrupt", "drop") and value > 1):
            raise ValueError(f"fault {name}: {value} is out of range")
        key = {"unplug": "unplug_after", "led-drift": "led_drift"}.get(name, name)
        values[key] = int(value) if name == "unplug" else value
    return Faults(**values)  # type: ignore[arg-type]
