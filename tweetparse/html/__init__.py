"""Tweets embedded in HTML: one small extractor per embed form, run over one parsed tree, then merged."""
from __future__ import annotations

from typing import Any, Iterator

from ..build import Context
from ..record import Tweet
from . import blockquote, embeds, hidden
from .base import Found, HtmlExtractor

__all__ = ["find_in_html", "REGISTRY", "NEEDLES"]

# The extractors, in the order they run: live blockquotes first (they carry the most fields),
# then rendered/CMS embeds, then hidden copies. Earlier ones claim elements first.
REGISTRY: tuple[HtmlExtractor, ...] = (*blockquote.EXTRACTORS, *embeds.EXTRACTORS, *hidden.EXTRACTORS)

NEEDLES: tuple[bytes, ...] = tuple(dict.fromkeys(n for ex in REGISTRY for n in ex.needles))


def find_in_html(root: Any, ctx: Context) -> Iterator[Tweet]:
    """Every tweet embedded in a parsed page, in document order."""
    found: list[Found] = []
    for extractor in REGISTRY:
        found.extend(extractor.find(root, ctx))
    found.sort(key=lambda f: getattr(f.element, "sourceline", None) or 0)
    return (f.tweet for f in found)
