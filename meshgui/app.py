"""Starts the desktop app: the QApplication, the main window connected to the last profile (or
to `--demo`, or to `--connection-file FILE`), and the scripted `--screenshot FILE --exit-after
SECONDS` mode that tests and reviews use."""

from __future__ import annotations

import argparse
import atexit
import gc
import signal
import sys
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from meshgui import APP_NAME, ORGANIZATION, __version__
from meshgui.demo.launcher import DemoLauncher
from meshgui.resources import ResourceNotFoundError, resource_path
from meshgui.secrets import keyring_status
from meshgui.views.main_window import MainWindow
from meshgui.views.topology_canvas import TopologyCanvas

DEFAULT_SCREENSHOT_DELAY_S = 1.0
SIGNAL_POLL_MS = 250


def app_settings() -> QSettings:
    return QSettings(ORGANIZATION, APP_NAME)


def application_icon() -> QIcon:
    icon = QIcon()
    try:
        icon.addFile(str(resource_path("icons/meshgui.svg")))
        for size in (16, 32, 48, 64, 128, 256):
            icon.addFile(str(resource_path(f"icons/meshgui-{size}.png")))
    except ResourceNotFoundError as exc:
        print(f"meshgui: warning: {exc}", file=sys.stderr)
    return icon


def save_screenshot(window: MainWindow, path: str) -> bool:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    return window.grab().save(str(target), "PNG")


def schedule_exit(app: QApplication, window: MainWindow, args: argparse.Namespace) -> None:
    delay = args.exit_after
    if delay is None and args.screenshot:
        delay = DEFAULT_SCREENSHOT_DELAY_S
    if delay is None:
        return

    def finish() -> None:
        if args.screenshot:
            if save_screenshot(window, args.screenshot):
                print(f"meshgui: screenshot written to {args.screenshot}")
            else:
                print(f"meshgui: could not write {args.screenshot}", file=sys.stderr)
                app.exit(1)
                return
        window.close()
        app.quit()

    QTimer.singleShot(int(delay * 1000), finish)


DEMO_POLL_MS = 200


def start_demo(app: QApplication, window: MainWindow) -> DemoLauncher:
    """`meshgui --demo`: start mesh-demo in the background, poll (never block) for its
    connection file, say so in the status bar; the demo stops when the app quits or dies."""
    launcher = DemoLauncher()
    launcher.start()
    print(f"meshgui: starting the demo mesh (run {launcher.run_id}; log {launcher.log_path})")
    app.aboutToQuit.connect(launcher.stop)
    atexit.register(launcher.stop)  # an exit that skips aboutToQuit; a crash has PDEATHSIG
    window.statusBar().showMessage("Starting the demo mesh…")
    timer = QTimer(window)
    timer.setInterval(DEMO_POLL_MS)

    def check() -> None:
        status = launcher.poll()
        if status.starting:
            return
        timer.stop()
        if status.connection is not None:
            count = len(status.connection.sidecars)
            message = (
                f"Demo mesh running: {count} sidecars (connection file {launcher.connection_path})"
            )
            print(f"meshgui: {message}", flush=True)
            # One profile name for every demo run, so node positions survive between runs.
            window.connect_connection_file(launcher.connection_path, profile_name="demo")
            window.statusBar().showMessage(message, 10_000)
        else:
            window.statusBar().showMessage(f"Demo mesh failed: {status.failure}")
            print(f"meshgui: demo mesh failed: {status.failure}", file=sys.stderr, flush=True)

    timer.timeout.connect(check)
    timer.start()
    return launcher


def open_connection_file(window: MainWindow, path: str) -> bool:
    """`meshgui --connection-file FILE`: connect to the sidecars FILE lists, the way `--demo`
    does: not saved as a profile nor remembered as the last one (a file is one run's mesh; the
    Connect dialog is where operators keep profiles). Says the outcome on the terminal too."""
    connected = window.connect_connection_file(path)
    line = f"meshgui: {window.statusBar().currentMessage()}"
    print(line, file=sys.stdout if connected else sys.stderr, flush=True)
    return connected


def keep_gc_pauses_short(canvas: TopologyCanvas) -> None:
    """Once a mesh is drawn and laid out, its objects (canvas items, the model's index, views)
    are long-lived: `gc.freeze()` takes them out of the cyclic collector's full passes, which at
    1,000 services walked ~134k objects for 80-250 ms on the GUI thread every few seconds.
    Frozen objects are still freed by reference counting; only reference cycles among them wait
    for `gc.unfreeze()`, which a new mesh does (`MeshSession.started`)."""
    canvas.layout_applied.connect(gc.freeze)


def quit_on_signals(app: QApplication) -> QTimer:
    """Ctrl-C in the terminal (and SIGTERM) quit the app the orderly way, so `make demo` stopped
    with Ctrl-C also stops its demo mesh. Python only runs its signal handlers when the
    interpreter gets control, which Qt's event loop never gives it: a short timer does."""
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: app.quit())
    wake = QTimer(app)
    wake.timeout.connect(lambda: None)
    wake.start(SIGNAL_POLL_MS)
    return wake


def run_app(args: argparse.Namespace) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationVersion(__version__)
    app.setWindowIcon(application_icon())
    window = MainWindow(app_settings())
    keep_gc_pauses_short(window.canvas)
    window.session.started.connect(gc.unfreeze)
    status = keyring_status()
    if not status.available:
        window.statusBar().showMessage(status.message)
    if args.demo:
        start_demo(app, window)  # kept alive by the quit hook and the poll timer
    elif args.connection_file:
        open_connection_file(window, args.connection_file)
    else:
        window.reconnect_last_profile()
    window.show()
    quit_on_signals(app)
    schedule_exit(app, window, args)
    return app.exec()
