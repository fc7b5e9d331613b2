"""The inventory database's wire protocol: one request line, one answer line, ASCII.

    GET sku-42\n          -> VALUE 17\n   (or NOT_FOUND\n)
    MGET sku-1 sku-2\n    -> VALUES 17 0\n (-1 for an unknown key)
    SET sku-42 16\n       -> OK\n
    PING\n                -> PONG\n
    anything else         -> ERROR <reason>\n

Small enough to read in a packet capture, real enough that the sidecars splice it as opaque TCP.
"""

from __future__ import annotations

MAX_LINE = 4096
MAX_KEYS = 64


class KvProtocolError(Exception):
    """An answer line that does not fit the request."""


def answer(store: dict[str, int], line: bytes) -> bytes:
    """The answer line to one request line (without its newline), applied to `store`."""
    try:
        words = line.decode("ascii").split()
    except UnicodeDecodeError:
        return b"ERROR not ASCII\n"
    if not words:
        return b"ERROR empty request\n"
    command, args = words[0].upper(), words[1:]
    if command == "PING" and not args:
        return b"PONG\n"
    if command == "GET" and len(args) == 1:
        value = store.get(args[0])
        return b"NOT_FOUND\n" if value is None else b"VALUE %d\n" % value
    if command == "MGET" and 0 < len(args) <= MAX_KEYS:
        return b"VALUES " + b" ".join(b"%d" % store.get(key, -1) for key in args) + b"\n"
    if command == "SET" and len(args) == 2 and args[1].lstrip("-").isdigit():
        store[args[0]] = int(args[1])
        return b"OK\n"
    return b"ERROR bad request: " + line[:60].replace(b"\n", b" ") + b"\n"


def mget_request(keys: list[str]) -> bytes:
    return ("MGET " + " ".join(keys) + "\n").encode("ascii")


def parse_values(line: bytes, count: int) -> list[int | None]:
    """The values of a VALUES answer to an MGET of `count` keys; None for an unknown key."""
    words = line.split()
    if len(words) != count + 1 or words[0] != b"VALUES":
        raise KvProtocolError(f"unexpected answer {line[:60]!r}")
    values = [int(word) for word in words[1:]]
    return [value if value >= 0 else None for value in values]


def initial_stock(skus: int = 200) -> dict[str, int]:
    """A shop's worth of stock levels: mostly in stock, some sold out."""
    return {f"sku-{n}": (n * 37) % 23 if n % 11 else 0 for n in range(skus)}
