"""The container's health check: exits 0 when the sidecar's /ready answers 200.

The URL is MESH_PROXY_READY_URL, by default the `metrics` listener's default address. It runs
inside the container, so a sidecar whose metrics listener binds loopback only is reached too.
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request

DEFAULT_URL = "http://127.0.0.1:15090/ready"
TIMEOUT_S = 2.0


def main() -> int:
    url = os.environ.get("MESH_PROXY_READY_URL", DEFAULT_URL)
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_S) as response:
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError) as exc:
        print(f"mesh-proxy not ready at {url}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
