"""Free loopback ports for real processes under test: the demo's own choice, below the ephemeral
range so that no client connection takes a port between its choice and its server's bind."""

from __future__ import annotations

from meshgui.demo.ports import free_port, free_ports

__all__ = ["free_port", "free_ports"]
