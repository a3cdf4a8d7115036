"""HTML extractor for placeholder embeds: an element that marks itself as one tweet's embed and carries its status
in an attribute (an id, a status URL, an embed or proxy URL, JSON describing the tweet)."""
from __future__ import annotations

import json
from collections.abc import Iterator

from lxml import etree

from .. import families  # a module object: families reads text through this package's reading module
from ..build import Context, Draft
from ..search import Needle, within
from ..urls import StatusRef
from .embeds import exact_time
from .page import Element, Found, Page

__all__ = ["FORM", "Placeholder", "json_draft"]

FORM = "placeholder"

# A slash as attributes write it: plain, percent-encoded (a proxy's ?url=), escaped in JSON.
_SLASH = rb"(?:/|%2f|\\/)"
# A status path after Twitter's host (x.com only after "/", "." or an encoded slash: "fox.com" is no host).
_STATUS_PATH = (rb"(?:twitter\.com|(?:[/.]|%2f)x\.com)" + _SLASH + rb"[^\"'<>\s]{0,60}?status(?:es)?" + _SLASH
                + rb"[0-9]")
# The start of a tag that another family reads not, and its attributes up to the match: not a link ("<a ": cards,
# image fallbacks and prose read those), an iframe (the rendered embed's; a proxy iframe has a needle of its
# own), a blockquote, AMP's or widgets.js's element ("<amp-…", "<tw…"). Written as classes of first letters
# so that the search engines need no look-ahead.
_TAG_NAME = (rb"<(?:[c-hj-su-z][a-z0-9-]{0,40}|a[a-ln-z0-9-][a-z0-9-]{0,39}|b(?:[a-km-z0-9-][a-z0-9-]{0,39})?"
             rb"|i(?:[a-eg-z0-9-][a-z0-9-]{0,39})?|t(?:[a-vx-z0-9-][a-z0-9-]{0,39})?)")
_TAG = _TAG_NAME + rb"\s[^<>]{0,1000}?"
# An attribute's name in such a tag (after the tag's name or another attribute's value).
_ATTRIBUTE = _TAG_NAME + rb"\s(?:[^<>]{0,1000}?\s)?"
# An attribute (or JSON) value that is a snowflake-era status id, as HTML or JSON quotes it. Tweets from before
# November 2010 have at most 11 digits and no numbers of 12 to 16 digits are ids: 15 digits or more keeps
# timestamps (10 and 13 digits) and app ids out of the gate.
_ID_VALUE = rb"[=:]\s{0,5}(?:[\"']|&quot;|\\\")?[0-9]{15,20}[\"'&\\,}\s>]"
# How far apart, inside one start tag, the mark and the id may stand.
_TAG_SPAN = rb"[^<>]{0,1000}?"


def _mark_and_id(word: bytes, mark: bytes | None = None) -> tuple[Needle, ...]:
    """A start tag marked by ``mark`` (a pattern holding the literal ``word``; in its class, id or a kind
    attribute) holding a status id, in either order."""
    mark = mark or word
    return (within(word, _TAG + mark + _TAG_SPAN + _ID_VALUE), within(word, _TAG + _ID_VALUE + _TAG_SPAN + mark))


# Needles: a status URL in the start tag of an element that is not a link, an attribute naming the tweet holding
# a number, or a mark of the embed beside a status id in one start tag.
NEEDLES: tuple[Needle, ...] = (
    within(b"status", _TAG + _STATUS_PATH),
    # An iframe showing a status through a proxy (its query holds the status URL, percent-encoded or not).
    within(b"status", rb"<iframe\s[^<>]{0,2000}?[?&;][a-z_]{1,20}=[^<>\s]{0,20}?" + _STATUS_PATH),
    # An attribute whose name says tweet or twitter, holding a number ("data-tweet-id", "data-twitter-id").
    within(b"tweet", _ATTRIBUTE + rb"[a-z0-9_:.-]{0,40}tweet[a-z0-9_:.-]{0,40}\s{0,5}=\s{0,5}[\"']?[0-9]{2,20}[\"'\s>]"),
    within(b"twitter", _ATTRIBUTE + rb"[a-z0-9_:.-]{0,40}twitter[a-z0-9_:.-]{0,40}\s{0,5}=\s{0,5}[\"']?[0-9]{2,20}[\"'\s>]"),
    # A custom element named for the tweet with a number in an attribute (<embetty-tweet status="…">).
    within(b"tweet", rb"<[a-z0-9]{1,40}-[a-z0-9-]{0,40}tweet[^<>]{0,1000}?=\s{0,5}[\"']?[0-9]{2,20}[\"'\s>]"),
    # An element id naming the tweet ("tweet-<id>").
    within(b"tweet", rb"=\s{0,5}[\"']?tweet[-_:]?[0-9]{10,20}[\"'\s>]"),
    within(b"twitter", rb"=\s{0,5}[\"']?twitter[-_:]?[0-9]{10,20}[\"'\s>]"),
    *_mark_and_id(b"twitter"),
    *_mark_and_id(b"tweet"),
    # X's one-letter name next to an embed word ("x-embed", "embed--x"), or as a provider ("data-provider="X"").
    *_mark_and_id(b"embed", rb"(?:x[-_]{1,2}embed|embed[-_]{1,2}x[^a-z0-9])"),
    *_mark_and_id(b"provider", rb"provider\s{0,5}=\s{0,5}[\"']x[\"']"),
)

# The elements worth asking: an attribute naming or holding twitter/tweet/a status/an X mark or a provider, or a
# tag named for the tweet; links only through their data attributes. One walk in C, one copy of each value
# per word looked for: the needles let it run only on pages showing such a start tag.
_CANDIDATES = etree.XPath(
    "descendant-or-self::*[not(self::a) or @*[starts-with(name(), 'data-')]]"
    "[@*[contains(., 'witter') or contains(., 'weet') or contains(., 'tatus') or contains(., 'x-embed')"
    " or contains(., 'embed-x') or contains(., 'embed--x')]"
    " or @*[contains(name(), 'weet') or contains(name(), 'witter') or contains(name(), 'tatus')]"
    " or @data-provider or contains(local-name(), 'tweet')]"
)
# Elements another family reads: blockquotes (and wrappers around one), Twitter's own iframes and AMP.
_OTHER_FAMILIES = frozenset({"blockquote", "amp-twitter", "twitterwidget", "twitter-widget"})
# How far above an element carrying a bare id its mark may stand (the id's element -> the embed's wrapper).
WRAPPER_LEVELS = 2


class Placeholder:
    """An element that marks itself as one tweet's embed (its tag, class, id or a kind attribute names
    twitter/tweet/X; ``div.embed-twitter[data-embed-id]``, ``embetty-tweet[status]``, ``[data-provider=X]
    [data-url]``), or a proxy iframe, carrying the status in an attribute; read from the attributes alone."""

    form = FORM
    needles = NEEDLES

    def find(self, page: Page, ctx: Context) -> Iterator[Found]:
        for candidate in _CANDIDATES(page.root):
            for element, ref in _placeholders(candidate):
                if page.unseen(element) or page.in_sidebar(element):
                    continue
                if next(element.iter("blockquote"), None) is not None:
                    continue  # a wrapper around a blockquote: the blockquote family reads it
                yield Found(_json_described(element, ref) or Draft(form=self.form, id=ref.id, handle=ref.handle),
                            element)


def _placeholders(candidate: Element) -> Iterator[tuple[Element, StatusRef]]:
    """The candidate when it is a placeholder; else, when it marks itself as a tweet embed, the element under
    it (``WRAPPER_LEVELS`` deep at most) carrying the status as a bare id (``div.embed-twitter > div[data-id]``)."""
    if not _readable(candidate):
        return
    ref = families.placeholder_ref(candidate)
    if ref is not None:
        yield candidate, ref
        return
    if not families.marks_tweet(candidate):
        return
    level = [candidate]
    for _ in range(WRAPPER_LEVELS):
        level = [child for element in level for child in element if isinstance(child.tag, str)]
        for child in level:
            ref = families.placeholder_ref(child, in_marked_wrapper=True) if _readable(child) else None
            if ref is not None:
                yield child, ref
                return


def _readable(element: Element) -> bool:
    tag = element.tag
    return isinstance(tag, str) and tag not in _OTHER_FAMILIES and not _holds_markup(element)


def _holds_markup(element: Element) -> bool:
    """Whether an attribute holds embed markup: a hidden copy, read whole through the page made of it."""
    return any("blockquote" in value or "BLOCKQUOTE" in value for value in element.attrib.values())


def _json_described(element: Element, ref: StatusRef) -> Draft | None:
    """The tweet a JSON data attribute describes (Substack's ``data-attrs``: text, author, date, quoted tweet)."""
    for name, value in element.attrib.items():
        if not name.startswith("data-") or value.lstrip()[:1] not in ("{", "["):
            continue
        try:
            data = json.loads(value)
        except (ValueError, RecursionError):
            continue
        for embed in families.embeds_in_json(data):
            if embed.id == ref.id:
                return json_draft(embed, form=FORM, handle=ref.handle)
    return None


def json_draft(embed: families.JsonEmbed, *, form: str, handle: str | None = None, hidden: bool = False) -> Draft:
    """The draft of a tweet described in page data: its id, author, text (plain already), time, quoted tweet."""
    quoted = json_draft(embed.quoted, form=form) if embed.quoted is not None else None
    return Draft(form=form, id=embed.id, handle=embed.handle or handle, name=embed.name, text=embed.text or "",
                 exact_time=exact_time(embed.created_at), quoted=quoted, hidden=hidden)
