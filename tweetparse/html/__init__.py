"""Tweets embedded in HTML: one small extractor per embed form, run over one parsed tree, then merged."""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ..build import Context
from ..record import Tweet
from . import blockquote, embeds, hidden
from .base import Found, HtmlExtractor, Page, TreeIndex, reading

__all__ = ["REGISTRY", "Page", "find_in_html"]

LOGGER = logging.getLogger("tweetparse")

# The extractors, in the order they run: live blockquotes first (they carry the most fields),
# then rendered/CMS embeds, then hidden copies. Earlier ones claim elements first.
REGISTRY: tuple[HtmlExtractor, ...] = (*blockquote.EXTRACTORS, *embeds.EXTRACTORS, *hidden.EXTRACTORS)


def find_in_html(root: Any, ctx: Context, page: Page | None = None) -> Iterator[Tweet]:
    """Every tweet embedded in a parsed page, in document order.

    An extractor none of whose needles the scan of the raw ``page`` saw is not run: its markup
    cannot be there. The others start from the candidate elements of one walk of the tree. Each extractor's finds claim their elements once all of them are collected: a later
    extractor's find inside, on or around a claimed element is dropped (a wrapper around a live
    blockquote is the same embed, read worse), and the text pass reads only what nobody claimed.
    """
    from .text_pass import find_in_paragraphs

    if page is None or page.root is not root:
        page = Page(root)
    claimed: set[Any] = set()
    enclosing: set[Any] = set()  # every claimed element and all its ancestors
    found: list[Found] = []
    with reading(page):
        for extractor in REGISTRY:
            if page.holds(extractor.needles):
                finds = _isolated(extractor.find, root, ctx, type(extractor).__name__)
                found.extend(_unclaimed(finds, claimed, enclosing))
        finds = _isolated(lambda root, ctx: find_in_paragraphs(root, ctx, claimed, page), root, ctx, "text pass")
        found.extend(_unclaimed(finds, claimed, enclosing))
    if len(found) > 1:
        found.sort(key=lambda f: document_position(f.element, page.index))
    return (f.tweet for f in found)


def _isolated(find: Callable[[Any, Context], Iterable[Found]], root: Any, ctx: Context, name: str) -> list[Found]:
    """One extractor's finds on ``root``; with ``errors="log"``/``"ignore"`` an extractor that fails loses
    only its own finds, never the other extractors' (``"strict"`` raises)."""
    try:
        return list(find(root, ctx))
    except Exception:
        if ctx.errors == "strict":
            raise
        if ctx.errors == "log":
            LOGGER.exception("tweetparse: extractor %s failed on %s", name, ctx.article or ctx.url or "input")
        return []


def _unclaimed(finds: Iterable[Found], claimed: set[Any], enclosing: set[Any]) -> list[Found]:
    """One extractor's finds outside every element earlier extractors claimed; then they claim
    their own elements (two finds of one extractor never drop each other: merge folds copies)."""
    kept = [find for find in finds if find.element is None or not _touches(find.element, claimed, enclosing)]
    for find in kept:
        for element in (find.element, *find.also):
            claimed.add(element)
            _enclose(element, enclosing)
    return kept


def _enclose(element: Any, enclosing: set[Any]) -> None:
    """Add a claimed element and its ancestors, stopping at the first one already there (its own
    ancestors are then there too): each element of the tree is added once over the whole page."""
    for node in _self_and_ancestors(element):
        if node in enclosing:
            return
        enclosing.add(node)


def _touches(element: Any, claimed: set[Any], enclosing: set[Any]) -> bool:
    """Whether an element is claimed, inside a claimed one, or around one: O(depth), where testing
    it against each claimed element's ancestors would cost O(claimed) per find."""
    if not claimed:
        return False
    return element in enclosing or any(a in claimed for a in _self_and_ancestors(element))


def _self_and_ancestors(element: Any) -> Iterator[Any]:
    while element is not None:
        yield element
        element = element.getparent()


def document_position(element: Any, index: TreeIndex | None = None) -> tuple[int, ...]:
    """A sort key in document order: the child indexes on the path from the root to the element.
    With ``index``, each parent's children are counted once for all the elements sorted."""
    return (index or TreeIndex()).position(element) if element is not None else ()
