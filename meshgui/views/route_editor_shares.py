"""The arithmetic of a traffic split: config weights as whole percentages that add up to 100,
and the others' shares after one backend's share is set.

Rounding is by largest remainder, so the percentages always add up to exactly 100 and each is
within one of its exact share. No widgets here: the split editor's behaviour is testable alone.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

TOTAL = 100


def largest_remainder(shares: Sequence[float], total: int) -> list[int]:
    """Integers adding up to `total`, each the floor of its share or one more (biggest
    remainders first, earlier rows on ties)."""
    floors = [math.floor(share) for share in shares]
    left = total - sum(floors)
    by_remainder = sorted(range(len(shares)), key=lambda i: floors[i] - shares[i])
    for index in by_remainder[: max(left, 0)]:
        floors[index] += 1
    return floors


def percentages(weights: Sequence[int]) -> list[int]:
    """Config weights as whole percentages adding up to 100 (all zero when they add up to 0)."""
    total = sum(weights)
    if total <= 0:
        return [0 for _ in weights]
    return largest_remainder([weight * TOTAL / total for weight in weights], TOTAL)


def rebalance(values: Sequence[int], index: int, value: int) -> list[int]:
    """`values` with `values[index]` set to `value` and the rest of 100 shared by the others in
    proportion to their `values` (equally when those are all 0)."""
    if len(values) == 1:
        return [TOTAL]
    value = min(max(value, 0), TOTAL)
    others = [i for i in range(len(values)) if i != index]
    had = [values[i] for i in others]
    rest = TOTAL - value
    if sum(had) > 0:
        shares = [rest * amount / sum(had) for amount in had]
    else:
        shares = [rest / len(others)] * len(others)
    result = list(values)
    result[index] = value
    for i, share in zip(others, largest_remainder(shares, rest), strict=True):
        result[i] = share
    return result
