"""Fixed words in a page's bytes: whether any is there, and where each one is, in one pass.

CPython's ``bytes.find`` reads about one byte per step for a word like ``twitter`` (only a one-byte
search runs at ``memchr`` speed), so each word costs a pass over the page, and the few words the
pre-filter and the HTML scan look for cost more than a tenth of an lxml parse together. With the
``speed`` extra installed, Hyperscan's vectorised literal matcher finds all of them in one pass at
several GB/s; without it, the same answers come from one ``bytes.find`` pass per word. ``Starts`` does
the same for a short pattern (the "@" that can start an author shape), which Python would otherwise
test at every "@" of the page, and ``Anywhere`` tells whether a few patterns match at all (whether
bytes are ill-formed UTF-8, which Python answers only by decoding them).
"""
from __future__ import annotations

import os
import threading
from typing import Any

__all__ = ["ACCELERATED", "Anywhere", "Starts", "Words", "find_all"]

_hyperscan: Any = None
# TWEETPARSE_NO_HYPERSCAN=1 leaves Hyperscan unused though installed (to compare, or to rule it out).
if os.environ.get("TWEETPARSE_NO_HYPERSCAN", "") in ("", "0"):
    try:  # the ``speed`` extra
        import hyperscan as _hyperscan
    except ImportError:  # pragma: no cover - exercised by the tests through Words(accelerated=False)
        _hyperscan = None


class _Database:
    """A compiled Hyperscan database and its scratch space, one per thread (a scan writes to it)."""

    __slots__ = ("_local", "database")

    def __init__(self, expressions: list[bytes], flags: int) -> None:
        self.database = _hyperscan.Database(mode=_hyperscan.HS_MODE_BLOCK)
        self.database.compile(expressions=expressions, ids=list(range(len(expressions))),
                              elements=len(expressions), flags=[flags] * len(expressions))
        self._local = threading.local()

    def scan(self, data: bytes, on_match: Any) -> None:
        scratch = getattr(self._local, "scratch", None)
        if scratch is None:
            scratch = self._local.scratch = _hyperscan.Scratch(self.database)
        self.database.scan(data, match_event_handler=on_match, scratch=scratch)

    def matches(self, data: bytes) -> bool:
        """Whether any expression matches in ``data``: the scan stops at the first match."""
        try:
            self.scan(data, _stop)
        except _hyperscan.ScanTerminated:
            return True
        return False


def _stop(*_match: Any) -> bool:
    return True  # a true answer ends the scan


def _runs_here() -> bool:
    """Whether Hyperscan compiles and scans on this CPU (it needs SSSE3, and says so by raising)."""
    try:
        return _Database([b"x"], 0).matches(b"x")
    except _hyperscan.error:
        return False


ACCELERATED = _hyperscan is not None and _runs_here()


class Words:
    """A fixed tuple of byte strings, searched for together.

    >>> words = Words((b"tweet", b"x.com/"))
    >>> words.positions(b"a tweet, https://x.com/a and a tweet")
    [[2, 31], [17]]
    >>> words.any_in(b"no needle here"), words.any_in(b"see x.com/a")
    (False, True)
    """

    __slots__ = ("_database", "words")

    def __init__(self, words: tuple[bytes, ...], *, accelerated: bool = ACCELERATED) -> None:
        if not words or not all(words):
            raise ValueError("Words needs at least one word, and no empty one")
        self.words = words
        self._database: _Database | None = None
        if accelerated and _hyperscan is not None:
            # Hyperscan reads expressions as regular expressions: each word's bytes are escaped as \xHH.
            self._database = _Database([b"".join(b"\\x%02x" % byte for byte in word) for word in words], 0)

    def positions(self, data: bytes) -> list[list[int]]:
        """Where each word starts in ``data``, ascending, a word's hits never overlapping each other
        (the next one is looked for after the end of the last), as ``bytes.find`` in a loop gives them."""
        if self._database is not None and data:
            found: list[list[int]] = [[] for _ in self.words]
            lengths = [len(word) for word in self.words]

            def on_match(index: int, _start: int, end: int, _flags: int, _context: Any) -> None:
                hits = found[index]
                start = end - lengths[index]
                if not hits or start >= hits[-1] + lengths[index]:
                    hits.append(start)

            self._database.scan(data, on_match)
            return found
        return [find_all(data, word) for word in self.words]

    def any_in(self, data: bytes) -> bool:
        """Whether one of the words is in ``data`` (the scan stops at the first)."""
        if self._database is not None and data:
            return self._database.matches(data)
        return any(word in data for word in self.words)


class Starts:
    """Where the matches of one regular expression start, for a pattern whose every match is short
    and starts with a rare byte (the quick test before a closer look): found by Hyperscan in one pass
    when installed, else by a ``bytes.find`` of that byte and the ``fallback`` regex matched there.

    ``expression`` (Hyperscan syntax, no look-around) and ``fallback`` (Python) must match at the
    same positions.

    >>> import re
    >>> at = Starts(rb"@[a-z]{2}", re.compile(rb"@(?=[a-z]{2})"))
    >>> at.starts(b"x@ab @c @de")
    [1, 8]
    """

    __slots__ = ("_database", "fallback", "first")

    def __init__(self, expression: bytes, fallback: Any, *, accelerated: bool = ACCELERATED) -> None:
        self.first = expression[:1]  # the byte every match starts with
        self.fallback = fallback
        self._database: _Database | None = None
        if accelerated and _hyperscan is not None:
            self._database = _Database([expression], _hyperscan.HS_FLAG_SOM_LEFTMOST)

    def starts(self, data: bytes) -> list[int]:
        """The match starts in ``data``, ascending, each once."""
        if self._database is not None and data:
            found: set[int] = set()  # a start is reported once per match end
            self._database.scan(data, lambda _id, start, _end, _flags, _context: found.add(start))
            return sorted(found)
        match = self.fallback.match
        return [at for at in find_all(data, self.first) if match(data, at) is not None]


class Anywhere:
    """Whether one of a few regular expressions matches somewhere in the bytes, for a test Python
    answers slower its own way (``fallback``): by Hyperscan in one pass that stops at the first match
    when installed, else by ``fallback(data)``. The two must agree on every input.

    >>> ends_in_space = Anywhere((rb" \\z",), lambda data: data.endswith(b" "))
    >>> ends_in_space.any_in(b"a b"), ends_in_space.any_in(b"a b ")
    (False, True)
    """

    __slots__ = ("_database", "fallback")

    def __init__(self, expressions: tuple[bytes, ...], fallback: Any, *, accelerated: bool = ACCELERATED) -> None:
        self.fallback = fallback
        self._database: _Database | None = None
        if accelerated and _hyperscan is not None:
            self._database = _Database(list(expressions), _hyperscan.HS_FLAG_SINGLEMATCH)

    def any_in(self, data: bytes) -> bool:
        """Whether one of the expressions matches somewhere in ``data``."""
        if self._database is not None and data:
            return self._database.matches(data)
        return bool(self.fallback(data))


def find_all(data: bytes, word: bytes) -> list[int]:
    """Where ``word`` starts in ``data``, each hit looked for after the end of the last (``bytes.find``)."""
    hits = []
    at = data.find(word)
    while at >= 0:
        hits.append(at)
        at = data.find(word, at + len(word))
    return hits
