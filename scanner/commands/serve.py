"""`authscan serve`: the appliance daemon (API, scan jobs, case-file outbox, retention)."""

from __future__ import annotations

import argparse
import logging
import sys
import threading
from typing import Any

from drivers.reader import ReaderError
from scanner.settings import ConfigError, Settings, config_path, load_settings
from scanner.store.crypto import ImageKeyError

log = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `serve` command."""
    parser = sub.add_parser("serve", help="run the appliance daemon (HTTP API)",
                            description="Run the daemon: scans on the configured reader, "
                            "review queue, case-file delivery. Config: /etc/authscan/"
                            "authscan.toml or --config; without one, 127.0.0.1 with the "
                            "sim: reader and SQLite in a local data folder.")
    parser.add_argument("--config", metavar="FILE", help="TOML config file")
    parser.add_argument("--host", help="listen address (overrides server.host)")
    parser.add_argument("--port", type=int, help="TCP port (overrides server.port)")
    parser.add_argument("--check-config", action="store_true",
                        help="validate the configuration, print OK or each error, and exit")
    parser.set_defaults(func=run)


def settings_from_args(args: argparse.Namespace) -> Settings | None:
    """Load the settings; print each problem with its key path and return None on errors."""
    path = config_path(getattr(args, "config", None))
    if path is not None and not path.is_file():
        print(f"authscan: config file {path} does not exist", file=sys.stderr)
        return None
    server: dict[str, Any] = {}
    if getattr(args, "host", None):
        server["host"] = args.host
    if getattr(args, "port", None):
        server["port"] = args.port
    try:
        return load_settings(path, overrides={"server": server} if server else None)
    except ConfigError as err:
        print(f"authscan: {err.source} has {len(err.problems)} error(s):", file=sys.stderr)
        for problem in err.problems:
            print(f"  {problem}", file=sys.stderr)
        return None


def _retention_loop(settings: Settings, stop: threading.Event) -> None:
    from scanner.service.services import utc_now  # noqa: PLC0415
    from scanner.store import Store, retention  # noqa: PLC0415

    store = Store(settings.store_url())
    while not stop.wait(settings.retention.sweep_interval_s):
        try:
            with store.write() as session:
                retention.sweep(session, utc_now(), settings.retention.image_days)
        except Exception:
            log.exception("retention sweep failed; next try in %s s",
                          settings.retention.sweep_interval_s)


def run(args: argparse.Namespace) -> int:
    """Validate the config, open the services and serve until stopped."""
    settings = settings_from_args(args)
    if settings is None:
        return 2
    if args.check_config:
        print(f"OK: {config_path(args.config) or 'defaults (no config file)'}")
        return 0
    if config_path(args.config) is None:
        print(f"authscan: no config file ({'/etc/authscan/authscan.toml'} absent): serving on "
              f"{settings.server.host}:{settings.server.port} with the {settings.reader.url} "
              f"reader and SQLite in {settings.data_dir.resolve()}/", file=sys.stderr)
    import uvicorn  # noqa: PLC0415 - the daemon's imports stay out of the other commands

    from scanner.service.app import create_app  # noqa: PLC0415
    from scanner.service.services import build_services  # noqa: PLC0415

    try:
        services = build_services(settings)
    except (ImageKeyError, ReaderError, ValueError) as err:  # ValueError: bad reader URL
        print(f"authscan: {err}", file=sys.stderr)
        return 1
    from scanner.mrz.read import warm_up  # noqa: PLC0415

    warm_up()  # the OCR-B templates, once, so that the first scan is as fast as the others
    stop = threading.Event()
    threading.Thread(target=_retention_loop, args=(settings, stop), name="retention",
                     daemon=True).start()
    server = settings.server
    try:
        uvicorn.run(create_app(services), host=server.host, port=server.port,
                    log_level="info" if args.verbose else "warning", access_log=False,
                    ssl_certfile=server.tls_cert, ssl_keyfile=server.tls_key)
    finally:
        stop.set()
        services.store.dispose()
    return 0
