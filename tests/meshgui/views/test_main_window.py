"""The main window: menus and shortcuts, status bar, connecting a profile or a connection file
to a fresh model, a refresh reaching canvas, dock and status bar, positions saved per profile."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSettings
from pytestqt.qtbot import QtBot

from meshgui.connection_file import ConnectionFile, InlineToken, SidecarEntry, save_connection_file
from meshgui.profiles import ConnectionProfile, ProfileStore
from meshgui.secrets import TokenStore
from meshgui.views.main_window import MainWindow, data_age_text
from proxy.admin.models import DrainChangedEvent, EndpointEjectedEvent
from tests.harness.keyring_memory import MemoryKeyring
from tests.meshgui.views.fake_client import FakeClient
from tests.meshgui.views.fakes import NOW, WEB_CART, ColumnLayout, FakeModel
from tests.meshgui.views.gesture_input import drag

PROD = ConnectionProfile("prod", addresses=("127.0.0.1:41001", "127.0.0.1:41011"))


def make_settings(path: Path) -> QSettings:
    return QSettings(str(path), QSettings.Format.IniFormat)


def offline_window(qtbot: QtBot, tmp_path: Path) -> MainWindow:
    """A shown window connected to nothing, its settings and journal in `tmp_path`."""
    window = MainWindow(
        make_settings(tmp_path / "s.ini"),
        journal_path=tmp_path / "journal.jsonl",
        layout_function=ColumnLayout(),
    )
    qtbot.addWidget(window)
    window.show()
    return window


class Rig:
    """A window wired to a fake client and fake models (a new one per connect)."""

    def __init__(self, qtbot: QtBot, settings_file: Path) -> None:
        self.client = FakeClient()
        self.models: list[FakeModel] = []
        self.settings = make_settings(settings_file)
        self.window = MainWindow(
            self.settings,
            client=self.client,  # type: ignore[arg-type]
            model_factory=self._new_model,
            layout_function=ColumnLayout(),
            clock=lambda: NOW,
        )
        qtbot.addWidget(self.window)

    def _new_model(self) -> FakeModel:
        self.models.append(FakeModel())
        return self.models[-1]

    @property
    def model(self) -> FakeModel:
        return self.models[-1]


@pytest.fixture
def rig(qtbot: QtBot, tmp_path: Path, memory_keyring: MemoryKeyring) -> Iterator[Rig]:
    rig = Rig(qtbot, tmp_path / "s.ini")
    rig.window.show()
    yield rig


def connected(qtbot: QtBot, rig: Rig, profile: ConnectionProfile = PROD) -> None:
    assert rig.window.connect_profile(profile)
    with qtbot.waitSignal(rig.window.canvas.layout_applied, timeout=5000):
        rig.window.session.tick()


def shortcuts(window: MainWindow) -> dict[str, str]:
    return {
        a.text().replace("&", ""): a.shortcut().toString()
        for menu in window.menuBar().actions()
        for a in menu.menu().actions()
    }


def test_window_has_menus_status_and_empty_canvas(qtbot: QtBot, tmp_path: Path) -> None:
    window = MainWindow(make_settings(tmp_path / "s.ini"))
    qtbot.addWidget(window)
    window.show()
    titles = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert titles == ["File", "Edit", "View", "Help"]
    assert window.sidecars_label.text() == "Sidecars 0/0"
    assert window.statusBar().currentMessage() == "Not connected"
    assert window.canvas.placeholder_text == "No mesh connected"


def test_menus_have_shortcuts(qtbot: QtBot, tmp_path: Path) -> None:
    window = MainWindow(make_settings(tmp_path / "s.ini"))
    qtbot.addWidget(window)
    keys = shortcuts(window)
    assert keys["Connect…"] == "Ctrl+O"
    assert "Disconnect" in keys
    assert keys["Quit"] == "Ctrl+Q"
    assert keys["Zoom In"] and keys["Zoom Out"]
    assert keys["Fit to Window"] == "Ctrl+0"
    assert keys["Find Service…"] == "Ctrl+F"


def test_zoom_changes_the_canvas_scale(qtbot: QtBot, tmp_path: Path) -> None:
    window = MainWindow(make_settings(tmp_path / "s.ini"))
    qtbot.addWidget(window)
    before = window.canvas.transform().m11()
    window.canvas.zoom_in()
    assert window.canvas.transform().m11() > before
    window.canvas.zoom_out()
    window.canvas.zoom_out()
    assert window.canvas.transform().m11() < before


def test_geometry_is_remembered(qtbot: QtBot, tmp_path: Path) -> None:
    settings_file = tmp_path / "s.ini"
    first = MainWindow(make_settings(settings_file))
    qtbot.addWidget(first)
    first.show()
    first.resize(640, 480)
    first.close()

    second = MainWindow(make_settings(settings_file))
    qtbot.addWidget(second)
    second.show()
    assert (second.width(), second.height()) == (640, 480)


def test_connecting_a_profile_feeds_a_fresh_model_and_shows_it(qtbot: QtBot, rig: Rig) -> None:
    rig.window.profiles.save(PROD, token="tok")
    connected(qtbot, rig)
    assert rig.client.targets is not None
    assert [t.address for t in rig.client.targets] == list(PROD.addresses)
    assert {t.token for t in rig.client.targets} == {"tok"}
    assert rig.model.sidecars == list(PROD.addresses)
    rig.client.snapshot_received.emit("127.0.0.1:41001", "snap")
    rig.client.sidecar_disconnected.emit("127.0.0.1:41011", NOW - 5)
    assert rig.model.ingested == [("127.0.0.1:41001", "snap")]
    assert rig.model.disconnected == [("127.0.0.1:41011", NOW - 5)]
    assert rig.window.canvas.service_names() == sorted(rig.model.view().nodes)
    assert rig.window.sidecars_label.text() == "Sidecars 5/6"
    assert rig.window.age_label.text() == "Data 2 s old"
    assert rig.window.windowTitle().startswith("prod")
    assert rig.window.profiles.last_profile == "prod"


def test_selecting_an_edge_charts_it_in_the_dock(qtbot: QtBot, rig: Rig) -> None:
    connected(qtbot, rig)
    assert rig.window.canvas.select_edge(WEB_CART)
    assert rig.window.details.selected_edge == WEB_CART
    rig.window.session.tick()
    assert {key for key, _ in rig.model.history_calls} == {WEB_CART}


def test_find_bar_selects_the_service(qtbot: QtBot, rig: Rig) -> None:
    connected(qtbot, rig)
    rig.window.find_bar.open_bar()
    assert rig.window.find_bar.isVisible()
    # setText, not typing: the completer's popup warns on the offscreen platform.
    rig.window.find_bar.edit.setText("recomm")
    with qtbot.waitSignal(rig.window.canvas.node_selected, timeout=1000) as selected:
        qtbot.keyClick(rig.window.find_bar.edit, "\r")
    assert selected.args == ["recommendations"]
    assert rig.window.details.selected_node == "recommendations"


def test_a_dragged_node_is_saved_with_the_profile(qtbot: QtBot, rig: Rig, tmp_path: Path) -> None:
    connected(qtbot, rig)
    canvas = rig.window.canvas
    cart = canvas.node_item("cart")
    assert cart is not None
    start = canvas.mapFromScene(cart.pos())
    drag(canvas, start, start + QPoint(40, 60))
    saved = ProfileStore(rig.settings, TokenStore()).positions("prod")
    assert saved["cart"] == pytest.approx((cart.pos().x(), cart.pos().y()), abs=0.1)

    rig.window.disconnect_mesh()
    assert canvas.service_names() == []
    connected(qtbot, rig)
    again = canvas.node_item("cart")
    assert again is not None
    assert (again.pos().x(), again.pos().y()) == pytest.approx(saved["cart"], abs=0.1)


def test_the_last_profile_reconnects(qtbot: QtBot, rig: Rig, tmp_path: Path) -> None:
    assert not rig.window.reconnect_last_profile()  # nothing used yet
    rig.window.profiles.save(PROD)
    connected(qtbot, rig)
    rig.window.disconnect_mesh()
    assert rig.client.targets is None
    assert rig.window.statusBar().currentMessage() == "Not connected"
    assert rig.window.reconnect_last_profile()
    assert rig.client.targets is not None and len(rig.client.targets) == 2


def test_a_connection_file_connects_its_sidecars(qtbot: QtBot, rig: Rig, tmp_path: Path) -> None:
    path = tmp_path / "connection.yaml"
    entry = SidecarEntry(
        service="web",
        instance="web-1",
        admin="127.0.0.1:41001",
        metrics_url="http://127.0.0.1:41002/metrics",
        token=InlineToken(value="inline-token"),  # type: ignore[arg-type]
    )
    save_connection_file(ConnectionFile(name="demo/run1", sidecars=(entry,)), path)
    assert rig.window.connect_connection_file(path, profile_name="demo")
    assert rig.client.targets is not None
    assert [(t.sidecar_id, t.token) for t in rig.client.targets] == [("web-1", "inline-token")]
    assert rig.window.session.profile_name == "demo"
    assert rig.window.profiles.last_profile is None  # a demo run is not a saved profile
    assert not rig.window.connect_connection_file(tmp_path / "missing.yaml")
    assert "missing.yaml" in rig.window.statusBar().currentMessage()


def test_closing_the_window_stops_the_client(qtbot: QtBot, rig: Rig) -> None:
    connected(qtbot, rig)
    rig.window.close()
    assert rig.client.shut_down


def test_data_age_text() -> None:
    assert data_age_text(None, 10.0) == "No data yet"
    assert data_age_text(7.0, 10.0) == "Data 3 s old"
    assert data_age_text(0.0, 600.0) == "Data 10 min old"


def test_admin_events_show_in_the_status_bar(qtbot: QtBot, rig: Rig) -> None:
    connected(qtbot, rig)
    ejected = EndpointEjectedEvent(
        at=NOW, service="inventory", endpoint="inventory-2", duration_s=30
    )
    rig.client.event_received.emit("web-1", ejected)
    assert rig.window.statusBar().currentMessage() == "inventory-2 (inventory) ejected for 30 s"
    rig.client.event_received.emit(
        "web-1", DrainChangedEvent(at=NOW, target="cart-1", drained=True)
    )
    assert rig.window.statusBar().currentMessage() == "cart-1 draining"
