"""Reading one request head as the parser delivers it: which headers go upstream as they came,
which the listener reads and leaves out (its own x- headers, Expect), and which are hop-by-hop.

`RequestHeadReader` is a mixin of `DownstreamConnection` because httptools calls `on_url` and
`on_header` on the protocol object itself: the per-header work stays one call. Kept headers are
collected as the pieces of their forwarded lines, so the router builds the upstream head with one
join, and a header's action is looked up by its name as the client spelled it.
"""

from __future__ import annotations

# Header names the listener looks at while parsing (lower-case) -> what it does with them.
KEEP, DROP, HOST, TE, EXPECT, CONNECTION = 0, 1, 2, 3, 4, 5
_FORWARDED = (KEEP, HOST, TE)
"""Actions of headers that go upstream as they came."""
_COLON = b": "
_CRLF = b"\r\n"
_MAX_SPELLINGS = 4096
"""Distinct header-name spellings remembered per listener; beyond it names are lower-cased."""


class HeaderActions:
    """What a listener does with each request header, looked up by the name as the client spelled
    it. Names are case-insensitive, but a client spells a name the same way on every request,
    so remembering each spelling spares a `lower()` per header on the hot path."""

    __slots__ = ("_by_lower", "by_spelling")

    def __init__(self, by_lower: dict[bytes, int]) -> None:
        self._by_lower = by_lower
        self.by_spelling: dict[bytes, int] = dict(by_lower)

    def resolve(self, name: bytes) -> int:
        """The action for a spelling not seen yet (KEEP for names the listener ignores)."""
        action = self._by_lower.get(name.lower(), KEEP)
        if len(self.by_spelling) < _MAX_SPELLINGS:  # bounded: names are the client's to choose
            self.by_spelling[name] = action
        return action

    def get(self, lower_name: bytes) -> int:
        return self._by_lower.get(lower_name, KEEP)


class RequestHeadReader:
    """The head of the request being parsed; `next_head()` starts over for the next one."""

    __slots__ = (
        "_actions",
        "chunked",
        "drop_names",
        "head_size",
        "header_actions",
        "host",
        "kept_headers",
        "set_aside",
        "special",
        "url",
    )

    def __init__(self, actions: HeaderActions) -> None:
        self.header_actions = actions
        self._actions = actions.by_spelling
        self.url = b""
        self.head_size = 0
        self.kept_headers: list[bytes] = []
        """Forwarded header lines in pieces: name, ": ", value, CRLF for each."""
        self.host = b""
        self.chunked = False
        self.set_aside: list[tuple[bytes, bytes]] | None = None
        """(lower-cased name, value) of headers not forwarded as they came; None when none."""
        self.special: dict[bytes, bytes] | None = None
        """Headers the router reads and does not forward (lower-cased name -> value)."""
        self.drop_names: tuple[bytes, ...] = ()

    def on_url(self, url: bytes) -> None:
        self.url += url

    def on_header(self, name: bytes, value: bytes) -> None:
        self.head_size += len(name) + len(value) + 4
        action = self._actions.get(name)
        if action is None:
            action = self.header_actions.resolve(name)
        if action in _FORWARDED:
            kept = self.kept_headers
            kept.append(name)
            kept.append(_COLON)
            kept.append(value)
            kept.append(_CRLF)
            if action == HOST:
                self.host = value
            elif action == TE:
                self.chunked = b"chunked" in value.lower()
        else:
            self._set_aside(name.lower(), value, action)

    def _set_aside(self, lname: bytes, value: bytes, action: int) -> None:
        aside = self.set_aside
        if aside is None:
            aside = self.set_aside = []
        aside.append((lname, value))
        if action == CONNECTION:
            # Headers named in Connection are hop-by-hop too (RFC 9110 §7.6.1).
            self.drop_names += tuple(t.strip().lower() for t in value.split(b",") if t.strip())
        elif action != DROP:
            special = self.special
            if special is None:
                special = self.special = {}
            special[lname] = value

    def drop_connection_options(self) -> None:
        """Leave out of the forwarded lines the headers that Connection named."""
        actions = self.header_actions
        # Options that name hop-by-hop headers (keep-alive, mostly) were set aside already.
        drop = {name for name in self.drop_names if actions.get(name) != DROP}
        kept = self.kept_headers
        names = kept[0::4]
        # Usually nothing is named ("close"): one lower() of all names at once tells.
        if drop.isdisjoint(b"\n".join(names).lower().split(b"\n")):
            return
        values = kept[2::4]
        aside = self.set_aside
        assert aside is not None  # the Connection header itself is there
        self.kept_headers = forwarded = list[bytes]()
        for name, value in zip(names, values, strict=True):
            lname = name.lower()
            if lname in drop:
                aside.append((lname, value))
            else:
                forwarded += (name, _COLON, value, _CRLF)

    def header_pairs(self) -> list[tuple[bytes, bytes]]:
        """Every header of the request being opened as (lower-cased name, value): what route
        conditions on headers are matched against. Built only for the routes that need it."""
        kept = self.kept_headers
        pairs = [(name.lower(), value) for name, value in zip(kept[0::4], kept[2::4], strict=True)]
        if self.set_aside is not None:
            pairs += self.set_aside
        return pairs

    def next_head(self) -> None:
        self.url = b""
        self.head_size = 0
        self.kept_headers = []
        self.host = b""
        self.chunked = False
        if self.set_aside is not None:  # special and drop_names are set only along with it
            self.set_aside = None
            self.special = None
            self.drop_names = ()
