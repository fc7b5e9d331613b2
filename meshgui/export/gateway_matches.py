"""HTTPRoute matches from mesh-proxy route matches, and where Gateway API reads them differently.

Two differences need warnings. PathPrefix compares whole path segments (``/api`` matches
``/api/x`` but not ``/apix``) where mesh-proxy compares characters. And Gateway API does not take
the first rule that matches: it prefers the longest path prefix, then a method match, then the
most header matches, and only then list order; so a later, more specific route that overlaps an
earlier one takes over requests that mesh-proxy would send to the earlier one.
"""

from __future__ import annotations

import re
from typing import Any

from meshgui.export.common import ExportWarning, warning_at
from meshgui.export.route_rules import STANDARD_METHODS
from proxy.config import RouteConfig, RouteMatch
from proxy.config.types import Loc

MAX_HEADER_MATCHES = 16
# The HTTPRoute CRD's own checks on a PathPrefix value (its pattern and CEL rules).
_PATH_VALUE_RE = re.compile(r"^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$")
_PATH_FORBIDDEN_PARTS = ("//", "/./", "/../", "%2f", "%2F", "#")
_PATH_FORBIDDEN_ENDINGS = ("/..", "/.")


def path_prefix_is_valid(prefix: str) -> bool:
    """Whether the HTTPRoute CRD accepts `prefix` as a PathPrefix value."""
    return (
        bool(_PATH_VALUE_RE.match(prefix))
        and not any(part in prefix for part in _PATH_FORBIDDEN_PARTS)
        and not prefix.endswith(_PATH_FORBIDDEN_ENDINGS)
    )


def http_route_match(match: RouteMatch, loc: Loc, warnings: list[ExportWarning]) -> dict[str, Any]:
    """The HTTPRouteMatch for `match`; empty for a match-all route."""
    result: dict[str, Any] = {}
    prefix = match.path_prefix
    if prefix is not None and prefix != "/":
        result["path"] = _path(prefix, (*loc, "path_prefix"), warnings)
    if match.method is not None:
        if match.method in STANDARD_METHODS:
            result["method"] = match.method
        else:
            message = (
                f"Gateway API matches only the standard methods, not {match.method}; "
                "exported without a method match, so the rule matches every method"
            )
            warnings.append(warning_at((*loc, "method"), message))
    headers = list(match.headers.items())
    if headers:
        result["headers"] = [
            _header(name, value, (*loc, "headers", name), warnings)
            for name, value in headers[:MAX_HEADER_MATCHES]
        ]
    if len(headers) > MAX_HEADER_MATCHES:
        left_out = ", ".join(name for name, _ in headers[MAX_HEADER_MATCHES:])
        message = (
            f"an HTTPRoute match takes at most {MAX_HEADER_MATCHES} headers; not exported: "
            f"{left_out}, so the rule matches more requests"
        )
        warnings.append(warning_at((*loc, "headers"), message))
    return result


def _path(prefix: str, loc: Loc, warnings: list[ExportWarning]) -> dict[str, Any]:
    if path_prefix_is_valid(prefix):
        base = prefix.rstrip("/")
        message = (
            f"Gateway API's PathPrefix matches whole path segments: {base} and {base}/..., "
            f"where mesh-proxy matches every path that starts with {prefix}"
        )
        warnings.append(warning_at(loc, message))
        return {"type": "PathPrefix", "value": prefix}
    message = (
        "not a path the HTTPRoute CRD accepts as PathPrefix; exported as a RegularExpression, "
        "whose support and precedence depend on the implementation"
    )
    warnings.append(warning_at(loc, message))
    return {"type": "RegularExpression", "value": "^" + re.escape(prefix) + ".*"}


def _header(name: str, value: str, loc: Loc, warnings: list[ExportWarning]) -> dict[str, Any]:
    if value:
        return {"name": name, "value": value}
    message = (
        "Gateway API needs a non-empty header value; exported as the RegularExpression ^$, "
        "whose support depends on the implementation"
    )
    warnings.append(warning_at(loc, message))
    return {"type": "RegularExpression", "name": name, "value": "^$"}


def precedence_warnings(service: str, routes: tuple[RouteConfig, ...]) -> list[ExportWarning]:
    """A warning for each route that Gateway API would try before an earlier, overlapping one."""
    warnings: list[ExportWarning] = []
    for later_index, later in enumerate(routes):
        for earlier_index in range(later_index):
            earlier = routes[earlier_index]
            if _precedence(later.match) > _precedence(earlier.match) and _may_overlap(
                earlier.match, later.match
            ):
                message = (
                    "Gateway API tries more specific matches first, so this route takes "
                    f"requests that also match routes.{service}[{earlier_index}], which "
                    "mesh-proxy would send there"
                )
                warnings.append(warning_at(("routes", service, later_index, "match"), message))
                break
    return warnings


def _precedence(match: RouteMatch) -> tuple[int, bool, int]:
    return (len(match.path_prefix or "/"), match.method is not None, len(match.headers))


def _may_overlap(first: RouteMatch, second: RouteMatch) -> bool:
    """Whether some request could match both (character prefixes, as mesh-proxy compares)."""
    a, b = first.path_prefix or "/", second.path_prefix or "/"
    if not (a.startswith(b) or b.startswith(a)):
        return False
    if first.method is not None and second.method is not None and first.method != second.method:
        return False
    shared = first.headers.keys() & second.headers.keys()
    return all(first.headers[name] == second.headers[name] for name in shared)
