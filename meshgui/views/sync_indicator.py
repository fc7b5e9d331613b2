"""The status bar's out-of-sync warning: which sidecars run an older mesh config than the others
(they were down or unreachable during a change), and one click to bring them up to date.
Hidden while every sidecar is at the same version."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QStyle, QToolButton, QWidget

MAX_LISTED = 15
"""Beyond this many lagging sidecars the tooltip counts the rest."""


def lagging_sidecars(versions: Mapping[str, int]) -> list[str]:
    """Sidecars below the newest version, the furthest behind first."""
    if not versions:
        return []
    newest = max(versions.values())
    behind = [sidecar for sidecar, version in versions.items() if version < newest]
    return sorted(behind, key=lambda sidecar: (versions[sidecar], sidecar))


def tooltip_text(versions: Mapping[str, int]) -> str:
    newest = max(versions.values())
    behind = lagging_sidecars(versions)
    lines = [f"The mesh config is at version {newest}; these sidecars are behind:"]
    lines.extend(f"  {sidecar}: version {versions[sidecar]}" for sidecar in behind[:MAX_LISTED])
    if len(behind) > MAX_LISTED:
        lines.append(f"  … and {len(behind) - MAX_LISTED} more")
    lines.append(f"Click to send them version {newest}.")
    return "\n".join(lines)


class SyncIndicator(QToolButton):
    bring_up_to_date_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncIndicator")
        self.setAutoRaise(True)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning))
        self.lagging: list[str] = []
        self.clicked.connect(lambda _checked=False: self.bring_up_to_date_requested.emit())
        self.hide()

    def set_versions(self, versions: Mapping[str, int]) -> None:
        """Each connected sidecar's mesh config version."""
        self.lagging = lagging_sidecars(versions)
        if not self.lagging:
            self.hide()
            self.setToolTip("")
            return
        count = len(self.lagging)
        self.setText(f"{count} sidecar{'s' if count != 1 else ''} out of sync")
        self.setToolTip(tooltip_text(versions))
        self.setAccessibleName(self.text())
        self.show()
