"""What every HTML extractor shares: the extractor shape, and reading an element as a reader sees it."""
from __future__ import annotations

from typing import Any, Iterator, NamedTuple, Protocol

from ..build import Context
from ..record import Tweet

__all__ = ["Found", "HtmlExtractor", "element_path"]


class Found(NamedTuple):
    """A tweet and the element it was read from (claimed: later stages skip its subtree)."""

    tweet: Tweet
    element: Any


class HtmlExtractor(Protocol):
    """One embed form. ``needles`` are lower-case byte strings of which a page holding this form
    contains at least one (the byte pre-filter); ``find`` never mutates the tree."""

    form: str
    needles: tuple[bytes, ...]

    def find(self, root: Any, ctx: Context) -> Iterator[Found]: ...


def element_path(element: Any) -> str | None:
    """The element's XPath in its tree (stable, for ``source.element``)."""
    try:
        return element.getroottree().getpath(element)
    except (AttributeError, ValueError):
        return None
