"""Command line of the desktop app: parses arguments before Qt is imported, so `--help` and
`--version` work (and a missing system library is reported clearly) without a display."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from meshgui import __version__
from meshgui.frozen import RUN_MODULE_FLAG, run_module


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="meshgui",
        description="Desktop console for a mesh of mesh-proxy sidecars: live topology, "
        "per-edge latency and error graphs, route editing, drains and config export.",
        epilog="Headless config export: meshgui export --help",
    )
    parser.add_argument("--version", action="version", version=f"meshgui {__version__}")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="start the embedded demo mesh in the background and connect to it",
    )
    parser.add_argument(
        "--screenshot",
        metavar="FILE",
        help="render the main window into this PNG file, then exit (works offscreen: "
        "QT_QPA_PLATFORM=offscreen)",
    )
    parser.add_argument(
        "--exit-after",
        metavar="SECONDS",
        type=float,
        help="quit after this many seconds (the screenshot, if asked for, is taken just before)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == [RUN_MODULE_FLAG]:
        # A frozen bundle's own children (sidecars, demo apps): see meshgui.frozen.
        if len(arguments) < 2:
            print(f"meshgui: {RUN_MODULE_FLAG} needs a module name", file=sys.stderr)
            return 2
        run_module(arguments[1], arguments[2:])
        return 0
    if arguments[:1] == ["export"]:
        # Headless, for scripts and CI: must not import Qt.
        from meshgui.export.cli import main as export_main

        return export_main(arguments[1:])
    args = build_parser().parse_args(arguments)
    if args.exit_after is not None and args.exit_after < 0:
        print("meshgui: --exit-after must be zero or more seconds", file=sys.stderr)
        return 2

    from meshgui.qt_check import explain_qt_import_failure

    try:
        from meshgui.app import run_app
    except ImportError as exc:
        print(explain_qt_import_failure(exc), file=sys.stderr)
        return 3
    return run_app(args)


if __name__ == "__main__":
    sys.exit(main())
