"""HTML extractors: tweets shown through a rendered widget, AMP, a publisher's own markup or a screenshot.

Every reader here takes a *scope* (the page root, or a hidden fragment that ``hidden.py`` parsed) and a
``hidden`` flag, so the hidden-copy extractors reuse them on markup found in scripts and templates.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from lxml import etree

from ..build import Context, make_tweet
from ..record import Tweet
from ..urls import StatusRef, parse_status_url
from .base import FIGURE_STATUS, Found, HtmlExtractor, element_path, page_of
from .scan import (
    BLACKBIRD,
    LINKED_IMAGE,
    TWEET_ATTRIBUTE,
    TWEET_DATA_ATTRS,
    TWEET_TEXT_CLASS,
    TWITTER_DATA_ID,
)

__all__ = [
    "EXTRACTORS",
    "AmpTwitter",
    "BlackbirdPie",
    "CmsWrapper",
    "ImageFallback",
    "RenderedIframe",
    "iframe_src_ref",
    "in_hidden_markup",
    "in_sidebar",
    "read_substack",
    "status_ref",
]

# A bare status id as a data attribute holds it. Ids are 64-bit integers: at most 20 digits. Matched
# against the stripped value: a leading \s* before a required digit would be O(L^2) in search mode.
_BARE_ID = re.compile(r"\d{1,20}")
# Ids shorter than this are CMS post ids or counters, not tweets: the first public tweets of 2006
# already had 2 digits, but an attribute that does not *say* tweet needs stronger evidence, and
# every tweet after mid-2009 has at least this many digits.
MIN_UNNAMED_ID_DIGITS = 10

# Classes and ids that mark Twitter widgets which are not a single tweet: buttons and timelines.
_NOT_A_TWEET = ("share", "follow", "tweet-button", "tweet_button", "timeline", "mention-button", "hashtag-button")

# Containers whose tweets are the site's own feed ("latest tweets"), not the article's embeds.
# An aside or footer inside the article element is part of the story (a "tweet of the day" box).
_SIDEBAR_XPATH = etree.XPath(
    "boolean(ancestor-or-self::aside[not(ancestor::article)] or ancestor-or-self::nav"
    " or ancestor-or-self::footer[not(ancestor::article)]"
    " or ancestor-or-self::*[contains(concat(' ', normalize-space(@class), ' '), ' widget_twitter ')"
    " or contains(@class, 'sidebar') or contains(@class, 'twitter-feed') or contains(@class, 'TwitterFeed')"
    " or contains(@class, 'twitter-timeline')])"
)
# Anchors that may link a status (parse_status_url decides).
STATUS_LINKS = etree.XPath("descendant::a[contains(@href, '/status')]")
_HIDDEN_XPATH = etree.XPath("boolean(ancestor::noscript or ancestor::template or ancestor::textarea)")


def status_ref(value: str | None) -> StatusRef | None:
    """A status reference from a bare id or anything holding a status URL (also percent-encoded)."""
    if not value:
        return None
    m = _BARE_ID.fullmatch(value.strip())
    if m:
        return StatusRef(None, m.group().lstrip("0") or "0")
    ref = parse_status_url(value)
    if ref is None and "%2f" in value.lower():
        ref = parse_status_url(unquote(value))
    return ref


def iframe_src_ref(src: str | None) -> StatusRef | None:
    """The status an embed iframe's ``src`` shows: Twitter's own ``?id=`` or a ``url=``/``src=`` parameter.

    ``creatorScreenName`` is deliberately not read: widgets.js fills it from the *page's*
    ``twitter:creator`` meta tag (the article's author), not from the tweet.

    >>> iframe_src_ref("https://platform.twitter.com/embed/Tweet.html?dnt=false&id=790936002017755136&lang=en")
    StatusRef(handle=None, id='790936002017755136')
    """
    if not src:
        return None
    parts = urlsplit(src.strip())
    query = parse_qs(parts.query)
    host_path = (parts.netloc + parts.path).lower()
    if "twitter.com/" in host_path or "x.com/" in host_path or host_path.endswith("tweet.html"):
        for key in ("id", "tweet_id", "tweetId"):
            for value in query.get(key, ()):
                if _BARE_ID.fullmatch(value.strip()):
                    return StatusRef(None, value.strip())
    for key in ("url", "src", "href", "tweet", "status"):
        for value in query.get(key, ()):
            ref = parse_status_url(value)
            if ref is not None:
                return ref
    return parse_status_url(src) if "/status" in src else None


def in_hidden_markup(element: Any) -> bool:
    """Inside ``<noscript>``, ``<template>`` or ``<textarea>``: a copy for the hidden extractors."""
    return bool(_HIDDEN_XPATH(element))


def in_sidebar(element: Any) -> bool:
    """Inside the page's own aside, navigation, footer or Twitter feed widget."""
    return bool(_SIDEBAR_XPATH(element))


def _marks_non_tweet(element: Any) -> bool:
    """A share/follow/tweet button or a timeline, by its class, id or src."""
    marks = " ".join(element.get(a) or "" for a in ("class", "id", "src", "data-src")).lower()
    return any(word in marks for word in _NOT_A_TWEET)


def _live(element: Any, hidden: bool) -> bool:
    """Whether a candidate belongs to this pass: hidden passes read everything they were given."""
    return hidden or not in_hidden_markup(element)


def _found(ctx: Context, element: Any, host: Any | None, **fields: Any) -> Found:
    tweet = make_tweet(ctx, element=element_path(element), **fields)
    return Found(tweet, element if host is None else host)


class RenderedIframe:
    """Embeds saved after widgets.js ran: ``iframe[data-tweet-id]``, ``twitterwidget``, Tweet.html iframes."""

    form = "iframe"
    # Its elements come from the page's one walk: always run.
    needles: tuple[str, ...] = ()
    CANDIDATES = etree.XPath(
        "descendant-or-self::iframe[@data-tweet-id or contains(@src, '/embed/Tweet.html')"
        " or contains(@src, '/embed/index.html')]"
        " | descendant-or-self::twitterwidget | descendant-or-self::twitter-widget"
    )
    _EMBED_PAGES = ("/embed/Tweet.html", "/embed/index.html")

    def find(self, root: Any, ctx: Context) -> Iterator[Found]:
        elements = [element for element in page_of(root).candidates("iframe", "twitterwidget", "twitter-widget")
                    if element.tag != "iframe" or element.get("data-tweet-id") is not None
                    or any(name in (element.get("src") or "") for name in self._EMBED_PAGES)]
        return self.read(root, ctx, elements=elements)

    def read(self, scope: Any, ctx: Context, *, hidden: bool = False, host: Any = None,
             elements: list[Any] | None = None) -> Iterator[Found]:
        for element in self.CANDIDATES(scope) if elements is None else elements:
            if not _live(element, hidden) or _marks_non_tweet(element):
                continue
            ref = status_ref(element.get("data-tweet-id")) or iframe_src_ref(element.get("src"))
            if ref is None:
                continue
            yield _found(ctx, element, host, form=self.form, status_id=ref.id, handle=ref.handle, hidden=hidden)


class AmpTwitter:
    """``<amp-twitter data-tweetid>``: a bare id or a whole status URL, perhaps with a placeholder blockquote."""

    form = "amp"
    needles: tuple[str, ...] = ()
    CANDIDATES = etree.XPath("descendant-or-self::amp-twitter[@data-tweetid or @data-tweet-id]")
    PLACEHOLDER = etree.XPath("descendant::blockquote[1]")

    def find(self, root: Any, ctx: Context) -> Iterator[Found]:
        elements = [element for element in page_of(root).candidates("amp-twitter")
                    if element.get("data-tweetid") is not None or element.get("data-tweet-id") is not None]
        return self.read(root, ctx, elements=elements)

    def read(self, scope: Any, ctx: Context, *, hidden: bool = False, host: Any = None,
             elements: list[Any] | None = None) -> Iterator[Found]:
        for element in self.CANDIDATES(scope) if elements is None else elements:
            if not _live(element, hidden):
                continue
            ref = status_ref(element.get("data-tweetid") or element.get("data-tweet-id"))
            if ref is None:
                continue
            placeholder = self.PLACEHOLDER(element)
            if placeholder:
                tweet = _read_blockquote(placeholder[0], ctx, form=self.form, hidden=hidden)
                if tweet is not None and tweet.id in (None, ref.id):
                    yield Found(tweet, element if host is None else host)
                    continue
            yield _found(ctx, element, host, form=self.form, status_id=ref.id, handle=ref.handle, hidden=hidden)


def _read_blockquote(element: Any, ctx: Context, *, form: str, hidden: bool) -> Tweet | None:
    """The blockquote reader of the blockquote family, so one parser reads every tweet blockquote."""
    from .blockquote import read_blockquote

    return read_blockquote(element, ctx, form=form, hidden=hidden)


def _element_text(element: Any) -> str:
    from .base import element_text

    return element_text(element)


# Substack's data-attrs dates, and the Twitter API's created_at ("Wed Feb 16 17:33:44 +0000 2022").
_API_TIME_FORMAT = "%a %b %d %H:%M:%S %z %Y"


def _exact_time(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return datetime.strptime(value.strip(), _API_TIME_FORMAT)
    except ValueError:
        pass
    from dateutil.parser import isoparse

    try:
        moment = isoparse(value.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def read_substack(attrs: str, ctx: Context, *, form: str, hidden: bool = False, element: str | None = None) -> Tweet | None:
    """A tweet from Substack's ``div.tweet[data-attrs]`` JSON (url, full_text, username, name, date).

    >>> read_substack('{"url": "https://twitter.com/a/status/1234567890123", "full_text": "hi", "username": "a"}',
    ...               Context(), form="cms-wrapper").text
    'hi'
    """
    try:
        data = json.loads(attrs)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    ref = status_ref(str(data.get("url") or "")) or status_ref(str(data.get("id") or data.get("id_str") or ""))
    if ref is None:
        return None
    text = data.get("full_text") or data.get("text") or ""
    handle = data.get("username") or data.get("screen_name") or ref.handle
    name = data.get("name")
    return make_tweet(
        ctx,
        form=form,
        text=text if isinstance(text, str) else "",
        handle=handle if isinstance(handle, str) else ref.handle,
        name=name if isinstance(name, str) else None,
        status_id=ref.id,
        exact_time=_exact_time(data.get("date") or data.get("created_at")),
        hidden=hidden,
        element=element,
    )


class CmsWrapper:
    """Publisher and CMS markup that names a tweet without Twitter's blockquote.

    Four shapes, each a general signal rather than one site's class name:
    an attribute whose *name* says tweet holding an id or status URL (``data-tweet-id``,
    ``data-tweetid``, ``data-tweet-url``); an id attribute on an element whose class or data says
    Twitter (``div.embed--twitter[data-embed-id]``); JSON data (Substack ``data-attrs``); iframes
    that show a status through a proxy (Drupal ``/media/oembed?url=``, Embedly ``url=``) or hold a
    blockquote as text (Facebook Instant Articles); and a publisher's tweet card (a tweet-text
    element next to a status permalink).
    """

    form = "cms-wrapper"
    needles = (b"tweet", b"twitter")
    # Attributes whose name says tweet (data-tweet-id, data-tweetid, data-tweet-url): walking the
    # attribute axis once is several times cheaper than testing every element for each name.
    NAMED = etree.XPath("descendant-or-self::*/@*[contains(name(), 'tweet')]")
    _NOT_NAMED_HOSTS = frozenset({"iframe", "twitterwidget", "twitter-widget", "amp-twitter", "blockquote"})
    # Elements whose class or data names Twitter and which carry an id-like attribute. The id-like
    # attributes are found by name (libxml2 compares names without making a string of each attribute,
    # as a test of every class's value does), and only their few elements have their values read.
    WRAPPED = etree.XPath(
        "(descendant-or-self::*/@data-embed-id | descendant-or-self::*/@data-id"
        " | descendant-or-self::*/@data-social-id | descendant-or-self::*/@data-embed)/parent::*"
        "[contains(@class, 'twitter') or contains(@class, 'Twitter') or contains(@data-embed, 'twitter')"
        " or ((@data-embed-id or @data-id) and contains(@data-provider, 'witter'))]"
    )
    _NOT_WRAPPED_HOSTS = frozenset({"iframe", "blockquote", "a", "script"})
    SUBSTACK = etree.XPath("descendant-or-self::*/@data-attrs/parent::*[contains(@class, 'tweet')]")
    PROXY_IFRAMES = etree.XPath(
        "descendant-or-self::iframe[contains(@src, 'status') or contains(@data-src, 'status')"
        " or contains(text(), 'blockquote')]"
    )
    # Walking the class attributes themselves skips the elements without one.
    CARD_TEXTS = etree.XPath(
        "descendant-or-self::*/@class[contains(., 'tweet') or contains(., 'Tweet')]"
        "/parent::*[contains(@class, 'text') or contains(@class, 'content') or contains(@class, 'body')]"
    )
    ANY_BLOCKQUOTE = etree.XPath("boolean(descendant-or-self::blockquote)")
    # How far a card's permalink may sit above its text element (text -> tweet body -> card).
    CARD_MAX_DEPTH = 4

    def find(self, root: Any, ctx: Context) -> Iterator[Found]:
        return self.read(root, ctx)

    def read(self, scope: Any, ctx: Context, *, hidden: bool = False, host: Any = None) -> Iterator[Found]:
        seen: set[str] = set()
        for found in self._all(scope, ctx, hidden, host):
            key = found.tweet.id or ""
            if key and key in seen:
                continue
            seen.add(key)
            yield found

    def _all(self, scope: Any, ctx: Context, hidden: bool, host: Any) -> Iterator[Found]:
        yield from self._named(scope, ctx, hidden, host)
        yield from self._wrapped(scope, ctx, hidden, host)
        yield from self._substack(scope, ctx, hidden, host)
        yield from self._proxy_iframes(scope, ctx, hidden, host)
        yield from self._cards(scope, ctx, hidden, host)

    def parts(self) -> tuple[HtmlExtractor, ...]:
        """The five shapes as extractors of their own, each run only when the page holds its needles
        (proxy iframes: always, over the page's iframes)."""
        return (
            _CmsPart(self._named, (TWEET_ATTRIBUTE,)),
            _CmsPart(self._wrapped, (TWITTER_DATA_ID,)),
            _CmsPart(self._substack, (TWEET_DATA_ATTRS,)),
            _CmsPart(self._proxy_iframes, (), "iframe"),
            _CmsPart(self._cards, (TWEET_TEXT_CLASS,)),
        )

    def _usable(self, element: Any, hidden: bool) -> bool:
        return (
            _live(element, hidden)
            and not _marks_non_tweet(element)
            and not self.ANY_BLOCKQUOTE(element)  # a blockquote inside is the blockquote family's
            and not in_sidebar(element)
        )

    def _named(self, scope: Any, ctx: Context, hidden: bool, host: Any) -> Iterator[Found]:
        for value in self.NAMED(scope):
            element = value.getparent()
            if element.tag in self._NOT_NAMED_HOSTS or value.attrname == "data-attrs":
                continue
            ref = status_ref(str(value))
            if ref is None or not self._usable(element, hidden):
                continue
            handle = ref.handle or _handle_attribute(element)
            yield _found(ctx, element, host, form=self.form, status_id=ref.id, handle=handle, hidden=hidden)

    def _wrapped(self, scope: Any, ctx: Context, hidden: bool, host: Any) -> Iterator[Found]:
        for element in self.WRAPPED(scope):
            if element.tag in self._NOT_WRAPPED_HOSTS:
                continue
            ref = None
            for name in ("data-embed-id", "data-social-id", "data-id", "data-embed"):
                ref = status_ref(element.get(name))
                if ref is not None and (ref.handle or len(ref.id) >= MIN_UNNAMED_ID_DIGITS):
                    break
                ref = None
            if ref is None or not self._usable(element, hidden):
                continue
            handle = ref.handle or _handle_attribute(element)
            yield _found(ctx, element, host, form=self.form, status_id=ref.id, handle=handle, hidden=hidden)

    def _substack(self, scope: Any, ctx: Context, hidden: bool, host: Any) -> Iterator[Found]:
        for element in self.SUBSTACK(scope):
            if not _live(element, hidden):
                continue
            tweet = read_substack(element.get("data-attrs") or "", ctx, form=self.form, hidden=hidden,
                                  element=element_path(element))
            if tweet is not None:
                yield Found(tweet, element if host is None else host)

    def _proxy_iframes(self, scope: Any, ctx: Context, hidden: bool, host: Any,
                       iframes: list[Any] | None = None) -> Iterator[Found]:
        if iframes is None:
            iframes = self.PROXY_IFRAMES(scope)
        else:  # the page's iframes, tested as PROXY_IFRAMES does
            iframes = [element for element in iframes if "status" in (element.get("src") or "")
                       or "status" in (element.get("data-src") or "") or "blockquote" in (element.text or "")]
        for element in iframes:
            if not _live(element, hidden) or _marks_non_tweet(element) or element.get("data-tweet-id"):
                continue
            markup = element.text or ""
            if "blockquote" in markup:
                yield from self._iframe_markup(element, markup, ctx, hidden, host)
                continue
            src = element.get("src") or element.get("data-src") or ""
            if "platform.twitter.com" in src or "platform.x.com" in src:
                continue  # Twitter's own widget iframe: the iframe form
            ref = iframe_src_ref(src)
            if ref is not None:
                yield _found(ctx, element, host, form=self.form, status_id=ref.id, handle=ref.handle, hidden=hidden)

    def _iframe_markup(self, element: Any, markup: str, ctx: Context, hidden: bool, host: Any) -> Iterator[Found]:
        """An iframe whose content is a blockquote as text (Facebook Instant Articles' op-interactive)."""
        from lxml import html as lxml_html

        try:
            fragment = lxml_html.fragment_fromstring(markup, create_parent="div")
        except (etree.ParserError, ValueError):
            return
        for quote in fragment.xpath(".//blockquote[not(ancestor::blockquote)]"):
            tweet = _read_blockquote(quote, ctx, form=self.form, hidden=hidden)
            if tweet is not None:
                yield Found(tweet, element if host is None else host)

    def _cards(self, scope: Any, ctx: Context, hidden: bool, host: Any) -> Iterator[Found]:
        for text_element in self.CARD_TEXTS(scope):
            card = _card_of(text_element, STATUS_LINKS, self.CARD_MAX_DEPTH)
            if card is None or not _live(card, hidden) or in_sidebar(text_element) or _marks_non_tweet(card):
                continue
            if len(self.CARD_TEXTS(card.getparent() if card.getparent() is not None else card)) > 1:
                continue  # several tweets in one list: a feed, not an embed
            refs = [ref for ref in (parse_status_url(a.get("href") or "") for a in STATUS_LINKS(card)) if ref]
            if len({ref.id for ref in refs}) != 1:
                continue  # a card shows one tweet; more statuses mean prose or a page region
            ref = refs[-1]
            handle = _class_text(card, ("username", "screen-name", "screenname", "handle")) or ref.handle
            name = _class_text(card, ("display-name", "displayname", "fullname", "full-name", "author-name"))
            date = _card_date(card)
            yield _found(
                ctx, card, host, form=self.form, status_id=ref.id, handle=(handle or "").strip().lstrip("@") or None,
                name=name, text=_element_text(text_element), date_text=date, hidden=hidden,
            )


class _CmsPart:
    """One shape of ``CmsWrapper`` run over the live page; with ``tag``, over the page's elements of that tag."""

    form = "cms-wrapper"

    def __init__(self, reader: Callable[..., Iterator[Found]], needles: tuple[str, ...], tag: str | None = None):
        self._reader = reader
        self.needles = needles
        self._tag = tag

    def find(self, root: Any, ctx: Context) -> Iterator[Found]:
        if self._tag is None:
            return self._reader(root, ctx, False, None)
        return self._reader(root, ctx, False, None, page_of(root).candidates(self._tag))


# A card never spans a page region: reaching one means the text has no permalink of its own.
_PAGE_REGIONS = frozenset({"body", "main", "article", "section", "aside", "html"})


def _card_of(text_element: Any, status_links: Any, max_depth: int) -> Any | None:
    """The nearest ancestor of a tweet-text element that also holds a status permalink."""
    node = text_element.getparent()
    for _ in range(max_depth):
        if node is None or node.tag in _PAGE_REGIONS:
            return None
        if status_links(node):
            return node
        node = node.getparent()
    return None


def _class_text(card: Any, words: Iterable[str]) -> str | None:
    for word in words:
        hits = card.xpath(f"descendant::*[contains(translate(@class, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',"
                          f" 'abcdefghijklmnopqrstuvwxyz'), '{word}')]")
        for hit in hits:
            text = " ".join("".join(hit.itertext()).split())
            if text:
                return text
    return None


def _card_date(card: Any) -> str | None:
    times = card.xpath("descendant::time")
    if times:
        text = " ".join("".join(times[0].itertext()).split())
        return text or times[0].get("datetime")
    return _class_text(card, ("timestamp", "created", "date"))


_HANDLE_ATTRIBUTES = ("data-screen-name", "data-screenname", "data-username", "data-user", "data-handle", "data-author")
_HANDLE = re.compile(r"@?([A-Za-z0-9_]{1,15})")


def _handle_attribute(element: Any) -> str | None:
    for name in _HANDLE_ATTRIBUTES:
        m = _HANDLE.fullmatch((element.get(name) or "").strip())
        if m:
            return m.group(1)
    return None


class ImageFallback:
    """Screenshots standing in for an embed, tied to a status URL: an image wrapped in a link to the
    status, or a figure whose caption or credit links the status."""

    form = "image-fallback"
    needles: tuple[str, ...] = (LINKED_IMAGE, FIGURE_STATUS)
    # A status link that wraps an image (or a lazy-loading image placeholder).
    LINKED_IMAGES = etree.XPath(
        "descendant-or-self::a[contains(@href, '/status')]"
        "[descendant::img or descendant::picture or descendant::*[@data-src or @data-alt]]"
    )
    # A figure with an image and a status link in its caption or credit.
    FIGURES = etree.XPath(
        "descendant-or-self::figure[descendant::img or descendant::picture or descendant::*[@data-src]]"
        "[descendant::a[contains(@href, '/status')]]"
    )
    IMAGES = etree.XPath("descendant-or-self::*[self::img or @data-alt][@alt or @data-alt]")
    EMBED_INSIDE = etree.XPath(
        "boolean(ancestor-or-self::blockquote or descendant::blockquote or descendant::iframe"
        " or ancestor::*[contains(translate(@class, 'TWE', 'twe'), 'tweet')])"
    )
    # Images this small are tracking pixels or icons, not screenshots.
    MIN_IMAGE_SIDE = 24
    # "Twitter post by @handle: text" and the like: an alt that transcribes the tweet. Matched against
    # the alt with its leading spaces stripped (a leading \s* would be O(L^2) in search mode).
    ALT_TEXT = re.compile(r"(?:twitter|tweet|x)\s+(?:post\s+)?(?:by|from)\s+@(\w{1,15})\s*[:\-\u2013\u2014]\s*(.+)",
                          re.IGNORECASE | re.DOTALL)

    def find(self, root: Any, ctx: Context) -> Iterator[Found]:
        return self.read(root, ctx)

    def read(self, scope: Any, ctx: Context, *, hidden: bool = False, host: Any = None) -> Iterator[Found]:
        seen: set[str] = set()
        candidates = [(a, [a]) for a in self.LINKED_IMAGES(scope)]
        candidates += [(figure, STATUS_LINKS(figure)) for figure in self.FIGURES(scope)]
        candidates.sort(key=lambda pair: pair[0].sourceline or 0)
        for element, links in candidates:
            refs = {ref.id: ref for ref in (parse_status_url(a.get("href") or "") for a in links) if ref}
            if len(refs) != 1:
                continue  # a figure linking several statuses is prose about them, not one screenshot
            ref = next(iter(refs.values()))
            if ref.id in seen or not _live(element, hidden) or in_sidebar(element) or self.EMBED_INSIDE(element):
                continue
            if not self._has_screenshot(element):
                continue
            seen.add(ref.id)
            yield _found(ctx, element, host, form=self.form, status_id=ref.id, handle=ref.handle,
                         text=self._alt_text(element, ref.handle), hidden=hidden)

    def _has_screenshot(self, element: Any) -> bool:
        for image in element.xpath("descendant::img | descendant::picture | descendant::*[@data-src]"):
            classes = (image.get("class") or "").lower()
            if "avatar" in classes or "profile" in classes:
                continue
            if any((pixels := _pixels(image.get(side))) is not None and pixels < self.MIN_IMAGE_SIDE
                   for side in ("width", "height")):
                continue
            return True
        return False

    def _alt_text(self, element: Any, handle: str | None) -> str:
        scope = element.getparent() if element.getparent() is not None else element
        for image in self.IMAGES(element) + self.IMAGES(scope):
            m = self.ALT_TEXT.match((image.get("alt") or image.get("data-alt") or "").lstrip())
            if m and handle and m.group(1).lower() == handle.lower():
                return m.group(2)
        return ""


# The number a width or height attribute starts with ("300", " 24px"), read after its leading spaces
# are stripped (a leading \s* before a required digit would be O(L^2) in search mode).
_LEADING_NUMBER = re.compile(r"\d+")


def _pixels(value: str | None) -> int | None:
    m = _LEADING_NUMBER.match((value or "").lstrip())
    return int(m.group()) if m else None


class BlackbirdPie:
    """Twitter's Blackbird Pie embeds (2010–11), pasted as static markup: ``div.bbpBox<id>`` holding
    ``p.bbpTweet`` (the text), ``span.timestamp > a[title]`` (the status link, its title the exact
    UTC time as the API wrote it, "Sat Jul 31 02:51:46 +0000 2010") and ``span.author`` (avatar,
    display name in ``strong``, screen name). Ids of that era are mostly pre-snowflake, so the title
    is the only exact time; for a snowflake id the id's time wins (build does that)."""

    form = "blackbird-pie"
    # Its tweet paragraph's class "bbpTweet" is part of the markup Blackbird Pie wrote.
    needles: tuple[str, ...] = (BLACKBIRD,)
    BOXES = etree.XPath("//*[starts-with(@class, 'bbpBox') or contains(@class, ' bbpBox')]")
    TWEET = etree.XPath("descendant::*[contains(concat(' ', normalize-space(@class), ' '), ' bbpTweet ')][1]")
    TIMESTAMP = etree.XPath("descendant::*[contains(concat(' ', normalize-space(@class), ' '), ' timestamp ')][1]")
    NAME = etree.XPath("descendant::*[contains(concat(' ', normalize-space(@class), ' '), ' author ')]//strong[1]")

    def find(self, root: Any, ctx: Context) -> Iterator[Found]:
        for box in self.BOXES(root):
            if not _live(box, False) or in_sidebar(box):
                continue
            anchors = [(a, ref) for a in box.iter("a") if (ref := parse_status_url(a.get("href") or "")) is not None]
            if not anchors:
                continue
            # The timestamp link is the one carrying the time; a status linked in the text comes earlier.
            anchor, ref = next(((a, r) for a, r in anchors if a.get("title")), anchors[-1])
            timestamp = self.TIMESTAMP(box)
            tweet_element = self.TWEET(box)
            text = ""
            if tweet_element:
                stop = timestamp[0] if timestamp else anchor
                text = _element_text_before(tweet_element[0], stop)
            name = self.NAME(box)
            yield _found(
                ctx, box, None, form=self.form, status_id=ref.id, handle=ref.handle,
                name=_element_text(name[0]) if name else None, text=text,
                exact_time=_exact_time(anchor.get("title")),
                date_text=_element_text(anchor) or None,
            )


def _element_text_before(element: Any, stop: Any) -> str:
    from .base import element_text

    return element_text(element, stop=stop)


# This module's extractors, in the order they run.
EXTRACTORS: tuple[HtmlExtractor, ...] = (RenderedIframe(), AmpTwitter(), BlackbirdPie(), *CmsWrapper().parts(),
                                         ImageFallback())
