"""The needles of the extractor registry, looked for in a page's bytes in one search: which are there, how often.

An extractor names the byte patterns its markup always shows (its needles); a page that holds none of any
extractor's needles is answered without a parse, and an extractor none of whose needles a page holds is not
run. With the ``speed`` extra installed, Hyperscan's vectorised automata look for all of them in one pass over
the bytes as they are (caseless); without it, Python's ``re`` searches the lower-cased bytes for each. Both give
the same answers (``Anywhere`` does the same for a yes/no test Python answers its own way).
"""
from __future__ import annotations

import hashlib
import os
import re
import tempfile
import threading
from collections.abc import Iterable
from typing import Any, NamedTuple

__all__ = ["ACCELERATED", "Anywhere", "Needle", "NeedleSearch"]

_hyperscan: Any = None
# TWEETPARSE_NO_HYPERSCAN=1 leaves Hyperscan unused though installed (to compare, or to rule it out).
if os.environ.get("TWEETPARSE_NO_HYPERSCAN", "") in ("", "0"):
    try:  # the ``speed`` extra
        import hyperscan as _hyperscan
    except ImportError:  # pragma: no cover - exercised by the tests through accelerated=False
        _hyperscan = None


class _Database:
    """A compiled Hyperscan database and its scratch space, one per thread (a scan writes to it)."""

    __slots__ = ("_local", "database")

    def __init__(self, expressions: list[bytes], flags: list[int], *, cache: bool = False) -> None:
        self.database = _cached_database(expressions, flags) if cache else _compile(expressions, flags)
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


def _compile(expressions: list[bytes], flags: list[int]) -> Any:
    database = _hyperscan.Database(mode=_hyperscan.HS_MODE_BLOCK)
    database.compile(expressions=expressions, ids=list(range(len(expressions))), elements=len(expressions),
                     flags=flags)
    return database


def _cached_database(expressions: list[bytes], flags: list[int]) -> Any:
    """The database of ``expressions``, compiled once per machine: compiling the registry's needles takes a
    good part of a second, loading them a millisecond. Kept in the user's cache folder under a name made
    of everything the database depends on; where that folder cannot be written, compiled each time."""
    key = hashlib.sha256(repr((_hyperscan.__version__, expressions, flags)).encode()).hexdigest()[:32]
    folder = os.environ.get("TWEETPARSE_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "tweetparse")
    path = os.path.join(folder, f"needles-{key}.hsdb")
    try:
        with open(path, "rb") as f:
            return _hyperscan.loadb(f.read(), _hyperscan.HS_MODE_BLOCK)
    except (OSError, _hyperscan.error):
        pass
    database = _compile(expressions, flags)
    try:
        os.makedirs(folder, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, delete=False) as temporary:  # renamed into place: never half-written
            temporary.write(_hyperscan.dumpb(database))
        os.replace(temporary.name, path)
    except OSError:
        pass
    return database


def _runs_here() -> bool:
    """Whether Hyperscan compiles and scans on this CPU (it needs SSSE3, and says so by raising)."""
    try:
        return _Database([b"x"], [0]).matches(b"x")
    except _hyperscan.error:
        return False


ACCELERATED = _hyperscan is not None and _runs_here()


class Needle(NamedTuple):
    """A byte pattern an extractor's markup always shows: a regular expression in the syntax Hyperscan and
    Python's ``re`` read alike, matched case-insensitively (write it in lower case). A ``counted`` needle's
    matches are counted; of the others, only whether the page holds one. A pattern should start with a
    literal, which a search without Hyperscan skips to."""

    pattern: bytes
    counted: bool = False


def literal(word: bytes, *, counted: bool = False) -> Needle:
    """A needle that is a fixed word."""
    return Needle(re.escape(word), counted)


class NeedleSearch:
    """Many needles looked for together.

    >>> words = NeedleSearch([literal(b"tweet"), Needle(rb"x\\.com/[a-z]", counted=True)])
    >>> words.hits(b"A Tweet, https://x.com/a and https://X.com/b")
    {Needle(pattern=b'tweet', counted=False): 1, Needle(pattern=b'x\\.com/[a-z]', counted=True): 2}
    """

    __slots__ = ("_database", "_patterns", "needles")

    def __init__(self, needles: Iterable[Needle], *, accelerated: bool = ACCELERATED) -> None:
        self.needles = tuple(dict.fromkeys(needles))
        self._patterns = [re.compile(needle.pattern) for needle in self.needles]
        self._database: _Database | None = None
        if accelerated and _hyperscan is not None and self.needles:
            caseless = _hyperscan.HS_FLAG_CASELESS
            flags = [caseless if n.counted else caseless | _hyperscan.HS_FLAG_SINGLEMATCH for n in self.needles]
            self._database = _Database([n.pattern for n in self.needles], flags, cache=True)

    def hits(self, data: bytes) -> dict[Needle, int]:
        """The needles ``data`` holds, each with its number of matches (1 for one not counted). A counted
        needle's matches are counted where they end (Hyperscan) or as ``re.finditer`` finds them: the two
        may differ on overlapping matches, never on whether there is one."""
        if not data:
            return {}
        if self._database is not None:
            counts = [0] * len(self.needles)

            def on_match(index: int, _start: int, _end: int, _flags: int, _context: Any) -> None:
                counts[index] += 1

            self._database.scan(data, on_match)
            return {needle: count for needle, count in zip(self.needles, counts) if count}
        lowered = data.lower()
        found: dict[Needle, int] = {}
        for needle, pattern in zip(self.needles, self._patterns):
            if needle.counted:
                count = sum(1 for _ in pattern.finditer(lowered))
            else:
                count = 1 if pattern.search(lowered) is not None else 0
            if count:
                found[needle] = count
        return found


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
            self._database = _Database(list(expressions), [_hyperscan.HS_FLAG_SINGLEMATCH] * len(expressions))

    def any_in(self, data: bytes) -> bool:
        """Whether one of the expressions matches somewhere in ``data``."""
        if self._database is not None and data:
            return self._database.matches(data)
        return bool(self.fallback(data))
