"""Which calls to draw "backwards" so the rest of the graph flows left to right.

Eades, Lin and Smyth's greedy heuristic (1993): peel off sinks to the right end and sources to
the left end, and when neither is left, the node with the largest out-degree minus in-degree to
the left. Edges that then point right-to-left are few, and reversing them leaves a DAG. It runs
in O((V + E) log V); the issue's measurement had DFS-based removal take 3.4 s at 1,000 / 5,000
where the whole layout with this one took 0.4 s.
"""

from __future__ import annotations

from collections.abc import Sequence
from heapq import heapify, heappop, heappush


def greedy_acyclic_order(successors: Sequence[Sequence[int]]) -> list[int]:
    """Nodes 0..n-1 in an order where few edges point backwards; ties go to the smaller id.

    `successors[v]` lists v's distinct out-neighbours, without v itself.
    """
    n = len(successors)
    predecessors: list[list[int]] = [[] for _ in range(n)]
    for v, targets in enumerate(successors):
        for w in targets:
            predecessors[w].append(v)
    out_degree = [len(targets) for targets in successors]
    in_degree = [len(sources) for sources in predecessors]
    removed = [False] * n
    sinks = [v for v in range(n) if out_degree[v] == 0]
    sources = [v for v in range(n) if in_degree[v] == 0 and out_degree[v] > 0]
    by_delta = [(in_degree[v] - out_degree[v], v) for v in range(n)]
    heapify(sinks)
    heapify(sources)
    heapify(by_delta)
    left: list[int] = []
    right: list[int] = []

    def remove(v: int) -> None:
        removed[v] = True
        for w in successors[v]:
            if not removed[w]:
                in_degree[w] -= 1
                if in_degree[w] == 0 and out_degree[w] > 0:
                    heappush(sources, w)
                heappush(by_delta, (in_degree[w] - out_degree[w], w))
        for u in predecessors[v]:
            if not removed[u]:
                out_degree[u] -= 1
                if out_degree[u] == 0:
                    heappush(sinks, u)
                heappush(by_delta, (in_degree[u] - out_degree[u], u))

    placed = 0
    while placed < n:
        if sinks:
            v = heappop(sinks)
            if removed[v]:
                continue
            right.append(v)
        elif sources:
            v = heappop(sources)
            if removed[v]:
                continue
            left.append(v)
        else:
            negative_delta, v = heappop(by_delta)
            if removed[v] or negative_delta != in_degree[v] - out_degree[v]:
                continue  # a stale entry: the node's degrees changed after it was pushed
            left.append(v)
        remove(v)
        placed += 1
    right.reverse()
    return left + right
