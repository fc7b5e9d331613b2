"""mesh-proxy: the sidecar data plane and its admin API. Imports nothing from Qt or meshgui."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("meshgui")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"


def build_kind() -> str:
    """ "native" when the per-request path runs compiled (setup.py, MESH_PROXY_NATIVE=1), else
    "python". Said at start and by --version, so an operator knows which build is running."""
    from proxy.http import exchange

    return "python" if exchange.__file__.endswith(".py") else "native"
