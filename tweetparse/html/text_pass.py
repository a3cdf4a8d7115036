"""HTML extractor: posts flattened into a page's own paragraphs, read by the text extractors from the text no
other extractor claimed."""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import replace

from lxml import etree

from ..build import Context, Draft
from ..search import Needle
from ..shapes import AUTHOR_NEEDLES, count_authors, shows_author
from ..urls import StatusRef, parse_status_url
from .page import Element, Found, Page
from .reading import SKIP_TAGS, raw_text, text_pieces

__all__ = ["TextPass"]

# Text nodes that could hold a flattened post's author: the XPath runs in C, so a page without any costs
# next to nothing; the Python walk below only starts when one of them is unclaimed. Script and style
# text is never a paragraph's. It is left out after the test for "@": libxml2 looks up a node's parent
# for a predicate more slowly than it copies a text node to search it, and few text nodes hold an "@".
_CANDIDATES = etree.XPath("descendant::text()[contains(., '@') or contains(., '\uff20')]"
                          "[not(parent::script or parent::style)]")
_STRING = etree.XPath("string()")
# Page chrome a reader does not take for the article: navigation, site header and footer, sidebars.
# WordPress names its sidebar widgets "widget ..." and themes their columns "sidebar": both are
# conventions across CMSs, and "latest tweets" lists live there.
_CHROME_TAGS = frozenset({"nav", "header", "footer", "aside", "form", "button", "select", "menu"})
_CHROME_CLASS = re.compile(r"(?:^|\s)(?:widget|sidebar)", re.IGNORECASE)
# The nearest ancestor of these names the paragraph a candidate text node sits in.
_BLOCK_TAGS = frozenset({"p", "div", "li", "blockquote", "td", "dd", "section", "article", "figure", "figcaption",
                         "h1", "h2", "h3", "h4", "h5", "h6", "pre", "body"})


class TextPass:
    """The text of block elements outside claimed subtrees and page chrome, flattened as a reader sees it,
    read by the plain-text extractors (attribution lines, timeline copies). Runs last: it reads what the
    embed extractors left."""

    form = "text"
    needles: tuple[Needle, ...] = AUTHOR_NEEDLES

    def find(self, page: Page, ctx: Context) -> Iterator[Found]:
        root = page.root
        body = root.find("body") if root.tag == "html" else root
        if body is None or not self._worth_reading(page, body):
            return
        from ..text import find_in_text  # the text family, loaded only for pages that need it

        claimed = page.claimed
        blocks: list[tuple[int, Element]] = []
        anchors: list[tuple[int, Element]] = []
        pieces = text_pieces(body, skip=lambda el: el in claimed or _is_chrome(el), blocks=blocks, anchors=anchors)
        text, offsets = _flatten(pieces)
        starts = [offsets[index] for index, _ in blocks]
        links = [(offsets[index], ref) for index, anchor in anchors
                 if (ref := parse_status_url(anchor.get("href") or "")) is not None]
        link_offsets = [offset for offset, _ in links]  # ascending: anchors come in reading order
        for draft in find_in_text(text):
            start = draft.start or 0
            end = draft.end if draft.end is not None else start
            at = bisect_right(starts, start) - 1
            element = blocks[at][1] if at >= 0 else body
            yield Found(_with_linked_status(draft, links, link_offsets, start, end), element)

    def _worth_reading(self, page: Page, body: Element) -> bool:
        """Whether some unclaimed paragraph outside the page chrome shows a post-shaped author."""
        # Every embed shows its "(@handle)": when the claimed elements account for as many shapes as the
        # page's bytes show, none is left to read, and the page's text nodes need not be walked. Scripts
        # last: a host script of an escaped copy is long, a blockquote short, and the count stops as soon
        # as the claimed elements account for every shape.
        counts = [page.count(needle) for needle in self.needles]
        if None not in counts:
            shapes = sum(counts)  # type: ignore[arg-type]
            if not shapes:
                return False
            accounted = 0
            for element in sorted(_outermost(page.claimed, body), key=lambda el: el.tag == "script"):
                accounted += count_authors(raw_text(element), upto=shapes - accounted)
                if accounted >= shapes:
                    return False
        # Else the text nodes holding an "@" (found in C) outside claimed elements: only their paragraphs.
        seen: set[Element] = set()
        claimed = page.claimed
        for node in _CANDIDATES(body):
            block = node.getparent()
            if block is None:
                continue
            if node.is_tail:
                block = block.getparent()
            skipped = False
            while block is not None and block.tag not in _BLOCK_TAGS:
                skipped = skipped or block.tag in SKIP_TAGS or block in claimed
                block = block.getparent()
            if skipped or block is None or block in seen:
                continue
            seen.add(block)
            if not _excluded(block, claimed) and shows_author(_block_and_next(block)):
                return True
        return False


# How many following blocks a shape may continue into: X's layout puts the handle, the "·" and the time in
# blocks of their own.
SHAPE_BLOCKS = 3


def _block_and_next(block: Element) -> str:
    """A block's text and the text of the few blocks after it, as one line."""
    texts = [_STRING(block)]
    for sibling in block.itersiblings():
        if len(texts) > SHAPE_BLOCKS:
            break
        if isinstance(sibling.tag, str) and sibling.tag not in SKIP_TAGS:
            texts.append(_STRING(sibling))
    return "\n".join(texts)


def _with_linked_status(draft: Draft, links: list[tuple[int, StatusRef]], link_offsets: list[int], start: int,
                        end: int) -> Draft:
    """A flattened post without an id takes it from the last status link inside its span (the date link
    of a pasted attribution), when that link names no other author: the text showed only the link's
    words, the page kept its target. ``link_offsets`` are the links' offsets, ascending: the last one
    before ``end`` is found by bisection, as a scan of every link per post would make a page of many
    flattened posts quadratic."""
    if draft.id is not None:
        return draft
    last = bisect_left(link_offsets, end) - 1
    if last < 0 or link_offsets[last] < start:
        return draft
    ref = links[last][1]
    if ref.handle and draft.handle and ref.handle.casefold() != draft.handle.casefold():
        return draft
    return replace(draft, id=ref.id, handle=draft.handle or ref.handle)


def _outermost(claimed: set[Element], body: Element) -> list[Element]:
    """The claimed elements inside ``body`` that no other claimed element holds."""
    out = []
    for element in claimed:
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


def _excluded(element: Element, claimed: set[Element]) -> bool:
    """Whether an element is claimed, page chrome, unseen, or inside one of those."""
    while element is not None:
        if element in claimed or _is_chrome(element) or element.tag in SKIP_TAGS:
            return True
        element = element.getparent()
    return False


def _is_chrome(element: Element) -> bool:
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
