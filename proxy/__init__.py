"""mesh-proxy: the sidecar data plane and its admin API. Imports nothing from Qt or meshgui."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("meshgui")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"
