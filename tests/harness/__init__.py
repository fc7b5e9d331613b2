"""Shared test harness: in-memory keyring, free ports, real mesh-proxy processes."""
