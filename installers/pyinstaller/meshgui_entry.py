"""The frozen bundle's entry point: the `meshgui` command, which also runs the bundle's own child
processes (`meshgui --run-module proxy ...`, see meshgui/frozen.py)."""

import sys

from meshgui.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
