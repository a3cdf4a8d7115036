"""Hashtags, cashtags, mentions and URLs in a tweet's text, by twitter-text's rules, in linear time.

The rules are twitter-text's (its conformance suite is the test); the code is a scanner written for
tweetparse. Where twitter-text's regular expressions would backtrack, this module walks the text once:
host names are split into dot-separated labels and the "longest chain of labels ending in a TLD" is
computed right to left with memoised results, so every character is looked at a bounded number of
times. Offsets are Python ``str`` (code point) indices.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields
from functools import cache
from typing import Any, NamedTuple

from .data.tlds import COUNTRY_TLDS, GENERIC_TLDS

__all__ = ["Cashtag", "Entities", "Hashtag", "Mention", "UrlEntity", "extract_entities"]


# ---------------------------------------------------------------------------------------------------
# Records


@dataclass(frozen=True, slots=True, kw_only=True)
class Hashtag:
    """``#tag`` at ``text[start:end]`` (the span includes the hash sign)."""

    start: int
    end: int
    tag: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "tag": self.tag}


@dataclass(frozen=True, slots=True, kw_only=True)
class Cashtag:
    """``$TICKER`` at ``text[start:end]`` (the span includes the dollar sign)."""

    start: int
    end: int
    tag: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "tag": self.tag}


@dataclass(frozen=True, slots=True, kw_only=True)
class Mention:
    """``@username`` at ``text[start:end]`` (the span includes the at sign)."""

    start: int
    end: int
    username: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "username": self.username}


@dataclass(frozen=True, slots=True, kw_only=True)
class UrlEntity:
    """A link as written at ``text[start:end]``.

    ``display_url`` and ``expanded_url`` are unknown in plain text and stay None unless a caller that
    saw the HTML anchor fills them in (``dataclasses.replace``). ``media`` marks ``pic.twitter.com``
    and ``pic.x.com`` links, which stand for attached photos and videos rather than a web page.
    """

    start: int
    end: int
    url: str
    display_url: str | None = None
    expanded_url: str | None = None
    media: bool = False

    def to_dict(self) -> dict[str, Any]:
        """Twitter API v2 shape; ``display_url``/``expanded_url`` only when known."""
        out: dict[str, Any] = {"start": self.start, "end": self.end, "url": self.url}
        if self.display_url is not None:
            out["display_url"] = self.display_url
        if self.expanded_url is not None:
            out["expanded_url"] = self.expanded_url
        out["media"] = self.media
        return out


Entity = Hashtag | Cashtag | Mention | UrlEntity


@dataclass(frozen=True, slots=True, kw_only=True)
class Entities:
    """Every entity of a text, each kind in text order, none overlapping another."""

    hashtags: tuple[Hashtag, ...] = ()
    cashtags: tuple[Cashtag, ...] = ()
    mentions: tuple[Mention, ...] = ()
    urls: tuple[UrlEntity, ...] = ()

    @property
    def media(self) -> tuple[UrlEntity, ...]:
        """The ``pic.twitter.com`` / ``pic.x.com`` links among ``urls``."""
        return tuple(u for u in self.urls if u.media)

    def to_dict(self) -> dict[str, list[dict[str, Any]]]:
        """Twitter API v2 ``entities`` shape, keys in declaration order.

        >>> extract_entities("#a @b $CD x.com").to_dict()["mentions"]
        [{'start': 3, 'end': 5, 'username': 'b'}]
        """
        return {f.name: [e.to_dict() for e in getattr(self, f.name)] for f in fields(self)}


# ---------------------------------------------------------------------------------------------------
# Character classes (twitter-text's, written out as Python regex class bodies)

# POSIX punctuation, as Java's \p{Punct}: ends host names and counts as a cashtag terminator.
_PUNCT = r"""!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~"""
# twitter-text's list of Unicode spaces (not Python's \s, which differs at the edges).
_SPACES = r"\t-\r \x85\xa0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
# JavaScript's \s, which twitter-text's cashtag lookahead uses.
_JS_SPACE = r"\t-\r \xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_INVALID = r"\ufffe\ufeff\uffff"
_DIRECTIONAL = r"\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# C0 controls and DEL never occur in a host name; twitter-text leaves them implicit.
_CONTROLS = r"\x00-\x08\x0e-\x1f\x7f"
_LATIN_ACCENTS = (
    r"\xc0-\xd6\xd8-\xf6\xf8-\xff\u0100-\u024f\u0253\u0254\u0256\u0257\u0259\u025b\u0263\u0268"
    r"\u026f\u0272\u0289\u028b\u02bb\u0300-\u036f\u1e00-\u1eff"
)
_CYRILLIC = r"\u0400-\u04ff"

# A character of a host-name label ("domain char"): anything but punctuation, space and markers.
_DOMAIN_CHAR = f"[^{_PUNCT}{_SPACES}{_INVALID}{_DIRECTIONAL}{_CONTROLS}]"
# A maximal stretch of domain chars, hyphens, underscores and dots in which a dot is followed by
# something other than a dot: where a TLD could start. Most dotted stretches in tweets end a sentence
# ("today.", "wait..."), and skipping them here spares building their labels. The lookbehind makes
# it start only at the beginning of such a stretch, and the possessive quantifiers never give back,
# so a stretch that fails costs one pass over it and no retries inside it.
_HOST_NO_DOT = f"[^!\"#$%&'()*+,/:;<=>?@\\[\\\\\\]^`{{|}}~.{_SPACES}{_INVALID}{_DIRECTIONAL}{_CONTROLS}]"
_HOST_RUN_CHARS = f"[^!\"#$%&'()*+,/:;<=>?@\\[\\\\\\]^`{{|}}~{_SPACES}{_INVALID}{_DIRECTIONAL}{_CONTROLS}]"
_DOTTED_RUN = re.compile(f"(?<!{_HOST_RUN_CHARS}){_HOST_NO_DOT}*+(?:\\.++{_HOST_NO_DOT}++)++\\.*+")
_IS_DOMAIN_CHAR = re.compile(_DOMAIN_CHAR)
# The same test as a set lookup, for the per-label checks (every excluded character is below U+3001
# except the three "invalid" ones).
_NOT_DOMAIN_CHAR = frozenset(
    c for c in map(chr, [*range(0x3001), 0xFEFF, 0xFFFE, 0xFFFF]) if not _IS_DOMAIN_CHAR.match(c)
)
# Where, inside a host stretch, a URL may start: a domain char not preceded by an ASCII letter or
# digit (twitter-text's "valid preceding character" rule seen from inside a host name).
_INNER_START = re.compile(f"(?<![A-Za-z0-9\uff20\uff03]){_DOMAIN_CHAR}")
# Characters that may not precede a URL.
_BAD_BEFORE_URL = frozenset("@\uff20$#\uff03\ufffe\ufeff\uffff") | frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
)
_ASCII_ALNUM = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
# A scheme-less URL is dropped when the character before it says it is part of something else.
_BAD_BEFORE_BARE_URL = frozenset("-_./")
# After a TLD: an ASCII letter/digit would mean the TLD is only a prefix; @ + - mean an e-mail
# address or a hyphenated word.
_NOT_AFTER_TLD = _ASCII_ALNUM | frozenset("@+-")

_PORT = re.compile(r":[0-9]+")
_PATH_CHAR = f"[a-zA-Z{_CYRILLIC}0-9!*';:=+,.$/%#\\[\\]\\-\u2013_~&|@{_LATIN_ACCENTS}]"
_PATH_END_CHARS = re.compile(f"[+\\-a-zA-Z{_CYRILLIC}0-9=_#/{_LATIN_ACCENTS}]")
# Balanced parentheses, one level of nesting, as in Wikipedia links.
_PARENS = f"\\((?:{_PATH_CHAR}+|{_PATH_CHAR}*\\({_PATH_CHAR}+\\){_PATH_CHAR}*)\\)"
_PATH_RUN = re.compile(f"(?:{_PATH_CHAR}|{_PARENS})*")
_QUERY_RUN = re.compile(r"[a-zA-Z0-9!?*'@();:&=+$/%#\[\]\-_.,~|]*")
_QUERY_END_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_&=#/")
_ASCII_LABEL = re.compile(f"[\\-a-zA-Z0-9{_LATIN_ACCENTS}]+")
_ASCII_ALNUM_RUN = re.compile(r"[A-Za-z0-9]+")
_PUNYCODE_TLD = re.compile(r"[xX][nN]--[\-0-9a-zA-Z]+")
_TCO = re.compile(
    r"[hH][tT][tT][pP][sS]?://[tT]\.[cC][oO]/([a-zA-Z0-9]+)"
    r"(?:\?[a-zA-Z0-9!?*'@();:&=+$/%#\[\]\-_.,~|]*[a-zA-Z0-9\-_&=#/])?"
)
_SCHEME = re.compile(r"[hH][tT][tT][pP][sS]?://")

MAX_URL_LENGTH = 4096  # twitter-text: longer "URLs" are not links (counted in UTF-16 units, with scheme)
MAX_LABEL_LENGTH = 63  # RFC 1035: a host label, after IDNA encoding, is at most 63 octets
MAX_TCO_SLUG_LENGTH = 40  # t.co slugs are short; a longer one is text that happens to follow t.co/
DEFAULT_SCHEME = "https://"  # twitter-text counts a scheme-less URL's length as if it had this one
MEDIA_HOSTS = ("pic.twitter.com/", "pic.x.com/")
# Flattened embed HTML glues the media link to the last word ("FBIpic.twitter.com/x"); these hosts
# are where to cut it off again.
_GLUED_MEDIA = re.compile(r"(?<=[A-Za-z0-9])pic\.(?:twitter|x)\.com\Z", re.IGNORECASE)


def _by_first_char(tlds: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """TLDs grouped by first character, longest first: the first that fits is the longest match."""
    table: dict[str, list[str]] = {}
    for tld in tlds:
        table.setdefault(tld[0], []).append(tld)
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in table.items()}


# Pure ASCII TLDs can be looked up whole (the lookahead forces them to end where the letters do);
# TLDs with non-ASCII letters (IDN ones, and "vermögensberater") need a prefix test.
_TLD_GROUPS = tuple(
    (frozenset(t for t in group if t.isascii()), _by_first_char(t for t in group if not t.isascii()))
    for group in (GENERIC_TLDS, COUNTRY_TLDS)  # twitter-text tries generic before country TLDs
)


def _tld_end(s: str, t: int) -> int | None:
    """End of the TLD starting at ``s[t]``, or None; ``s`` is the whole text or one host name."""
    n = len(s)
    if t >= n:
        return None
    first = s[t].lower()
    ascii_end = t
    if first in _ASCII_ALNUM:
        m = _ASCII_ALNUM_RUN.match(s, t)
        ascii_end = m.end() if m else t
    for ascii_tlds, other_tlds in _TLD_GROUPS:
        for tld in other_tlds.get(first, ()):
            end = t + len(tld)
            if s[t:end].lower() == tld and (end == n or s[end] not in _NOT_AFTER_TLD):
                return end
        if (ascii_end > t and s[t:ascii_end].lower() in ascii_tlds
                and (ascii_end == n or s[ascii_end] not in _NOT_AFTER_TLD)):
            return ascii_end
    if first == "x":
        m = _PUNYCODE_TLD.match(s, t)
        if m and (m.end() == n or s[m.end()] not in "@+"):
            return m.end()
    return None


# ---------------------------------------------------------------------------------------------------
# URLs


class _HostRun:
    """One stretch of host characters containing a dot, split into labels.

    ``chain[j]`` answers "if a host name starts at label ``j``, where does it end?" under
    twitter-text's rule (as many subdomain labels as possible, then a domain label, then a TLD),
    computed once per label from right to left.
    """

    __slots__ = ("_chain", "_last_underscore", "_tld", "dots", "end", "start", "text")

    def __init__(self, text: str, start: int, end: int) -> None:
        self.text = text
        self.start = start
        self.end = end
        dots = []
        i = text.find(".", start, end)
        while i >= 0:
            dots.append(i)
            i = text.find(".", i + 1, end)
        self.dots = dots
        self._chain: dict[int, int | None] = {len(dots): None}  # the label after the last dot has no dot
        self._last_underscore: dict[int, int] = {}
        self._tld: dict[int, int | None] = {}

    def tld_end(self, t: int) -> int | None:
        if t not in self._tld:
            self._tld[t] = _tld_end(self.text, t)
        return self._tld[t]

    def label_start(self, j: int) -> int:
        return self.start if j == 0 else self.dots[j - 1] + 1

    def last_underscore(self, j: int) -> int:
        if j not in self._last_underscore:
            self._last_underscore[j] = self.text.rfind("_", self.label_start(j), self.dots[j])
        return self._last_underscore[j]

    def chain(self, j: int) -> int | None:
        memo = self._chain
        if j in memo:
            return memo[j]
        pending = []
        k = j
        while k not in memo:
            pending.append(k)
            k += 1
        text = self.text
        for k in reversed(pending):  # right to left, so each label is resolved once
            s, e = self.label_start(k), self.dots[k]
            result = None
            if e > s and text[s] not in _NOT_DOMAIN_CHAR and text[e - 1] not in _NOT_DOMAIN_CHAR:
                result = memo[k + 1]  # this label as a subdomain, the rest as the host
                if result is None and self.last_underscore(k) < 0:
                    result = self.tld_end(e + 1)  # this label as the domain, then the TLD
            memo[k] = result
        return memo[j]

    def host_end(self, d: int, j: int) -> int | None:
        """End of a host name starting at ``d`` inside label ``j`` (which must have a dot after it)."""
        text = self.text
        e = self.dots[j]
        if not (d < e and text[d] not in _NOT_DOMAIN_CHAR and text[e - 1] not in _NOT_DOMAIN_CHAR):
            return None
        result = self.chain(j + 1)
        if result is None and self.last_underscore(j) < d:
            result = self.tld_end(e + 1)
        return result


def _utf16_len(s: str) -> int:
    return len(s.encode("utf-16-le", "surrogatepass")) // 2  # a lone surrogate counts one, as a code unit


def _valid_url(url: str, scheme: str, host: str) -> bool:
    """twitter-text's last check: IDNA-encodable labels of 1..63 octets, and not too long overall."""
    if len(url) + len(scheme) > MAX_URL_LENGTH:  # encoding never shortens, so this is already too long
        return False
    extra = 0
    for label in host.split("."):
        if label.isascii():
            size = len(label)
        else:
            if label[:4].lower() == "xn--" or len(label) > MAX_LABEL_LENGTH:
                return False  # an ACE prefix on a Unicode label is malformed (RFC 3490 ToASCII step 5)
            size = 4 + len(label.encode("punycode"))
        if not 1 <= size <= MAX_LABEL_LENGTH:
            return False
        extra += size - len(label)
    return _utf16_len(url) + extra + len(scheme) <= MAX_URL_LENGTH


def _ascii_hosts(host: str) -> list[tuple[int, int]]:
    """Spans of the ASCII (and Latin-accented) host names inside a scheme-less host, left to right."""
    out: list[tuple[int, int]] = []
    memo: dict[int, int | None] = {}

    def after_dot(t: int) -> int | None:
        # At t a label or the TLD starts; prefer more labels, as the greedy (label\.)+ does.
        pending = []
        k = t
        while k not in memo:
            m = _ASCII_LABEL.match(host, k)
            if m is None or m.end() >= len(host) or host[m.end()] != ".":
                memo[k] = _tld_end(host, k)
                break
            pending.append(k)
            k = m.end() + 1
        for k in reversed(pending):
            nxt = _ASCII_LABEL.match(host, k).end() + 1  # type: ignore[union-attr]
            memo[k] = memo[nxt] if memo[nxt] is not None else _tld_end(host, k)
        return memo[t]

    i = 0
    while True:
        m = _ASCII_LABEL.search(host, i)
        if m is None:
            return out
        s, r = m.span()
        end = after_dot(r + 1) if r < len(host) and host[r] == "." else None
        if end is not None:
            out.append((s, end))
            i = end
        else:
            i = r  # any later start inside this label fails the same way


class _UrlScanner:
    """twitter-text's URL pass: leftmost match first, each match consuming its text."""

    def __init__(self, text: str, strict: bool) -> None:
        self.text = text
        self.strict = strict
        self.pos = 0  # everything before this index belongs to an earlier match
        self.out: list[UrlEntity] = []

    def run(self) -> list[UrlEntity]:
        text = self.text
        for m in _DOTTED_RUN.finditer(text):
            if m.end() > self.pos:
                self._scan_run(_HostRun(text, m.start(), m.end()))
        return self.out

    def _may_start(self, u: int, scheme: bool) -> bool:
        """Whether a URL may begin at ``u``: start of text, or after a character allowed before one."""
        if u == 0:
            return self.pos == 0
        before = self.text[u - 1]
        if u - 1 < self.pos:  # that character was part of the previous match
            return scheme and not self.strict and u >= self.pos
        if before not in _BAD_BEFORE_URL:
            return True
        # Not strict: a scheme glued to a word ("FBIhttps://t.co/x", from flattened HTML) still starts a URL.
        return scheme and not self.strict and before in _ASCII_ALNUM

    def _scan_run(self, run: _HostRun) -> None:
        text = self.text
        a = run.start
        scheme = 0
        if a >= 8 and text[a - 8 : a].lower() == "https://":
            scheme = 8
        elif a >= 7 and text[a - 7 : a].lower() == "http://":
            scheme = 7
        if scheme and self._may_start(a - scheme, True):
            end = run.host_end(a, 0) if run.dots else None
            if end is not None:
                self._take(a - scheme, a, end)
        for j in range(len(run.dots)):
            while True:
                e = run.dots[j]
                lo = max(run.label_start(j), self.pos + 1 if self.pos > 0 else 0)
                if lo >= e:
                    break
                u = self._first_start(run, j, lo, e)
                if u is None:
                    break
                end = run.host_end(u, j)
                if end is None:
                    break  # every later start in this label has the same suffix and fails too
                self._take(u, u, end)

    def _first_start(self, run: _HostRun, j: int, lo: int, e: int) -> int | None:
        """First position in ``[lo, e)`` of label ``j`` where a scheme-less URL may start."""
        text = self.text
        if run.chain(j + 1) is None:
            # Only "this label is the domain" can work, which needs no underscore after the start.
            lo = max(lo, run.last_underscore(j) + 1)
        if lo >= e:
            return None
        if lo == run.start:
            if text[lo] not in _NOT_DOMAIN_CHAR and self._may_start(lo, False):
                if lo == 0 and self._text_start_consumed(run, j):
                    return 1
                return lo
            lo += 1
        m = _INNER_START.search(text, lo, e)  # lo > self.pos, so the character before is free
        return m.start() if m else None

    def _text_start_consumed(self, run: _HostRun, j: int) -> bool:
        """twitter-text tries "character before the URL" before "start of text": at index 0 a
        non-ASCII first character is taken as the preceding one when a URL can start at index 1."""
        text = self.text
        if len(text) < 2 or text[0] in _BAD_BEFORE_URL or run.dots[j] <= 1:
            return False
        return run.host_end(1, j) is not None

    def _take(self, u: int, d: int, host_end: int) -> None:
        """Record the match starting at ``u`` (host at ``d:host_end``), consuming it either way."""
        text = self.text
        n = len(text)
        i = host_end
        m = _PORT.match(text, i)
        if m:
            i = m.end()
        has_path = i < n and text[i] == "/"
        if has_path:
            i = self._path_end(i)
        if i < n and text[i] == "?":
            i = self._query_end(i)
        self.pos = i
        url = text[u:i]
        host = text[d:host_end]
        scheme = text[u:d]
        if not _valid_url(url, scheme or DEFAULT_SCHEME, host):
            return
        if scheme:
            tco = _TCO.match(url)
            if tco:
                if len(tco.group(1)) > MAX_TCO_SLUG_LENGTH:
                    return
                url = tco.group(0)  # a t.co link ends with its slug (and query): "t.co/abc's" is "t.co/abc"
            self.out.append(_url_entity(u, u + len(url), url))
            return
        if u > 0 and text[u - 1] in _BAD_BEFORE_BARE_URL:
            return
        spans = _ascii_hosts(host)
        if not spans:
            return
        for k, (s, e) in enumerate(spans):
            start, end, found = d + s, d + e, host[s:e]
            if k == len(spans) - 1 and has_path:
                found, end = found + text[host_end:i], i  # the path belongs to the last host name
            if not self.strict and has_path:  # a media link always has a path: "epic.x.com" stays whole
                glued = _GLUED_MEDIA.search(host, s, e) if k == len(spans) - 1 else None
                if glued and glued.start() > s:
                    cut = glued.start() - s
                    start, found = start + cut, found[cut:]
            self.out.append(_url_entity(start, end, found))

    def _path_end(self, i: int) -> int:
        """End of the path starting with the slash at ``i``: up to its last allowed final character."""
        text = self.text
        region_end = _PATH_RUN.match(text, i + 1).end()  # type: ignore[union-attr]
        k = region_end
        while k > i + 1 and text[k - 1] != ")" and not _PATH_END_CHARS.match(text[k - 1]):
            k -= 1
        return k

    def _query_end(self, i: int) -> int:
        """End of the query starting with the ``?`` at ``i``, or ``i`` when it has no valid ending."""
        text = self.text
        k = _QUERY_RUN.match(text, i + 1).end()  # type: ignore[union-attr]
        while k > i + 1 and text[k - 1] not in _QUERY_END_CHARS:
            k -= 1
        return k if k > i + 1 else i


def _url_entity(start: int, end: int, url: str) -> UrlEntity:
    bare = _SCHEME.sub("", url, count=1).lower() if _SCHEME.match(url) else url.lower()
    return UrlEntity(start=start, end=end, url=url, media=bare.startswith(MEDIA_HOSTS))


# ---------------------------------------------------------------------------------------------------
# Hashtags, mentions, cashtags

_HASHTAG_SPECIALS = "_\u200c\u200d\ua67e\u05be\u05f3\u05f4\uff5e\u301c\u309b\u309c\u30a0\u30fb\u3003\u0f0b\u0f0c\u00b7"
# Planes 0-3 and the variation-selector block of plane 14 hold every letter, mark and digit
# (planes 4-13 are unassigned, 15-16 private use); scanning only them keeps the one-off table build short.
_SCANNED_CODE_POINTS = (range(0x40000), range(0xE0000, 0xE1000))


def _extend(ranges: list[tuple[int, int]], cp: int) -> None:
    if ranges and ranges[-1][1] == cp - 1:
        ranges[-1] = (ranges[-1][0], cp)
    else:
        ranges.append((cp, cp))


class _HashtagPatterns(NamedTuple):
    tag: re.Pattern[str]  # a hash sign and the run of hashtag characters after it
    letter: re.Pattern[str]  # a letter or mark: a tag needs one
    astral_word: re.Pattern[str]  # a hashtag character outside the BMP (checked before a hash sign)


def _class(ranges: Sequence[tuple[int, int]], extra: str = "") -> str:
    """A regex alternation matching the code point ranges, fast on the BMP.

    Python's re tests a BMP-only class with a bitmap but scans a class with astral ranges range by
    range, so the astral half is split off behind a one-range guard.
    """

    def body(part: Iterable[tuple[int, int]]) -> str:
        return "".join(re.escape(chr(lo)) + ("-" + re.escape(chr(hi)) if hi > lo else "") for lo, hi in part)

    bmp = [(lo, min(hi, 0xFFFF)) for lo, hi in ranges if lo <= 0xFFFF]
    astral = [(max(lo, 0x10000), hi) for lo, hi in ranges if hi > 0xFFFF]
    return f"(?:[{body(bmp)}{extra}]|(?=[\U00010000-\U0010ffff])[{body(astral)}])"


def _bmp_class(ranges: Sequence[tuple[int, int]]) -> str:
    return "".join(
        re.escape(chr(lo)) + ("-" + re.escape(chr(min(hi, 0xFFFF))) if min(hi, 0xFFFF) > lo else "")
        for lo, hi in ranges
        if lo <= 0xFFFF
    )


class _UnicodeRanges(NamedTuple):
    """Code point ranges by general category, read once from the Unicode tables (about 0.1 s)."""

    letters_marks: list[tuple[int, int]]  # L* and M*
    word: list[tuple[int, int]]  # L*, M* and Nd: twitter-text's hashtag characters
    connectors: list[int]  # Pc, which Ruby's [[:word:]] adds (ten code points)


@cache
def _unicode_ranges() -> _UnicodeRanges:
    """The ranges every network's hashtag rules are built from, in one scan of the tables."""
    letter: list[tuple[int, int]] = []
    word: list[tuple[int, int]] = []
    connectors: list[int] = []
    for block in _SCANNED_CODE_POINTS:
        for cp in block:
            category = unicodedata.category(chr(cp))
            if category[0] in "LM":
                _extend(letter, cp)
                _extend(word, cp)
            elif category == "Nd":
                _extend(word, cp)
            elif category == "Pc":
                connectors.append(cp)
    return _UnicodeRanges(letter, word, connectors)


@cache
def _hashtag_patterns() -> _HashtagPatterns:
    """The hashtag regexes, built on first use from the Unicode tables."""
    ranges = _unicode_ranges()
    word, letter = ranges.word, ranges.letters_marks
    specials = re.escape(_HASHTAG_SPECIALS)
    # A hash sign starts a hashtag at the start of text, after FE0E/FE0F (emoji presentation
    # selectors, so "✌️#tag" works) or after anything that is neither "&" (HTML entities) nor a
    # hashtag character; it may not be a keycap (#️⃣). The tag is the whole run of hashtag characters.
    # An astral hashtag character before the hash is ruled out by the caller (see _HashtagPatterns).
    tag = re.compile(
        f"(?:(?<=[\ufe0e\ufe0f])|(?<![&{_bmp_class(word)}{specials}]))[#\uff03](?![\ufe0f\u20e3])"
        f"({_class(word, specials)}+)"
    )
    return _HashtagPatterns(tag, re.compile(_class(letter)), re.compile(_class(word)))


_MENTION = re.compile(
    # Not after letters, digits or !#$%&*@ (e-mail addresses, "f!@k"), except after "RT" ("RT@user").
    r"(?:(?<![A-Za-z0-9_!#$%&*@\uff20])|(?<=(?<![A-Za-z0-9_+~.\-])[Rr][Tt]))"
    r"[@\uff20]([A-Za-z0-9_]{1,20})(/[A-Za-z][A-Za-z0-9_\-]{0,24})?"
)
_MENTION_BAD_NEXT = re.compile(f"[@\uff20{_LATIN_ACCENTS}]|://")
_CASHTAG = re.compile(
    f"(?:^|(?<=[{_SPACES}]))\\$([A-Za-z]{{1,6}}(?:[._][A-Za-z]{{1,2}})?)(?=\\Z|[{_JS_SPACE}]|[{_PUNCT}])"
)


def _hashtags(text: str) -> list[Hashtag]:
    if "#" not in text and "\uff03" not in text:
        return []
    patterns = _hashtag_patterns()
    out = []
    last_end = -1
    for m in patterns.tag.finditer(text):
        tag = m.group(1)
        start, end = m.start(), m.end()
        if start > 0 and ord(text[start - 1]) > 0xFFFF and patterns.astral_word.match(text[start - 1]):
            continue  # "𠀡#tag": glued to an astral letter (the regex's lookbehind covers the BMP only)
        if not patterns.letter.search(tag):
            continue  # "#123": no match at all for twitter-text, so nothing consumed
        consumed = start == last_end and start > 0  # the character before was part of the last match
        last_end = end
        if consumed or text.startswith(("#", "\uff03", "://"), end):
            continue  # "#a#b" and "#http://" are not hashtags
        out.append(Hashtag(start=start, end=end, tag=tag))
    return out


def _mentions(text: str) -> list[Mention]:
    if "@" not in text and "\uff20" not in text:
        return []
    out = []
    last_end = -1
    for m in _MENTION.finditer(text):
        start, end = m.start(), m.end()
        consumed = start == last_end and start > 0
        last_end = end
        if consumed or _MENTION_BAD_NEXT.match(text, end) or m.group(2):
            continue  # "@a@b", "@aliceìn", "@http://", and "@user/list" (a list, not a mention)
        out.append(Mention(start=start, end=end, username=m.group(1)))
    return out


def _cashtags(text: str) -> list[Cashtag]:
    if "$" not in text:
        return []
    return [Cashtag(start=m.start(), end=m.end(), tag=m.group(1)) for m in _CASHTAG.finditer(text)]


def _without_overlaps(entities: list[Entity]) -> list[Entity]:
    """Keep, in text order, each entity that starts after the previous kept one ends."""
    kept: list[Entity] = []
    for e in sorted(entities, key=lambda e: e.start):  # stable: URLs win ties, as in twitter-text
        if not kept or e.start >= kept[-1].end:
            kept.append(e)
    return kept


def extract_entities(text: str, *, strict: bool = False, platform: str = "twitter") -> Entities:
    """Hashtags, cashtags, mentions and URLs of a post's text, by the rules of the post's platform.

    For ``platform="twitter"`` (the default) the rules are twitter-text's. ``strict=False`` (the default)
    also finds a URL whose scheme is glued to the word before it, ``"FBIhttps://t.co/x"`` and
    ``"FBIpic.twitter.com/x"``, as flattened embed HTML produces; ``strict=True`` is exactly twitter-text,
    which skips those. Other platforms follow their own rules (``docs/platforms.md``: Bluesky's facets,
    Mastodon's extractor, the Instagram, Threads and TikTok apps); ``strict`` does not apply to them.
    An unknown platform raises ``ValueError``.

    >>> e = extract_entities("RT @nasa: #Artemis launch $BA https://t.co/abc pic.twitter.com/xyz")
    >>> [m.username for m in e.mentions], [h.tag for h in e.hashtags], [c.tag for c in e.cashtags]
    (['nasa'], ['Artemis'], ['BA'])
    >>> [(u.url, u.media) for u in e.urls]
    [('https://t.co/abc', False), ('pic.twitter.com/xyz', True)]
    """
    if platform != "twitter":
        rules = _PLATFORM_RULES.get(platform)
        if rules is None:
            raise ValueError(f"no entity rules for platform {platform!r}; known: twitter, {', '.join(_PLATFORM_RULES)}")
        return _entities(_without_overlaps(rules(text)))
    urls: list[UrlEntity] = _UrlScanner(text, strict).run() if "." in text else []
    found: list[Entity] = [*urls, *_hashtags(text), *_mentions(text), *_cashtags(text)]
    return _entities(_without_overlaps(found))


def _entities(kept: list[Entity]) -> Entities:
    return Entities(
        hashtags=tuple(e for e in kept if isinstance(e, Hashtag)),
        cashtags=tuple(e for e in kept if isinstance(e, Cashtag)),
        mentions=tuple(e for e in kept if isinstance(e, Mention)),
        urls=tuple(e for e in kept if isinstance(e, UrlEntity)),
    )


# ---------------------------------------------------------------------------------------------------
# Other networks, where their rules differ from twitter-text (sources in docs/platforms.md)


@cache
def _ruby_classes() -> tuple[str, str]:
    """Regex alternations for Ruby's ``[[:word:]]`` (letters, marks, decimal digits, connector
    punctuation) and ``[[:alpha:]]`` (letters and marks), as Mastodon's patterns use them."""
    ranges = _unicode_ranges()
    ruby_word: list[tuple[int, int]] = []
    for lo, hi in sorted([*ranges.word, *((cp, cp) for cp in ranges.connectors)]):
        if ruby_word and lo <= ruby_word[-1][1] + 1:
            ruby_word[-1] = (ruby_word[-1][0], max(hi, ruby_word[-1][1]))
        else:
            ruby_word.append((lo, hi))
    return _class(ruby_word), _class(ranges.letters_marks)


@cache
def _ruby_word() -> re.Pattern[str]:
    return re.compile(_ruby_classes()[0])


@cache
def _ruby_alpha() -> re.Pattern[str]:
    return re.compile(_ruby_classes()[1])


# Mastodon: Tag::HASHTAG_RE's separators may sit inside a tag but not start or end it.
_MASTODON_TAG_SEPARATORS = frozenset("_\u00b7\u30fb\u200c")
_HASH_AFTER_SPACE = re.compile(r"(?:^|(?<=\s))[#\uff03]")
_HTTP_TAILS = ("https", "http")  # "#tagshttps://…": the scheme glued to a tag is not part of it


def _mastodon_hashtags(text: str) -> list[Hashtag]:
    """Tag::HASHTAG_RE: "#" at the start or after a space, then either word characters with a letter
    or separator inside and a word character at both ends, or a run of word characters with a letter."""
    if "#" not in text and "\uff03" not in text:
        return []
    out = []
    word, alpha = _ruby_word(), _ruby_alpha()
    for m in _HASH_AFTER_SPACE.finditer(text):
        i = m.end()
        j = i
        last_word = -1  # the last word character of the run of word and separator characters
        has_inner = False  # a letter or separator strictly inside, before last_word
        inner_seen = False
        while j < len(text) and (word.match(text, j) or text[j] in _MASTODON_TAG_SEPARATORS):
            if j > i and word.match(text, j):
                has_inner = has_inner or inner_seen
                last_word = j
            if j > i and (alpha.match(text, j) or text[j] in _MASTODON_TAG_SEPARATORS):
                inner_seen = True
            j += 1
        end = None
        if word.match(text, i) and last_word >= i + 2 and has_inner:
            end = last_word + 1
        else:
            k = i
            while k < len(text) and word.match(text, k):
                k += 1
            if k > i and alpha.search(text, i, k):
                end = k
        if end is None:
            continue
        tag = text[i:end]
        if text.startswith("://", end):
            scheme = next((t for t in _HTTP_TAILS if tag.endswith(t) and len(tag) > len(t)), "")
            tag = tag[: len(tag) - len(scheme)]
            end = i + len(tag)
        out.append(Hashtag(start=m.start(), end=end, tag=tag))
    return out


@cache
def _mastodon_mention() -> re.Pattern[str]:
    # Account::MENTION_RE: a username ([a-z0-9_] runs joined by "." or "-"), then "@" and a domain of
    # word-character runs joined by "." or "-"; not after "=", "/" or a word character.
    w = _ruby_classes()[0]
    return re.compile(
        f"(?<![=/])(?<!{w})@([A-Za-z0-9_]++(?:[.-]++[A-Za-z0-9_]++)*+(?:@{w}++(?:[.-]++{w}++)*+)?)"
    )


def _mastodon_rules(text: str) -> list[Entity]:
    found: list[Entity] = []
    if "." in text:  # twitter-text's URLs, but only with a scheme (extract_url_without_protocol: false)
        found += [u for u in _UrlScanner(text, True).run() if _SCHEME.match(u.url)]
    found += _mastodon_hashtags(text)
    if "@" in text:
        for m in _mastodon_mention().finditer(text):
            if not _MENTION_BAD_NEXT.match(text, m.end()):  # twitter-text's end_mention_match
                found.append(Mention(start=m.start(), end=m.end(), username=m.group(1)))
    return found


# Bluesky (atproto packages/api rich-text detection.ts and util.ts).
_BSKY_MENTION = re.compile(r"(?:^|(?<=[\s(]))@([a-zA-Z0-9.-]++)")
_BSKY_LINK = re.compile(
    r"(?:^|(?<=[\s(]))(?:https?://\S++|(?P<domain>[a-z][a-z0-9]*+(?:\.[a-z0-9]++)++)\S*+)", re.IGNORECASE | re.MULTILINE
)
_BSKY_TAG_STOP = frozenset("\u00ad\u2060\u200a\u200b\u200c\u200d\u20e2")  # zero-width characters end a tag
_BSKY_MAX_TAG = 64  # UTF-16 units, without the "#"
_ASCII_WORD = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")  # JavaScript's \w
_ALL_TLDS = GENERIC_TLDS | COUNTRY_TLDS


def _bsky_domain(name: str) -> bool:
    """isValidDomain: ends in "." and a TLD (case as written; the TLD list is lower case)."""
    head, dot, tld = name.rpartition(".")
    return bool(head and dot) and tld in _ALL_TLDS


def _is_punctuation(char: str) -> bool:
    return unicodedata.category(char)[0] == "P"


def _bsky_rules(text: str) -> list[Entity]:
    found: list[Entity] = []
    for m in _BSKY_MENTION.finditer(text):
        handle = m.group(1)
        # The pattern's closing \b: give back characters until a word character meets a non-word one.
        following = text[m.end()] if m.end() < len(text) else ""
        while handle and (handle[-1] in _ASCII_WORD) == (following in _ASCII_WORD and following != ""):
            following, handle = handle[-1], handle[:-1]
        if handle and (_bsky_domain(handle) or handle.endswith(".test")):
            found.append(Mention(start=m.start(), end=m.start() + 1 + len(handle), username=handle))
    for m in _BSKY_LINK.finditer(text):
        # As detection.ts does, a match starting with "http" counts as having a scheme ("httpbin.org" too).
        if not m.group(0).startswith("http") and not _bsky_domain(m.group("domain")):
            continue
        start, end = m.span()
        if text[end - 1] in ".,;:!?":
            end -= 1
        if text[end - 1] == ")" and "(" not in text[start:end]:
            end -= 1
        found.append(UrlEntity(start=start, end=end, url=text[start:end]))
    for m in _HASH_AFTER_SPACE.finditer(text):
        i = j = m.end()
        if text.startswith("\ufe0f", i):
            continue
        while j < len(text) and not text[j].isspace() and text[j] not in _BSKY_TAG_STOP:
            j += 1
        run = text[i:j]
        if not any(not ("0" <= c <= "9" or _is_punctuation(c)) for c in run):
            continue  # only digits and punctuation: not a tag
        tag = run.rstrip("".join(c for c in set(run) if _is_punctuation(c)))
        if tag and _utf16_len(tag) <= _BSKY_MAX_TAG:
            found.append(Hashtag(start=m.start(), end=i + len(tag), tag=tag))
    return found


# Instagram, Threads and TikTok usernames: letters, digits, "_" and "." (not first, not last, not twice
# running), at most 30 characters.
_APP_MENTION = re.compile(r"(?<![A-Za-z0-9_.@])@([A-Za-z0-9_.]++)")
_APP_MAX_USERNAME = 30
_APP_HASH = re.compile(r"(?<![&#\uff03])[#\uff03]")


def _app_hashtags(text: str) -> list[Hashtag]:
    """A hash sign not glued to a word, then a run of word characters with at least one letter."""
    if "#" not in text and "\uff03" not in text:
        return []
    out = []
    word, alpha = _ruby_word(), _ruby_alpha()
    for m in _APP_HASH.finditer(text):
        if m.start() > 0 and word.match(text, m.start() - 1):
            continue
        i = j = m.end()
        while j < len(text) and word.match(text, j):
            j += 1
        if j > i and alpha.search(text, i, j):
            out.append(Hashtag(start=m.start(), end=j, tag=text[i:j]))
    return out


def _app_mentions(text: str) -> list[Mention]:
    out = []
    for m in _APP_MENTION.finditer(text):
        name = m.group(1).rstrip(".")
        if name and len(name) <= _APP_MAX_USERNAME and not name.startswith(".") and ".." not in name:
            out.append(Mention(start=m.start(), end=m.start() + 1 + len(name), username=name))
    return out


def _caption_rules(text: str) -> list[Entity]:
    """Instagram and TikTok captions: mentions and hashtags are links, URLs are not."""
    found: list[Entity] = [*_app_hashtags(text), *_app_mentions(text)]
    return found


def _threads_rules(text: str) -> list[Entity]:
    found: list[Entity] = [*_UrlScanner(text, True).run()] if "." in text else []
    return [*found, *_app_hashtags(text), *_app_mentions(text)]


def _facebook_rules(text: str) -> list[Entity]:
    """Facebook links URLs and hashtags; its mentions are display names, not @-handles."""
    found: list[Entity] = [*_UrlScanner(text, True).run()] if "." in text else []
    return [*found, *_app_hashtags(text)]


_REDDIT_MENTION = re.compile(r"(?<![A-Za-z0-9_/-])/?u/([A-Za-z0-9_-]{3,20})(?![A-Za-z0-9_-])")


def _reddit_rules(text: str) -> list[Entity]:
    """Reddit links URLs and "u/name" (usernames of 3 to 20 letters, digits, "_" and "-"); no hashtags."""
    found: list[Entity] = [*_UrlScanner(text, True).run()] if "." in text else []
    return [*found, *(Mention(start=m.start(), end=m.end(), username=m.group(1)) for m in _REDDIT_MENTION.finditer(text))]


_PLATFORM_RULES: dict[str, Callable[[str], list[Entity]]] = {
    "bluesky": _bsky_rules,
    "mastodon": _mastodon_rules,
    "truthsocial": _mastodon_rules,  # a Mastodon fork
    "threads": _threads_rules,
    "instagram": _caption_rules,
    "tiktok": _caption_rules,
    "facebook": _facebook_rules,
    "reddit": _reddit_rules,
}
