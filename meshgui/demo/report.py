"""What mesh-demo prints: the table of services and sidecars, and the users' periodic report.
Plain functions returning text, so the wording is tested without running anything."""

from __future__ import annotations

from meshgui.connection_file import ConnectionFile
from meshgui.demo.loadgen import LoadReport


def sidecar_table(connection: ConnectionFile) -> str:
    """One row per sidecar: service, instance, version, admin address, metrics URL."""
    header = ("SERVICE", "INSTANCE", "VERSION", "ADMIN", "METRICS")
    rows = [header] + [
        (s.service, s.instance, s.version or "-", s.admin, s.metrics_url)
        for s in connection.sidecars
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header) - 1)]
    lines = []
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row[:-1], widths, strict=True)]
        lines.append("  ".join([*cells, row[-1]]))
    return "\n".join(lines)


def token_note(connection: ConnectionFile) -> str:
    """Where the desktop app will find the admin tokens (never the tokens themselves)."""
    sources = {s.token.source for s in connection.sidecars if s.token is not None}
    if sources == {"keyring"}:
        return (
            f"admin tokens are in the keyring (service 'meshgui', '{connection.name}/<instance>')"
        )
    if sources == {"inline"}:
        return "admin tokens are in the connection file, as asked (--tokens-in-connection-file)"
    if sources == {"file"}:
        return (
            "no keyring available: admin tokens are in private files named in the connection file"
        )
    return "admin tokens: see the connection file"


def load_line(elapsed: float, report: LoadReport) -> str:
    """``[  35s] users: 251 requests (50.2/s), 99.6% ok, p50 14 ms, p99 61 ms; failed: 502 x1``."""
    line = (
        f"[{elapsed:5.0f}s] users: {report.requests} requests ({report.rate:.1f}/s), "
        f"{report.success_percent:.1f}% ok, p50 {report.p50_ms:.0f} ms, p99 {report.p99_ms:.0f} ms"
    )
    if report.failures:
        kinds = ", ".join(f"{kind} x{n}" for kind, n in sorted(report.failures.items()))
        line += f"; failed: {kinds}"
    return line
