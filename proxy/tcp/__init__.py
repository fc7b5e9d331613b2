"""Opaque TCP proxying for services declared `protocol: tcp` (the demo's database)."""
