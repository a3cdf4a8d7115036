"""Tweets flattened into a page's own paragraphs: the plain-text shapes, read from text no extractor claimed."""
from __future__ import annotations

from typing import Any, Iterator

from ..build import Context
from .base import Found

__all__ = ["find_in_paragraphs"]


def find_in_paragraphs(root: Any, ctx: Context, claimed: set[Any]) -> Iterator[Found]:
    """Tweets in the text of block elements outside ``claimed`` subtrees."""
    return iter(())
