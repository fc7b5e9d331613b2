"""meshgui: the desktop app that draws and steers a mesh of mesh-proxy sidecars."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("meshgui")
except PackageNotFoundError:  # a source tree that was never installed
    __version__ = "0.0.0+unknown"

APP_NAME = "meshgui"
ORGANIZATION = "meshgui"
