"""`mesh-demo`: run the demo shop headless, or trigger a scenario in a running one."""

from __future__ import annotations

import argparse
import asyncio
import re
import secrets
import sys
from collections.abc import Sequence
from pathlib import Path

from meshgui import __version__
from meshgui.demo.scenarios import SCENARIOS

_RUN_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,31}$")


def _scenario_help() -> str:
    return "\n".join(f"  {name:16} {what}" for name, what in SCENARIOS.items())


EPILOG = f"""\
scenarios:
{_scenario_help()}

A scenario given with --scenario starts after --scenario-delay seconds. In a running demo,
trigger one now with
  mesh-demo trigger NAME --connection-file FILE
or, when mesh-demo runs in a terminal, by typing its name and Enter.

The connection file lists every sidecar (service, instance, version, admin address, /metrics
URL, pids) and where its admin token is: the OS keyring (service "meshgui", user
"demo/<run-id>/<instance>") when one is available, else a private token file; with
--tokens-in-connection-file, the tokens themselves. Tokens are never printed. Ctrl-C or
SIGTERM stops everything; no process outlives mesh-demo, even if it is killed.
"""


def _positive(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError("must be more than 0")
    return value


def _not_negative(text: str) -> float:
    value = float(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def _run_id(text: str) -> str:
    if not _RUN_ID_RE.match(text):
        raise argparse.ArgumentTypeError("use 1-32 of a-z, 0-9 and '-'")
    return text


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mesh-demo",
        description="Run the demo online shop (web, cart, inventory v1/v2, inventory-db over\n"
        "TCP, recommendations, recommendations-lite, product-tags), every instance behind its\n"
        "own mesh-proxy on loopback, with users sending traffic into web's sidecar directly,\n"
        "as an ingress would (the edge shows as unknown -> web).",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"mesh-demo {__version__}")
    parser.add_argument("--rate", type=_positive, default=50.0, help="user requests/s (50)")
    parser.add_argument("--scenario", choices=list(SCENARIOS), help="a scenario to play")
    parser.add_argument(
        "--scenario-delay",
        type=_not_negative,
        default=30.0,
        metavar="SECONDS",
        help="when --scenario starts, after the mesh is ready (30)",
    )
    parser.add_argument(
        "--duration", type=_positive, metavar="SECONDS", help="stop after this long"
    )
    parser.add_argument(
        "--connection-file",
        type=Path,
        metavar="PATH",
        help="where to write the connection file (YAML; default under $XDG_RUNTIME_DIR/meshgui "
        "or in the run directory); removed when the demo stops",
    )
    parser.add_argument(
        "--tokens-in-connection-file",
        action="store_true",
        help="write the admin tokens themselves into the connection file (mode 0600)",
    )
    parser.add_argument(
        "--log-dir",
        type=Path,
        metavar="DIR",
        help="where the run directory with every process's log is made (the temp directory)",
    )
    parser.add_argument("--run-id", type=_run_id, help="name of this run (random)")
    parser.add_argument(
        "--ready-timeout",
        type=_positive,
        default=30.0,
        metavar="SECONDS",
        help="how long every sidecar and app may take to be ready (30)",
    )
    parser.add_argument(
        "--report-every",
        type=_positive,
        default=5.0,
        metavar="SECONDS",
        help="how often the users' requests, success rate and p50/p99 are printed (5)",
    )
    parser.add_argument("--seed", type=int, help="seed the services' and users' randomness")
    return parser


def build_trigger_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mesh-demo trigger",
        description="Carry out a scenario in a running mesh-demo now.",
        epilog=f"scenarios:\n{_scenario_help()}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("name", choices=list(SCENARIOS), metavar="NAME")
    parser.add_argument("--connection-file", type=Path, required=True, metavar="PATH")
    return parser


def trigger_main(argv: Sequence[str]) -> int:
    from meshgui.demo.control import TriggerError, trigger
    from proxy.config import ConfigError

    args = build_trigger_parser().parse_args(argv)
    try:
        done = trigger(args.name, args.connection_file)
    except (TriggerError, ConfigError) as exc:
        print(f"mesh-demo: {exc}", file=sys.stderr)
        return 1
    print(f"mesh-demo: scenario {args.name}: {done}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["trigger"]:
        return trigger_main(arguments[1:])
    args = build_parser().parse_args(arguments)
    from meshgui.demo.options import DemoOptions
    from meshgui.demo.run import DemoRun

    options = DemoOptions(
        run_id=args.run_id or secrets.token_hex(4),
        rate=args.rate,
        scenario=args.scenario,
        scenario_delay=args.scenario_delay,
        duration=args.duration,
        connection_file=args.connection_file,
        tokens_in_connection_file=args.tokens_in_connection_file,
        log_dir=args.log_dir,
        ready_timeout=args.ready_timeout,
        report_every=args.report_every,
        seed=args.seed,
    )

    async def run() -> int:
        return await DemoRun(options).run()

    return asyncio.run(run())


if __name__ == "__main__":
    sys.exit(main())
