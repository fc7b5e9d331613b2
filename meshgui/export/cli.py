"""``meshgui export``: config files for another mesh from a mesh config file, with no window.

    meshgui export --from-file FILE --format istio|gateway|envoy|native -o DIR

FILE is a sidecar file (``sidecar:`` and ``mesh:``, as `mesh-proxy --config` takes) or a bare
mesh document (as the admin API takes). Each target writes one file into DIR (created when
missing, an existing file replaced): ``mesh.yaml``, ``istio.yaml``, ``gateway-api.yaml`` or
``envoy.yaml``; the Kubernetes ones are multi-document YAML for ``kubectl apply -f``. Warnings
(settings the target cannot express) go to stderr and into the file's header comment.

Exit status: 0 written, 1 the input file is unusable (every problem is printed) or DIR cannot be
written, 2 a usage error. Nothing here imports Qt.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

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
    parser.add_argument(
        "--from-file",
        metavar="FILE",
        required=True,
        help="a mesh-proxy sidecar file or a bare mesh config document (YAML or JSON)",
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
        help="Kubernetes namespace of the services (default: the sidecar file's, else 'default')",
    )
    parser.add_argument(
        "--service-port",
        type=_port,
        default=80,
        help="port of the Kubernetes Services that HTTPRoute backendRefs name (default: 80)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    target: Target = args.format
    try:
        mesh, sidecar = read_input(args.from_file)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 1
    namespace = args.namespace or (sidecar.namespace if sidecar is not None else "default")
    result = export_mesh(
        mesh, target, namespace=namespace, service_port=args.service_port, sidecar=sidecar
    )
    source = f"{Path(args.from_file).name}, mesh version {mesh.version}"
    out = Path(args.output) / FILE_NAMES[target]
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(render_file(result, source), encoding="utf-8")
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


def _port(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 65535:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port number (1-65535)")
    return int(value)


if __name__ == "__main__":
    sys.exit(main())
