"""Tweets embedded in HTML: one small extractor per embed form, run over one parsed tree."""
from __future__ import annotations

from typing import Any, Iterator

from .build import Context
from .record import Tweet

__all__ = ["find_in_html"]


def find_in_html(root: Any, ctx: Context) -> Iterator[Tweet]:
    """Every tweet embedded in a parsed page, in document order."""
    return iter(())
