"""The demo runs headless: no module of meshgui.demo (nor the connection file) loads Qt."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import meshgui.demo


def test_no_demo_module_imports_qt() -> None:
    modules = [f"meshgui.demo.{m.name}" for m in pkgutil.iter_modules(meshgui.demo.__path__)]
    assert "meshgui.demo.run" in modules and "meshgui.demo.launcher" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {[*modules, 'meshgui.connection_file']!r}: importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "[]"
