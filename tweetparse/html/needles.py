"""Needles several HTML extractors share: the ways a page's bytes name a tweet's status id."""
from __future__ import annotations

from ..search import Needle, within

__all__ = ["STATUS_ID"]

# A slash as URLs write it: plain, percent-encoded (a proxy's ?url=), escaped in JSON or JavaScript.
_SLASH = rb"(?:/|%2f|\\/|\\u002f)"
# A status id, as embeds write it (lower case: the search ignores case): a status path after Twitter's host
# ("twitter.com/jane/status/1", "//x.com/i/web/status/1", "twitter.com\/jane\/status\/1"; x.com only after
# "/" or ".", as "fox.com/" is no Twitter host), a number named a tweet's (data-tweet-id="1", tweetid=1,
# "tweetId":"1", [tweet 1]), or the id= of Twitter's embed page or of a URL naming Twitter. Every tweet an extractor reads is tied to one of these, but for a flattened
# tweet (an author shape, see shapes.py) and the few forms with markers of their own.
STATUS_ID: tuple[Needle, ...] = (
    Needle(rb"twitter\.com" + _SLASH + rb"[^\"'<>\s]{0,60}?status(?:es)?" + _SLASH + rb"[0-9]"),
    within(b"x.com", rb"[/.]x\.com" + _SLASH + rb"[^\"'<>\s]{0,60}?status(?:es)?" + _SLASH + rb"[0-9]"),
    Needle(rb"tweet(?:[a-z0-9_-]{0,20}[\"']?\s{0,5}[=:]\s{0,5}[\"']?|\s{1,5})[0-9]"),
    Needle(rb"tweet[^<>\s\"']{0,300}[?&;]id=[0-9]"),
    Needle(rb"twitter[^<>\s\"']{0,300}[?&;](?:id|status)=[0-9]"),
    within(b"x.com", rb"[/.]x\.com/[^<>\s\"']{0,300}[?&;]id=[0-9]"),
)
