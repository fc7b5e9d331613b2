"""Command line of the desktop app: parses arguments before Qt is imported, so `--help` and
`--version` work (and a missing system library is reported clearly) without a display."""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Sequence
from pathlib import Path

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
    mesh = parser.add_mutually_exclusive_group()
    mesh.add_argument(
        "--demo",
        action="store_true",
        help="start the embedded demo mesh in the background and connect to it",
    )
    mesh.add_argument(
        "--connection-file",
        metavar="FILE",
        help="connect at start to the sidecars listed in FILE (as mesh-demo writes), instead "
        "of the profile used last; the file is not saved as a profile",
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


def connection_file_problem(path: str) -> str | None:
    """Why the connection file at `path` cannot be used (one line), or None. Checked before Qt
    loads, so a typo in the path is said on the terminal, not in a window that opens for
    nothing."""
    from meshgui.connection_file import error_line, load_connection_file
    from proxy.config import ConfigError

    try:
        connection = load_connection_file(Path(path))
    except ConfigError as exc:
        return error_line(exc)
    return None if connection.sidecars else f"{path}: lists no sidecars"


def _quit_before_the_window(_signum: int, _frame: object) -> None:
    raise SystemExit(130)


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
    if args.connection_file is not None:
        problem = connection_file_problem(args.connection_file)
        if problem is not None:
            print(f"meshgui: {problem}", file=sys.stderr)
            return 2

    # Ctrl-C while Qt loads and the window comes up: leave quietly, not with a traceback. The
    # app installs its own handler (an orderly quit) once its event loop can run it.
    signal.signal(signal.SIGINT, _quit_before_the_window)
    from meshgui.qt_check import explain_qt_import_failure

    try:
        from meshgui.app import run_app
    except ImportError as exc:
        print(explain_qt_import_failure(exc), file=sys.stderr)
        return 3
    return run_app(args)


if __name__ == "__main__":
    sys.exit(main())
