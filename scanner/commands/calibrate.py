"""`authscan calibrate`: guide the admin through a reader's calibration and save its profile."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from calibration.profile import Profile
    from drivers.capture import Capture

DEFAULT_DATA = Path("authscan-data")
EXIT_REFUSED = 2
EXIT_DEVICE = 1


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `calibrate` to the `authscan` command line."""
    parser = sub.add_parser(
        "calibrate", help="calibrate a reader (dark frame, flat field, UV, geometry)",
        description="Calibrate a reader step by step: dark frame, geometry target, UV card, "
                    "white card. A bad step refuses the calibration (exit 2, nothing saved).")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--device", metavar="URL", help="reader URL (sim:?..., serial:///dev/...)")
    source.add_argument("--from", dest="from_dir", type=Path, metavar="DIR",
                        help="reference capture folders DIR/dark, DIR/white, DIR/uv, DIR/target")
    source.add_argument("--simulate-drift", metavar="SPEC",
                        help="render the references of a simulated drifted reader, e.g. "
                             "vignetting=0.25,ir=0.15,uv=-0.3,dark=0.03,device=11")
    parser.add_argument("--profiles", "--out", dest="profiles", type=Path, metavar="DIR",
                        help="where profiles go (default ./authscan-data/calibration/)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, metavar="DIR",
                        help="data folder of the health log (default ./authscan-data/)")
    parser.add_argument("--validity-days", type=float, default=30.0,
                        help="days until the profile expires (default 30)")
    parser.add_argument("--report", type=Path, metavar="PNG",
                        help="calibration report (default beside the profile; a PDF too)")
    parser.add_argument("--dpi", type=int, default=200, help="--simulate-drift resolution")
    parser.add_argument("--write-references", type=Path, metavar="DIR",
                        help="with --simulate-drift: also write the reference capture folders")
    parser.add_argument("--yes", action="store_true",
                        help="with --device: do not wait for Enter before each step")
    parser.set_defaults(func=run)


def parse_drift(spec: str) -> dict[str, object]:
    """Specimen conditions from `vignetting=0.25,white=0,ir=0.15,uv=-0.3,dark=0.03,device=11`."""
    drift: dict[str, float] = {"white": 0.0, "ir": 0.0, "uv": 0.0}
    cond: dict[str, object] = {"drift": drift}
    for part in filter(None, (p.strip() for p in spec.split(","))):
        key, _, value = part.partition("=")
        try:
            number = float(value)
        except ValueError as err:
            raise ValueError(f"--simulate-drift: {part!r} is not KEY=NUMBER") from err
        if key in drift:
            drift[key] = number
        elif key == "vignetting":
            cond["vignetting"] = number
        elif key == "dark":
            cond["dark_offset"] = number
        elif key == "device":
            cond["device_seed"] = int(number)
        elif key == "room":
            cond["room_light"] = number
        else:
            raise ValueError(f"--simulate-drift: unknown key {key!r}; use vignetting, white, "
                             "ir, uv, dark, device, room")
    return cond


def _say(line: str) -> None:
    print(line, flush=True)


def _from_device(url: str, wait: bool) -> dict[str, Capture]:
    """Capture the references step by step from a reader, checking each one at once."""
    from calibration.build import STEPS, Checked, check_step  # noqa: PLC0415
    from drivers.registry import open_reader  # noqa: PLC0415

    reader = open_reader(url)
    captures: dict[str, Capture] = {}
    checked = Checked()
    try:
        _say(f"reader {reader.identity().model} serial {reader.identity().serial}")
        for number, step in enumerate(STEPS, 1):
            _say(f"[{number}/{len(STEPS)}] {step.title}: {step.instruction}")
            if wait:
                input("    press Enter when ready ")
            _say(f"[{number}/{len(STEPS)}] capturing ...")
            captures[step.kind] = reader.capture()
            summary = check_step(step.kind, captures[step.kind], checked)
            _say(f"[{number}/{len(STEPS)}] {step.title}: ok ({summary})")
    finally:
        reader.close()
    return captures


def _references(args: argparse.Namespace) -> dict[str, Capture]:
    from drivers.capture import read_capture  # noqa: PLC0415

    if args.device:
        return _from_device(args.device, wait=not args.yes and sys.stdin.isatty())
    if args.simulate_drift is not None:
        from drivers.specimen.references import (  # noqa: PLC0415
            render_reference_set,
            write_reference_set,
        )

        refs = render_reference_set(dpi=args.dpi, conditions=parse_drift(args.simulate_drift))
        if args.write_references:
            write_reference_set(args.write_references, refs)
            _say(f"reference captures written to {args.write_references}")
        return refs
    from calibration.build import KINDS  # noqa: PLC0415

    return {kind: read_capture(Path(args.from_dir) / kind) for kind in KINDS}


def _finish(profile: Profile, args: argparse.Namespace, say: Callable[[str], None]) -> None:
    from calibration.health import HealthLog, drift_since, record_calibration  # noqa: PLC0415
    from calibration.profile import save_profile  # noqa: PLC0415
    from calibration.report import write_report  # noqa: PLC0415

    root = args.profiles or args.data / "calibration"
    manifest = save_profile(profile, root)
    log = HealthLog(args.data / "health.csv")
    rows = log.rows(profile.device.serial)
    previous = [r for r in rows if r.source == "calibration"]
    record_calibration(log, profile.device.serial, profile.id, profile.created_at,
                       profile.levels)
    notes = []
    if previous:
        for light, level in profile.levels.items():
            change = level / max(previous[0].levels[light], 1e-6) - 1
            if abs(change) >= 0.1:
                notes.append(f"{light.upper()} output {'down' if change < 0 else 'up'} "
                             f"{100 * abs(change):.0f} % since the first calibration "
                             f"({previous[0].at.date().isoformat()})")
    if previous and previous[-1].calibration_id:
        notes += [w.message for w in drift_since(rows, previous[-1].calibration_id,
                                                 profile.created_at)]
    report = args.report or manifest.with_name(f"{profile.id}-report.png")
    paths = write_report(profile, log.rows(profile.device.serial), report, warnings=notes)
    say(f"profile {profile.id} saved: {manifest}")
    say(f"valid until {profile.expires_at.isoformat(timespec='minutes')}; light output "
        + ", ".join(f"{k} {100 * v:.0f} %" for k, v in profile.levels.items()))
    for note in notes:
        say(f"warning: {note}")
    say(f"report: {', '.join(str(p) for p in paths)}")


def run(args: argparse.Namespace) -> int:
    """Capture or read the references, build and save the profile; exit 2 if refused."""
    from calibration.build import build_profile  # noqa: PLC0415
    from calibration.errors import CalibrationError, CalibrationRejected  # noqa: PLC0415
    from drivers.capture import CaptureError  # noqa: PLC0415

    if args.validity_days <= 0:
        print("authscan calibrate: error: --validity-days must be positive", file=sys.stderr)
        return EXIT_REFUSED
    try:
        refs = _references(args)
        profile = build_profile(refs, validity=timedelta(days=args.validity_days),
                                progress=None if args.device else _say)
    except CalibrationRejected as err:
        print(f"authscan calibrate: calibration refused at step {err.step}: {err.reason}; "
              "nothing saved", file=sys.stderr)
        return EXIT_REFUSED
    except (CalibrationError, CaptureError, ValueError) as err:
        print(f"authscan calibrate: error: {err}", file=sys.stderr)
        return EXIT_REFUSED
    except (OSError, EOFError) as err:  # reader errors, a closed stdin
        print(f"authscan calibrate: device error: {err}", file=sys.stderr)
        return EXIT_DEVICE
    except Exception as err:
        from drivers.reader import ReaderError  # noqa: PLC0415

        if isinstance(err, ReaderError):
            print(f"authscan calibrate: device error: {err}", file=sys.stderr)
            return EXIT_DEVICE
        raise
    _finish(profile, args, _say)
    return 0
