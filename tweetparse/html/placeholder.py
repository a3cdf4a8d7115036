"""HTML extractor for placeholder embeds: an element that marks itself as one tweet's embed and carries its status
in an attribute (an id, a status URL, an embed or proxy URL, JSON describing the tweet)."""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

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


# Needles by what they show; each kind of evidence has a look-up of its own, run only when the page shows it.
# A status URL in the start tag of an element that is not a link, an iframe or another family's.
STATUS_IN_TAG = (within(b"status", _TAG + _STATUS_PATH),)
# An iframe showing a status through a proxy (its query holds the status URL, percent-encoded or not).
PROXY_IFRAME = (within(b"status", rb"<iframe\s[^<>]{0,2000}?[?&;][a-z_]{1,20}=[^<>\s]{0,20}?" + _STATUS_PATH),)
# An attribute whose name says tweet or twitter, holding a number ("data-tweet-id", "data-twitter-id").
NAMED = (
    within(b"tweet", _ATTRIBUTE + rb"[a-z0-9_:.-]{0,40}tweet[a-z0-9_:.-]{0,40}\s{0,5}=\s{0,5}[\"']?[0-9]{2,20}[\"'\s>]"),
    within(b"twitter", _ATTRIBUTE + rb"[a-z0-9_:.-]{0,40}twitter[a-z0-9_:.-]{0,40}\s{0,5}=\s{0,5}[\"']?[0-9]{2,20}[\"'\s>]"),
)
# A custom element named for the tweet with a number in an attribute (<embetty-tweet status="…">).
CUSTOM = (within(b"tweet", rb"<[a-z0-9]{1,40}-[a-z0-9-]{0,40}tweet[^<>]{0,1000}?=\s{0,5}[\"']?[0-9]{2,20}[\"'\s>]"),)
# A mark in a class, id or kind attribute beside a status id: "tweet-<id>" as an element's id, or twitter/tweet
# and the id in one start tag, either order.
MARKED = (
    within(b"tweet", rb"=\s{0,5}[\"']?tweet[-_:]?[0-9]{10,20}[\"'\s>]"),
    within(b"twitter", rb"=\s{0,5}[\"']?twitter[-_:]?[0-9]{10,20}[\"'\s>]"),
    *_mark_and_id(b"twitter"),
    *_mark_and_id(b"tweet"),
)
# X's one-letter name next to an embed word ("x-embed", "embed--x"), or as a provider ("data-provider="X"").
# (The mark first: a class or provider leads the start tag, the id follows.)
MARKED_X = (within(b"embed", _TAG + rb"(?:x[-_]{1,2}embed|embed[-_]{1,2}x[^a-z0-9])" + _TAG_SPAN + _ID_VALUE),
            within(b"provider", _TAG + rb"provider\s{0,5}=\s{0,5}[\"']x[\"']" + _TAG_SPAN + _ID_VALUE))
NEEDLES: tuple[Needle, ...] = (*STATUS_IN_TAG, *PROXY_IFRAME, *NAMED, *CUSTOM, *MARKED, *MARKED_X)

# The look-ups, one per kind of evidence, under the page's root (a hidden copy's root is an element of the live
# page: a path from the document's root would read the live page again). Each is one walk in C; a value test
# copies each attribute value it looks at, so they test as few attributes and words as the evidence needs (an
# attribute named for the tweet is found by its name alone, without a copy).
_LOOKUPS: tuple[tuple[tuple[Needle, ...], etree.XPath], ...] = (
    (STATUS_IN_TAG, etree.XPath(".//@*[contains(., 'tatus')]/..")),
    (NAMED, etree.XPath(".//@*[contains(name(), 'weet') or contains(name(), 'witter')]/..")),
    (CUSTOM, etree.XPath(".//*[contains(local-name(), 'tweet')]")),
    (MARKED, etree.XPath(".//@*[contains(., 'witter') or contains(., 'weet')]/..")),
    (MARKED_X, etree.XPath(".//@*[contains(., 'x-embed') or contains(., 'embed-x') or contains(., 'embed--x')"
                           " or contains(., 'embed_x')]/.. | .//@data-provider/..")),
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
        claimed, enclosing = page.claimed, page.enclosing
        for candidate in _candidates(page):
            if candidate in enclosing or (claimed and any(node in claimed for node in page.ancestors(candidate))):
                continue  # on, in or around an embed read already (an image fallback, a card): the same embed
            for element, ref in _placeholders(candidate):
                if page.unseen(element) or page.in_sidebar(element):
                    continue
                if next(element.iter("blockquote"), None) is not None:
                    continue  # a wrapper around a blockquote: the blockquote family reads it
                yield Found(_json_described(element, ref) or Draft(form=self.form, id=ref.id, handle=ref.handle),
                            element)


def _candidates(page: Page) -> Iterable[Element]:
    """The elements the page's evidence points at, each once (the registry puts finds in document order)."""
    root = page.root
    found: dict[Element, None] = {}
    for needles, lookup in _LOOKUPS:
        if page.holds(needles):
            found.update(dict.fromkeys(lookup(root)))
    if page.holds(PROXY_IFRAME):
        found.update(dict.fromkeys(page.candidates("iframe")))
    return found


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
    # Pictures, sounds and styles are never a placeholder, even one marking itself (a screenshot's class may say
    # tweet and its source name the status: the image-fallback family reads it when it is linked).
    return (isinstance(tag, str) and tag not in _OTHER_FAMILIES and tag not in families.MEDIA_TAGS
            and not _holds_markup(element))


def _holds_markup(element: Element) -> bool:
    """Whether an attribute holds embed markup: a hidden copy, read whole through the page made of it."""
    return any(families.holds_markup(value) for value in element.attrib.values())


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
