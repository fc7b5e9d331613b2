"""Typed reading of JSON data from outside (a bundle from another machine, another version, a
damaged disk): each accessor checks what it returns and a complaint names the path of the bad
value, ``nodes[2].health: 'purple' is not one of healthy, ...``."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from meshgui.model.types import FloatArray


class CodecError(ValueError):
    """Encoded data that does not describe a model value; says where and why."""


class JsonReader:
    """Typed access to one JSON object, naming `path` in every complaint."""

    def __init__(self, data: Any, path: str) -> None:
        if not isinstance(data, Mapping):
            raise CodecError(f"{path or 'the document'}: expected an object")
        self.data = data
        self.path = path

    def _get(self, key: str) -> Any:
        if key not in self.data:
            raise CodecError(f"{self._at(key)}: missing")
        return self.data[key]

    def _at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def child(self, key: str) -> JsonReader:
        return JsonReader(self._get(key), self._at(key))

    def list(self, key: str) -> list[JsonReader]:
        items = self._get(key)
        if not isinstance(items, list):
            raise CodecError(f"{self._at(key)}: expected a list")
        return [JsonReader(item, f"{self._at(key)}[{i}]") for i, item in enumerate(items)]

    def text(self, key: str) -> str:
        value = self._get(key)
        if not isinstance(value, str) or not value:
            raise CodecError(f"{self._at(key)}: expected a non-empty string")
        return value

    def optional_text(self, key: str) -> str | None:
        return None if self.data.get(key) is None else self.text(key)

    def choice(self, key: str, allowed: tuple[str, ...]) -> str:
        value = self._get(key)
        if value not in allowed:
            raise CodecError(f"{self._at(key)}: {value!r} is not one of {', '.join(allowed)}")
        return str(value)

    def number(self, key: str) -> float:
        """A number; ``null`` reads as NaN (encoders write NaN so)."""
        value = self._get(key)
        if value is None:
            return math.nan
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise CodecError(f"{self._at(key)}: expected a number, got {value!r}")
        return float(value)

    def optional_number(self, key: str) -> float | None:
        return None if self.data.get(key) is None else self.number(key)

    def integer(self, key: str) -> int:
        value = self._get(key)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise CodecError(f"{self._at(key)}: expected a whole number >= 0, got {value!r}")
        return value

    def series(self, key: str) -> FloatArray:
        values = self._get(key)
        if not isinstance(values, list):
            raise CodecError(f"{self._at(key)}: expected a list of numbers")
        try:
            array: FloatArray = np.array(values, dtype=np.float64)  # null becomes NaN
        except (TypeError, ValueError):
            raise CodecError(f"{self._at(key)}: expected a list of numbers") from None
        if array.ndim != 1:
            raise CodecError(f"{self._at(key)}: expected a list of numbers")
        return array
