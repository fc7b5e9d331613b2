"""The instance table: three-figure numbers, and columns that fit the dock: as wide as their
contents, the address whole when there is room, and shortened sensibly (address on the left,
name in the middle) rather than cut off when there is not."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from meshgui.model.types import InstanceView
from meshgui.views.instance_table import (
    ADDRESS_COLUMN,
    COLUMNS,
    NAME_COLUMN,
    NARROWEST,
    InstanceTable,
    fit_widths,
)

INSTANCES = (
    InstanceView("inventory-1", "inventory", "v1", "ready", 35.23, 30.41, "127.0.0.1:25790"),
    InstanceView("inventory-2", "inventory", "v2", "disconnected", 113.58, 0.0, "127.0.0.1:25797"),
)


def shown_table(qtbot: QtBot, width: int) -> InstanceTable:
    table = InstanceTable()
    qtbot.addWidget(table)
    table.resize(width, 200)
    table.show()
    table.show_instances(INSTANCES)
    return table


def test_rates_and_failure_shares_in_three_figures(qtbot: QtBot) -> None:
    rows = shown_table(qtbot, 600).rows()
    assert [(r[COLUMNS.index("req/s")], r[COLUMNS.index("Errors")]) for r in rows] == [
        ("35.2", "30.4%"),
        ("114", "0%"),
    ]


def test_with_room_every_column_is_whole_and_the_address_takes_the_rest(qtbot: QtBot) -> None:
    table = shown_table(qtbot, 600)
    header = table.horizontalHeader()
    for column in range(len(COLUMNS)):
        assert header.sectionSize(column) >= table.sizeHintForColumn(column), COLUMNS[column]
    assert header.length() == table.viewport().width()  # no gap on the right, no scrolling


def test_in_a_narrow_dock_the_address_gives_way_first_then_the_name(qtbot: QtBot) -> None:
    wide = shown_table(qtbot, 900)
    whole = [wide.horizontalHeader().sectionSize(c) for c in range(len(COLUMNS))]
    table = shown_table(qtbot, 400)
    header = table.horizontalHeader()
    room = table.viewport().width()
    assert header.length() <= room or header.sectionSize(NAME_COLUMN) == NARROWEST
    assert header.sectionSize(ADDRESS_COLUMN) < whole[ADDRESS_COLUMN]
    address, name = table.item(0, ADDRESS_COLUMN), table.item(0, NAME_COLUMN)
    assert address is not None and address.toolTip() == "127.0.0.1:25790"  # the whole text
    assert name is not None and name.toolTip() == "inventory-1"


def test_column_widths_shrink_in_order_and_never_below_the_narrowest() -> None:
    wanted = [100, 40, 90, 40, 45, 110]
    assert fit_widths(wanted, 500) == [100, 40, 90, 40, 45, 185]  # spare room: the address
    assert fit_widths(wanted, 400) == [100, 40, 90, 40, 45, 85]  # short by 25: the address
    assert fit_widths(wanted, 380) == [93, 40, 90, 40, 45, NARROWEST]  # then the name
    assert fit_widths(wanted, 200) == [NARROWEST, 40, 90, 40, 45, NARROWEST]  # then scroll
