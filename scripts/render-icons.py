"""Renders resources/icons/meshgui.svg into the PNG sizes window managers and installers want.
Run after editing the SVG: .venv/bin/python scripts/render-icons.py"""

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
icons = Path(__file__).resolve().parent.parent / "resources" / "icons"
app = QGuiApplication(sys.argv)
renderer = QSvgRenderer(str(icons / "meshgui.svg"))
for size in SIZES:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    image.save(str(icons / f"meshgui-{size}.png"))
    print(f"wrote meshgui-{size}.png")
