"""Needles several HTML extractors share: the ways a page's bytes name a tweet's status id."""
from __future__ import annotations

from ..search import Needle

__all__ = ["STATUS_ID"]

# A status id, as embeds write it (lower case: the search ignores case): a status path in a URL, plain,
# percent-encoded (a proxy's ?url=), or escaped in JSON or JavaScript ("/status/1", "%2fstatuses%2f1",
# "\/status\/1", "\u002fstatus\u002f1"), or a query's status=1; a number named a tweet's
# (data-tweet-id="1", tweetid=1, "tweetId":"1", [tweet 1]); the id= of Twitter's embed page or of a URL
# naming Twitter. Every tweet an extractor reads is tied to one of these, but for a flattened tweet (an
# author shape, see shapes.py) and the few forms with markers of their own.
STATUS_ID: tuple[Needle, ...] = (
    Needle(rb"status(?:es)?(?:/|%2f|\\/|\\u002f|=)[0-9]"),
    Needle(rb"tweet(?:[a-z0-9_-]{0,20}[\"']?\s{0,5}[=:]\s{0,5}[\"']?|\s{1,5})[0-9]"),
    Needle(rb"tweet[^<>\s\"']{0,300}[?&;]id=[0-9]"),
    Needle(rb"twitter[^<>\s\"']{0,300}[?&;]id=[0-9]"),
    Needle(rb"x\.com/[^<>\s\"']{0,300}[?&;]id=[0-9]"),
)
