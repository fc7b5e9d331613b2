"""What the data-plane benchmark measured, turned into named figures, a side-by-side table and
the list of what went wrong."""

from __future__ import annotations

import math
from dataclasses import dataclass

from _paced import PacedResult
from _wrk import WrkRun

# A proxy that keeps its upstream connections opens one per wrk connection, plus the warm-up's
# few; more means it reconnects per request.
RECONNECTS_TOLERATED = 64

# Interrupt and softirq time not billed to the proxy stays well under this on a quiet machine.
OTHERS_TOLERATED = 0.1

# (label, sidecar figure, python-build figure, haproxy figure, direct figure); "" leaves it empty.
TABLE = [
    ("wrk requests/s", "sidecar_rps", "python_rps", "haproxy_rps", ""),
    ("wrk CPU us/request", "cpu_us_per_req", "python_cpu_us_per_req", "haproxy_cpu_us_per_req", ""),
    (
        "  of which user",
        "sidecar_user_us_per_req",
        "python_user_us_per_req",
        "haproxy_user_us_per_req",
        "",
    ),
    (
        "  of which system",
        "sidecar_sys_us_per_req",
        "python_sys_us_per_req",
        "haproxy_sys_us_per_req",
        "",
    ),
    (
        "wrk proxy's share of its core",
        "sidecar_cpu_share",
        "python_cpu_share",
        "haproxy_cpu_share",
        "",
    ),
    (
        "wrk others' share of that core",
        "sidecar_others_share",
        "python_others_share",
        "haproxy_others_share",
        "",
    ),
    (
        "wrk client core busy share",
        "sidecar_client_core",
        "python_client_core",
        "haproxy_client_core",
        "",
    ),
    (
        "wrk upstream conns per 1k req",
        "sidecar_upstream_conns_per_1k",
        "python_upstream_conns_per_1k",
        "haproxy_upstream_conns_per_1k",
        "",
    ),
    ("wrk p50 ms", "sidecar_wrk_p50_ms", "python_wrk_p50_ms", "haproxy_wrk_p50_ms", ""),
    ("wrk p99 ms", "sidecar_wrk_p99_ms", "python_wrk_p99_ms", "haproxy_wrk_p99_ms", ""),
    (
        "light load p50 ms",
        "sidecar_light_p50_ms",
        "python_light_p50_ms",
        "haproxy_light_p50_ms",
        "",
    ),
    (
        "light load p99 ms",
        "sidecar_light_p99_ms",
        "python_light_p99_ms",
        "haproxy_light_p99_ms",
        "",
    ),
    ("mesh path p50 ms (2 proxies)", "mesh_p50_ms", "", "haproxy_mesh_p50_ms", "direct_p50_ms"),
    ("mesh path p99 ms (2 proxies)", "mesh_p99_ms", "", "haproxy_mesh_p99_ms", "direct_p99_ms"),
    (
        "mesh path CPU us/req (2 proxies)",
        "mesh_cpu_us_per_req",
        "",
        "haproxy_mesh_cpu_us_per_req",
        "",
    ),
    ("idle RSS MB", "idle_rss_mb", "", "", ""),
]


@dataclass
class Measurements:
    wrk_sidecar: WrkRun
    wrk_haproxy: WrkRun
    light_sidecar: PacedResult
    light_haproxy: PacedResult
    mesh: PacedResult
    direct: PacedResult
    chain: PacedResult
    """The mesh path's reference: two HAProxies in a row."""
    idle_rss_mb: float
    build: str = "python"
    """Which build the sidecar figures are of: "native" or "python"."""
    wrk_python: WrkRun | None = None
    light_python: PacedResult | None = None
    """The Python build, measured beside the native one (None when the sidecar is Python)."""

    def figures(self) -> dict[str, float]:
        figures = self._sidecar_figures()
        if self.wrk_python is not None and self.light_python is not None:
            figures.update(self._python_figures(self.wrk_python, self.light_python))
        return {key: round(value, 4) for key, value in figures.items()}

    def _python_figures(self, wp: WrkRun, lp: PacedResult) -> dict[str, float]:
        wh, lh = self.wrk_haproxy, self.light_haproxy
        return {
            "python_rps_ratio_vs_haproxy": wp.rps / wh.rps if wh.rps else math.nan,
            "python_light_p50_delta_ms": lp.percentile(50) - lh.percentile(50),
            "python_light_p99_delta_ms": lp.percentile(99) - lh.percentile(99),
            **{f"python_{key}": value for key, value in _wrk_figures(wp).items()},
            "python_light_p50_ms": lp.percentile(50),
            "python_light_p99_ms": lp.percentile(99),
        }

    def _sidecar_figures(self) -> dict[str, float]:
        ws, wh = self.wrk_sidecar, self.wrk_haproxy
        ls, lh, mesh, direct = self.light_sidecar, self.light_haproxy, self.mesh, self.direct
        chain = self.chain
        return {
            "rps_ratio_vs_haproxy": ws.rps / wh.rps if wh.rps else math.nan,
            "cpu_us_per_req": ws.cpu_us_per_req,
            "haproxy_cpu_us_per_req": wh.cpu_us_per_req,
            "light_p50_delta_ms": ls.percentile(50) - lh.percentile(50),
            "light_p99_delta_ms": ls.percentile(99) - lh.percentile(99),
            "mesh_p99_added_ms": mesh.percentile(99) - direct.percentile(99),
            "haproxy_mesh_p99_added_ms": chain.percentile(99) - direct.percentile(99),
            "mesh_p50_added_ms": mesh.percentile(50) - direct.percentile(50),
            "haproxy_mesh_p50_added_ms": chain.percentile(50) - direct.percentile(50),
            "idle_rss_mb": self.idle_rss_mb,
            **{f"sidecar_{key}": value for key, value in _wrk_figures(ws).items()},
            **{f"haproxy_{key}": value for key, value in _wrk_figures(wh).items()},
            "sidecar_light_p50_ms": ls.percentile(50),
            "sidecar_light_p99_ms": ls.percentile(99),
            "haproxy_light_p50_ms": lh.percentile(50),
            "haproxy_light_p99_ms": lh.percentile(99),
            "mesh_p50_ms": mesh.percentile(50),
            "mesh_p99_ms": mesh.percentile(99),
            "haproxy_mesh_p50_ms": chain.percentile(50),
            "haproxy_mesh_p99_ms": chain.percentile(99),
            "mesh_cpu_us_per_req": mesh.cpu_us_per_req,
            "haproxy_mesh_cpu_us_per_req": chain.cpu_us_per_req,
            "direct_p50_ms": direct.percentile(50),
            "direct_p99_ms": direct.percentile(99),
        }

    def problems(self) -> tuple[list[str], list[str]]:
        """(failures, warnings): any non-2xx response or error fails the run; a request the
        client itself sent late only warns, since it says nothing about the server."""
        runs = [("sidecar", self.wrk_sidecar), ("haproxy", self.wrk_haproxy)]
        if self.wrk_python is not None:
            runs.append(("python", self.wrk_python))
        failures = [f"wrk {name}: {p}" for name, run in runs for p in run.problems()]
        warnings = [
            f"wrk {name}: {run.upstream_connections} connections to nginx for {run.requests} "
            "requests: upstream keep-alive is not reused"
            for name, run in runs
            if run.upstream_connections > RECONNECTS_TOLERATED
        ]
        for name, run in runs:
            if run.others_on_proxy_core > OTHERS_TOLERATED:
                warnings.append(
                    f"wrk {name}: something else used {run.others_on_proxy_core:.0%} of the "
                    "proxy's core: the machine was not quiet, figures are disturbed"
                )
        paced = [
            ("light sidecar", self.light_sidecar),
            ("light haproxy", self.light_haproxy),
            ("mesh path", self.mesh),
            ("direct", self.direct),
            ("haproxy chain", self.chain),
        ]
        if self.light_python is not None:
            paced.append(("light python", self.light_python))
        for name, result in paced:
            if result.non_2xx:
                failures.append(f"{name}: {result.non_2xx} non-2xx responses")
            if result.errors:
                failures.append(f"{name}: {result.errors} failed requests")
            if result.late_sends:
                warnings.append(f"{name}: the client sent {result.late_sends} requests late")
        return failures, warnings


def _wrk_figures(run: WrkRun) -> dict[str, float]:
    """One proxy's saturated run, by the key suffixes the report uses for every proxy."""
    return {
        "rps": run.rps,
        "cpu_us_per_req": run.cpu_us_per_req,
        "user_us_per_req": run.per_request_us(run.user_s),
        "sys_us_per_req": run.per_request_us(run.sys_s),
        "upstream_conns_per_1k": run.upstream_connections_per_1k,
        "others_share": run.others_on_proxy_core,
        "client_core": run.client_core_share,
        "cpu_share": run.cpu_share,
        "wrk_p50_ms": run.p50_ms,
        "wrk_p99_ms": run.p99_ms,
    }


def _cell(figures: dict[str, float], key: str) -> str:
    value = figures.get(key, math.nan)
    if math.isnan(value):
        return "-"
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3f}"


def print_figures(
    figures: dict[str, float], *, build: str, light_rate: float, mesh_rate: float
) -> None:
    print(f"{'':32}{'sidecar':>12}{'python':>12}{'haproxy':>12}{'direct':>12}")
    for label, *keys in TABLE:
        print(f"{label:32}" + "".join(f"{_cell(figures, key):>12}" for key in keys))
    print(
        f"(sidecar: the {build} build; light load: {light_rate:.0f} req/s; "
        f"mesh path: {mesh_rate:.0f} req/s)"
    )
    print(f"rps ratio vs haproxy: {figures['rps_ratio_vs_haproxy']:.3f}")
    p50, p99 = figures["light_p50_delta_ms"], figures["light_p99_delta_ms"]
    print(f"light load delta (sidecar - haproxy): p50 {p50:+.3f} ms, p99 {p99:+.3f} ms")
    print(
        f"mesh path adds at p99: {figures['mesh_p99_added_ms']:+.3f} ms "
        f"(two HAProxies in a row: {figures['haproxy_mesh_p99_added_ms']:+.3f} ms)"
    )
