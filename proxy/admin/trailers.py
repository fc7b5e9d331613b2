"""The structured parts of admin API errors, carried in trailing metadata.

The status message says what went wrong in words; these trailers say it so a program can act:
every problem of a refused config (`mesh-config-problems-bin`, a serialized `ConfigProblems`)
and the version that made an apply stale (`mesh-config-version`). Shared by server and client.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from proxy.admin.v1 import admin_pb2 as pb
from proxy.config import ConfigProblem

PROBLEMS_KEY = "mesh-config-problems-bin"
VERSION_KEY = "mesh-config-version"
OPERATOR_KEY = "x-mesh-operator"
"""Call metadata naming the person or tool behind a change; it shows in ConfigApplied.by."""

MAX_PROBLEMS_BYTES = 32_000
"""gRPC peers refuse trailers much past 8-16 KB by default; our client raises its limit, and
stays under this budget for everyone else."""
MAX_MESSAGE_PROBLEMS = 20
"""Problems spelled out in the status message itself; the trailer carries all of them."""

Metadata = Sequence[tuple[str, str | bytes]]


def encode_problems(problems: Sequence[ConfigProblem]) -> bytes:
    """`problems` as a serialized ConfigProblems, cut short (with a last problem saying how
    many were left out) when they would not fit MAX_PROBLEMS_BYTES."""
    message = pb.ConfigProblems()
    size = 0
    for index, problem in enumerate(problems):
        item = pb.ConfigProblem(path=problem.path, reason=problem.reason, line=problem.line or 0)
        size += item.ByteSize() + 4
        if size > MAX_PROBLEMS_BYTES:
            left = len(problems) - index
            message.problems.append(pb.ConfigProblem(reason=f"... and {left} more problems"))
            break
        message.problems.append(item)
    return bytes(message.SerializeToString())


def decode_problems(data: bytes) -> list[ConfigProblem]:
    message = pb.ConfigProblems.FromString(data)
    return [ConfigProblem(p.path, p.reason, p.line or None) for p in message.problems]


def describe_problems(source: str, problems: Sequence[ConfigProblem]) -> str:
    """The status message of a refused config: one line per problem, the first few of them."""
    lines = [problem.describe(source) for problem in problems[:MAX_MESSAGE_PROBLEMS]]
    if len(problems) > MAX_MESSAGE_PROBLEMS:
        lines.append(f"... and {len(problems) - MAX_MESSAGE_PROBLEMS} more ({PROBLEMS_KEY})")
    return "\n".join(lines)


def metadata_value(metadata: Iterable[tuple[str, str | bytes]] | None, key: str) -> str | bytes:
    """The first value of `key` in `metadata`, or "" when there is none."""
    for name, value in metadata or ():
        if name == key:
            return value
    return ""
