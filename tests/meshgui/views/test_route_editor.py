"""The route editor: a split that stays at 100 % while sliders move, validation by the sidecars'
own schema on every edit with each error beside its field, and the edit returned as one change."""

from __future__ import annotations

import textwrap
from collections.abc import Callable

import pytest
from PySide6.QtWidgets import QDialog, QLineEdit
from pytestqt.qtbot import QtBot

from meshgui.demo.mesh_config import mesh_config
from meshgui.demo.plan import DemoPlan
from meshgui.views.route_editor import RouteEditorDialog
from meshgui.views.route_editor_backends import largest_remainder, percentages, rebalance
from proxy.config import Backend, MeshConfig, parse_mesh_document


def demo_mesh() -> MeshConfig:
    return mesh_config(DemoPlan.allocate(allocate_ports=lambda n: list(range(32000, 32000 + n))))


THREE_WAY = """
version: 4
services:
  web: {endpoints: [{name: web-1, address: 10.0.0.9:80}]}
  shop:
    endpoints:
      - {name: shop-1, address: 10.0.0.1:80, labels: {version: v1}}
      - {name: shop-2, address: 10.0.0.2:80, labels: {version: v2}}
      - {name: shop-3, address: 10.0.0.3:80, labels: {version: v3}}
    subsets: {v1: {version: v1}, v2: {version: v2}, v3: {version: v3}}
routes:
  shop:
    - name: api
      match: {path_prefix: /api}
      backends:
        - {service: shop, subset: v1, weight: 5}
        - {service: shop, subset: v2, weight: 3}
        - {service: shop, subset: v3, weight: 2}
    - name: rest
      backends: [{service: shop}]
"""


def three_way() -> MeshConfig:
    return parse_mesh_document(textwrap.dedent(THREE_WAY), "<test>")


def editor(qtbot: QtBot, mesh: MeshConfig, destination: str) -> RouteEditorDialog:
    dialog = RouteEditorDialog(mesh, destination)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def type_into(edit: QLineEdit, text: str) -> None:
    """As the user types: the edit's text and its textEdited signal."""
    edit.setText(text)
    edit.textEdited.emit(text)


# -- the arithmetic of the split ------------------------------------------------------------------
def test_percentages_add_up_to_100() -> None:
    assert percentages([1, 1, 1]) == [34, 33, 33]
    assert percentages([5, 3, 2]) == [50, 30, 20]
    assert percentages([1]) == [100]
    assert percentages([0, 0]) == [0, 0]
    assert sum(percentages([7, 11, 13, 17])) == 100


def test_rebalance_shares_the_rest_in_proportion() -> None:
    assert rebalance([50, 30, 20], 0, 80) == [80, 12, 8]
    assert rebalance([50, 30, 20], 1, 0) == [71, 0, 29]
    assert rebalance([100, 0, 0], 0, 40) == [40, 30, 30]  # nothing to go by: equal shares
    assert rebalance([60, 40], 1, 100) == [0, 100]
    assert rebalance([100], 0, 30) == [100]
    for values, index, value in (([33, 33, 34], 2, 57), ([1, 2, 97], 0, 99), ([10] * 10, 3, 1)):
        assert sum(rebalance(values, index, value)) == 100


def test_largest_remainder_prefers_the_biggest_fractions() -> None:
    assert largest_remainder([33.4, 33.3, 33.3], 100) == [34, 33, 33]
    assert largest_remainder([0.5, 0.5], 1) == [1, 0]


# -- the dialog -------------------------------------------------------------------------------
def test_every_route_gets_a_tab_with_its_split_and_policy(qtbot: QtBot) -> None:
    dialog = editor(qtbot, three_way(), "shop")
    titles = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    assert titles == ["api", "rest", "shop policy"]
    api, rest = dialog.route_forms
    assert api.match_label.text() == "Matches path starting /api"
    assert api.backends.shares() == [50, 30, 20]
    assert rest.backends.shares() == [100]
    assert not rest.backends.rows[0].slider.isEnabled()  # one backend takes everything
    subsets = [api.backends.rows[0].subset_box.itemData(i) for i in range(4)]
    assert subsets == [None, "v1", "v2", "v3"]
    assert api.backends.rows[0].subset_box.currentText() == "v1 — 1 endpoint"
    assert api.timeout.text() == "15s"
    assert not api.retry.isChecked()
    assert dialog.ok_button.isEnabled() and dialog.problems == []


def test_a_slider_move_rebalances_the_others_and_returning_restores_their_ratio(
    qtbot: QtBot,
) -> None:
    dialog = editor(qtbot, three_way(), "shop")
    backends = dialog.route_forms[0].backends
    slider = backends.rows[0].slider
    slider.setSliderDown(True)
    for value in (70, 90, 100, 60):
        slider.setValue(value)
        assert sum(backends.shares()) == 100
        assert backends.total_label.text() == "Total: 100 %"
    slider.setSliderDown(False)
    assert backends.shares() == [60, 24, 16]  # 30:20 kept although they passed through 0
    assert [row.slider.value() for row in backends.rows] == [60, 24, 16]
    backends.rows[2].spin.setValue(40)
    assert backends.shares() == [43, 17, 40]


def test_an_untouched_split_keeps_its_weights_and_makes_no_change(qtbot: QtBot) -> None:
    mesh = three_way()
    dialog = editor(qtbot, mesh, "shop")
    backends = dialog.route_forms[0].backends
    assert [b["weight"] for b in backends.documents()] == [5, 3, 2]
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.change() is None


def test_a_new_split_becomes_a_routes_change(qtbot: QtBot) -> None:
    mesh = three_way()
    dialog = editor(qtbot, mesh, "shop")
    dialog.route_forms[0].backends.set_share(2, 50)
    dialog.accept()
    change = dialog.change()
    assert change is not None and change.kind == "routes"
    assert change.before == mesh and change.after.version == 5
    api, rest = change.after.routes["shop"]
    assert [(b.subset, b.weight) for b in api.backends] == [("v1", 31), ("v2", 19), ("v3", 50)]
    assert api.match.path_prefix == "/api" and rest == mesh.routes["shop"][1]


def test_adding_and_removing_backends(qtbot: QtBot) -> None:
    mesh = demo_mesh()
    dialog = editor(qtbot, mesh, "inventory")
    backends = dialog.route_forms[0].backends
    backends.rows[0].subset_box.setCurrentIndex(backends.rows[0].subset_box.findData("v1"))
    row = backends.add_backend("inventory", "v2")
    assert backends.shares() == [100, 0] and row.slider.isEnabled()
    backends.set_share(1, 10)
    dialog.accept()
    change = dialog.change()
    assert change is not None
    assert change.after.routes["inventory"][0].backends == (
        Backend(service="inventory", subset="v1", weight=90),
        Backend(service="inventory", subset="v2", weight=10),
    )
    backends.remove_backend(0)
    assert backends.shares() == [100]
    assert not backends.rows[0].remove_button.isEnabled()


def test_a_bad_duration_is_shown_beside_its_field_and_blocks_ok(qtbot: QtBot) -> None:
    dialog = editor(qtbot, demo_mesh(), "inventory")
    form = dialog.route_forms[0]
    type_into(form.retry.backoff_base, "25 parsecs")
    assert not dialog.ok_button.isEnabled()
    field, label = form.retry.slots[("backoff_base",)]
    assert field is form.retry.backoff_base and field.property("invalid")
    assert label.isVisible() and "expected a duration" in label.text()
    assert "'25 parsecs'" in label.text()
    assert not dialog.tabs.tabIcon(0).isNull() and dialog.tabs.tabIcon(1).isNull()
    assert dialog.general_error.isHidden()
    dialog.accept()
    assert dialog.isVisible()  # OK refused while invalid

    type_into(form.retry.backoff_base, "1.5s")  # valid alone, longer than backoff_max (250ms)
    assert "backoff_base (1.5s) is longer than backoff_max (250ms)" in label.text()
    type_into(form.retry.backoff_base, "20ms")
    assert label.isHidden() and not field.property("invalid")
    assert dialog.ok_button.isEnabled() and dialog.tabs.tabIcon(0).isNull()


def test_cross_field_problems_land_on_the_field_they_name(qtbot: QtBot) -> None:
    dialog = editor(qtbot, demo_mesh(), "inventory")
    form = dialog.route_forms[0]
    type_into(form.retry.per_try_timeout, "3s")  # the route's timeout is 1s
    _, label = form.retry.slots[("per_try_timeout",)]
    assert label.text() == "per_try_timeout (3s) must not be longer than the route's timeout (1s)"
    type_into(form.timeout, "")  # no deadline: any per-try timeout will do
    assert label.isHidden() and dialog.ok_button.isEnabled()
    type_into(form.timeout, "0s")
    assert "must be longer than 0s" in form.timeout_error.text()


def test_status_codes_and_weights_are_checked_by_the_schema(qtbot: QtBot) -> None:
    dialog = editor(qtbot, demo_mesh(), "recommendations")
    form = dialog.route_forms[0]
    type_into(form.retry.status_codes, "503, 99")
    _, codes_error = form.retry.slots[("retriable_status_codes",)]
    assert "greater than or equal to 100" in codes_error.text()
    type_into(form.retry.status_codes, "503 504")
    assert codes_error.isHidden()
    form.backends.set_share(0, 0)  # the other row takes the 100 %
    assert form.backends.shares() == [0, 100] and dialog.ok_button.isEnabled()


def test_policy_edits_become_a_policy_change(qtbot: QtBot) -> None:
    mesh = demo_mesh()
    dialog = editor(qtbot, mesh, "inventory")
    policy = dialog.policy
    policy.breaker.max_requests.setValue(64)
    type_into(policy.outlier.base_ejection_time, "soon")
    assert not dialog.ok_button.isEnabled()
    assert "expected a duration" in policy.outlier.slots[("base_ejection_time",)][1].text()
    assert not dialog.tabs.tabIcon(1).isNull() and dialog.tabs.tabIcon(0).isNull()
    type_into(policy.outlier.base_ejection_time, "45s")
    dialog.accept()
    change = dialog.change()
    assert change is not None and change.kind == "policy"
    service = change.after.services["inventory"]
    assert service.circuit_breaker.max_requests == 64
    assert service.outlier_detection.base_ejection_time == 45.0
    assert change.after.routes == mesh.routes


def test_routes_and_policy_together_are_one_change(qtbot: QtBot) -> None:
    mesh = demo_mesh()
    dialog = editor(qtbot, mesh, "inventory")
    form = dialog.route_forms[0]
    form.retry.setChecked(False)
    dialog.policy.outlier.enabled.setChecked(False)
    dialog.accept()
    change = dialog.change()
    assert change is not None
    assert change.after.version == mesh.version + 1
    assert change.after.routes["inventory"][0].retry is None
    assert not change.after.services["inventory"].outlier_detection.enabled
    assert "inventory" in change.summary


def test_cancel_means_no_change(qtbot: QtBot) -> None:
    dialog = editor(qtbot, three_way(), "shop")
    dialog.route_forms[0].backends.set_share(0, 10)
    dialog.reject()
    assert dialog.change() is None


@pytest.mark.parametrize("make_mesh", [three_way, demo_mesh], ids=["three-way", "demo"])
def test_a_service_without_routes_of_its_own_shows_the_default(
    qtbot: QtBot, make_mesh: Callable[[], MeshConfig]
) -> None:
    mesh = make_mesh()
    assert "web" not in mesh.routes
    dialog = editor(qtbot, mesh, "web")
    assert len(dialog.route_forms) == 1
    assert dialog.route_forms[0].backends.shares() == [100]
    assert dialog.route_forms[0].timeout.text() == "15s"
    dialog.accept()
    assert dialog.change() is None
    assert dialog.route_forms[0].backends.documents() == [
        {"service": "web", "subset": None, "weight": 1}
    ]


def test_a_tcp_service_has_only_its_policy(qtbot: QtBot) -> None:
    mesh = demo_mesh()
    dialog = editor(qtbot, mesh, "inventory-db")
    assert dialog.route_forms == [] and dialog.tabs.count() == 1
    dialog.policy.breaker.max_pending.setValue(10)
    dialog.accept()
    change = dialog.change()
    assert change is not None and change.kind == "policy"
    assert change.after.services["inventory-db"].circuit_breaker.max_pending == 10
    assert "inventory-db" not in change.after.routes
