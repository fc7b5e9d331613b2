#!/usr/bin/env bash
# Regenerate the admin API's Python stubs (admin_pb2.py, admin_pb2.pyi, admin_pb2_grpc.py) from
# proxy/admin/v1/admin.proto with grpcio-tools. The stubs are committed; a test regenerates them
# into a temporary directory and fails when the committed ones are stale.
#
# Usage: scripts/gen-protos.sh [OUT_DIR]    (default: the repository itself)
# PYTHON names the interpreter that has grpcio-tools (default: .venv/bin/python).
set -euo pipefail
cd "$(dirname "$0")/.."
python="${PYTHON:-.venv/bin/python}"
out="${1:-.}"
mkdir -p "$out"
# -I . keeps the package path in the generated imports (from proxy.admin.v1 import admin_pb2).
"$python" -m grpc_tools.protoc -I . \
    --python_out="$out" --pyi_out="$out" --grpc_python_out="$out" \
    proxy/admin/v1/admin.proto
