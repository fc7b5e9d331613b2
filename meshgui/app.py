"""Starts the desktop app: the QApplication, the main window, and the scripted
`--screenshot FILE --exit-after SECONDS` mode that tests and reviews use."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from meshgui import APP_NAME, ORGANIZATION, __version__
from meshgui.resources import ResourceNotFoundError, resource_path
from meshgui.secrets import keyring_status
from meshgui.views.main_window import MainWindow

DEFAULT_SCREENSHOT_DELAY_S = 1.0


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


def run_app(args: argparse.Namespace) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationVersion(__version__)
    app.setWindowIcon(application_icon())
    window = MainWindow(app_settings())
    status = keyring_status()
    if not status.available:
        window.statusBar().showMessage(status.message)
    if args.demo:
        print(
            "meshgui: the embedded demo mesh is not part of this build yet; "
            "opening an empty window.",
            file=sys.stderr,
        )
    window.show()
    schedule_exit(app, window, args)
    return app.exec()
