"""HTML extractors: tweets shown through a rendered widget, AMP, Blackbird Pie's static markup or a screenshot."""
from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from lxml import etree

from ..build import Context, Draft
from ..search import Needle, literal
from ..urls import StatusRef, parse_status_url
from .blockquote import read_blockquote
from .needles import STATUS_ID
from .page import Element, Extractor, Found, Page
from .reading import element_text

__all__ = ["EXTRACTORS", "exact_time", "iframe_src_ref", "marks_non_tweet", "status_ref"]

# A bare status id as a data attribute holds it. Ids are 64-bit integers: at most 20 digits. Matched
# against the stripped value: a leading \s* before a required digit would be O(L^2) in search mode.
_BARE_ID = re.compile(r"\d{1,20}")
# Ids shorter than this are CMS post ids or counters, not tweets: the first public tweets of 2006
# already had 2 digits, but an attribute that does not *say* tweet needs stronger evidence, and
# every tweet after mid-2009 has at least this many digits.
MIN_UNNAMED_ID_DIGITS = 10

# Classes and ids that mark Twitter widgets which are not a single tweet: buttons and timelines.
_NOT_A_TWEET = ("share", "follow", "tweet-button", "tweet_button", "timeline", "mention-button", "hashtag-button")

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


def marks_non_tweet(element: Element) -> bool:
    """A share/follow/tweet button or a timeline, by its class, id or src."""
    marks = " ".join(element.get(a) or "" for a in ("class", "id", "src", "data-src")).lower()
    return any(word in marks for word in _NOT_A_TWEET)


class RenderedIframe:
    """Embeds saved after widgets.js ran: ``iframe[data-tweet-id]``, ``twitterwidget``, Tweet.html iframes."""

    form = "iframe"
    needles: tuple[Needle, ...] = (Needle(rb"<twitter-?widget"), literal(b"data-tweet-id"),
                                   Needle(rb"/embed/(?:tweet|index)\.html"))
    _EMBED_PAGES = ("/embed/Tweet.html", "/embed/index.html")

    def find(self, page: Page, ctx: Context) -> Iterator[Found]:
        for element in page.candidates("iframe", "twitterwidget", "twitter-widget"):
            if element.tag == "iframe" and element.get("data-tweet-id") is None and not any(
                    name in (element.get("src") or "") for name in self._EMBED_PAGES):
                continue
            if page.unseen(element) or marks_non_tweet(element):
                continue
            ref = status_ref(element.get("data-tweet-id")) or iframe_src_ref(element.get("src"))
            if ref is not None:
                yield Found(Draft(form=self.form, id=ref.id, handle=ref.handle), element)


class AmpTwitter:
    """``<amp-twitter data-tweetid>``: a bare id or a whole status URL, perhaps with a placeholder blockquote."""

    form = "amp"
    needles: tuple[Needle, ...] = (literal(b"<amp-twitter"),)

    def find(self, page: Page, ctx: Context) -> Iterator[Found]:
        for element in page.candidates("amp-twitter"):
            ref = status_ref(element.get("data-tweetid") or element.get("data-tweet-id"))
            if ref is None or page.unseen(element):
                continue
            placeholder = next(element.iter("blockquote"), None)
            reading = read_blockquote(placeholder, form=self.form) if placeholder is not None else None
            if reading is not None and reading.draft.id in (None, ref.id):
                yield Found(reading.draft, element)
            else:
                yield Found(Draft(form=self.form, id=ref.id, handle=ref.handle), element)


# Substack's data-attrs dates, and the Twitter API's created_at ("Wed Feb 16 17:33:44 +0000 2022").
_API_TIME_FORMAT = "%a %b %d %H:%M:%S %z %Y"


def exact_time(value: Any) -> datetime | None:
    """A time an attribute or JSON states exactly: the Twitter API's form or ISO 8601 with a zone."""
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


class ImageFallback:
    """Screenshots standing in for an embed, tied to a status URL: an image wrapped in a link to the
    status, or a figure whose caption or credit links the status."""

    form = "image-fallback"
    # A status link whose content, before the link closes, shows an image (or a lazy loader's placeholder).
    LINKED_IMAGE = Needle(rb"status(?:es)?/[0-9]{1,20}[^<>]*>(?:[^<]|<[a-z][^<>]*>)*<(?:img|picture|[a-z][^<>]*data-(?:src|alt))")
    needles: tuple[Needle, ...] = (LINKED_IMAGE, *STATUS_ID)
    IMAGES = etree.XPath("descendant-or-self::*[self::img or @data-alt][@alt or @data-alt]")
    SHOWN_IMAGES = etree.XPath("descendant::img | descendant::picture | descendant::*[@data-src]")
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

    def find(self, page: Page, ctx: Context) -> Iterator[Found]:
        # A status link wrapping an image, and a figure with an image and a status link in its caption or
        # credit; in document order.
        candidates: list[tuple[Element, list[StatusRef]]] = []
        if page.holds((self.LINKED_IMAGE,)):
            candidates += [(a, [ref]) for a, ref in page.status_anchors() if _holds_image(a, lazy_alt=True)]
        for figure in page.candidates("figure"):
            refs = [ref for a in figure.iter("a") if (ref := parse_status_url(a.get("href") or "")) is not None]
            if refs and _holds_image(figure, lazy_alt=False):
                candidates.append((figure, refs))
        candidates.sort(key=lambda pair: page.position(pair[0]))
        seen: set[str] = set()
        for element, refs in candidates:
            statuses = {ref.id: ref for ref in refs}
            if len(statuses) != 1:
                continue  # a figure linking several statuses is prose about them, not one screenshot
            ref = next(iter(statuses.values()))
            if ref.id in seen or page.unseen(element) or page.in_sidebar(element) or self.EMBED_INSIDE(element):
                continue
            if not self._has_screenshot(element):
                continue
            seen.add(ref.id)
            yield Found(Draft(form=self.form, id=ref.id, handle=ref.handle, text=self._alt_text(element, ref.handle)),
                        element)

    def _has_screenshot(self, element: Element) -> bool:
        for image in self.SHOWN_IMAGES(element):
            classes = (image.get("class") or "").lower()
            if "avatar" in classes or "profile" in classes:
                continue
            if any((pixels := _pixels(image.get(side))) is not None and pixels < self.MIN_IMAGE_SIDE
                   for side in ("width", "height")):
                continue
            return True
        return False

    def _alt_text(self, element: Element, handle: str | None) -> str:
        scope = element.getparent() if element.getparent() is not None else element
        for image in self.IMAGES(element) + self.IMAGES(scope):
            m = self.ALT_TEXT.match((image.get("alt") or image.get("data-alt") or "").lstrip())
            if m and handle and m.group(1).lower() == handle.lower():
                return m.group(2)
        return ""


def _holds_image(element: Element, *, lazy_alt: bool) -> bool:
    """Whether an image shows inside: an img or picture, or a lazy loader's placeholder (data-src; in a
    link also data-alt)."""
    return next(element.iter("img", "picture"), None) is not None or bool(
        (_LAZY_IMAGE_OR_ALT if lazy_alt else _LAZY_IMAGE)(element))


_LAZY_IMAGE = etree.XPath("boolean(descendant::*[@data-src])")
_LAZY_IMAGE_OR_ALT = etree.XPath("boolean(descendant::*[@data-src or @data-alt])")


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
    needles: tuple[Needle, ...] = (literal(b"bbpbox"),)
    BOXES = etree.XPath("//*[starts-with(@class, 'bbpBox') or contains(@class, ' bbpBox')]")
    TWEET = etree.XPath("descendant::*[contains(concat(' ', normalize-space(@class), ' '), ' bbpTweet ')][1]")
    TIMESTAMP = etree.XPath("descendant::*[contains(concat(' ', normalize-space(@class), ' '), ' timestamp ')][1]")
    NAME = etree.XPath("descendant::*[contains(concat(' ', normalize-space(@class), ' '), ' author ')]//strong[1]")

    def find(self, page: Page, ctx: Context) -> Iterator[Found]:
        for box in self.BOXES(page.root):
            if page.unseen(box) or page.in_sidebar(box):
                continue
            anchors = [(a, ref) for a in box.iter("a") if (ref := parse_status_url(a.get("href") or "")) is not None]
            if not anchors:
                continue
            # The timestamp link is the one carrying the time; a status linked in the text comes earlier.
            anchor, ref = next(((a, r) for a, r in anchors if a.get("title")), anchors[-1])
            timestamp = self.TIMESTAMP(box)
            tweet_element = self.TWEET(box)
            text = element_text(tweet_element[0], stop=timestamp[0] if timestamp else anchor) if tweet_element else ""
            name = self.NAME(box)
            yield Found(Draft(
                form=self.form, id=ref.id, handle=ref.handle, name=element_text(name[0]) if name else None,
                text=text, exact_time=exact_time(anchor.get("title")), date_text=element_text(anchor) or None,
            ), box)


# This module's extractors, in the order they run: embeds that show their tweet, then screenshots standing in
# for one (the registry runs cards between them).
RENDERED: tuple[Extractor, ...] = (RenderedIframe(), AmpTwitter(), BlackbirdPie())
FALLBACKS: tuple[Extractor, ...] = (ImageFallback(),)
EXTRACTORS: tuple[Extractor, ...] = (*RENDERED, *FALLBACKS)
