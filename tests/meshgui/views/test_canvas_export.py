"""The canvas as PNG (2x) and SVG: the whole graph at full detail whatever the zoom, selection
left out and left alone, big pictures scaled down, files written whole or not at all."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtSvg import QSvgRenderer
from pytestqt.qtbot import QtBot

from meshgui.views import canvas_export
from meshgui.views.canvas_export import CanvasExportError, export_png, export_svg, graph_rect
from meshgui.views.styles import HEALTH_COLOURS
from meshgui.views.topology_canvas import TopologyCanvas
from tests.meshgui.views.fakes import WEB_CART, ColumnLayout


def colours(image: QImage, step: int = 3) -> set[str]:
    return {
        image.pixelColor(x, y).name()
        for x in range(0, image.width(), step)
        for y in range(0, image.height(), step)
    }


def test_png_is_the_whole_graph_at_twice_its_size(
    shown_canvas: TopologyCanvas, tmp_path: Path
) -> None:
    picture = export_png(shown_canvas, tmp_path / "graph.png")
    rect = graph_rect(shown_canvas.scene())
    assert (picture.width, picture.height) == (round(rect.width() * 2), round(rect.height() * 2))
    image = QImage(str(tmp_path / "graph.png"))
    assert (image.width(), image.height()) == (picture.width, picture.height)
    base = shown_canvas.palette().color(QPalette.ColorRole.Base).name()
    assert image.pixelColor(0, 0).name() == base
    found = colours(image)
    for health in ("HEALTHY", "DEGRADED", "FAILING"):  # the nodes' health strips
        assert HEALTH_COLOURS[health].name() in found, health
    assert round(image.dotsPerMeterX() / canvas_export.SCREEN_DOTS_PER_METRE) == 2


def test_zoom_does_not_change_the_picture(shown_canvas: TopologyCanvas, tmp_path: Path) -> None:
    export_png(shown_canvas, tmp_path / "near.png")
    for _ in range(12):
        shown_canvas.zoom_out()
    assert shown_canvas.overview  # items paint nothing themselves now
    export_png(shown_canvas, tmp_path / "far.png")
    assert QImage(str(tmp_path / "far.png")) == QImage(str(tmp_path / "near.png"))
    assert shown_canvas.overview  # and the canvas is as it was


def test_selection_is_left_out_of_the_picture_and_left_alone(
    qtbot: QtBot, shown_canvas: TopologyCanvas, tmp_path: Path
) -> None:
    export_png(shown_canvas, tmp_path / "plain.png")
    shown_canvas.select_edge(WEB_CART)
    announced: list[object] = []
    shown_canvas.edge_selected.connect(announced.append)
    export_png(shown_canvas, tmp_path / "selected.png")
    assert QImage(str(tmp_path / "selected.png")) == QImage(str(tmp_path / "plain.png"))
    assert announced == []  # the details dock saw nothing happen
    item = shown_canvas.edge_item(WEB_CART)
    assert item is not None and item.isSelected()


def test_svg_is_vectors_with_the_names_as_text(
    shown_canvas: TopologyCanvas, tmp_path: Path
) -> None:
    picture = export_svg(shown_canvas, tmp_path / "graph.svg", title="Shop at noon")
    text = (tmp_path / "graph.svg").read_text(encoding="utf-8")
    assert text.startswith("<?xml")
    assert "<title>Shop at noon</title>" in text
    assert f'viewBox="0 0 {picture.width} {picture.height}"' in text
    for name in ("web", "inventory-db", "product-tags", "120 req/s"):
        assert f">{name}<" in text, name
    renderer = QSvgRenderer(str(tmp_path / "graph.svg"))
    assert renderer.isValid()


def test_a_huge_graph_is_scaled_down_to_stay_drawable(
    shown_canvas: TopologyCanvas, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(canvas_export, "MAX_PNG_PIXELS", 200_000)
    picture = export_png(shown_canvas, tmp_path / "small.png")
    assert picture.scale < 2
    assert picture.width * picture.height <= 200_000 * 1.01


def test_an_empty_canvas_has_nothing_to_draw(qtbot: QtBot, tmp_path: Path) -> None:
    canvas = TopologyCanvas(layout_function=ColumnLayout())
    qtbot.addWidget(canvas)
    with pytest.raises(CanvasExportError, match="connect to a mesh first"):
        export_png(canvas, tmp_path / "x.png")
    with pytest.raises(CanvasExportError, match="connect to a mesh first"):
        export_svg(canvas, tmp_path / "x.svg")
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_place_is_a_clear_error(shown_canvas: TopologyCanvas, tmp_path: Path) -> None:
    with pytest.raises(CanvasExportError, match=r"cannot write .*missing/graph.png"):
        export_png(shown_canvas, tmp_path / "missing" / "graph.png")


def test_an_existing_file_is_replaced_whole(shown_canvas: TopologyCanvas, tmp_path: Path) -> None:
    target = tmp_path / "graph.png"
    target.write_bytes(b"old")
    export_png(shown_canvas, target)
    assert QImage(str(target)).width() > 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.png"]
    assert QColor(QImage(str(target)).pixelColor(0, 0)).isValid()
