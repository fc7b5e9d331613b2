"""The main window: menus with shortcuts, the topology canvas, and a status bar saying how many
sidecars are connected. Its geometry is remembered between runs."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QWidget

from meshgui import APP_NAME, __version__
from meshgui.views.topology_canvas import TopologyCanvas

GEOMETRY_KEY = "main_window/geometry"
STATE_KEY = "main_window/state"


class MainWindow(QMainWindow):
    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self.setObjectName("mainWindow")
        self.setWindowTitle(APP_NAME)
        self.canvas = TopologyCanvas(self)
        self.setCentralWidget(self.canvas)
        self._build_menus()
        self.sidecars_label = QLabel(self)
        self.sidecars_label.setObjectName("sidecarsLabel")
        self.statusBar().addPermanentWidget(self.sidecars_label)
        self.show_sidecar_count(0, 0)
        self.statusBar().showMessage("Not connected")
        self._restore_geometry()

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        view_menu = self.menuBar().addMenu("&View")
        for text, shortcut, slot in (
            ("Zoom &In", QKeySequence.StandardKey.ZoomIn, self.canvas.zoom_in),
            ("Zoom &Out", QKeySequence.StandardKey.ZoomOut, self.canvas.zoom_out),
            ("&Fit to Window", QKeySequence("Ctrl+0"), self.canvas.fit_to_window),
        ):
            action = QAction(text, self)
            action.setShortcut(shortcut)
            action.triggered.connect(slot)
            view_menu.addAction(action)

        help_menu = self.menuBar().addMenu("&Help")
        about = QAction("&About meshgui", self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

    def show_sidecar_count(self, connected: int, total: int) -> None:
        self.sidecars_label.setText(f"Sidecars {connected}/{total}")

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            "About meshgui",
            f"<b>meshgui {__version__}</b><p>A service mesh with a desktop face: "
            "live topology, per-edge latency and errors, routes, drains and exports.</p>",
        )

    def _restore_geometry(self) -> None:
        geometry = self._settings.value(GEOMETRY_KEY)
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1200, 800)
        state = self._settings.value(STATE_KEY)
        if state is not None:
            self.restoreState(state)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        self._settings.setValue(GEOMETRY_KEY, self.saveGeometry())
        self._settings.setValue(STATE_KEY, self.saveState())
        self._settings.sync()
        super().closeEvent(event)
