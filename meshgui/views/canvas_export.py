"""The topology canvas as a picture for a report or a chat: PNG at twice the screen's scale, SVG
as vectors (QtSvg's QSvgGenerator, part of PySide6-Essentials).

The picture is the whole graph whatever the zoom, at full detail: names, rates and labels, even
when the canvas is zoomed out to its overview; selection halos are left out. The file is
written whole or not at all (`meshgui.export.files`).
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPalette
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QGraphicsView

from meshgui.export.files import write_file
from meshgui.views.edge_item import EdgeItem
from meshgui.views.node_item import NodeItem
from meshgui.views.overview_layer import OverviewLayer

PNG_SCALE = 2.0
"""Twice the scene's units: sharp on high-density screens and when zoomed in a document."""
MAX_PNG_PIXELS = 40_000_000
"""A larger picture is scaled down to this (160 MB of memory while drawing it)."""
MARGIN = 32.0
NO_CONTENTS = QGraphicsItem.GraphicsItemFlag.ItemHasNoContents
SCREEN_DOTS_PER_METRE = 3780  # 96 dpi


class CanvasExportError(Exception):
    """Nothing to draw, or the file could not be written; the message says which."""


@dataclass(frozen=True)
class Picture:
    """What was written: size in pixels (SVG: in scene units) and the scale used."""

    path: Path
    width: int
    height: int
    scale: float


def graph_rect(scene: QGraphicsScene) -> QRectF:
    """The nodes and edges on show, with a margin; empty when there are none."""
    rect = QRectF()
    for item in scene.items():
        if isinstance(item, NodeItem | EdgeItem) and item.isVisible():
            rect = rect.united(item.sceneBoundingRect())
    return rect.adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN) if not rect.isEmpty() else rect


def export_png(canvas: QGraphicsView, path: Path, scale: float = PNG_SCALE) -> Picture:
    """The canvas's graph as a PNG at `scale` (less when it would pass MAX_PNG_PIXELS)."""
    source = _source_rect(canvas)
    area = source.width() * source.height()
    scale = min(scale, math.sqrt(MAX_PNG_PIXELS / area)) if area > 0 else scale
    size = QSize(max(1, round(source.width() * scale)), max(1, round(source.height() * scale)))
    image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(_background(canvas))
    painter = QPainter(image)
    _render(canvas, painter, QRectF(0, 0, size.width(), size.height()), source)
    # Only now: fonts in points are sized by the image's resolution while painting.
    image.setDotsPerMeterX(round(SCREEN_DOTS_PER_METRE * scale))
    image.setDotsPerMeterY(round(SCREEN_DOTS_PER_METRE * scale))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # The stubs say the format is bytes; only str works at run time.
    if not image.save(buffer, "PNG"):  # type: ignore[call-overload]
        raise CanvasExportError(f"could not encode a {size.width()}x{size.height()} PNG")
    buffer.close()
    _write_whole(path, bytes(data.data()))
    return Picture(path, size.width(), size.height(), scale)


def export_svg(canvas: QGraphicsView, path: Path, title: str = "Mesh topology") -> Picture:
    """The canvas's graph as SVG, one scene unit to one SVG pixel."""
    source = _source_rect(canvas)
    size = QSize(math.ceil(source.width()), math.ceil(source.height()))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(size)
    generator.setResolution(96)  # so browsers show it at its size in pixels (mm at 96 dpi)
    generator.setViewBox(QRectF(0, 0, size.width(), size.height()))
    generator.setTitle(title)
    generator.setDescription("Exported by meshgui")
    painter = QPainter(generator)
    target = QRectF(0, 0, size.width(), size.height())
    painter.fillRect(target, _background(canvas))
    _render(canvas, painter, target, source)
    buffer.close()
    _write_whole(path, bytes(data.data()))
    return Picture(path, size.width(), size.height(), 1.0)


def _source_rect(canvas: QGraphicsView) -> QRectF:
    rect = graph_rect(canvas.scene())
    if rect.isEmpty():
        raise CanvasExportError("the canvas shows no services yet: connect to a mesh first")
    return rect


def _background(canvas: QGraphicsView) -> QColor:
    brush = canvas.backgroundBrush()
    if brush.style() != Qt.BrushStyle.NoBrush:
        return brush.color()
    return canvas.palette().color(QPalette.ColorRole.Base)


def _render(canvas: QGraphicsView, painter: QPainter, target: QRectF, source: QRectF) -> None:
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    try:
        with _full_detail(canvas.scene()):
            canvas.scene().render(painter, target, source, Qt.AspectRatioMode.KeepAspectRatio)
    finally:
        painter.end()


@contextlib.contextmanager
def _full_detail(scene: QGraphicsScene) -> Iterator[None]:
    """Items paint themselves (zoomed out, the overview layer paints instead of them) and
    nothing is selected, for the time of one render; then everything is as it was."""
    hidden = [i for i in scene.items() if isinstance(i, OverviewLayer) and i.isVisible()]
    muted = [
        i for i in scene.items() if isinstance(i, NodeItem | EdgeItem) and i.flags() & NO_CONTENTS
    ]
    selected = scene.selectedItems()
    blocked = scene.blockSignals(True)  # the details dock must not see a selection change
    try:
        for layer in hidden:
            layer.setVisible(False)
        for item in muted:
            item.setFlag(NO_CONTENTS, False)
        for chosen in selected:
            chosen.setSelected(False)
        yield
    finally:
        for chosen in selected:
            chosen.setSelected(True)
        for item in muted:
            item.setFlag(NO_CONTENTS, True)
        for layer in hidden:
            layer.setVisible(True)
        scene.blockSignals(blocked)


def _write_whole(path: Path, data: bytes) -> None:
    try:
        write_file(path, data)
    except OSError as exc:
        raise CanvasExportError(f"cannot write {path}: {exc.strerror or exc}") from None
