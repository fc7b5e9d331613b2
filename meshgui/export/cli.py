"""``meshgui export``: config files for another mesh, from a file or a running mesh, no window.

    meshgui export --from-file FILE --format istio|gateway|envoy|native -o DIR
    meshgui export --connection-file CONN --format istio|gateway|envoy|native -o DIR

FILE is a sidecar file (``sidecar:`` and ``mesh:``, as `mesh-proxy --config` takes) or a bare
mesh document (as the admin API takes). CONN is a connection file (as `mesh-demo` writes): every
sidecar it lists is asked for its running config, and the newest version among those that answer
is exported; which answered, and why the others did not, is printed. Each target writes one
file into DIR (created when missing, an existing file replaced): ``mesh.yaml``, ``istio.yaml``,
``gateway-api.yaml`` or ``envoy.yaml``; the Kubernetes ones are multi-document YAML for
``kubectl apply -f``. Warnings (settings the target cannot express) go to stderr and into the
file's header comment.

Exit status: 0 written, 1 the input is unusable (every problem is printed: a bad file, no sidecar
answering, or with --require-all any one not answering) or DIR cannot be written, 2 a usage
error. Nothing here imports Qt.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from meshgui.connection_file import load_connection_file
from meshgui.export.files import write_file
from meshgui.export.live import DEFAULT_TIMEOUT_S, LiveConfig, fetch_live_config
from meshgui.export.targets import FILE_NAMES, TARGETS, Target, export_mesh, render_file
from proxy.config import (
    ConfigError,
    ConfigProblem,
    MeshConfig,
    SidecarSettings,
    parse_mesh_document,
    parse_sidecar_document,
)
from proxy.config.yaml_io import parse_text

PROG = "meshgui export"
_DNS_LABEL_RE = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Write the mesh config as native mesh-proxy YAML, Istio, Kubernetes Gateway "
        "API or Envoy config, one file per target in DIR. Settings a target cannot express are "
        "reported as warnings on stderr.",
    )
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument(
        "--from-file",
        metavar="FILE",
        help="a mesh-proxy sidecar file or a bare mesh config document (YAML or JSON)",
    )
    source.add_argument(
        "--connection-file",
        metavar="FILE",
        help="a connection file (as mesh-demo writes): export the running mesh's config, the "
        "newest version among the sidecars that answer",
    )
    parser.add_argument(
        "--format",
        required=True,
        choices=TARGETS,
        help="the target; native writes the mesh document alone (what the admin API applies, "
        "and the mesh: part of a sidecar file)",
    )
    parser.add_argument("-o", "--output", metavar="DIR", required=True, help="folder to write to")
    parser.add_argument(
        "--namespace",
        type=_namespace,
        help="Kubernetes namespace of the services (default: the sidecar file's, or the "
        "running sidecars' with --connection-file, else 'default')",
    )
    parser.add_argument(
        "--service-port",
        type=_port,
        default=80,
        help="port of the Kubernetes Services that HTTPRoute backendRefs name (default: 80)",
    )
    live = parser.add_argument_group("with --connection-file")
    live.add_argument(
        "--timeout",
        type=_seconds,
        default=DEFAULT_TIMEOUT_S,
        metavar="SECONDS",
        help=f"how long to wait for each sidecar (default: {DEFAULT_TIMEOUT_S:g})",
    )
    live.add_argument(
        "--ca-file",
        metavar="FILE",
        help="TLS: verify the sidecars' admin certificates against this CA (default: plaintext)",
    )
    live.add_argument(
        "--require-all",
        action="store_true",
        help="fail (exit 1) unless every sidecar answers, instead of exporting what answered",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    target: Target = args.format
    sidecar: SidecarSettings | None = None
    if args.connection_file is not None:
        found = read_live(args.connection_file, args.timeout, args.ca_file, args.require_all)
        if found is None:
            return 1
        mesh, namespace, source = found
    else:
        try:
            mesh, sidecar = read_input(args.from_file)
        except ConfigError as exc:
            print(exc, file=sys.stderr)
            return 1
        namespace = sidecar.namespace if sidecar is not None else "default"
        source = f"{Path(args.from_file).name}, mesh version {mesh.version}"
    result = export_mesh(
        mesh,
        target,
        namespace=args.namespace or namespace,
        service_port=args.service_port,
        sidecar=sidecar,
    )
    out = Path(args.output) / FILE_NAMES[target]
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        write_file(out, render_file(result, source))
    except OSError as exc:
        print(f"{PROG}: cannot write {out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    for warning in result.warnings:
        print(f"{PROG}: warning: {warning}", file=sys.stderr)
    count = len(result.documents)
    print(f"{out}: {count} document{'s' if count != 1 else ''}, {len(result.warnings)} warnings")
    return 0


def read_input(path: str) -> tuple[MeshConfig, SidecarSettings | None]:
    """The mesh config in the file at `path`, and the sidecar settings when it is a sidecar file.

    A document with a top-level ``sidecar`` key is read as a sidecar file, anything else as a
    mesh document. Raises ConfigError, also for a file that cannot be read.
    """
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        reason = f"cannot read the file: {exc.strerror or type(exc).__name__}"
        raise ConfigError(path, [ConfigProblem("", reason)]) from None
    if _is_sidecar_file(raw, path):
        loaded = parse_sidecar_document(raw, path)
        return loaded.mesh, loaded.sidecar
    return parse_mesh_document(raw, path), None


def read_live(
    connection_file: str, timeout: float, ca_file: str | None, require_all: bool
) -> tuple[MeshConfig, str, str] | None:
    """The newest running config of the mesh in `connection_file`, its namespace and a line
    saying where it came from; None (after printing why) when there is nothing to export."""
    try:
        connection = load_connection_file(Path(connection_file))
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return None
    if not connection.sidecars:
        print(f"{PROG}: {connection_file}: lists no sidecars", file=sys.stderr)
        return None
    if ca_file and not os.access(ca_file, os.R_OK):
        print(f"{PROG}: cannot read the CA file {ca_file}", file=sys.stderr)
        return None
    live = fetch_live_config(
        connection, timeout=timeout, ca_file=Path(ca_file) if ca_file else None
    )
    newest = live.newest
    fatal = newest is None or (require_all and bool(live.failed))
    for answer in live.failed:
        level = "error" if fatal else "warning"
        print(f"{PROG}: {level}: {answer.label}: {answer.error}", file=sys.stderr)
    total = len(live.answers)
    if newest is None or newest.mesh is None:
        print(
            f"{PROG}: none of the {total} sidecars of {connection.name} answered", file=sys.stderr
        )
        return None
    if fatal:
        failed = len(live.failed)
        print(
            f"{PROG}: {failed} of {total} sidecars did not answer (--require-all)", file=sys.stderr
        )
        return None
    _report_versions(live)
    names = ", ".join(a.sidecar for a in live.answered)
    print(
        f"{connection.name}: mesh version {newest.version} from {newest.sidecar}; "
        f"{len(live.answered)} of {total} sidecars answered: {names}"
    )
    source = f"the running mesh {connection.name}, version {newest.version} from {newest.sidecar}"
    return newest.mesh, newest.namespace or "default", source


def _report_versions(live: LiveConfig) -> None:
    newest = live.newest
    for answer in live.lagging:
        assert newest is not None
        print(
            f"{PROG}: warning: {answer.label} runs mesh version {answer.version}, older than "
            f"{newest.version} ({newest.sidecar}): it missed a change",
            file=sys.stderr,
        )


def _is_sidecar_file(raw: bytes, path: str) -> bool:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False  # the parser below reports it
    data: Any
    data, _ = parse_text(text, path)
    return isinstance(data, dict) and "sidecar" in data


def _namespace(value: str) -> str:
    if not _DNS_LABEL_RE.match(value):
        raise argparse.ArgumentTypeError(f"{value!r} is not a Kubernetes namespace name")
    return value


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0.1 <= seconds <= 600:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of seconds (0.1-600)")
    return seconds


def _port(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 65535:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port number (1-65535)")
    return int(value)


if __name__ == "__main__":
    sys.exit(main())
