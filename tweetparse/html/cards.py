"""HTML extractor for static and rendered tweet cards: markup that shows a tweet's author, handle, text and date
(saved widget markup, newsletter and publisher cards), read from the card's structure whatever its class names."""
from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from .. import families  # a module object: families reads text through this package's reading module
from ..build import Context, Draft
from ..search import Needle, within
from ..urls import parse_status_url
from .blockquote import status_anchors
from .embeds import exact_time
from .page import Element, Found, Page
from .reading import element_text

__all__ = ["Card"]

# A link to a status, as a start tag writes it (counted: a page whose status links are all in embeds read
# already has no card to look for).
STATUS_LINKS = within(b"status", rb"href\s{0,5}=\s{0,5}[\"']?(?:https?:)?//(?:[a-z0-9-]{1,20}\.)?(?:twitter|x)\.com/"
                                 rb"[^\"'<>\s]{0,60}?status(?:es)?/[0-9]", counted=True)
# How far above a status link a card's root may stand (link -> date line -> body -> card in widgets.js's markup).
CARD_MAX_LEVELS = 5
# Longest text a card shows: a tweet (280 characters; long posts are cut in embeds), its author, date, counts
# and a quoted tweet. More is an article region that happens to link a status.
MAX_CARD_CHARS = 3000
# Most elements a card holds: a rendered widget's with its icons is about a hundred (the corpus's and fixtures'
# hold at most 33). More is a region; and the card reader, which reads each block's text, must stay fast on
# deep nesting that shows little text.
MAX_CARD_ELEMENTS = 400
# Text a card may show beyond its read parts: counts ("12 Likes"), "Follow", "Reply", "·", badges' labels.
MAX_UNREAD_CHARS = 160
# A parent with this many children linking statuses, most of its children, holds a feed, not embeds.
MIN_FEED_ITEMS = 3
# Elements that are page regions, never one card.
_PAGE_REGIONS = frozenset({"html", "body", "main"})


class Card:
    """A tweet card: the nearest element around a status link that shows the author's ``@handle`` alone, read
    by ``families.card_fields`` (name before the handle, body, ``<time>`` or permalink date, a quoted tweet's
    box). It must show nothing but the tweet: a region showing more text than its parts is no card, and a
    list of such cards is a feed."""

    form = "card"
    needles: tuple[Needle, ...] = (STATUS_LINKS,)  # a card links its status (header, date, counts)

    def find(self, page: Page, ctx: Context) -> Iterator[Found]:
        links = page.count(STATUS_LINKS)
        if links is not None and links <= _claimed_status_links(page):
            return  # every status link of the page is in an embed read already (most pages with tweets)
        read: set[Element] = set()
        enclosing = page.enclosing
        # Ancestors asked already (links of one list share them); one around a claimed element is no card.
        looked: dict[Element, bool | None] = dict.fromkeys(enclosing)
        for anchor, _ in page.status_anchors():
            if _claimed(page, anchor) or families.in_running_text(anchor):
                continue  # read already, or a link in a sentence: prose, not a card's permalink
            if page.unseen(anchor) or page.in_sidebar(anchor):
                continue
            card = _card_root(anchor, looked)
            if card is None or card in read:
                continue
            read.add(card)
            fields = families.card_fields(card)
            if fields is None or not _shows_one_tweet(card, fields) or _in_feed(card):
                continue
            yield Found(_draft(fields, self.form), card)


def _claimed_status_links(page: Page) -> int:
    """How many links to a status the elements claimed so far hold."""
    return sum(1 for element in page.claimed if isinstance(element.tag, str)
               for anchor in element.iter("a") if parse_status_url(anchor.get("href") or "") is not None)


def _claimed(page: Page, element: Element) -> bool:
    claimed = page.claimed
    return bool(claimed) and any(node in claimed for node in page.ancestors(element))


def _card_root(anchor: Element, looked: dict[Element, bool | None]) -> Element | None:
    """The nearest ancestor of a status link that shows an ``@handle`` alone (the card's header), within
    ``CARD_MAX_LEVELS`` and ``MAX_CARD_CHARS``. ``looked`` keeps each ancestor's answer (True: a card's root,
    False: not one, None: too large) for the other links under it."""
    node = anchor.getparent()
    for _ in range(CARD_MAX_LEVELS):
        if node is None or not isinstance(node.tag, str) or node.tag in _PAGE_REGIONS:
            return None
        if node in looked:
            answer = looked[node]
        else:
            answer = looked[node] = _is_card_root(node)
        if answer is None:
            return None
        if answer:
            return node
        node = node.getparent()
    return None


def _is_card_root(node: Element) -> bool | None:
    shows = _shows_handle_alone(node, MAX_CARD_CHARS)
    if shows is None:
        return None
    return shows and families.handle_element(node) is not None


def _shows_handle_alone(node: Element, limit: int) -> bool | None:
    """Whether a piece of text under ``node`` is an ``@handle`` alone (or the "@" of one whose name is set in
    bold): the cheap test before the card's structure is read. None when the text passes ``limit``
    characters or the elements ``MAX_CARD_ELEMENTS`` (an article region is never read whole). All are asked of
    libxml2, in C."""
    if _TEXT_LENGTH(node) > limit or _ELEMENT_COUNT(node) > MAX_CARD_ELEMENTS:
        return None
    return any(_HANDLE_PIECE.fullmatch(text.strip().strip(_DIRECTION_MARKS)) for text in _AT_SIGN_TEXTS(node))


_TEXT_LENGTH = etree.XPath("string-length(.)")
_ELEMENT_COUNT = etree.XPath("count(descendant::*)")
_AT_SIGN_TEXTS = etree.XPath("descendant::text()[contains(., '@') or contains(., '\uff20')]")
# A text piece that is a handle alone, or its "@" alone ("@<b>jane</b>").
_HANDLE_PIECE = re.compile(r"[@\uff20][A-Za-z0-9_]{0,15}")
_DIRECTION_MARKS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069 \t\n"


def _shows_one_tweet(card: Element, fields: families.CardFields) -> bool:
    """A card shows its author and text, its permalink names the same author, and it shows little besides."""
    if not fields.handle or not fields.text or fields.id is None:
        return False
    authors = {ref.handle.casefold() for _, ref in status_anchors(card) if ref.id == fields.id and ref.handle}
    if authors and fields.handle.casefold() not in authors:
        return False  # the handle shown is someone else's (a reply's, a mention's): not this status's card
    read = [fields.name, fields.handle, fields.text, fields.date_text]
    if fields.quoted is not None:
        read += [fields.quoted.name, fields.quoted.handle, fields.quoted.text, fields.quoted.date_text]
    shown = len("".join(element_text(card).split()))
    return shown <= sum(len("".join((part or "").split())) for part in read) + MAX_UNREAD_CHARS


def _in_feed(card: Element) -> bool:
    """Whether a card is one item of a list of them (a feed, a "latest posts" box)."""
    parent = card.getparent()
    if parent is None:
        return False
    children = [child for child in parent if isinstance(child.tag, str)]
    linking = [child for child in children if any("/status" in (a.get("href") or "") for a in child.iter("a"))]
    return len(linking) >= MIN_FEED_ITEMS and 2 * len(linking) > len(children)


def _draft(fields: families.CardFields, form: str) -> Draft:
    quoted = _draft(fields.quoted, form) if fields.quoted is not None else None
    return Draft(form=form, id=fields.id, handle=fields.handle, name=fields.name, text=fields.text,
                 date_text=fields.date_text, exact_time=exact_time(fields.datetime), quoted=quoted)
