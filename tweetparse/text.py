"""Tweets flattened into plain text: attribution lines, glued one-liners, markdown quotes, timeline copies."""
from __future__ import annotations

from typing import Iterator

from .build import Context
from .record import Tweet

__all__ = ["find_in_text"]


def find_in_text(text: str, ctx: Context, base: int = 0) -> Iterator[Tweet]:
    """Every tweet in a text, in order; spans are offsets into ``text`` plus ``base``."""
    return iter(())
