"""Tweets flattened into a page's own paragraphs: the plain-text shapes, read from text no extractor claimed."""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from lxml import etree

from ..build import Context, make_tweet
from ..record import Tweet
from ..urls import StatusRef, parse_status_url
from .base import SKIP_TAGS, Found, Page, element_path, raw_text, text_pieces
from .scan import AUTHOR_SHAPE_ENCODINGS, author_shapes

__all__ = ["find_in_paragraphs"]

# Text nodes that could hold a flattened tweet's author: the XPath runs in C, so a page without
# any costs next to nothing; the Python walk below only starts when one of them is unclaimed.
# Script and style text is never a paragraph's (the walk below would skip it). It is left out after
# the test for "@": libxml2 looks up a node's parent for a predicate more slowly than it copies a
# text node to search it, and few text nodes hold an "@".
_CANDIDATES = etree.XPath("descendant::text()[contains(., '@') or contains(., '\uff20')]"
                          "[not(parent::script or parent::style)]")
_STRING = etree.XPath("string()")
# The shapes the text extractors anchor on: "(@handle)" of an attribution line, or a timeline
# header "@handle 5h" / "@handle · Dec 13" (also "5h5 hours ago", the short and screen-reader
# forms of a relative time glued together, so no word boundary after the unit).
_SHAPE = re.compile(
    r"\(\s*[@\uff20]\w{1,15}\s*\)"
    r"|[@\uff20]\w{1,15}[ \t\u00a0]*(?:[·•][ \t\u00a0]*)?(?:\d{1,2}\s?[smhd](?![^\W\d_])|[^\W\d_]{3,10}\.?\s+\d)"
)
# Page chrome a reader does not take for the article: navigation, site header and footer, sidebars.
# WordPress names its sidebar widgets "widget ..." and themes their columns "sidebar": both are
# conventions across CMSs, and "latest tweets" lists live there.
_CHROME_TAGS = frozenset({"nav", "header", "footer", "aside", "form", "button", "select", "menu"})
_CHROME_CLASS = re.compile(r"(?:^|\s)(?:widget|sidebar)", re.IGNORECASE)
# The nearest ancestor of these names the paragraph a candidate text node sits in.
_BLOCK_TAGS = frozenset({"p", "div", "li", "blockquote", "td", "dd", "section", "article", "figure", "figcaption",
                         "h1", "h2", "h3", "h4", "h5", "h6", "pre", "body"})


def find_in_paragraphs(root: Any, ctx: Context, claimed: set[Any], page: Page | None = None) -> Iterator[Found]:
    """Tweets in the text of block elements outside ``claimed`` subtrees and page chrome, read by
    the plain-text extractors over the page flattened as a reader sees it."""
    body = root.find("body") if root.tag == "html" else root
    if body is None or not _worth_reading(body, claimed, page):
        return
    from ..text import find_in_text  # the text family, loaded only for pages that need it

    blocks: list[tuple[int, Any]] = []
    anchors: list[tuple[int, Any]] = []
    pieces = text_pieces(body, skip=lambda el: el in claimed or _is_chrome(el), blocks=blocks, anchors=anchors)
    text, offsets = _flatten(pieces)
    starts = [offsets[index] for index, _ in blocks]
    links = [(offsets[index], ref) for index, anchor in anchors
             if (ref := parse_status_url(anchor.get("href") or "")) is not None]
    link_offsets = [offset for offset, _ in links]  # ascending: anchors come in reading order
    for tweet in find_in_text(text, ctx):
        start = tweet.source.start or 0
        end = tweet.source.end if tweet.source.end is not None else start
        at = bisect_right(starts, start) - 1
        element = blocks[at][1] if at >= 0 else body
        tweet = _with_linked_status(tweet, links, link_offsets, start, end, ctx)
        yield Found(tweet.evolve(source=replace(tweet.source, element=element_path(element))), element)


def _with_linked_status(tweet: Tweet, links: list[tuple[int, StatusRef]], link_offsets: list[int], start: int,
                        end: int, ctx: Context) -> Tweet:
    """A flattened tweet without an id takes it from the last status link inside its span (the date
    link of a pasted attribution), when that link names no other author: the text showed only
    the link's words, the page kept its target. ``link_offsets`` are the links' offsets, ascending:
    the last one before ``end`` is found by bisection, as a scan of every link per tweet would make
    a page of many flattened tweets quadratic."""
    if tweet.id is not None:
        return tweet
    last = bisect_left(link_offsets, end) - 1
    if last < 0 or link_offsets[last] < start:
        return tweet
    ref = links[last][1]
    if ref.handle and tweet.handle and ref.handle.casefold() != tweet.handle.casefold():
        return tweet
    rebuilt = make_tweet(
        ctx, form=tweet.form, text=tweet.text, handle=tweet.handle or ref.handle, name=tweet.name, status_id=ref.id,
        date_text=tweet.created_at_source, lang=tweet.lang, links=tweet.links, hidden=tweet.hidden,
        start=tweet.source.start, end=tweet.source.end, element=tweet.source.element,
    )
    return rebuilt.evolve(warnings=tuple(dict.fromkeys(tweet.warnings + rebuilt.warnings)))


def _worth_reading(body: Any, claimed: set[Any], page: Page | None) -> bool:
    """Whether some unclaimed paragraph outside the page chrome shows a tweet-shaped author."""
    # Every live blockquote shows its "(@handle)": when the claimed embeds account for all the
    # shapes the page can show, no paragraph is left to read (and no text-node walk is needed).
    # The page's bytes bound them from above without dumping its text (scripts and all).
    if page is not None and page.lowered is not None and _bytes_write_at_signs(body):
        shapes = author_shapes(page.lowered)
    else:
        shapes = _count_shapes(raw_text(body))
    if not shapes:
        return False
    # Scripts last: a host script of an escaped copy is long, a blockquote short, and the count
    # stops as soon as the claimed elements account for every shape, inside a script too.
    accounted = 0
    for element in sorted(_outermost(claimed, body), key=lambda el: el.tag == "script"):
        accounted += _count_shapes(raw_text(element), upto=shapes - accounted)
        if accounted >= shapes:
            return False
    seen: set[Any] = set()
    for node in _CANDIDATES(body):
        block = node.getparent()
        if block is None:
            continue
        if node.is_tail:
            block = block.getparent()
        skipped = False
        while block is not None and block.tag not in _BLOCK_TAGS:
            skipped = skipped or block.tag in SKIP_TAGS
            block = block.getparent()
        if skipped or block is None or block in seen:
            continue
        seen.add(block)
        if _SHAPE.search(_STRING(block)) and not _excluded(block, claimed):
            return True
    return False


def _bytes_write_at_signs(body: Any) -> bool:
    """Whether the page was read in an encoding whose bytes write "@" and "＠" as the scan expects."""
    encoding = body.getroottree().docinfo.encoding or ""
    return encoding.lower() in AUTHOR_SHAPE_ENCODINGS


# The shapes of ``_SHAPE`` anchored at their "@": a timeline header's time, or an attribution's
# ")" (its "(" is checked before the "@"), so each "@" is counted at most once, as
# ``scan.author_shapes`` counts the page's.
_TIME_REST = r"\w{1,15}[ \t\u00a0]*(?:[·•][ \t\u00a0]*)?(?:\d{1,2}\s?[smhd](?![^\W\d_])|[^\W\d_]{3,10}\.?\s+\d)"
_PAREN_REST = r"\w{1,15}\s*\)"
# What either shape needs after its "@", tested first without backtracking (most "@" of a claimed
# script start a JSON key or an address): the handle's run of at most 25 word characters (a handle
# and a month glued to it) ends in a space, a separator, a "." or a ")", or holds a digit among its
# first 16 (a time glued to the handle: "@jane5h").
_SHAPE_NEEDS = r"(?=\w{1,25}+[\s·•.)]|[^\W\d]{0,15}+\d)"
# One pattern per sign, each starting with its literal so that the search between "@" runs in C; the
# empty group marks an "@" that only an attribution's ")" follows.
_SHAPE_AFTER_SIGN = _SHAPE_NEEDS + r"(?:(?=" + _TIME_REST + r")|(?=" + _PAREN_REST + r")(?P<paren>))"
_AT_SHAPE = re.compile("@" + _SHAPE_AFTER_SIGN)
_FULLWIDTH_AT_SHAPE = re.compile("\uff20" + _SHAPE_AFTER_SIGN)
_SIGN_SHAPES = (("@", _AT_SHAPE), ("\uff20", _FULLWIDTH_AT_SHAPE))
_PAREN_BEFORE = re.compile(r"\(\s*\Z")
# How far before an "@" the "(" of an attribution is looked for, through spaces.
_PAREN_LOOKBEHIND = 40


def _count_shapes(text: str, upto: int | None = None) -> int:
    """How many "@" in a text start a tweet-shaped author, counted no further than ``upto``. Each
    pattern's search runs in C and stops only at an "@" that starts a shape; an attribution's "("
    before it is then looked for."""
    count = 0
    for sign, pattern in _SIGN_SHAPES:
        if sign not in text:
            continue
        for m in pattern.finditer(text):
            at = m.start()
            if m.group("paren") is None or _PAREN_BEFORE.search(text, max(0, at - _PAREN_LOOKBEHIND), at):
                count += 1
                if count == upto:
                    return count
    return count


def _outermost(claimed: set[Any], body: Any) -> list[Any]:
    """The claimed elements inside ``body`` that no other claimed element holds."""
    out = []
    for element in claimed:
        if element is None:
            continue
        ancestor = element.getparent()
        inside_body = element is body
        nested = False
        while ancestor is not None:
            if ancestor in claimed:
                nested = True
                break
            inside_body = inside_body or ancestor is body
            ancestor = ancestor.getparent()
        if inside_body and not nested:
            out.append(element)
    return out


def _excluded(element: Any, claimed: set[Any]) -> bool:
    """Whether an element is claimed, page chrome, unseen, or inside one of those."""
    while element is not None:
        if element in claimed or _is_chrome(element) or element.tag in SKIP_TAGS:
            return True
        element = element.getparent()
    return False


def _is_chrome(element: Any) -> bool:
    tag = element.tag
    if not isinstance(tag, str):
        return False
    return tag in _CHROME_TAGS or bool(_CHROME_CLASS.search(element.get("class") or ""))


def _flatten(pieces: list[str | int]) -> tuple[str, list[int]]:
    """The pieces as one text (a break run is a line break or a blank line) and each piece's offset."""
    parts: list[str] = []
    offsets: list[int] = []
    length = 0
    pending = 0
    for piece in pieces:
        if isinstance(piece, int):
            pending = max(pending, piece)
            offsets.append(length)
            continue
        if pending:
            if not piece.strip() and "\n" not in piece:
                offsets.append(length)
                continue
            if parts:
                parts.append("\n" * pending)
                length += pending
            pending = 0
        offsets.append(length)
        parts.append(piece)
        length += len(piece)
    offsets.append(length)
    return "".join(parts), offsets
