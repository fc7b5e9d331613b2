"""Reads the app's screenshot (standard library only, so the smoke test runs on any machine
with python3) and finds the service nodes drawn in it.

A node on the topology canvas is a box filled with the palette's base colour tinted by its
health colour (meshgui/views/styles.py: HEALTH_COLOURS, NODE_TINT), at every zoom level; edges,
text and window chrome are not. So the nodes are the blobs of those tinted fills.
"""

from __future__ import annotations

import struct
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

HEALTH_COLOURS = {
    "healthy": (0x2E, 0x9D, 0x5B),
    "degraded": (0xE0, 0x9A, 0x00),
    "failing": (0xD6, 0x45, 0x41),
    "drained": (0x4A, 0x7B, 0xD0),
    "disconnected": (0x8C, 0x8C, 0x8C),
    "idle": (0x8A, 0x96, 0xA3),
}
"""meshgui.views.styles.HEALTH_COLOURS, copied: this file must not import the app."""
NODE_TINT = 0.22
"""meshgui.views.styles.NODE_TINT: how much health colour is in a node's body."""
MIN_NODE_PIXELS = 120
"""A node box is ~75x22 px when the demo's graph fills the view and ~32x10 px zoomed out;
antialiased text and edges make only specks of these colours."""
FILL_TOLERANCE = 3
"""Per channel, for rounding in the blend."""
BASE_CANDIDATES = 3
"""The most common colours of the image, one of which is the canvas's (the palette base)."""
Colour = tuple[int, int, int]  # (red, green, blue)
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class ScreenshotError(ValueError):
    pass


@dataclass(frozen=True)
class Image:
    width: int
    height: int
    rows: list[bytes]
    channels: int

    def pixel(self, x: int, y: int) -> Colour:
        offset = x * self.channels
        red, green, blue = self.rows[y][offset : offset + 3]
        return red, green, blue


def _unfilter(kind: int, line: bytearray, previous: bytes, step: int) -> None:
    for i in range(len(line)):
        left = line[i - step] if i >= step else 0
        up = previous[i]
        if kind == 1:
            line[i] = (line[i] + left) & 0xFF
        elif kind == 2:
            line[i] = (line[i] + up) & 0xFF
        elif kind == 3:
            line[i] = (line[i] + ((left + up) >> 1)) & 0xFF
        elif kind == 4:
            upper_left = previous[i - step] if i >= step else 0
            estimate = left + up - upper_left
            pa, pb, pc = abs(estimate - left), abs(estimate - up), abs(estimate - upper_left)
            nearest = left if pa <= pb and pa <= pc else up if pb <= pc else upper_left
            line[i] = (line[i] + nearest) & 0xFF


def read_png(path: Path) -> Image:
    """An 8-bit RGB or RGBA, non-interlaced PNG (what QWidget.grab().save() writes)."""
    data = path.read_bytes()
    if not data.startswith(_PNG_SIGNATURE):
        raise ScreenshotError(f"{path} is not a PNG file")
    position, header, compressed = len(_PNG_SIGNATURE), b"", bytearray()
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        position += 12 + length
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            compressed += body
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    if depth != 8 or colour not in (2, 6) or interlace:
        raise ScreenshotError(f"{path}: unsupported PNG (depth {depth}, colour type {colour})")
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(bytes(compressed))
    stride = width * channels
    rows: list[bytes] = []
    previous = bytes(stride)
    for y in range(height):
        start = y * (stride + 1)
        line = bytearray(raw[start + 1 : start + 1 + stride])
        _unfilter(raw[start], line, previous, channels)
        previous = bytes(line)
        rows.append(previous)
    return Image(width, height, rows, channels)


def _blend(base: Colour, tint: Colour) -> Colour:
    red, green, blue = (
        round(b * (1 - NODE_TINT) + t * NODE_TINT) for b, t in zip(base, tint, strict=True)
    )
    return red, green, blue


def _node_fills(image: Image) -> dict[Colour, str]:
    """The fill of a node of each health over each likely base colour -> that health."""
    counts: Counter[Colour] = Counter(
        image.pixel(x, y) for y in range(0, image.height, 5) for x in range(0, image.width, 5)
    )
    bases = [colour for colour, _ in counts.most_common(BASE_CANDIDATES)]
    # A disconnected node is grey on grey, as is the window's chrome: it cannot be told apart.
    tints = {name: rgb for name, rgb in HEALTH_COLOURS.items() if name != "disconnected"}
    return {_blend(base, rgb): name for base in bases for name, rgb in tints.items()}


def _fill_health(
    colour: Colour, fills: dict[Colour, str], cache: dict[Colour, str | None]
) -> str | None:
    if colour not in cache:
        cache[colour] = next(
            (
                health
                for fill, health in fills.items()
                if all(abs(a - b) <= FILL_TOLERANCE for a, b in zip(colour, fill, strict=True))
            ),
            None,
        )
    return cache[colour]


def node_boxes(image: Image) -> dict[str, int]:
    """How many node boxes of each health the image shows (never any disconnected ones: see
    _node_fills)."""
    fills = _node_fills(image)
    cache: dict[Colour, str | None] = {}
    health_at: dict[tuple[int, int], str] = {}
    for y in range(image.height):
        for x in range(image.width):
            health = _fill_health(image.pixel(x, y), fills, cache)
            if health is not None:
                health_at[(x, y)] = health
    counts = dict.fromkeys(HEALTH_COLOURS, 0)
    seen: set[tuple[int, int]] = set()
    for start, health in health_at.items():
        if start in seen:
            continue
        seen.add(start)
        stack, size = [start], 0
        while stack:  # flood fill over same-health pixels, four neighbours
            x, y = stack.pop()
            size += 1
            for neighbour in ((x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1)):
                if neighbour not in seen and health_at.get(neighbour) == health:
                    seen.add(neighbour)
                    stack.append(neighbour)
        if size >= MIN_NODE_PIXELS:
            counts[health] += 1
    return counts


def distinct_colours(image: Image, step: int = 7) -> int:
    """Colours in a sample of the image: a blank or failed render has one or two."""
    return len(
        {
            image.pixel(x, y)
            for y in range(0, image.height, step)
            for x in range(0, image.width, step)
        }
    )
