"""gRPC's long connection errors said in a few words, unknown ones passed on (on one line)."""

from __future__ import annotations

import pytest

from meshgui.client.failure_text import failure_line, readable_reason, seconds_text

GRPC_REFUSED = (
    "failed to connect to all addresses; last error: UNKNOWN: ipv4:127.0.0.1:9: "
    "Failed to connect to remote host: Connection refused"
)
GRPC_UNRESOLVED = (
    "errors resolving nosuch.invalid:9: [field:hostname lookup error:address lookup failed "
    "for nosuch.invalid:9: Domain name not found]"
)


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        (GRPC_REFUSED, "connection refused"),
        (GRPC_UNRESOLVED, "cannot resolve the host name nosuch.invalid"),
        ("Ssl handshake failed: CERTIFICATE_VERIFY_FAILED", "TLS handshake failed"),
        ("Deadline Exceeded", "timed out"),
        ("missing or invalid bearer token", "missing or invalid bearer token"),
        ("two\n  lines", "two lines"),
    ],
)
def test_readable_reason(message: str, reason: str) -> None:
    assert readable_reason(message).startswith(reason)


def test_delays_are_said_as_people_say_them() -> None:
    assert [seconds_text(d) for d in (0.07, 0.43, 1.0, 3.7, 10.0)] == [
        "0.1 s",
        "0.4 s",
        "1.0 s",
        "4 s",
        "10 s",
    ]


def test_a_failure_line_names_the_address_the_reason_and_the_next_try() -> None:
    line = failure_line("127.0.0.1:9", GRPC_REFUSED, 4.2)
    assert line == "127.0.0.1:9: connection refused; retrying in 4 s"
    assert failure_line("127.0.0.1:9", "bad", None) == "127.0.0.1:9: bad"
