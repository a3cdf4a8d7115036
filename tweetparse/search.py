"""The needles of the extractor registry, looked for in a page's bytes in one search: which are there (how often).

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

__all__ = ["ACCELERATED", "Anywhere", "Needle", "NeedleSearch", "literal", "within"]

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

    def __init__(self, expressions: list[bytes], flags: list[int] | None = None, *, cache: bool = False) -> None:
        # By default each expression is reported once, whatever its case: a search asks only whether it is there.
        if flags is None:
            flags = [_hyperscan.HS_FLAG_CASELESS | _hyperscan.HS_FLAG_SINGLEMATCH] * len(expressions)
        self.database = _cached_database(expressions, flags) if cache else _compile(expressions, flags)
        self._local = threading.local()

    def scan(self, data: bytes, on_match: Any) -> None:
        scratch = getattr(self._local, "scratch", None)
        if scratch is None:
            scratch = self._local.scratch = _hyperscan.Scratch(self.database)
        self.database.scan(data, match_event_handler=on_match, scratch=scratch)

    def found(self, data: bytes, needles: tuple[Needle, ...]) -> dict[Needle, int]:
        """Which of ``needles`` (the database's expressions, in order) ``data`` holds, with their matches."""
        counts = [0] * len(needles)

        def on_match(index: int, *_: Any) -> None:
            counts[index] += 1

        self.scan(data, on_match)
        return {needle: count for needle, count in zip(needles, counts) if count}

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
    Python's ``re`` read alike, matched case-insensitively (write it in lower case). ``anchor``: a literal
    every match holds, rare in pages that lack the needle (by default the pattern's leading literal: see
    ``stem``). A ``counted`` needle's matches are counted (where they end); of the others, only whether
    the page holds one, which lets the search stop looking for them at the first."""

    pattern: bytes
    anchor: bytes = b""
    counted: bool = False

    @property
    def stem(self) -> bytes:
        """The literal the search looks for first: the anchor, else the pattern's leading run of plain (or
        escaped) characters, without a last one that a quantifier makes optional."""
        if self.anchor:
            return self.anchor.lower()
        stem = bytearray()
        pattern, at = self.pattern, 0
        while at < len(pattern):
            m = _LITERAL_CHAR.match(pattern, at)
            if m is None or pattern[m.end():m.end() + 1] in (b"?", b"*", b"{"):
                break
            hex_digits, escaped, plain = m.groups()
            stem.append(int(hex_digits, 16) if hex_digits else (escaped or plain)[0])
            at = m.end()
        return bytes(stem).lower()


# One character of a pattern's literal run: "\xHH", an escaped symbol ("\.", "\["), or a plain character.
_LITERAL_CHAR = re.compile(rb"\\x([0-9a-fA-F]{2})|\\([^0-9A-Za-z])|([^\\\[\](){}?*+|.^$])")


def literal(word: bytes) -> Needle:
    """A needle that is a fixed word."""
    return Needle(re.escape(word))


def within(anchor: bytes, pattern: bytes, *, counted: bool = False) -> Needle:
    """A needle whose every match holds ``anchor``, a literal rarer than the pattern's own start."""
    if anchor.lower() not in pattern.lower().replace(b"\\", b""):
        raise ValueError(f"{anchor!r} is not written in {pattern!r}")
    return Needle(pattern, anchor, counted)


# Page bytes whose needles' stems are this few are searched one stem's needles at a time (a small database
# scans as fast as memory reads); with more, all needles together in one pass.
SEPARATE_STEMS = 3


class NeedleSearch:
    """Many needles looked for together: first their stems, in one pass, then only the needles of the stems
    found (most pages hold none but the "@" of an author, and never pay for the rest).

    >>> needles = NeedleSearch([literal(b"tweet"), Needle(rb"x\\.com/[a-z]", counted=True)])
    >>> sorted((needle.pattern, count) for needle, count in needles.hits(b"A Tweet, https://X.com/a x.com/b").items())
    [(b'tweet', 1), (b'x\\.com/[a-z]', 2)]
    """

    __slots__ = ("_all", "_by_stem", "_patterns", "_stems", "needles", "stems")

    def __init__(self, needles: Iterable[Needle], *, accelerated: bool = ACCELERATED) -> None:
        self.needles = tuple(dict.fromkeys(needles))
        if not all(needle.stem for needle in self.needles):
            raise ValueError("every needle must start with a literal, or name its anchor")
        self.stems = tuple(dict.fromkeys(needle.stem for needle in self.needles))
        self._patterns = {needle: re.compile(needle.pattern) for needle in self.needles}
        self._stems: _Database | None = None
        self._all: _Database | None = None
        self._by_stem: dict[int, tuple[_Database, tuple[Needle, ...]]] = {}
        if accelerated and _hyperscan is not None and self.needles:
            self._stems = _Database([re.escape(stem) for stem in self.stems], cache=True)
            self._all = _needle_database(self.needles)
            for index, stem in enumerate(self.stems):
                group = tuple(needle for needle in self.needles if needle.stem == stem)
                self._by_stem[index] = (_needle_database(group), group)

    def hits(self, data: bytes) -> dict[Needle, int]:
        """The needles ``data`` holds, each with its number of matches (1 for one not counted). A counted
        needle's matches are counted where they end (Hyperscan) or as ``re.finditer`` finds them: the two
        may differ on overlapping matches, never on whether there is one."""
        if not data:
            return {}
        if self._stems is None:
            return self._plain_hits(data)
        present: list[int] = []

        def on_stem(index: int, *_: Any) -> bool:
            present.append(index)
            return len(present) > SEPARATE_STEMS  # true: enough to search for all needles, stop here

        try:
            self._stems.scan(data, on_stem)
        except _hyperscan.ScanTerminated:
            pass
        if len(present) > SEPARATE_STEMS:
            assert self._all is not None
            return self._all.found(data, self.needles)
        found: dict[Needle, int] = {}
        for index in present:
            database, group = self._by_stem[index]
            found.update(database.found(data, group))
        return found

    def _plain_hits(self, data: bytes) -> dict[Needle, int]:
        lowered = data.lower()
        stems = {stem for stem in self.stems if stem in lowered}
        found: dict[Needle, int] = {}
        for needle, pattern in self._patterns.items():
            if needle.stem in stems:
                count = (sum(1 for _ in pattern.finditer(lowered)) if needle.counted
                         else int(pattern.search(lowered) is not None))
                if count:
                    found[needle] = count
        return found


def _needle_database(needles: tuple[Needle, ...]) -> _Database:
    flags = [_hyperscan.HS_FLAG_CASELESS | (0 if needle.counted else _hyperscan.HS_FLAG_SINGLEMATCH)
             for needle in needles]
    return _Database([needle.pattern for needle in needles], flags, cache=True)


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
