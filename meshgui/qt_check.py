"""Turns a failed Qt import into a message that says which system package to install."""

from __future__ import annotations

import re

# Shared library named in the loader's error -> the Debian package that provides it.
_LIBRARY_PACKAGES = {
    "libGL.so": "libgl1",
    "libEGL.so": "libegl1",
    "libxkbcommon.so": "libxkbcommon0",
    "libfontconfig.so": "libfontconfig1",
    "libglib-2.0.so": "libglib2.0-0",
    "libgthread-2.0.so": "libglib2.0-0",
    "libdbus-1.so": "libdbus-1-3",
}
ALL_QT_PACKAGES = (
    "libgl1 libegl1 libxkbcommon0 libfontconfig1 libglib2.0-0 libdbus-1-3 fonts-dejavu-core"
)


def explain_qt_import_failure(exc: ImportError) -> str:
    text = str(exc)
    match = re.search(r"(lib[\w.+-]+\.so[.\d]*)", text)
    if match is None:
        return (
            f"meshgui: Qt could not be loaded ({text}).\n"
            "Is the project installed (make demo does it)? On Debian or Ubuntu, Qt needs:\n"
            f"    sudo apt-get install -y {ALL_QT_PACKAGES}"
        )
    library = match.group(1)
    package = next(
        (pkg for prefix, pkg in _LIBRARY_PACKAGES.items() if library.startswith(prefix)), None
    )
    install = package or ALL_QT_PACKAGES
    return (
        f"meshgui: Qt needs the system library {library}, which is not installed.\n"
        f"On Debian or Ubuntu install it with:\n    sudo apt-get install -y {install}"
    )
