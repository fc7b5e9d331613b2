"""Validation of exported Kubernetes objects against the published CRD schemas, as strictly as the
API server would apply them.

Three layers, because `jsonschema` alone is lenient here (see ../shared/schemas/README.md):
- the JSON Schema part, with `Draft4Validator` (rejects 90.0 as an integer);
- fields the schema does not know, which the API server would prune, i.e. drop silently;
- the CEL rules (`x-kubernetes-validations`) and int-or-string fields on every node the document
  reaches, each rule by a Python equivalent; a rule without one is itself a problem.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import yaml

# ../shared/schemas beside the checkout when it is there (the project's shared folder), else the
# copy kept with these tests (same files, same README), so a lone clone can run them too.
_SHARED = Path(__file__).resolve().parents[4] / "shared" / "schemas"
SCHEMAS = _SHARED if _SHARED.exists() else Path(__file__).resolve().parent / "schemas"
CRD_FILES = {
    "VirtualService": "istio/virtualservices.yaml",
    "DestinationRule": "istio/destinationrules.yaml",
    "HTTPRoute": "gateway-api/httproutes.yaml",
}


@functools.cache
def _validator(kind: str, version: str) -> tuple[jsonschema.Draft4Validator, dict[str, Any]]:
    path = SCHEMAS / CRD_FILES[kind]
    assert path.exists(), f"the CRD schemas are expected in {SCHEMAS} (see the issue)"
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    crd = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    schema = next(v for v in crd["spec"]["versions"] if v["name"] == version)
    open_api = schema["schema"]["openAPIV3Schema"]
    return jsonschema.Draft4Validator(open_api), open_api


def crd_problems(document: dict[str, Any]) -> list[str]:
    """Every way `document` falls short of its CRD; empty when the API server would take it."""
    group_version, kind = document["apiVersion"], document["kind"]
    validator, schema = _validator(kind, group_version.rsplit("/", 1)[1])
    problems = [
        f"{'.'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator.iter_errors(document)
    ]
    # Every object has these; the Istio CRDs leave them out of their schemas.
    envelope = {"apiVersion": {"type": "string"}, "kind": {"type": "string"}, "metadata": {}}
    _walk(document, {**schema, "properties": {**envelope, **schema["properties"]}}, "", problems)
    return problems


def _walk(value: Any, schema: dict[str, Any], path: str, problems: list[str]) -> None:
    for rule in schema.get("x-kubernetes-validations", ()):
        check = _cel_check(rule["rule"])
        if check is None:
            problems.append(f"{path}: no Python equivalent for CEL rule {rule['rule'][:80]!r}")
        elif not check(value):
            problems.append(f"{path}: fails CEL rule: {rule['message']}")
    if _is_int_or_string(schema) and not isinstance(value, int):
        problems.append(f"{path}: int-or-string field written as {value!r}, expected an integer")
    if isinstance(value, dict):
        if schema.get("x-kubernetes-preserve-unknown-fields"):
            return
        properties = schema.get("properties")
        extra = schema.get("additionalProperties")
        for key, item in value.items():
            if properties is not None and key in properties:
                _walk(item, properties[key], f"{path}.{key}", problems)
            elif isinstance(extra, dict):
                _walk(item, extra, f"{path}.{key}", problems)
            elif properties is not None or extra is False:
                problems.append(f"{path}.{key}: unknown field (the API server would drop it)")
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for index, item in enumerate(value):
            _walk(item, schema["items"], f"{path}[{index}]", problems)


def _is_int_or_string(schema: dict[str, Any]) -> bool:
    if schema.get("x-kubernetes-int-or-string"):
        return True
    types = [option.get("type") for option in schema.get("anyOf", ())]
    return sorted(t for t in types if t) == ["integer", "string"]


# -- CEL rules -------------------------------------------------------------------------------

_GO_DURATION_RE = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(h|ms|m|s|us|µs|ns)")
_GO_UNITS = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 1e-3, "us": 1e-6, "µs": 1e-6, "ns": 1e-9}


def go_duration(text: str) -> float:
    """Seconds in a Go duration string (``1h30m``, ``1.5s``, ``250ms``); ValueError otherwise."""
    if text == "0":
        return 0.0
    parts = _GO_DURATION_RE.findall(text)
    if not parts or "".join(number + unit for number, unit in parts) != text:
        raise ValueError(f"not a Go duration: {text!r}")
    return sum(float(number) * _GO_UNITS[unit] for number, unit in parts)


def _at_least_1ms(value: Any) -> bool:
    try:
        return go_duration(value) >= 1e-3 - 1e-12
    except (TypeError, ValueError):
        return False


def _timeouts_ordered(value: dict[str, Any]) -> bool:
    if "request" not in value or "backendRequest" not in value:
        return True
    request = go_duration(value["request"])
    return request == 0 or go_duration(value["backendRequest"]) <= request


def _backend_ref_has_port(value: dict[str, Any]) -> bool:
    group, kind = value.get("group", ""), value.get("kind", "Service")
    return not (group == "" and kind == "Service") or "port" in value


def _no_filters(value: dict[str, Any]) -> bool:
    # The rules about redirect/rewrite filters hold trivially for rules without filters; the
    # exporter writes none, and this keeps the check honest if it ever does.
    refs = value.get("backendRefs", [])
    return "filters" not in value and all("filters" not in ref for ref in refs)


def _unique_parents(value: list[dict[str, Any]]) -> bool:
    keys = [tuple(sorted(parent.items())) for parent in value]
    return len(keys) == len(set(keys))


def _few_matches(value: list[dict[str, Any]]) -> bool:
    return sum(len(rule.get("matches", [])) for rule in value) <= 128


_PATH_RULE_RE = re.compile(
    r"^\(self\.type in \['Exact','PathPrefix'\]\) \? "
    r"(?P<negate>!?)self\.value\.(?P<op>startsWith|contains|endsWith|matches)"
    r"\((?:'(?P<arg>[^']*)'|r\"\"\"(?P<regex>.*)\"\"\")\) : true$"
)


def _path_rule(rule: str) -> Callable[[Any], bool] | None:
    if rule == "self.type in ['Exact','PathPrefix'] || self.type == 'RegularExpression'":
        return lambda path: path["type"] in ("Exact", "PathPrefix", "RegularExpression")
    found = _PATH_RULE_RE.match(rule)
    if found is None:
        return None
    op, negate = found["op"], bool(found["negate"])
    arg = found["arg"] if found["arg"] is not None else found["regex"]

    def holds(path: dict[str, Any]) -> bool:
        if path["type"] not in ("Exact", "PathPrefix"):
            return True
        text: str = path["value"]
        outcome = {
            "startsWith": lambda: text.startswith(arg),
            "contains": lambda: arg in text,
            "endsWith": lambda: text.endswith(arg),
            "matches": lambda: re.search(arg, text) is not None,
        }[op]()
        return outcome != negate

    return holds


def _cel_check(rule: str) -> Callable[[Any], bool] | None:
    if rule == "duration(self) >= duration('1ms')":
        return _at_least_1ms
    if rule.startswith("!(has(self.request) && has(self.backendRequest)"):
        return _timeouts_ordered
    if rule == "(size(self.group) == 0 && self.kind == 'Service') ? has(self.port) : true":
        return _backend_ref_has_port
    if "requestRedirect" in rule or "urlRewrite" in rule:
        return _no_filters
    if rule.startswith("self.all(p1, self.all(p2") or rule.startswith(
        "self.all(p1, self.exists_one"
    ):
        return _unique_parents
    if rule.startswith("(self.size() > 0 ? self[0].matches.size() : 0)"):
        return _few_matches
    return _path_rule(rule)
