#!/usr/bin/env bash
# The Debian packages the installer build needs (with --test: what its smoke test needs); the
# package lists and the install-or-explain logic live in scripts/ensure-system-deps.sh.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ "${1:-}" = "--test" ]; then
  exec "$here/../scripts/ensure-system-deps.sh" --installer-test
fi
exec "$here/../scripts/ensure-system-deps.sh" --installer
