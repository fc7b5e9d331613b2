"""Prints the sidecar's runtime requirements, one a line, for the container image: the
project's dependencies from pyproject.toml (the one place they are declared) less the desktop
app's. A dependency added for the sidecar thus reaches the image without editing it here.

    python sidecar_requirements.py pyproject.toml > requirements.txt
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

DESKTOP_ONLY = {"pyside6-essentials", "pyqtgraph", "numpy", "keyring", "aiohttp"}
"""Imported by meshgui (Qt, charts, the OS keyring, the demo's apps), never by proxy/."""


def requirement_name(requirement: str) -> str:
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    if match is None:
        raise ValueError(f"cannot read the requirement {requirement!r}")
    return re.sub(r"[-_.]+", "-", match.group(1)).lower()


def sidecar_requirements(pyproject: Path) -> list[str]:
    with pyproject.open("rb") as file:
        dependencies: list[str] = tomllib.load(file)["project"]["dependencies"]
    return [dep for dep in dependencies if requirement_name(dep) not in DESKTOP_ONLY]


if __name__ == "__main__":
    print("\n".join(sidecar_requirements(Path(sys.argv[1]))))
