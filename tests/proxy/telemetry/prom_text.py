"""A small, strict parser for Prometheus text format 0.0.4, enough to check what we expose.

prometheus_client is not a dependency, so the tests read the page with this instead. It rejects
what a real scraper would: unknown escapes, unquoted or duplicated labels, samples outside their
declared family, a family declared twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_SAMPLE = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$")
_LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\.)*)"')
_ESCAPES = {"\\": "\\", '"': '"', "n": "\n"}
_HISTOGRAM_SUFFIXES = ("_bucket", "_sum", "_count")


@dataclass(frozen=True)
class Sample:
    name: str
    labels: dict[str, str]
    value: float


@dataclass
class Exposition:
    samples: list[Sample] = field(default_factory=list)
    types: dict[str, str] = field(default_factory=dict)
    helps: dict[str, str] = field(default_factory=dict)

    def named(self, name: str) -> list[Sample]:
        return [sample for sample in self.samples if sample.name == name]


def _unescape(raw: str) -> str:
    def replace(match: re.Match[str]) -> str:
        if match.group(1) not in _ESCAPES:
            raise ValueError(f"bad escape \\{match.group(1)}")
        return _ESCAPES[match.group(1)]

    return re.sub(r"\\(.)", replace, raw)


def parse_labels(text: str) -> dict[str, str]:
    labels: dict[str, str] = {}
    pos = 0
    while pos < len(text):
        match = _LABEL.match(text, pos)
        if match is None:
            raise ValueError(f"bad label at {pos}: {text[pos : pos + 40]!r}")
        name, raw = match.groups()
        if name in labels:
            raise ValueError(f"duplicate label {name}")
        labels[name] = _unescape(raw)
        pos = match.end()
        if pos < len(text):
            if text[pos] != ",":
                raise ValueError(f"expected ',' at {pos}")
            pos += 1
    return labels


def _family_of(name: str, types: dict[str, str]) -> str:
    if name in types:
        return name
    for suffix in _HISTOGRAM_SUFFIXES:
        base = name.removesuffix(suffix)
        if base != name and types.get(base) == "histogram":
            return base
    raise ValueError(f"sample {name} has no # TYPE")


def parse(text: str) -> Exposition:
    page = Exposition()
    current: str | None = None
    if not text.endswith("\n"):
        raise ValueError("the page must end with a newline")
    for line in text.splitlines():
        if line.startswith("# HELP "):
            name, _, help_text = line[7:].partition(" ")
            page.helps[name] = help_text
        elif line.startswith("# TYPE "):
            name, _, kind = line[7:].partition(" ")
            if name in page.types:
                raise ValueError(f"family {name} declared twice")
            page.types[name] = kind
            current = name
        else:
            match = _SAMPLE.match(line)
            if match is None:
                raise ValueError(f"bad sample line {line[:80]!r}")
            name, label_text, value = match.groups()
            if _family_of(name, page.types) != current:
                raise ValueError(f"sample {name} outside its family's block")
            page.samples.append(Sample(name, parse_labels(label_text or ""), float(value)))
    return page
