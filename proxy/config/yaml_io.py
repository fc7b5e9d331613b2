"""YAML in and out for config documents: strict reading, readable writing.

Reading refuses duplicate keys (PyYAML silently keeps the last one, which hides a pasted-twice
service) and remembers where each node came from, so validation errors can name a line.
Writing keeps field order and puts small leaf mappings on one line, as people write them.
"""

from __future__ import annotations

import json
from typing import Any

import yaml

from proxy.config.errors import ConfigError, ConfigProblem, LineOf
from proxy.config.types import Loc

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_text(text: str, source: str) -> tuple[Any, LineOf | None]:
    """The data in a YAML (or JSON) document, and a way to find the line of a location in it."""
    loader = _BaseLoader(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            _refuse_duplicate_keys(node, source)
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        data = _json_or_none(text)
        if data is None:
            raise ConfigError(source, [_syntax_problem(exc)]) from None
        return data, None
    finally:
        loader.dispose()
    return data, (lambda loc: _line_of(node, loc)) if node is not None else None


def _json_or_none(text: str) -> Any:
    # JSON is nearly YAML, except for things like tab indentation; give it its own try.
    if not text.lstrip().startswith(("{", "[")):
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def _syntax_problem(exc: yaml.YAMLError) -> ConfigProblem:
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem_mark is not None:
        mark = exc.problem_mark
        reason = exc.problem or "invalid YAML"
        if exc.context and exc.context_mark is not None:
            reason += f" ({exc.context} at line {exc.context_mark.line + 1})"
        return ConfigProblem("", f"YAML syntax: {reason}", mark.line + 1, mark.column + 1)
    return ConfigProblem("", f"YAML syntax: {exc}")


def _refuse_duplicate_keys(root: yaml.Node, source: str) -> None:
    problems: list[ConfigProblem] = []
    pending = [root]
    while pending:
        node = pending.pop()
        if isinstance(node, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    line = key.start_mark.line + 1
                    if key.value in seen:
                        reason = f"duplicate key {key.value!r} (first at line {seen[key.value]})"
                        problems.append(ConfigProblem("", reason, line, key.start_mark.column + 1))
                    seen.setdefault(key.value, line)
                pending.append(value)
        elif isinstance(node, yaml.SequenceNode):
            pending.extend(node.value)
    if problems:
        raise ConfigError(source, sorted(problems, key=lambda problem: problem.line or 0))


def _line_of(root: yaml.Node, loc: Loc) -> int | None:
    """The line of the deepest node on the way to `loc` (the parent, for a missing key)."""
    node = root
    line = root.start_mark.line + 1
    for element in loc:
        found: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value == str(element):
                    found, line = value, key.start_mark.line + 1
                    break
        elif (
            isinstance(node, yaml.SequenceNode)
            and isinstance(element, int)
            and 0 <= element < len(node.value)
        ):
            found = node.value[element]
            line = found.start_mark.line + 1
        if found is None:
            break
        node = found
    return line


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True  # anchors and aliases would only puzzle a reader


class _FlowDict(dict[str, Any]):
    """A mapping written on one line: ``{name: inventory-1, weight: 1}``."""


class _FlowList(list[Any]):
    """A list written on one line: ``[503, 504]``."""


def _is_leaf(value: Any) -> bool:
    return not isinstance(value, dict | list)


def _is_flat(value: Any) -> bool:
    items = value.values() if isinstance(value, dict) else value
    return _is_leaf(value) or all(map(_is_leaf, items))


def styled(value: Any, depth: int = 0) -> Any:
    """`value` with its small leaf collections marked for flow style; the top two levels of a
    document (sections such as ``services:``) stay in block style whatever their size."""
    if isinstance(value, dict):
        if not value or (depth >= 2 and all(map(_is_flat, value.values())) and _short(value)):
            return _FlowDict(value)
        return {key: styled(item, depth + 1) for key, item in value.items()}
    if isinstance(value, list):
        if not value or (all(map(_is_leaf, value)) and _short(value)):
            return _FlowList(value)
        return [styled(item, depth + 1) for item in value]
    return value


def _short(value: dict[str, Any] | list[Any]) -> bool:
    return len(json.dumps(value)) <= 90


def _represent_flow_dict(dumper: yaml.SafeDumper, data: _FlowDict) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", data, flow_style=True)


def _represent_flow_list(dumper: yaml.SafeDumper, data: _FlowList) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)


_Dumper.add_representer(_FlowDict, _represent_flow_dict)
_Dumper.add_representer(_FlowList, _represent_flow_list)


def dump_yaml(data: Any) -> str:
    """YAML text for `data` as prepared by `styled`, keys in their given order."""
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        default_flow_style=False,
        width=100,
        allow_unicode=True,
    )
