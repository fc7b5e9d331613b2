"""`mesh-proxy`: run a sidecar from its config file, or only check the file."""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

from proxy import __version__, build_kind
from proxy.config import ConfigError, check_config_main, load_sidecar_file

log = logging.getLogger("mesh-proxy")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mesh-proxy",
        description="The meshgui sidecar: routes, balances, retries and records every call "
        "between the local app and the rest of the mesh.",
    )
    parser.add_argument(
        "--version", action="version", version=f"mesh-proxy {__version__} ({build_kind()} build)"
    )
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--config", metavar="FILE", help="run a sidecar from this YAML file")
    group.add_argument("--check-config", metavar="FILE", help="validate FILE and exit")
    parser.add_argument(
        "--log-level", default="info", choices=["debug", "info", "warning", "error"]
    )
    return parser


async def serve(path: Path) -> int:
    from proxy.admin.startup import start_admin_api
    from proxy.sidecar import Sidecar

    sidecar = Sidecar(load_sidecar_file(path), config_path=path)
    try:
        await sidecar.start()
        admin = await start_admin_api(sidecar)
    except (OSError, ConfigError) as exc:
        log.error("cannot start: %s", exc)
        await sidecar.stop(drain_timeout=0)
        return 1
    loop = asyncio.get_running_loop()
    stopping = asyncio.Event()

    def reload() -> None:
        try:
            sidecar.reload_file()
        except ConfigError as exc:
            log.error("config reload refused; the running config stays:\n%s", exc)

    loop.add_signal_handler(signal.SIGHUP, reload)
    loop.add_signal_handler(signal.SIGTERM, stopping.set)
    loop.add_signal_handler(signal.SIGINT, stopping.set)
    await stopping.wait()
    log.info("stopping: finishing in-flight requests (at most %ss)", sidecar.settings.drain_timeout)
    if admin is not None:
        await admin.mark_stopping()
    await sidecar.stop()
    if admin is not None:  # last, so operators can watch the drain to its end
        await admin.stop()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s mesh-proxy %(levelname)s %(message)s"
    )
    if args.check_config:
        return check_config_main(args.check_config)
    path = Path(args.config)
    try:
        load_sidecar_file(path)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 1
    try:
        import uvloop
    except ImportError:  # platforms without uvloop run on asyncio's own loop, slower
        return asyncio.run(serve(path))
    return uvloop.run(serve(path))


if __name__ == "__main__":
    sys.exit(main())
