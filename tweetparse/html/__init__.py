"""Posts embedded in HTML: one small extractor per embed form, all run over one parsed page by one loop."""
from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator

from ..build import Context, build
from ..record import Post
from ..search import Needle, NeedleSearch
from . import blockquote, cms, embeds, hidden, pagedata, social_embeds, social_quotes
from .cards import Card
from .page import Element, Extractor, Found, Page
from .placeholder import Placeholder
from .text_pass import TextPass

__all__ = ["REGISTRY", "Page", "find_in_page", "read_page", "search_needles"]

LOGGER = logging.getLogger("tweetparse")

# The extractors, in the order they run: live blockquotes first (they carry the most fields; tweets', then
# other networks'), then rendered and AMP embeds, cards (before renamed blockquotes: widgets.js rendered its
# markup into a blockquote with the tweet's id; before image fallbacks: a card's avatar sits in its status link;
# before placeholders: a card says more than the attributes around it), CMS embeds, other networks' rendered
# and wrapped embeds, placeholders, then hidden copies, and last the text of what none of them claimed.
# Earlier ones claim elements first.
_EMBEDS: tuple[Extractor, ...] = (blockquote.TweetBlockquote(), *social_quotes.EXTRACTORS, *embeds.RENDERED, Card(),
                                  blockquote.RenamedBlockquote(), *embeds.FALLBACKS, *cms.EXTRACTORS,
                                  *social_embeds.EXTRACTORS, Placeholder())
REGISTRY: tuple[Extractor, ...] = (
    *_EMBEDS, *pagedata.EXTRACTORS, *hidden.extractors(tuple(dict.fromkeys(n for e in _EMBEDS for n in e.needles))),
    TextPass())
# One search for every needle of the registry, so that what gates a page and what gates an extractor
# can never drift apart.
_SEARCH = NeedleSearch(needle for extractor in REGISTRY for needle in extractor.needles)


def search_needles(data: bytes) -> dict[Needle, int]:
    """Which of the registry's needles ``data`` (a page's bytes) holds (and how often, for a counted one).
    A page that holds none has no post any extractor could find."""
    return _SEARCH.hits(data)


def find_in_page(page: Page, ctx: Context) -> list[Found]:
    """What every extractor the page's needles call for finds in it, in document order.

    Each extractor's finds claim their elements: a later extractor's find inside, on or around a claimed
    element is dropped (a wrapper around a live blockquote is the same embed, read worse). An extractor
    that fails loses only its own finds, unless ``ctx.errors`` is ``"strict"``.
    """
    found: list[Found] = []
    for extractor in REGISTRY:
        if page.holds(extractor.needles):
            found.extend(_unclaimed(_isolated(extractor, page, ctx), page))
    if len(found) > 1:
        found.sort(key=lambda f: page.position(f.element))
    return found


def read_page(page: Page, ctx: Context) -> Iterator[Post]:
    """The records of a parsed page."""
    for found in find_in_page(page, ctx):
        yield build(found.draft, ctx, element=page.path(found.element))


def _isolated(extractor: Extractor, page: Page, ctx: Context) -> list[Found]:
    try:
        return list(extractor.find(page, ctx))
    except Exception:
        if ctx.errors == "strict":
            raise
        if ctx.errors == "log":
            LOGGER.exception("tweetparse: extractor %s failed on %s", type(extractor).__name__,
                             ctx.article or ctx.url or "input")
        return []


def _unclaimed(finds: Iterable[Found], page: Page) -> list[Found]:
    """One extractor's finds outside every element earlier extractors claimed; then they claim their own
    elements (two finds of one extractor never drop each other: merging folds copies), and the page notes
    the posts they show."""
    claimed, enclosing, shown = page.claimed, page.enclosing, page.shown
    kept = [find for find in finds if not _touches(find.element, claimed, enclosing)]
    for find in kept:
        draft = find.draft
        if draft.id is not None and not draft.hidden:
            shown[draft.id] = shown.get(draft.id, False) or bool(draft.text)
        for element in (find.element, *find.also):
            claimed.add(element)
            for node in _self_and_ancestors(element):  # each element is added once over the whole page
                if node in enclosing:
                    break
                enclosing.add(node)
    return kept


def _touches(element: Element, claimed: set[Element], enclosing: set[Element]) -> bool:
    """Whether an element is claimed, inside a claimed one, or around one: O(depth), where testing it
    against each claimed element's ancestors would cost O(claimed) per find."""
    return bool(claimed) and (element in enclosing or any(a in claimed for a in _self_and_ancestors(element)))


def _self_and_ancestors(element: Element) -> Iterator[Element]:
    while element is not None:
        yield element
        element = element.getparent()
