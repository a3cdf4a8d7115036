"""Tweets embedded in HTML: one small extractor per embed form, run over one parsed tree, then merged."""
from __future__ import annotations

from typing import Any, Iterable, Iterator

from ..build import Context
from ..record import Tweet
from . import blockquote, embeds, hidden
from .base import Found, HtmlExtractor, Page, reading

__all__ = ["find_in_html", "REGISTRY", "Page"]

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
    found: list[Found] = []
    with reading(page):
        for extractor in REGISTRY:
            if page.holds(extractor.needles):
                found.extend(_unclaimed(extractor.find(root, ctx), claimed))
        found.extend(_unclaimed(find_in_paragraphs(root, ctx, claimed, page), claimed))
    found.sort(key=lambda f: document_position(f.element))
    return (f.tweet for f in found)


def _unclaimed(finds: Iterable[Found], claimed: set[Any]) -> list[Found]:
    """One extractor's finds outside every element earlier extractors claimed; then they claim
    their own elements (two finds of one extractor never drop each other: merge folds copies)."""
    kept = [find for find in finds if find.element is None or not _touches(find.element, claimed)]
    for find in kept:
        claimed.add(find.element)
        claimed.update(find.also)
    return kept


def _touches(element: Any, claimed: set[Any]) -> bool:
    """Whether an element is claimed, inside a claimed one, or around one."""
    if not claimed:
        return False
    if any(a in claimed for a in _self_and_ancestors(element)):
        return True
    return any(element in _self_and_ancestors(c) for c in claimed if c is not None)


def _self_and_ancestors(element: Any) -> Iterator[Any]:
    while element is not None:
        yield element
        element = element.getparent()


def document_position(element: Any) -> tuple[int, ...]:
    """A sort key in document order: the child indexes on the path from the root to the element."""
    path: list[int] = []
    parent = element.getparent() if element is not None else None
    while parent is not None:
        path.append(parent.index(element))
        element, parent = parent, parent.getparent()
    path.reverse()
    return tuple(path)
