#!/usr/bin/env bash
# Checks the Debian packages Qt needs at run time; with --bench, the reference servers the
# benchmarks compare against (and valgrind, which counts the sidecar's instructions); with --installer, what the installer build needs (binutils for
# PyInstaller's objdump and the bundle pruning's strip/readelf, and the two X libraries Qt's xcb
# plugin loads that PySide6 does not ship, so PyInstaller bundles them); with --installer-test,
# Xvfb and desktop-file-validate for the smoke test. Installs what is missing when run as root;
# otherwise prints the exact command to run and fails. Fast when everything is present.
set -euo pipefail

packages=(libgl1 libegl1 libxkbcommon0 libfontconfig1 libglib2.0-0 libdbus-1-3 fonts-dejavu-core)
case "${1:-}" in
  --bench) packages=(haproxy nginx-light wrk valgrind) ;;
  --installer) packages=(binutils libxcb-icccm4 libxcb-keysyms1) ;;
  --installer-test) packages=(xvfb desktop-file-utils) ;;
esac

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "note: not a Debian-like system; make sure these (or your distribution's equivalents) are installed: ${packages[*]}" >&2
  exit 0
fi

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  echo "Installing missing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "Missing system packages: ${missing[*]}" >&2
  echo "Install them with:" >&2
  echo "    sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
