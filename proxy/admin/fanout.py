"""Apply one mesh config to many sidecars at once and say how each one answered."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence

from proxy.admin.client import AdminClient
from proxy.admin.errors import AdminError
from proxy.admin.models import ApplyOutcome


async def apply_to_many(
    clients: Sequence[AdminClient],
    document: str,
    expected_version: int | Mapping[str, int] | None = None,
) -> list[ApplyOutcome]:
    """Apply `document` through every client concurrently; one outcome per client, in order.

    `expected_version` is one version for all, a version per client target, or None (apply
    regardless). One sidecar's failure never stops the others, and never raises here.
    """

    def expected_for(client: AdminClient) -> int | None:
        if isinstance(expected_version, Mapping):
            return expected_version.get(client.target)
        return expected_version

    async def apply_one(client: AdminClient) -> ApplyOutcome:
        try:
            version = await client.apply_config(document, expected_for(client))
        except AdminError as exc:
            return ApplyOutcome(
                target=client.target,
                ok=False,
                error_kind=exc.kind,
                message=exc.message,
                problems=exc.problems,
                current_version=exc.current_version,
            )
        except Exception as exc:  # a report of every sidecar beats an exception about one
            message = f"{type(exc).__name__}: {exc}"
            return ApplyOutcome(target=client.target, ok=False, error_kind="other", message=message)
        return ApplyOutcome(target=client.target, ok=True, version=version)

    return list(await asyncio.gather(*(apply_one(client) for client in clients)))
