"""The front door: ``extract()`` runs the extractor registries over one loaded document and merges."""
from __future__ import annotations

import logging
import re
from datetime import datetime
from typing import Any, Iterable, Iterator

from .build import Context
from .dates import to_utc
from .loader import SNIFF_BYTES, load, looks_like_html
from .record import Tweet

__all__ = ["extract"]

LOGGER = logging.getLogger("tweetparse")

KINDS = ("auto", "html", "text")
ERROR_MODES = ("strict", "log", "ignore")


def extract(
    source: Any,
    *,
    url: str | None = None,
    kind: str = "auto",
    reference_time: datetime | str | None = None,
    errors: str = "log",
    article: str | None = None,
) -> list[Tweet]:
    """Every tweet embedded in an article, in document order.

    ``source`` is the article as bytes (any encoding), str, an lxml element or a
    BeautifulSoup object; ``kind`` forces ``"html"`` or ``"text"`` instead of sniffing.
    ``reference_time`` resolves relative times ("5h") and year-less dates; by default
    the article's own publication time is used when the page gives it. ``errors``:
    ``"log"`` (an extractor that fails is logged and skipped), ``"ignore"`` or ``"strict"``.
    ``url`` and ``article`` (a path) are copied into each record's ``source``.

    >>> text = "Snow in Ottawa #cdnwx https://t.co/abc\\n— Jane Doe (@janedoe) January 5, 2017"
    >>> [(t.handle, t.created_at) for t in extract(text)]
    [('janedoe', '2017-01-05')]
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    if errors not in ERROR_MODES:
        raise ValueError(f"errors must be one of {', '.join(ERROR_MODES)}, not {errors!r}")
    ctx = Context(article=article, url=url, reference_time=_as_datetime(reference_time), errors=errors)
    if isinstance(source, (bytes, bytearray)) and not may_hold_tweets(source):
        return []
    doc = load(source, kind)
    if doc.text is not None:
        from .text import find_in_text

        found = list(_guarded(find_in_text(doc.text, ctx), ctx, "text"))
    else:
        from .html import find_in_html
        from .pagemeta import published_time

        ctx.published = published_time(doc.root)
        found = list(_guarded(find_in_html(doc.root, ctx), ctx, "html"))
    return merge(found)


# Byte strings of which every document holding a tweet has one: embed markup names Twitter,
# a tweet or an x.com status; flattened text carries the author's @handle. HTML pages almost
# always contain some "@" (CSS, e-mail), so for them only the attribution's "(@" counts.
HTML_NEEDLES = (b"twitter", b"tweet", b"x.com/", b"(@")
TEXT_NEEDLES = (b"@", "\uff20".encode("utf-8"))
_WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff")


def may_hold_tweets(data: bytes) -> bool:
    """The byte pre-filter: False only when the document certainly holds no tweet."""
    if data.startswith(_WIDE_BOMS):
        return True  # UTF-16/32: the needles are not byte substrings there
    lowered = data.lower()
    if any(needle in lowered for needle in HTML_NEEDLES):
        return True
    if looks_like_html(data[:SNIFF_BYTES].decode("latin-1")):
        return False
    return any(needle in data for needle in TEXT_NEEDLES)


def _as_datetime(value: datetime | str | None) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return to_utc(value) if value is not None else None
    if isinstance(value, str):
        from dateutil.parser import isoparse

        return to_utc(isoparse(value))
    raise TypeError(f"reference_time must be a datetime or an ISO 8601 string, not {type(value).__name__}")


def _guarded(records: Iterable[Tweet], ctx: Context, stage: str) -> Iterator[Tweet]:
    """Pass records through; in "log"/"ignore" mode a failing stage loses only what it had not yielded yet."""
    try:
        yield from records
    except Exception:
        if ctx.errors == "strict":
            raise
        if ctx.errors == "log":
            LOGGER.exception("tweetparse: the %s stage failed on %s", stage, ctx.article or ctx.url or "input")


_FOLD = re.compile(r"\W+")


def _key(tweet: Tweet) -> tuple[str, str]:
    if tweet.id:
        return ("id", tweet.id)
    return ("text", f"{(tweet.handle or '').lower()}|{_FOLD.sub(' ', tweet.text.lower()).strip()}")


def merge(tweets: Iterable[Tweet]) -> list[Tweet]:
    """One record per tweet: duplicates (same status id, or same handle and text) are folded into the
    first, which keeps its place and takes any field it lacked from the later copies."""
    merged: dict[tuple[str, str], Tweet] = {}
    for tweet in tweets:
        key = _key(tweet)
        first = merged.get(key)
        if first is None:
            merged[key] = tweet
            continue
        fill = {name: getattr(tweet, name) for name in ("url", "handle", "name", "text", "lang", "links",
                                                         "hashtags", "mentions", "created_at_source")
                if not getattr(first, name) and getattr(tweet, name)}
        if first.hidden and not tweet.hidden:
            fill.update(hidden=False, form=tweet.form, source=tweet.source)
        if first.created_at_precision not in ("millisecond", "second") and tweet.created_at and (
            not first.created_at or len(tweet.created_at) > len(first.created_at)
        ):
            fill.update(created_at=tweet.created_at, created_at_precision=tweet.created_at_precision)
        if fill:
            if "handle" in fill and first.id:
                from .urls import canonical_url

                fill["url"] = canonical_url(fill["handle"], first.id)
            merged[key] = first.evolve(**fill)
    return list(merged.values())
