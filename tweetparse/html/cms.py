"""HTML extractors for publisher and CMS markup that names a tweet without Twitter's blockquote.

Each shape is a general signal rather than one site's class name: WordPress's embed block and its
unexpanded shortcodes, an attribute whose name says tweet, an id on an element naming Twitter, Substack's
JSON, an iframe showing a status through a proxy, and a tweet card (a tweet-text element next to a status
permalink).
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator

from lxml import etree
from lxml import html as lxml_html

from ..build import Context, Draft
from ..search import Needle, within
from ..urls import StatusRef, find_status_urls, parse_status_url
from .blockquote import has_class, read_blockquote, status_anchors
from .embeds import MIN_UNNAMED_ID_DIGITS, exact_time, iframe_src_ref, marks_non_tweet, status_ref
from .needles import STATUS_ID
from .page import Element, Extractor, Found, Page
from .reading import SKIP_TAGS, element_text, raw_text

__all__ = ["EXTRACTORS", "read_substack"]

FORM = "cms-wrapper"
_HANDLE_ATTRIBUTES = ("data-screen-name", "data-screenname", "data-username", "data-user", "data-handle", "data-author")
_HANDLE = re.compile(r"@?([A-Za-z0-9_]{1,15})")


def _handle_attribute(element: Element) -> str | None:
    for name in _HANDLE_ATTRIBUTES:
        m = _HANDLE.fullmatch((element.get(name) or "").strip())
        if m:
            return m.group(1)
    return None


def _usable(page: Page, element: Element) -> bool:
    """A wrapper read here: live, no share/follow button or timeline, no blockquote inside (that is the
    blockquote family's), not in the site's sidebar."""
    return (not page.unseen(element) and not marks_non_tweet(element)
            and next(element.iter("blockquote"), None) is None and not page.in_sidebar(element))


class GutenbergEmbed:
    """WordPress's ``figure.wp-block-embed-twitter`` (Gutenberg) that never became a blockquote: the
    status URL stands as the wrapper's text or link. A figure holding a live blockquote is left to
    the blockquote family; one holding a timeline names no status and yields nothing."""

    form = FORM
    needles: tuple[Needle, ...] = STATUS_ID  # its classes alone are in every theme's style sheet
    CLASSES = ("wp-block-embed-twitter", "is-provider-twitter")

    def find(self, page: Page, ctx: Context) -> Iterator[Found]:
        for figure in page.candidates("figure"):
            if not has_class(figure, self.CLASSES) or next(figure.iter("blockquote"), None) is not None:
                continue
            ref = _first_status(figure)
            if ref is not None:
                yield Found(Draft(form=self.form, handle=ref.handle, id=ref.id), figure)


def _first_status(element: Element) -> StatusRef | None:
    """The first status an element links or shows as text."""
    anchors = status_anchors(element)
    if anchors:
        return anchors[0][1]
    found = find_status_urls(element_text(element))
    return found[0][0] if found else None


# Where a shortcode is not left-over CMS input: unseen text, or code that shows a shortcode as an example.
_NOT_CONTENT = SKIP_TAGS | {"code", "pre"}


class Shortcode:
    """WordPress/Jetpack shortcodes the CMS failed to expand, left in the text: ``[tweet URL]``,
    ``[tweet 123]``, ``[twitter url="URL"]``, ``[tweet id=123]``, ``[embed]URL[/embed]``."""

    form = FORM
    needles: tuple[Needle, ...] = (Needle(rb"\[tweet[\s=\]]"), Needle(rb"\[twitter[\s=\]]"),
                                   Needle(rb"\[embed\][^\[\]]{0,400}status"))
    TEXTS = etree.XPath("descendant::text()[contains(., '[')]")
    # The shortcode body is bounded: a real one is a URL and a few options, never a paragraph.
    SHORTCODE = re.compile(
        r"\[(?:tweet|twitter)\b(?P<options>[^\[\]\n]{1,400})\]|\[embed\](?P<url>[^\[\]\s]{1,400})\[/embed\]",
        re.IGNORECASE,
    )
    BARE_ID = re.compile(r"(?:^|[\s=\"'])(\d{6,20})(?=$|[\s\"'])")

    def find(self, page: Page, ctx: Context) -> Iterator[Found]:
        root = page.root
        body = root.find("body") if root.tag == "html" else root
        if body is None or not self.SHORTCODE.search(raw_text(body)):
            return
        for node in self.TEXTS(body):
            element = node.getparent()
            if element is None:
                continue
            host = element.getparent() if node.is_tail else element
            if host is None or any(isinstance(a.tag, str) and a.tag in _NOT_CONTENT for a in page.ancestors(host)):
                continue
            for m in self.SHORTCODE.finditer(str(node)):
                options = m.group("options") or m.group("url") or ""
                ref = parse_status_url(options)
                if ref is None and m.group("options"):
                    bare = self.BARE_ID.search(options)
                    ref = StatusRef(None, bare.group(1).lstrip("0")) if bare else None
                if ref is not None:
                    yield Found(Draft(form=self.form, handle=ref.handle, id=ref.id), host)


class NamedAttribute:
    """An attribute whose *name* says tweet, holding a status id or URL (``data-tweet-id``,
    ``data-tweetid``, ``data-tweet-url``) on a publisher's own element."""

    form = FORM
    # The attribute's name, then a value starting with a digit or holding a status path.
    needles: tuple[Needle, ...] = (Needle(rb"tweet[a-z0-9_:.-]{0,40}\s*=\s*[\"']?(?:[0-9]|[^\"'<>\s]{0,300}status)"),)
    # Walking the attribute axis once is several times cheaper than testing every element for each name.
    NAMED = etree.XPath("descendant-or-self::*/@*[contains(name(), 'tweet')]")
    _NOT_HOSTS = frozenset({"iframe", "twitterwidget", "twitter-widget", "amp-twitter", "blockquote"})

    def find(self, page: Page, ctx: Context) -> Iterator[Found]:
        for value in self.NAMED(page.root):
            element = value.getparent()
            if element.tag in self._NOT_HOSTS or value.attrname == "data-attrs":
                continue
            ref = status_ref(str(value))
            if ref is not None and _usable(page, element):
                yield Found(Draft(form=self.form, id=ref.id, handle=ref.handle or _handle_attribute(element)), element)


class TwitterDataId:
    """An id attribute on an element whose class or data names Twitter (``div.embed--twitter[data-embed-id]``,
    ``[data-provider=twitter][data-id]``)."""

    form = FORM
    # A start tag naming Twitter and one of the id attributes, in either order.
    needles: tuple[Needle, ...] = (Needle(rb"twitter[^<>]{0,500}data-(?:embed|id|social-id)"),
                                   within(b"twitter", rb"data-(?:embed|id|social-id)[^<>]{0,500}twitter"))
    # The id-like attributes are found by name (libxml2 compares names without making a string of each
    # attribute, as a test of every class's value does), and only their few elements have their values read.
    WRAPPED = etree.XPath(
        "(descendant-or-self::*/@data-embed-id | descendant-or-self::*/@data-id"
        " | descendant-or-self::*/@data-social-id | descendant-or-self::*/@data-embed)/parent::*"
        "[contains(@class, 'twitter') or contains(@class, 'Twitter') or contains(@data-embed, 'twitter')"
        " or ((@data-embed-id or @data-id) and contains(@data-provider, 'witter'))]"
    )
    _NOT_HOSTS = frozenset({"iframe", "blockquote", "a", "script"})
    _ID_ATTRIBUTES = ("data-embed-id", "data-social-id", "data-id", "data-embed")

    def find(self, page: Page, ctx: Context) -> Iterator[Found]:
        for element in self.WRAPPED(page.root):
            if element.tag in self._NOT_HOSTS:
                continue
            # An attribute holding the embed's markup is a hidden copy, read whole by EscapedAttribute.
            values = [value for name in self._ID_ATTRIBUTES if (value := element.get(name)) and "<" not in value]
            ref = next((ref for value in values if (ref := status_ref(value)) is not None
                        and (ref.handle or len(ref.id) >= MIN_UNNAMED_ID_DIGITS)), None)
            if ref is not None and _usable(page, element):
                yield Found(Draft(form=self.form, id=ref.id, handle=ref.handle or _handle_attribute(element)), element)


def read_substack(attrs: str, *, form: str) -> Draft | None:
    """A tweet from Substack's ``div.tweet[data-attrs]`` JSON (url, full_text, username, name, date).

    >>> read_substack('{"url": "https://twitter.com/a/status/1234567890123", "full_text": "hi"}', form="cms-wrapper").text
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
    text, handle, name = data.get("full_text") or data.get("text"), data.get("username") or data.get("screen_name"), \
        data.get("name")
    return Draft(
        form=form,
        text=text if isinstance(text, str) else "",
        handle=handle if isinstance(handle, str) else ref.handle,
        name=name if isinstance(name, str) else None,
        id=ref.id,
        exact_time=exact_time(data.get("date") or data.get("created_at")),
    )


class SubstackAttrs:
    """Substack's tweet component: an element whose class names a tweet, its data in ``data-attrs`` JSON."""

    form = FORM
    needles: tuple[Needle, ...] = (Needle(rb"tweet[^<>]{0,500}data-attrs"), within(b"tweet", rb"data-attrs[^<>]{0,500}tweet"))
    ELEMENTS = etree.XPath("descendant-or-self::*/@data-attrs/parent::*[contains(@class, 'tweet')]")

    def find(self, page: Page, ctx: Context) -> Iterator[Found]:
        for element in self.ELEMENTS(page.root):
            if page.unseen(element):
                continue
            draft = read_substack(element.get("data-attrs") or "", form=self.form)
            if draft is not None:
                yield Found(draft, element)


class ProxyIframe:
    """Iframes that show a status through a proxy (Drupal ``/media/oembed?url=``, Embedly ``url=``), or
    hold an embed blockquote as their text (Facebook Instant Articles' ``op-interactive``)."""

    form = FORM
    needles: tuple[Needle, ...] = (within(b"status", rb"<iframe[^<>]{0,2000}status"),
                                   within(b"blockquote", rb"<iframe[^<>]{0,2000}>\s*(?:<|&lt;)blockquote"))

    def find(self, page: Page, ctx: Context) -> Iterator[Found]:
        for element in page.candidates("iframe"):
            markup = element.text or ""
            src = element.get("src") or element.get("data-src") or ""
            if "status" not in src and "blockquote" not in markup:
                continue
            if page.unseen(element) or marks_non_tweet(element) or element.get("data-tweet-id"):
                continue
            if "blockquote" in markup:
                yield from self._iframe_markup(element, markup)
            elif "platform.twitter.com" not in src and "platform.x.com" not in src:  # Twitter's own: an iframe
                ref = iframe_src_ref(src)
                if ref is not None:
                    yield Found(Draft(form=self.form, id=ref.id, handle=ref.handle), element)

    def _iframe_markup(self, element: Element, markup: str) -> Iterator[Found]:
        try:
            fragment = lxml_html.fragment_fromstring(markup, create_parent="div")
        except (etree.ParserError, ValueError):
            return
        for quote in fragment.xpath(".//blockquote[not(ancestor::blockquote)]"):
            reading = read_blockquote(quote, form=self.form)
            if reading is not None:
                yield Found(reading.draft, element)


class TweetCard:
    """A publisher's own tweet card: an element whose class names a tweet's text/content/body, under an
    element that links one status (the card), with the author's name, handle and date read by class."""

    form = FORM
    needles: tuple[Needle, ...] = (
        within(b"tweet", rb"class\s*=\s*[\"']?[^\"'<>]{0,100}tweet[^\"'<>]{0,100}(?:text|content|body)"),
        within(b"tweet", rb"class\s*=\s*[\"']?[^\"'<>]{0,100}(?:text|content|body)[^\"'<>]{0,100}tweet"),
    )
    # Walking the class attributes themselves skips the elements without one.
    TEXTS = etree.XPath(
        "descendant-or-self::*/@class[contains(., 'tweet') or contains(., 'Tweet')]"
        "/parent::*[contains(@class, 'text') or contains(@class, 'content') or contains(@class, 'body')]"
    )
    STATUS_LINKS = etree.XPath("descendant::a[contains(@href, '/status')]")
    # How far a card's permalink may sit above its text element (text -> tweet body -> card).
    CARD_MAX_DEPTH = 4

    def find(self, page: Page, ctx: Context) -> Iterator[Found]:
        for text_element in self.TEXTS(page.root):
            card = self._card_of(text_element)
            if card is None or page.unseen(card) or page.in_sidebar(text_element) or marks_non_tweet(card):
                continue
            if len(self.TEXTS(card.getparent() if card.getparent() is not None else card)) > 1:
                continue  # several tweets in one list: a feed, not an embed
            refs = [ref for ref in (parse_status_url(a.get("href") or "") for a in self.STATUS_LINKS(card)) if ref]
            if len({ref.id for ref in refs}) != 1:
                continue  # a card shows one tweet; more statuses mean prose or a page region
            ref = refs[-1]
            handle = _class_text(card, ("username", "screen-name", "screenname", "handle")) or ref.handle
            yield Found(Draft(
                form=self.form, id=ref.id, handle=(handle or "").strip().lstrip("@") or None,
                name=_class_text(card, ("display-name", "displayname", "fullname", "full-name", "author-name")),
                text=element_text(text_element), date_text=_card_date(card),
            ), card)

    def _card_of(self, text_element: Element) -> Element | None:
        """The nearest ancestor of a tweet-text element that also holds a status permalink; a card never
        spans a page region, so reaching one means the text has no permalink of its own."""
        node = text_element.getparent()
        for _ in range(self.CARD_MAX_DEPTH):
            if node is None or node.tag in _PAGE_REGIONS:
                return None
            if self.STATUS_LINKS(node):
                return node
            node = node.getparent()
        return None


_PAGE_REGIONS = frozenset({"body", "main", "article", "section", "aside", "html"})


def _class_text(card: Element, words: Iterable[str]) -> str | None:
    for word in words:
        hits = card.xpath(f"descendant::*[contains(translate(@class, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',"
                          f" 'abcdefghijklmnopqrstuvwxyz'), '{word}')]")
        for hit in hits:
            text = " ".join("".join(hit.itertext()).split())
            if text:
                return text
    return None


def _card_date(card: Element) -> str | None:
    times = card.xpath("descendant::time")
    if times:
        text = " ".join("".join(times[0].itertext()).split())
        return text or times[0].get("datetime")
    return _class_text(card, ("timestamp", "created", "date"))


# This module's extractors, in the order they run.
EXTRACTORS: tuple[Extractor, ...] = (GutenbergEmbed(), Shortcode(), NamedAttribute(), TwitterDataId(),
                                     SubstackAttrs(), ProxyIframe(), TweetCard())
