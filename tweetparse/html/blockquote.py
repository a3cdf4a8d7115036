"""HTML extractors for tweet blockquotes: the publish markup of every era, stubs, renamed classes, CMS wrappers."""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, NamedTuple

from lxml import etree

from ..build import Context, make_tweet
from ..dates import parse_relative, parse_shown_date
from ..record import Link, Tweet
from ..urls import StatusRef, find_status_urls, parse_status_url
from .base import SKIP_TAGS, Found, HtmlExtractor, element_path, element_text, page_of, raw_text
from .scan import SHORTCODE

__all__ = ["EXTRACTORS", "read_blockquote"]

# "— Name (@handle)" at the end of the text before the date link. The dash is an em dash in every
# era (``&mdash;``); en dashes and hyphens appear after CMS retyping, so they must follow a space.
_ATTRIBUTION = re.compile(r"(?:^|(?<=\s))(?:[—―]|[–-]{1,2}(?=\s))")
# The "(@handle)" that ends the attribution line, read from its "(" (the line's last one) to its ")".
_HANDLE_PART = re.compile(r"\(\s*+@(?P<handle>\w{1,15})\s*+\)")
# How far before the "(@handle)" its dash is looked for first: Twitter display names are at most 50
# characters, so the dash is almost always this close; when it is not, the window grows (x4) until it
# holds a dash or the whole line, so a longer name reads as before and a line costs O(its length).
NAME_WINDOW_CHARS = 64
# Twitter shows the id of the embedding attribute without a URL in lazy-loader and CMS markup.
_ID_ATTRIBUTES = ("data-tweet-id", "data-tweetid", "data-id")
_DIGITS = re.compile(r"\d{1,20}")
_MEDIA_DISPLAY = ("pic.twitter.com/", "pic.x.com/")
# Anchors whose visible text is an entity, not a link the tweet carries.
_ENTITY_PREFIXES = ("#", "@", "$", "＃", "＠")


class Attribution(NamedTuple):
    """The parts of a blockquote: body text, who said it, and where the date link was."""

    body: str
    name: str | None
    handle: str | None


def split_attribution(text: str) -> Attribution:
    """Split the text before a date link into the body and the ``— Name (@handle)`` attribution.

    >>> split_attribution("Snow today\\n\\n— Jane Doe (@janedoe)")
    Attribution(body='Snow today', name='Jane Doe', handle='janedoe')
    """
    # The attribution is the rightmost dash of the last line after which the rest of the line is
    # "Name (@handle)": names may themselves hold dashes ("Jean-Luc"), bodies too. The "(@handle)" is
    # found first, from the line's end; then every dash before its "(" leaves a name (anything but a
    # line break), so the rightmost one is the attribution's. Testing the rest of the line after each
    # dash instead would make a line of n dashes O(n^2).
    line_start = text.rfind("\n") + 1
    close = line_start + len(text[line_start:].rstrip())
    paren = text.rfind("(", line_start, close)
    handle = _HANDLE_PART.fullmatch(text, paren, close) if paren >= 0 and text[close - 1] == ")" else None
    if handle is not None:
        dash = _last_dash(text, line_start, paren)
        if dash is not None:
            name = text[dash.end():paren].strip()
            return Attribution(text[: dash.start()].strip(), name or None, handle.group("handle"))
    return Attribution(text.strip(), None, None)


def _last_dash(text: str, line_start: int, end: int) -> re.Match[str] | None:
    """The rightmost attribution dash between ``line_start`` and ``end``, looked for in a window before
    ``end`` that grows until it holds one or reaches the line's start (a dash straddling the window's
    start is missed there, but then the window grows past it)."""
    size = NAME_WINDOW_CHARS
    while True:
        low = max(line_start, end - size)
        last = None
        for last in _ATTRIBUTION.finditer(text, low, end):
            pass
        if last is not None or low == line_start:
            return last
        size *= 4


def _status_anchors(element: Any) -> list[tuple[Any, StatusRef]]:
    """Every anchor in an element that links a status, in document order."""
    out = []
    for anchor in element.iter("a"):
        ref = parse_status_url(anchor.get("href") or "")
        if ref is not None:
            out.append((anchor, ref))
    return out


def _next_element(element: Any) -> Any:
    """The next sibling element, if only whitespace separates the two."""
    if (element.tail or "").strip():
        return None
    sibling = element.getnext()
    while sibling is not None and not isinstance(sibling.tag, str):  # a comment
        if (sibling.tail or "").strip():
            return None
        sibling = sibling.getnext()
    return sibling


def _moved_attribution(element: Any) -> tuple[Any, Any, StatusRef] | None:
    """A ``<p>— Name (@handle) <a>date</a></p>`` that a CMS (WordPress wpautop) moved after the blockquote."""
    sibling = _next_element(element)
    if sibling is None or sibling.tag != "p":
        return None
    anchors = _status_anchors(sibling)
    if not anchors:
        return None
    anchor, ref = anchors[-1]
    parts = split_attribution(element_text(sibling, stop=anchor))
    if parts.body or parts.handle is None:
        return None
    return sibling, anchor, ref


def _expanded_url(anchor: Any) -> str | None:
    """Where a t.co link leads, when the page says: rendered widgets keep it in ``data-expanded-url``,
    some CMSs in the anchor's ``title``."""
    for value in (anchor.get("data-expanded-url"), anchor.get("title")):
        value = (value or "").strip()
        if value.startswith(("http://", "https://")):
            return value
    return None


def _tweet_links(anchors: list[Any], stop: Any) -> list[Link]:
    """The links a tweet body carries: its anchors before the date link, hashtags and mentions left out."""
    links = []
    for anchor in anchors:
        if anchor is stop:
            break
        href = (anchor.get("href") or "").strip()
        display = element_text(anchor)
        if not href or display.startswith(_ENTITY_PREFIXES):
            continue
        links.append(Link(url=href, display=display or None, expanded=_expanded_url(anchor),
                          media=display.startswith(_MEDIA_DISPLAY)))
    return links


class _Survey(NamedTuple):
    """What one walk over a blockquote's anchors and paragraphs finds."""

    anchors: list[Any]  # every anchor, in document order
    statuses: list[tuple[Any, StatusRef]]  # the anchors that link a status, with their status
    lang: str | None  # the tweet paragraph's language (``<p lang>``; ``data-lang`` is the widget's UI language)


def _survey(element: Any) -> _Survey:
    anchors = []
    statuses = []
    lang = None  # the first paragraph's non-empty lang attribute
    for node in element.iter("a", "p"):
        if node.tag == "a":
            anchors.append(node)
            ref = parse_status_url(node.get("href") or "")
            if ref is not None:
                statuses.append((node, ref))
        elif lang is None:
            lang = node.get("lang") or None
    return _Survey(anchors, statuses, (lang.strip() or None) if lang else None)


def _shown_date(text: str) -> str | None:
    """The date link's text when it is a date ("May 6, 2025", "5h"), not a placeholder."""
    text = text.strip()
    if text and (parse_shown_date(text) is not None or parse_relative(text) is not None):
        return text
    return None


def _attribute_id(element: Any) -> str | None:
    for name in _ID_ATTRIBUTES:
        value = (element.get(name) or "").strip()
        if _DIGITS.fullmatch(value):
            return value.lstrip("0") or None
        ref = parse_status_url(value)
        if ref is not None:
            return ref.id
    return None


def read_blockquote(element: Any, ctx: Context, *, form: str | None = None, hidden: bool = False) -> Tweet | None:
    """Read any tweet blockquote (live, link-only stub, class-less, or parsed from an escaped copy).

    The date link is the last status link (earlier ones in the body are quoted tweets); the
    attribution ``— Name (@handle)`` precedes it, inside the blockquote or in the paragraph a CMS
    moved after it. Without ``form``, the form is ``blockquote``, or ``blockquote-stub`` when the
    body is only the status link. None when the element names no status at all.

    >>> import lxml.html
    >>> bq = lxml.html.fromstring('<blockquote class="twitter-tweet"><p lang="en">Snow!</p>&mdash; Jane '
    ...     '(@jane) <a href="https://twitter.com/jane/status/816996473455656960">January 5, 2017</a></blockquote>')
    >>> t = read_blockquote(bq, Context())
    >>> (t.handle, t.name, t.text, t.created_at[:10], t.form)
    ('jane', 'Jane', 'Snow!', '2017-01-05', 'blockquote')
    """
    reading = _read(element, ctx, form, hidden)
    return reading.tweet if reading is not None else None


class _Reading(NamedTuple):
    tweet: Tweet
    also: tuple[Any, ...]  # elements read besides the blockquote (a moved attribution paragraph)


def _read(element: Any, ctx: Context, form: str | None, hidden: bool) -> _Reading | None:
    survey = _survey(element)
    also: tuple[Any, ...] = ()
    if survey.statuses:
        date_anchor, ref = survey.statuses[-1]
        before = element_text(element, stop=date_anchor)
    else:
        moved = _moved_attribution(element)
        if moved is not None:
            paragraph, date_anchor, ref = moved
            before = element_text(element) + "\n\n" + element_text(paragraph, stop=date_anchor)
            also = (paragraph,)
        else:
            status_id = _attribute_id(element)
            if status_id is None:
                return None
            date_anchor, ref = None, StatusRef(None, status_id)
            before = element_text(element)
    parts = split_attribution(before)
    date_text = _shown_date(element_text(date_anchor)) if date_anchor is not None else None
    stub = not parts.body and parts.handle is None
    tweet = make_tweet(
        ctx,
        form=form or ("blockquote-stub" if stub else "blockquote"),
        text=parts.body,
        handle=parts.handle or ref.handle,
        name=parts.name,
        status_id=ref.id,
        date_text=date_text,
        lang=survey.lang,
        links=_tweet_links(survey.anchors, date_anchor),
        hidden=hidden,
        element=element_path(element),
    )
    return _Reading(tweet, also)


# Containers whose blockquotes are not live markup: read by the AMP and hidden-copies extractors.
_UNSEEN_TAGS = frozenset({"amp-twitter", "noscript", "template", "textarea"})
_TWEET_CLASSES = ("twitter-tweet", "twitter-video")
# Class tokens are separated by XML whitespace only, as XPath's normalize-space() splits them.
_CLASS_TOKEN = re.compile(r"[^ \t\r\n]+")
_MARK_ATTRIBUTES = ("data-tweetid", "data-tweet-id")


def has_class(element: Any, names: tuple[str, ...]) -> bool:
    """Whether the element's class list holds one of ``names`` as a whole token."""
    value = element.get("class")
    return bool(value) and any(token in names for token in _CLASS_TOKEN.findall(value))


def _unseen(element: Any) -> bool:
    """Inside amp-twitter (that component's placeholder) or noscript/template/textarea (a hidden copy)."""
    return _inside(element.getparent(), _UNSEEN_TAGS)


def _marked(element: Any) -> bool:
    return element.get("data-twitter") == "twitter-tweet" or any(element.get(a) is not None for a in _MARK_ATTRIBUTES)


class TweetBlockquote:
    """``blockquote.twitter-tweet`` / ``twitter-video`` as Twitter's publish tool writes it, any era;
    link-only ones (the body lost, "Tweet may have been deleted") come out as ``blockquote-stub``."""

    form = "blockquote"
    # Every page's blockquotes come from its one walk: looking for needles would cost more.
    needles: tuple[str, ...] = ()

    def find(self, root: Any, ctx: Context) -> Iterator[Found]:
        # A blockquote inside amp-twitter is that component's placeholder (the AMP extractor reads it);
        # one in noscript/template/textarea is a hidden copy (the hidden-copies extractors read it).
        for element in page_of(root).candidates("blockquote"):
            if has_class(element, _TWEET_CLASSES) and not _unseen(element):
                reading = _read(element, ctx, None, False)
                if reading is not None:
                    yield Found(reading.tweet, element, reading.also)


class RenamedBlockquote:
    """Tweet blockquotes whose class was renamed or stripped: lazy loaders that keep the class in
    ``data-twitter``, ``blockquote[data-tweetid]``, and bare blockquotes (reader-mode output, CMS
    sanitisers) that still end in ``— Name (@handle) <a href=status>date</a>``."""

    form = "blockquote-noclass"
    needles: tuple[str, ...] = ()

    def find(self, root: Any, ctx: Context) -> Iterator[Found]:
        quotes = [q for q in page_of(root).candidates("blockquote")
                  if not has_class(q, _TWEET_CLASSES) and not _unseen(q)]
        for element in quotes:
            if _marked(element):
                reading = _read(element, ctx, self.form, False)
                if reading is not None:
                    yield Found(reading.tweet, element, reading.also)
        # A bare blockquote is a tweet only when its last link is a status link ...
        for element in quotes:
            if not _marked(element) and _links_status(element) and _looks_like_bare_tweet(element):
                reading = _read(element, ctx, self.form, False)
                if reading is not None:
                    yield Found(reading.tweet, element, reading.also)


def _links_status(element: Any) -> bool:
    return any("/status" in (a.get("href") or "") for a in element.iter("a"))


def _looks_like_bare_tweet(element: Any) -> bool:
    """... and it ends with an attribution for that link's author, then the link showing a date.
    Pull quotes that quote a tweet as text, and prose that merely links a status, fail this."""
    anchors = element.xpath(".//a[@href]")
    if not anchors:
        return False
    last = anchors[-1]
    ref = parse_status_url(last.get("href") or "")
    if ref is None or not element_text(element).endswith(element_text(last)):
        return False  # prose continues after the link: a quotation that cites a status
    parts = split_attribution(element_text(element, stop=last))
    if parts.handle is None or not parts.body:
        return False
    same_author = ref.handle is None or ref.handle.casefold() == parts.handle.casefold()
    return same_author and _shown_date(element_text(last)) is not None


class GutenbergEmbed:
    """WordPress's ``figure.wp-block-embed-twitter`` (Gutenberg) that never became a blockquote: the
    status URL stands as the wrapper's text or link. A figure holding a live blockquote is left to
    ``TweetBlockquote``; one holding a timeline names no status and yields nothing."""

    form = "cms-wrapper"
    needles: tuple[str, ...] = ()
    CLASSES = ("wp-block-embed-twitter", "is-provider-twitter")

    def find(self, root: Any, ctx: Context) -> Iterator[Found]:
        for figure in page_of(root).candidates("figure"):
            if not has_class(figure, self.CLASSES) or next(figure.iter("blockquote"), None) is not None:
                continue
            ref = _first_status(figure)
            if ref is not None:
                yield Found(make_tweet(ctx, form=self.form, handle=ref.handle, status_id=ref.id,
                                       element=element_path(figure)), figure)


def _first_status(element: Any) -> StatusRef | None:
    """The first status an element links or shows as text."""
    anchors = _status_anchors(element)
    if anchors:
        return anchors[0][1]
    found = find_status_urls(element_text(element))
    return found[0][0] if found else None


# Where a shortcode is not left-over CMS input: unseen text, or code that shows a shortcode as an example.
_NOT_CONTENT = SKIP_TAGS | {"code", "pre"}


class Shortcode:
    """WordPress/Jetpack shortcodes the CMS failed to expand, left in the text: ``[tweet URL]``,
    ``[tweet 123]``, ``[twitter url="URL"]``, ``[tweet id=123]``, ``[embed]URL[/embed]``."""

    form = "cms-wrapper"
    needles: tuple[str, ...] = (SHORTCODE,)
    TEXTS = etree.XPath("descendant::text()[contains(., '[')]")
    # The shortcode body is bounded: a real one is a URL and a few options, never a paragraph.
    SHORTCODE = re.compile(
        r"\[(?:tweet|twitter)\b(?P<options>[^\[\]\n]{1,400})\]|\[embed\](?P<url>[^\[\]\s]{1,400})\[/embed\]",
        re.IGNORECASE,
    )
    BARE_ID = re.compile(r"(?:^|[\s=\"'])(\d{6,20})(?=$|[\s\"'])")

    def find(self, root: Any, ctx: Context) -> Iterator[Found]:
        body = root.find("body") if root.tag == "html" else root
        if body is None or not self.SHORTCODE.search(raw_text(body)):
            return
        for node in self.TEXTS(body):
            element = node.getparent()
            if element is None:
                continue
            host = element.getparent() if node.is_tail else element
            if host is None or _inside(host, _NOT_CONTENT):
                continue
            for m in self.SHORTCODE.finditer(str(node)):
                options = m.group("options") or m.group("url") or ""
                ref = parse_status_url(options)
                if ref is None and m.group("options"):
                    bare = self.BARE_ID.search(options)
                    ref = StatusRef(None, bare.group(1).lstrip("0")) if bare else None
                if ref is not None:
                    yield Found(make_tweet(ctx, form=self.form, handle=ref.handle, status_id=ref.id,
                                           element=element_path(host)), host)


def _inside(element: Any, tags: frozenset[str]) -> bool:
    """Whether the element or an ancestor is one of ``tags``."""
    while element is not None:
        if isinstance(element.tag, str) and element.tag in tags:
            return True
        element = element.getparent()
    return False


# This module's extractors, in the order they run.
EXTRACTORS: tuple[HtmlExtractor, ...] = (TweetBlockquote(), RenamedBlockquote(), GutenbergEmbed(), Shortcode())
