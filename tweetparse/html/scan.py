"""One search of a page's bytes for a few stem words: which embed shapes its raw markup can hold.

Every HTML extractor's markup names Twitter, a tweet or a blockquote in a few fixed places (a class, an
attribute name, a status URL, an escaped opener in script data). Looking for each of those needles
on its own is a full pass over a page of a few hundred kB, and a page lacks most of them; instead
the lower-cased page is searched for the stems every needle shares (``twitter``, ``tweet``, ``x.com/``,
``blockquote``: one pass with Hyperscan, see ``search.py``; and the ``@`` of author shapes) and each
hit is judged from the few bytes around it (the same pass finds the rare attributes some judgements
look for, so that a hit with none of them in reach is not read around). Judgements
err towards running an extractor: a wrong "maybe" costs a tree walk, a wrong "no" a tweet.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from itertools import chain
from typing import NamedTuple

from ..search import Starts, Words, find_all

__all__ = [
    "AUTHOR_SHAPE_ENCODINGS",
    "BLACKBIRD",
    "ESCAPED_BLOCKQUOTE",
    "LINKED_IMAGE",
    "SHORTCODE",
    "TWEET_ATTRIBUTE",
    "TWEET_DATA_ATTRS",
    "TWEET_TEXT_CLASS",
    "TWITTER_DATA_ID",
    "Signals",
    "author_shapes",
    "holds_fullwidth_at",
    "holds_tweet_evidence",
    "scan",
]

# What a page's bytes can hold, by the extractor that reads it.
SHORTCODE = "shortcode"  # "[tweet ...]", "[twitter ...]", "[embed]<status URL>[/embed]"
BLACKBIRD = "blackbird"  # Blackbird Pie's "bbpTweet" paragraph
TWEET_ATTRIBUTE = "tweet-attribute"  # an attribute whose name says tweet: data-tweet-id=, tweetid=
TWITTER_DATA_ID = "twitter-data-id"  # a start tag naming Twitter next to data-embed/data-id/data-social-id
TWEET_DATA_ATTRS = "tweet-data-attrs"  # a start tag naming a tweet next to Substack's data-attrs
TWEET_TEXT_CLASS = "tweet-text-class"  # a class naming a tweet and its text/content/body (a tweet card)
LINKED_IMAGE = "linked-image"  # a status link with an image (or a lazy image's data-src/data-alt) inside
ESCAPED_BLOCKQUOTE = "escaped-blockquote"  # a blockquote opener escaped for a script or an attribute

# How far around a hit its start tag is read. A stem farther than this from its tag's "<" is judged
# on the bytes within reach (a hit in a huge attribute value may then be missed as a tag's).
TAG_MAX_BYTES = 2_000
# The longest [embed]...[/embed] body the Shortcode extractor reads (its regex's bound), plus "[embed]".
EMBED_MAX_BYTES = 400 + len(b"[embed]")
# How far after a status URL its anchor's content is read for an image; a link longer than this counts
# as holding one.
LINK_MAX_BYTES = 4_000
# A status URL's path after the host, as urls.STATUS_URL reads it (lower-cased page).
_STATUS_PATH = re.compile(rb"(?:#!/)?(?:[a-z0-9_]{1,20}/status|i/web/status|i/status)")
# Before "x.com/": only "//", "www.", "mobile.", "m." make it Twitter's host (not "fox.com/").
_X_HOST_PREFIXES = (b"/", b".")
_TWEET_ATTRIBUTE_NAME = re.compile(rb"tweet[\w:.-]{0,40}\s*=")
_CLASS_VALUE = re.compile(rb"""\sclass\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_CARD_TEXT_WORDS = (b"text", b"content", b"body")
_WRAPPER_ATTRIBUTES = (b"data-embed", b"data-id", b"data-social-id")
_LONGEST_ATTRIBUTE = max(len(name) for name in _WRAPPER_ATTRIBUTES + (b"data-attrs",))
_IMAGE_MARKS = (b"<img", b"<picture", b"data-src", b"data-alt")
# How escaped_fragments (hidden.py) writes an escaped "<" before "blockquote".
_ESCAPED_LT = (b"\\u003c", b"\\x3c", b"&lt;")
# The stems, found in one pass (see search.Words); "status" for the status ids of any URL spelling.
# The same pass finds the attributes that the closer look around a stem needs (rare in pages), so
# that a stem without one of them within reach is not looked at closer.
_STEMS = (b"twitter", b"tweet", b"x.com/", b"blockquote", b"status")
_WORDS = Words(_STEMS + _WRAPPER_ATTRIBUTES + (b"data-attrs",))


class Signals(NamedTuple):
    """What one scan saw: the shapes present, how many raw ``<blockquote`` openers the bytes hold
    (more than the parsed tree has blockquote elements means some sit in scripts, comments or attributes),
    and whether the bytes name a status id anywhere (see ``names_a_status``)."""

    present: frozenset[str]
    blockquote_openers: int
    names_a_status: bool = True


# What names a status id, besides a scan signal: a status path as a URL writes it, plainly,
# percent-encoded (a proxy's ?url=), or escaped in JSON or JavaScript ("/status/1", "%2fstatuses%2f1",
# "\/status\/1", "\u002fstatus\u002f1"), or a query's status=1; ...
_SLASHES = (b"/", b"%2f", b"\\/", b"\\u002f")
_QUERY_STARTS = (b"?", b"&", b";")
_STATUS_ID_AFTER = re.compile(rb"status(?:es)?(?:/|%2f|\\/|\\u002f)\d")
_STATUS_PARAMETER_AFTER = re.compile(rb"status=\d")
# ... "tweet" naming a number (data-tweet-id="1", tweetid=1, "tweetId":"1", [tweet 1]) ...
_TWEET_NUMBER = re.compile(rb"tweet(?:[\w-]{0,20}[\"']?\s{0,5}[=:]\s{0,5}[\"']?|\s{1,5})\d")
# ... or an id= parameter further along the URL of Twitter or of a Tweet.html embed page.
_ID_PARAMETER_AFTER = re.compile(rb"[^<>\s\"']{0,300}?[?&;]id=\d")


def _around(page: bytes, at: int) -> tuple[int, int]:
    """Where the bytes from the "<" before ``at`` to the "<" after it start and end: the start tag
    holding ``at`` and the text that follows it (a ">" inside an attribute value does not cut the
    tag short). Bounds, not a copy: the tests below search within them."""
    start = page.rfind(b"<", max(0, at - TAG_MAX_BYTES), at)
    end = page.find(b"<", at, at + TAG_MAX_BYTES)
    return (max(0, at - TAG_MAX_BYTES) if start < 0 else start), (at + TAG_MAX_BYTES if end < 0 else end)


def _within_reach(hits: list[int], at: int) -> bool:
    """Whether one of ``hits`` (ascending) can lie in the bounds ``_around`` gives for ``at``: it lies at
    most TAG_MAX_BYTES from ``at``, or is an occurrence that the hit just before it overlapped (the
    hits of a word never overlap each other; see ``search.Words``), whose start is that close."""
    first = bisect_left(hits, at - TAG_MAX_BYTES - _LONGEST_ATTRIBUTE)
    return first < len(hits) and hits[first] < at + TAG_MAX_BYTES


def _holds(page: bytes, names: tuple[bytes, ...], start: int, end: int) -> bool:
    return any(page.find(name, start, end) >= 0 for name in names)


def _class_names_tweet_text(page: bytes, start: int, end: int) -> bool:
    """Whether a start tag within the bounds has a class naming both a tweet and its text/content/body."""
    if page.find(b"class", start, end) < 0 or not _holds(page, _CARD_TEXT_WORDS, start, end):
        return False
    for m in _CLASS_VALUE.finditer(page, start, end):
        value = m.group(1) or m.group(2) or m.group(3) or b""
        if b"tweet" in value and any(word in value for word in _CARD_TEXT_WORDS):
            return True
    return False


def _status_url_at(page: bytes, path: int) -> bool:
    """Whether a status path starts at ``path`` (just after "twitter.com/" or "x.com/")."""
    return _STATUS_PATH.match(page, path) is not None


def _status_signals(page: bytes, host: int, path: int, present: set[str]) -> None:
    """What a status URL whose host starts at ``host`` tells: an [embed] shortcode around it, an image
    inside its anchor."""
    if SHORTCODE not in present and page.rfind(b"[embed]", max(0, host - EMBED_MAX_BYTES), host) >= 0:
        present.add(SHORTCODE)
    if LINKED_IMAGE not in present:
        end = page.find(b"</a", path, path + LINK_MAX_BYTES)
        if end < 0 or _holds(page, _IMAGE_MARKS, path, end):
            present.add(LINKED_IMAGE)


def scan(page: bytes) -> Signals:
    """The shapes a lower-cased page's bytes can hold (see the module docstring).

    >>> sorted(scan(b'<div class="tweet-body"><a href="https://x.com/a/status/1"><img></a></div>').present)
    ['linked-image', 'tweet-text-class']
    """
    present: set[str] = set()
    twitter, tweet, x_com, blockquote, status, *wrapper_hits, data_attrs = _WORDS.positions(page)
    wrappers = sorted(chain.from_iterable(wrapper_hits))
    for at in twitter:
        if page[at - 1:at] == b"[":
            present.add(SHORTCODE)
        if TWITTER_DATA_ID not in present and wrappers and _within_reach(wrappers, at):
            start, end = _around(page, at)
            if _holds(page, _WRAPPER_ATTRIBUTES, start, end):
                present.add(TWITTER_DATA_ID)
        if page.startswith(b".com/", at + 7) and _status_url_at(page, at + 12):
            _status_signals(page, at, at + 12, present)
    for at in x_com:
        if page[at - 1:at] in _X_HOST_PREFIXES and _status_url_at(page, at + 6):
            _status_signals(page, at, at + 6, present)
    judged = (0, 0)  # the bounds last judged: a hit within the same ones adds nothing
    for at in tweet:
        if page[at - 1:at] == b"[":
            present.add(SHORTCODE)
        if page[at - 3:at] == b"bbp":
            present.add(BLACKBIRD)
        if TWEET_ATTRIBUTE not in present and _TWEET_ATTRIBUTE_NAME.match(page, at):
            present.add(TWEET_ATTRIBUTE)
        if TWEET_DATA_ATTRS in present and TWEET_TEXT_CLASS in present:
            continue
        bounds = _around(page, at)
        if bounds == judged:
            continue
        judged = start, end = bounds
        if data_attrs and _within_reach(data_attrs, at) and page.find(b"data-attrs", start, end) >= 0:
            present.add(TWEET_DATA_ATTRS)
        if TWEET_TEXT_CLASS not in present and _class_names_tweet_text(page, start, end):
            present.add(TWEET_TEXT_CLASS)
    openers = 0
    for at in blockquote:
        before = page[max(0, at - 6):at]
        if before.endswith(b"<"):
            openers += 1
        elif before.endswith(_ESCAPED_LT):
            present.add(ESCAPED_BLOCKQUOTE)
    return Signals(frozenset(present), openers, _names_a_status(page, twitter, tweet, x_com, status))


def _names_a_status(page: bytes, twitter: list[int], tweet: list[int], x_com: list[int], status: list[int]) -> bool:
    """Whether the hits of the stems show a status id in one of the spellings above."""
    for at in status:
        if ((page.endswith(_SLASHES, 0, at) and _STATUS_ID_AFTER.match(page, at))
                or (page.endswith(_QUERY_STARTS, 0, at) and _STATUS_PARAMETER_AFTER.match(page, at))):
            return True
    if any(_TWEET_NUMBER.match(page, at) for at in tweet):
        return True
    return any(_ID_PARAMETER_AFTER.match(page, at + len(stem))
               for hits, stem in ((twitter, b"twitter"), (tweet, b"tweet"), (x_com, b"x.com/")) for at in hits)


def holds_tweet_evidence(page: bytes, signals: Signals) -> bool:
    """Whether a lower-cased page shows what every tweet an extractor reads is built on: a status id
    (a status URL in any spelling, a number named a tweet's), a shape the scan saw, or an author
    shape ("(@handle)", "@handle 5h"). A page naming Twitter only in share buttons and profile links
    shows none, and needs no parse. As ``author_shapes``, it assumes each "@" written as itself in
    one of ``AUTHOR_SHAPE_ENCODINGS``.

    >>> page = b'<a href="https://twitter.com/intent/tweet?url=x">Share</a> <a href="https://twitter.com/paper">@paper</a>'
    >>> holds_tweet_evidence(page, scan(page))
    False
    """
    return bool(signals.names_a_status or signals.present or author_shapes(page))


# Encodings in which the page's bytes write "@" and "＠" as the scan looks for them (UTF-8's EF BC A0
# for "＠"; single-byte code pages cannot write "＠" but as an entity).
AUTHOR_SHAPE_ENCODINGS = frozenset({"utf-8", "utf8", "ascii", "us-ascii", "iso-8859-1", "latin-1", "latin1",
                                    "windows-1252", "cp1252"})
# What a reader's text drops or folds between the parts of a flattened author: spaces, tags, and
# entities that may stand for a space (named spaces, any numeric one). Possessive and bounded, as are
# the runs below, so that every pattern here reads a bounded stretch from where it starts (a real gap
# is a few tags and line breaks; these bounds are hundreds of times that).
GAP_MAX_PARTS = 64
_GAP_PART = rb"(?:\s{1,200}+|<[^<>]{0,500}>|&(?:nbsp|ensp|emsp|thinsp|#\d{1,7}|#x[0-9a-f]{1,6});)"
_GAP = _GAP_PART + rb"{0,%d}+" % GAP_MAX_PARTS
# Bytes that can start a digit in UTF-8: ASCII ones, and the lead bytes of the blocks holding other
# decimal digits (Arabic-Indic d9/db, NKo df, Indic and Southeast Asian e0/e1, Vai to Meetei ea,
# fullwidth ef, astral f0); not e2-e3 (punctuation, quotes), whose bytes would match prose.
_DIGIT_START = rb"[\d\xd9\xdb\xdf\xe0\xe1\xea\xef\xf0]"
_DIGITS = rb"(?:" + _DIGIT_START + rb"[\x80-\xbf]{0,3}){1,2}+"
# The handle after the "@": its bytes (UTF-8 letters are bytes >= 0x80) read in one run. A time glued
# to the handle ("@jane5h", "@janedec 13") is part of that run, and is looked for at its end.
_HANDLE_RUN = re.compile(rb"[\w\x80-\xff]{1,60}")
# What follows a run starts right after a handle byte (so that no search tries these from every byte
# of a run of spaces) with the ")" of an attribution ...
_AFTER_HANDLE = rb"(?<=[\w\x80-\xff])"
_PAREN_AFTER_RUN = re.compile(_AFTER_HANDLE + _GAP + rb"\)")
# ... or the time of a timeline header ("5h", "Dec 13") after an optional "·"/"•" (UTF-8, cp1252 or
# an entity) ...
_TIME_AFTER_RUN = re.compile(
    _AFTER_HANDLE + _GAP + rb"(?:(?:\xc2\xb7|\xe2\x80\xa2|\xb7|\x95|&middot;|&bull;|&#183;|&#8226;)" + _GAP + rb")?+"
    rb"(?:" + _DIGITS + _GAP + rb"[smhd]|[a-z\x80-\xff]{3,40}+\.?" + _GAP_PART + rb"{1,%d}+" % GAP_MAX_PARTS + _DIGIT_START + rb")"
)
# ... or the rest of a time whose start the run took: its unit ("@jane5 h") or its day ("@janedec 13").
_UNIT_AFTER_RUN = re.compile(_AFTER_HANDLE + _GAP + rb"[smhd]")
_DAY_AFTER_RUN = re.compile(_AFTER_HANDLE + rb"\.?" + _GAP_PART + rb"{1,%d}+" % GAP_MAX_PARTS + _DIGIT_START)
# A run ending in a whole glued time ("jane5h"), or in a digit or three letters (a time going on after it).
_GLUED_TIME = re.compile(_DIGIT_START + rb"[\x80-\xbf]{0,3}[smhd]\Z")
_ENDS_IN_DIGIT = re.compile(_DIGIT_START + rb"[\x80-\xbf]{0,3}\Z")
_ENDS_IN_LETTERS = re.compile(rb".[a-z\x80-\xff]{3}\Z", re.DOTALL)
# The handle byte and the spaces of the quick test below, spelled out for Hyperscan.
_HANDLE_BYTE = rb"[0-9A-Za-z_\x80-\xff]"
_SPACE = rb"[\t\n\x0b\x0c\r ]"
# The "@" worth a closer look: most "@" of a page are JSON-LD keys ("@type":) and CSS at-rules
# ("@media (", "@desktop u-hidden"). The run after the "@" must be followed by what a shape goes on
# with: a tag or an entity, ")", the "." of "Dec.", or spaces and then one of those, a digit, a
# UTF-8 byte or a word that a "." or a gap ends (a month); or the run holds a digit or a UTF-8 byte
# (a glued time). Each part is one class read to its end (the next part's bytes are not in it),
# the spaces without a bound (as many gap parts may hold them): the spaces after one "@" are no
# other "@"'s, so all the "@" of a page read its bytes at most once more.
_WORTH_A_LOOK = (rb"(?=" + _HANDLE_BYTE + rb"{1,60}+(?:[<&).]|" + _SPACE + rb"++(?:[<&)0-9\x80-\xff]|[a-z]"
                 rb"[a-z\x80-\xff]{2,39}+(?:[.<&]|" + _SPACE + rb")))|" + _HANDLE_BYTE + rb"{0,59}[0-9\x80-\xff])")
_CANDIDATE_AT = re.compile(rb"@" + _WORTH_A_LOOK)
# The same test without look-around, for Hyperscan: each run's class excludes what follows it, so
# the run ends there as the possessive run does.
_AT_CANDIDATES = Starts(rb"@(?:" + _HANDLE_BYTE + rb"{1,60}(?:[<&).]|" + _SPACE + rb"+(?:[<&)0-9\x80-\xff]|[a-z]"
                        rb"[a-z\x80-\xff]{2,39}(?:[.<&]|" + _SPACE + rb")))|" + _HANDLE_BYTE + rb"{0,59}[0-9\x80-\xff])",
                        _CANDIDATE_AT)
_CANDIDATE_FULLWIDTH_AT = re.compile(rb"\xef\xbc\xa0" + _WORTH_A_LOOK)
_ONLY_GAP = re.compile(_GAP)
# How far before an "@" its "(" is looked for, through tags and spaces, and how many "(" are tried:
# a gap holds no "(" but inside a tag, so a "(" behind a failed one rarely succeeds.
PAREN_MAX_BYTES = 600
PAREN_MAX_TRIES = 3


def author_shapes(page: bytes) -> int:
    """How many "@"/"＠" in a lower-cased page could start a tweet's author as text_pass reads it:
    "(@handle)" or "@handle 5h" once tags are dropped and entities decoded. Never fewer than the
    shapes the page's text shows, as long as each "@" is written as itself (not as an entity) in
    one of ``AUTHOR_SHAPE_ENCODINGS``.

    >>> author_shapes(b'<p>(<a href="#">@jane</a>)</p> x@example.com @media (max-width: 5px) <i>@bob</i> &middot; 5h')
    2
    """
    count = sum(1 for at in _AT_CANDIDATES.starts(page) if _starts_author(page, at, at + 1))
    if holds_fullwidth_at(page):
        for at in find_all(page, _FULLWIDTH_AT):  # each "＠" by find, then the quick test in C
            candidate = _CANDIDATE_FULLWIDTH_AT.match(page, at)
            if candidate is not None and _starts_author(page, at, candidate.end()):
                count += 1
    return count


def _starts_author(page: bytes, at: int, after: int) -> bool:
    """Whether the handle after the sign at ``at`` goes on as an attribution or a timeline header."""
    run = _HANDLE_RUN.match(page, after)
    if run is None:
        return False
    end = run.end()
    if _TIME_AFTER_RUN.match(page, end) is not None:
        return True
    handle = run.group()
    if len(handle) > 1 and (_GLUED_TIME.search(handle) is not None
                            or (_ENDS_IN_DIGIT.search(handle) is not None and _UNIT_AFTER_RUN.match(page, end))
                            or (_ENDS_IN_LETTERS.search(handle) is not None and _DAY_AFTER_RUN.match(page, end))):
        return True
    return _PAREN_AFTER_RUN.match(page, end) is not None and _paren_before(page, at)


# "＠" (EF BC A0) is looked for through its lead byte (memchr, fast) while that byte is rare, as in
# Latin-script pages where it only starts a few symbols (emoji variation selectors among them). A try
# costs what a plain search of about 200 bytes does: past one try per this many bytes of the page, a
# plain search of the rest is cheaper (and a page dense with the byte costs at most a fifth more).
LEAD_BYTE_SPAN = 1_000
_FULLWIDTH_AT = "\uff20".encode("utf-8")


def holds_fullwidth_at(page: bytes) -> bool:
    """Whether the bytes hold "＠" in UTF-8."""
    at = page.find(b"\xef")
    for _ in range(len(page) // LEAD_BYTE_SPAN + 1):
        if at < 0:
            return False
        if page.startswith(_FULLWIDTH_AT, at):
            return True
        at = page.find(b"\xef", at + 1)
    return at >= 0 and page.find(_FULLWIDTH_AT, at) >= 0


def _paren_before(page: bytes, at: int) -> bool:
    """Whether only spaces, tags and entities stand between the "@" at ``at`` and a "(" before it."""
    floor = max(0, at - PAREN_MAX_BYTES)
    opening = page.rfind(b"(", floor, at)
    for _ in range(PAREN_MAX_TRIES):
        if opening < 0:
            return False
        if _ONLY_GAP.fullmatch(page, opening + 1, at) is not None:
            return True
        opening = page.rfind(b"(", floor, opening)
    return False
