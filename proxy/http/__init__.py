"""The HTTP/1.1 hot path: asyncio Protocols on an llhttp parser (httptools), forwarding raw bytes
where nothing needs rewriting, with policy applied as plain calls (no await per layer)."""
