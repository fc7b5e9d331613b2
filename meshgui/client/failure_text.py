"""Why a sidecar cannot be reached, in a few words an operator acts on.

gRPC reports a refused connection as "failed to connect to all addresses; last error: UNKNOWN:
ipv4:127.0.0.1:9: Failed to connect to remote host: Connection refused"; the status bar has room
for "connection refused". Messages this module does not recognise pass through unchanged (on
one line), so a new kind of failure is still shown, only less tidily.
"""

from __future__ import annotations

import re

_KNOWN: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), reason)
    for pattern, reason in (
        (r"connection refused", "connection refused"),
        (r"(no route to host|network is unreachable)", "no route to the host"),
        (r"connection reset", "connection reset"),
        (r"(ssl|tls|handshake|certificate)", "TLS handshake failed (wrong CA file or not TLS?)"),
        (r"(deadline exceeded|timeout occurred|timed out)", "timed out"),
        (r"socket closed|connection closed|broken pipe", "the connection was closed"),
    )
)
_RESOLVING = re.compile(r"errors resolving ([^\s:]+)", re.IGNORECASE)


def readable_reason(message: str) -> str:
    """The gist of an admin client error's message (without its "<address>: " prefix)."""
    resolving = _RESOLVING.search(message)
    if resolving is not None:
        return f"cannot resolve the host name {resolving.group(1)}"
    for pattern, reason in _KNOWN:
        if pattern.search(message):
            return reason
    return " ".join(message.split())


def seconds_text(delay: float) -> str:
    """A short delay as people say it: "0.4 s", "4 s"."""
    return f"{delay:.1f} s" if delay < 1.95 else f"{delay:.0f} s"


def failure_line(address: str, message: str, retry_in: float | None) -> str:
    """What the watch tells its sink: "127.0.0.1:9: connection refused; retrying in 4 s"."""
    retry = f"; retrying in {seconds_text(retry_in)}" if retry_in is not None else ""
    return f"{address}: {readable_reason(message)}{retry}"
