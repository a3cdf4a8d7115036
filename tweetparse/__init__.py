"""tweetparse: find the tweets embedded in news articles and turn them into structured records.

>>> import tweetparse
>>> tweets = tweetparse.extract(open("article.html", "rb").read())   # doctest: +SKIP
>>> tweets[0].to_dict()                                              # doctest: +SKIP
"""
from __future__ import annotations

from .core import extract
from .feed import FeedItem, build_feed, render_feed
from .record import Link, Source, Tweet

__version__ = "0.1.0"
__all__ = ["extract", "Tweet", "Link", "Source", "build_feed", "render_feed", "FeedItem", "__version__"]
