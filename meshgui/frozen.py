"""Running the project's modules as child processes, from a source install or a frozen bundle.

`meshgui --demo` starts sidecars, demo apps and `mesh-demo` as `python -m <module>`. In a
PyInstaller bundle `sys.executable` is the bundle's own binary, which takes no `-m`; it runs a
module when asked with `--run-module <module>` instead (see `meshgui.__main__`). Every command line
that runs one of our modules is built here, so that difference lives in one place.
"""

from __future__ import annotations

import runpy
import sys
from collections.abc import Sequence

RUN_MODULE_FLAG = "--run-module"


def is_frozen() -> bool:
    """True inside a PyInstaller (or similar) bundle, where there is no `python -m`."""
    return bool(getattr(sys, "frozen", False))


def python_module_command(module: str) -> list[str]:
    """The command line that runs `module` as `__main__` in a new process of this program."""
    if is_frozen():
        return [sys.executable, RUN_MODULE_FLAG, module]
    return [sys.executable, "-m", module]


def run_module(module: str, arguments: Sequence[str]) -> None:
    """Run `module` as `python -m module arguments...` would, in this process; the module's own
    `sys.exit` ends the process with its exit code."""
    sys.argv = [module, *arguments]
    runpy.run_module(module, run_name="__main__", alter_sys=True)
