"""HTML extractors for tweet blockquotes: the publish markup of every era, stubs, renamed or stripped classes."""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from ..build import Context, Draft
from ..dates import parse_relative, parse_shown_date
from ..record import Link
from ..search import Needle
from ..urls import NOT_HANDLES, StatusRef, parse_status_url
from .needles import STATUS_ID
from .page import Element, Extractor, Found, Page
from .reading import element_text

__all__ = ["EXTRACTORS", "Reading", "has_class", "read_blockquote", "status_anchors"]

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


def status_anchors(element: Element) -> list[tuple[Element, StatusRef]]:
    """Every anchor in an element that links a status, in document order."""
    out = []
    for anchor in element.iter("a"):
        ref = parse_status_url(anchor.get("href") or "")
        if ref is not None:
            out.append((anchor, ref))
    return out


def _next_element(element: Element) -> Element:
    """The next sibling element, if only whitespace separates the two."""
    if (element.tail or "").strip():
        return None
    sibling = element.getnext()
    while sibling is not None and not isinstance(sibling.tag, str):  # a comment
        if (sibling.tail or "").strip():
            return None
        sibling = sibling.getnext()
    return sibling


def _moved_attribution(element: Element) -> tuple[Element, Element, StatusRef] | None:
    """A ``<p>— Name (@handle) <a>date</a></p>`` that a CMS (WordPress wpautop) moved after the blockquote."""
    sibling = _next_element(element)
    if sibling is None or sibling.tag != "p":
        return None
    anchors = status_anchors(sibling)
    if not anchors:
        return None
    anchor, ref = anchors[-1]
    parts = split_attribution(element_text(sibling, stop=anchor))
    if parts.body or parts.handle is None:
        return None
    return sibling, anchor, ref


def _expanded_url(anchor: Element) -> str | None:
    """Where a t.co link leads, when the page says: rendered widgets keep it in ``data-expanded-url``,
    some CMSs in the anchor's ``title``."""
    for value in (anchor.get("data-expanded-url"), anchor.get("title")):
        value = (value or "").strip()
        if value.startswith(("http://", "https://")):
            return value
    return None


def _tweet_links(anchors: list[Element], stop: Element) -> list[Link]:
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


# A status link's text as Twitter shortens it in a quote tweet's text ("twitter.com/jane/status/…",
# "twitter.com/jane/…"): the author, not the id.
_SHOWN_STATUS = re.compile(r"(?:https?://)?(?:www\.|mobile\.)?(?:twitter|x)\.com/(\w{1,15})/(?:status|\u2026)")


def _quoted(anchors: list[Element], stop: Element, own_id: str, form: str) -> Draft | None:
    """The tweet a quote tweet quotes: Twitter writes it as the last link of the text (before any media
    link), to its status, as the link itself, the t.co link's expanded URL, or its shortened text
    ("twitter.com/jane/status/…", which gives the author but not the id)."""
    for anchor in reversed(anchors[:anchors.index(stop)] if stop in anchors else anchors):
        shown = element_text(anchor)
        if shown.startswith(_MEDIA_DISPLAY) or shown.startswith(_ENTITY_PREFIXES):
            continue
        for value in (anchor.get("href"), _expanded_url(anchor), shown):
            ref = parse_status_url(value or "")
            if ref is not None:
                return Draft(form=form, id=ref.id, handle=ref.handle) if ref.id != own_id else None
        m = _SHOWN_STATUS.match(shown)
        return Draft(form=form, handle=m.group(1)) if m and m.group(1).lower() not in NOT_HANDLES else None
    return None


class _Survey(NamedTuple):
    """What one walk over a blockquote's anchors and paragraphs finds."""

    anchors: list[Element]  # every anchor, in document order
    statuses: list[tuple[Element, StatusRef]]  # the anchors that link a status, with their status
    lang: str | None  # the tweet paragraph's language (``<p lang>``; ``data-lang`` is the widget's UI language)


def _survey(element: Element) -> _Survey:
    """The blockquote's own anchors and language: a blockquote nested in it (the next embed, swallowed by
    one its CMS left unclosed) is that embed's, not part of this one."""
    anchors = []
    statuses = []
    lang = None  # the first paragraph's non-empty lang attribute
    nested = next(element.iterdescendants("blockquote"), None) is not None
    for node in (_own_nodes(element) if nested else element.iter("a", "p")):
        if node.tag == "a":
            anchors.append(node)
            ref = parse_status_url(node.get("href") or "")
            if ref is not None:
                statuses.append((node, ref))
        elif node.tag == "p" and lang is None:
            lang = node.get("lang") or None
    return _Survey(anchors, statuses, (lang.strip() or None) if lang else None)


def _own_nodes(element: Element) -> Iterator[Element]:
    """The elements under a blockquote, in document order, but those of blockquotes nested in it: each
    element of a page is walked once, however deep the blockquotes nest."""
    stack = list(reversed(element))
    while stack:
        node = stack.pop()
        if node.tag != "blockquote" and isinstance(node.tag, str):
            yield node
            stack.extend(reversed(node))


def _shown_date(text: str) -> str | None:
    """The date link's text when it is a date ("May 6, 2025", "5h"), not a placeholder."""
    text = text.strip()
    if text and (parse_shown_date(text) is not None or parse_relative(text) is not None):
        return text
    return None


def _attribute_id(element: Element) -> str | None:
    for name in _ID_ATTRIBUTES:
        value = (element.get(name) or "").strip()
        if _DIGITS.fullmatch(value):
            return value.lstrip("0") or None
        ref = parse_status_url(value)
        if ref is not None:
            return ref.id
    return None


class Reading(NamedTuple):
    """A blockquote read: the draft, and the elements read besides the blockquote (a moved attribution)."""

    draft: Draft
    also: tuple[Element, ...] = ()


def read_blockquote(element: Element, *, form: str | None = None) -> Reading | None:
    """Read any tweet blockquote (live, link-only stub, class-less, or parsed from an escaped copy).

    The date link is the last status link (earlier ones in the body are quoted tweets); the
    attribution ``— Name (@handle)`` precedes it, inside the blockquote or in the paragraph a CMS
    moved after it. Without ``form``, the form is ``blockquote``, or ``blockquote-stub`` when the
    body is only the status link. None when the element names no status at all.

    >>> import lxml.html
    >>> bq = lxml.html.fromstring('<blockquote class="twitter-tweet"><p lang="en">Snow!</p>&mdash; Jane '
    ...     '(@jane) <a href="https://twitter.com/jane/status/816996473455656960">January 5, 2017</a></blockquote>')
    >>> draft = read_blockquote(bq).draft
    >>> (draft.handle, draft.name, draft.text, draft.id, draft.form)
    ('jane', 'Jane', 'Snow!', '816996473455656960', 'blockquote')
    """
    survey = _survey(element)
    also: tuple[Element, ...] = ()
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
    stub = not parts.body and parts.handle is None
    draft = Draft(
        form=form or ("blockquote-stub" if stub else "blockquote"),
        text=parts.body,
        handle=parts.handle or ref.handle,
        name=parts.name,
        id=ref.id,
        date_text=_shown_date(element_text(date_anchor)) if date_anchor is not None else None,
        lang=survey.lang,
        links=tuple(_tweet_links(survey.anchors, date_anchor)),
        quoted=_quoted(survey.anchors, date_anchor, ref.id, form or "blockquote"),
    )
    return Reading(draft, also)


_TWEET_CLASSES = ("twitter-tweet", "twitter-video")
# Class tokens are separated by XML whitespace only, as XPath's normalize-space() splits them.
_CLASS_TOKEN = re.compile(r"[^ \t\r\n]+")
_MARK_ATTRIBUTES = ("data-tweetid", "data-tweet-id")


def has_class(element: Element, names: tuple[str, ...]) -> bool:
    """Whether the element's class list holds one of ``names`` as a whole token."""
    value = element.get("class")
    return bool(value) and any(token in names for token in _CLASS_TOKEN.findall(value))


def _placeholder_or_copy(page: Page, element: Element) -> bool:
    """A blockquote inside ``amp-twitter`` is that component's placeholder (the AMP extractor reads it);
    one in noscript/template/textarea is a hidden copy (read through the page made of it)."""
    parent = element.getparent()
    return (parent is not None and parent.tag == "amp-twitter") or page.unseen(element)


def _marked(element: Element) -> bool:
    return element.get("data-twitter") == "twitter-tweet" or any(element.get(a) is not None for a in _MARK_ATTRIBUTES)


class TweetBlockquote:
    """``blockquote.twitter-tweet`` / ``twitter-video`` as Twitter's publish tool writes it, any era;
    link-only ones (the body lost, "Tweet may have been deleted") come out as ``blockquote-stub``."""

    form = "blockquote"
    needles: tuple[Needle, ...] = STATUS_ID

    def find(self, page: Page, ctx: Context) -> Iterator[Found]:
        for element in page.candidates("blockquote"):
            if has_class(element, _TWEET_CLASSES) and not _placeholder_or_copy(page, element):
                reading = read_blockquote(element)
                if reading is not None:
                    yield Found(reading.draft, element, reading.also)


class RenamedBlockquote:
    """Tweet blockquotes whose class was renamed or stripped: lazy loaders that keep the class in
    ``data-twitter``, ``blockquote[data-tweetid]``, and bare blockquotes (reader-mode output, CMS
    sanitisers) that still end in ``— Name (@handle) <a href=status>date</a>``."""

    form = "blockquote-noclass"
    needles: tuple[Needle, ...] = STATUS_ID

    def find(self, page: Page, ctx: Context) -> Iterator[Found]:
        quotes = [q for q in page.candidates("blockquote")
                  if not has_class(q, _TWEET_CLASSES) and not _placeholder_or_copy(page, q)]
        for element in quotes:
            if _marked(element) or (_links_status(element) and _looks_like_bare_tweet(element)):
                reading = read_blockquote(element, form=self.form)
                if reading is not None:
                    yield Found(reading.draft, element, reading.also)


def _links_status(element: Element) -> bool:
    return any("/status" in (a.get("href") or "") for a in element.iter("a"))


def _looks_like_bare_tweet(element: Element) -> bool:
    """A bare blockquote is a tweet only when it ends with an attribution for its last link's author,
    then that link showing a date. Pull quotes that quote a tweet as text, and prose that merely links a
    status, fail this."""
    anchors = [a for a in element.iter("a") if a.get("href") is not None]
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


# This module's extractors, in the order they run.
EXTRACTORS: tuple[Extractor, ...] = (TweetBlockquote(), RenamedBlockquote())
