"""tweetparse: find the tweets and other social posts embedded in news articles, as structured records.

>>> import tweetparse
>>> tweets = tweetparse.extract(open("article.html", "rb").read())   # doctest: +SKIP
>>> tweets[0].to_dict()                                              # doctest: +SKIP
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = [
    "Entities",
    "FeedItem",
    "Link",
    "Post",
    "Quoted",
    "Source",
    "Tweet",
    "__version__",
    "build_feed",
    "extract",
    "extract_entities",
    "render_feed",
]

# The public names and the modules they live in. They are imported on first use (PEP 562), so
# `tweetparse --help` and the CLI's worker start-up don't pay for lxml and dateutil up front.
_EXPORTS = {
    "extract": "core", "Post": "record", "Tweet": "record", "Quoted": "record", "Link": "record", "Source": "record",
    "build_feed": "feed", "render_feed": "feed", "FeedItem": "feed",
    "extract_entities": "entities", "Entities": "entities",
}

if TYPE_CHECKING:  # pragma: no cover
    from .core import extract
    from .entities import Entities, extract_entities
    from .feed import FeedItem, build_feed, render_feed
    from .record import Link, Post, Quoted, Source, Tweet


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'tweetparse' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
