"""The front door: ``extract()`` runs the extractor registries over one loaded document and merges."""
from __future__ import annotations

import logging
import re
from datetime import datetime
from typing import Any, Iterable, Iterator

from .build import Context
from .dates import to_utc
from .loader import SNIFF_BYTES, load, looks_like_html
from .merge import merge
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
    reference = _as_datetime(reference_time)
    if isinstance(source, (bytes, bytearray)) and not may_hold_tweets(source):
        return []
    doc = load(source, kind)
    if doc.text is not None:
        from .text import find_in_text

        ctx = Context(article=article, url=url, reference_time=reference, errors=errors)
        found = list(_guarded(find_in_text(doc.text, ctx), ctx, "text"))
    else:
        from .html import Page, find_in_html

        from .pagemeta import published_time

        root = doc.root
        ctx = Context(article=article, url=url, reference_time=reference, errors=errors,
                      published_loader=lambda: published_time(root))
        found = list(_guarded(find_in_html(doc.root, ctx, Page.of(doc.root, source)), ctx, "html"))
    return merge(found)


# Words of which every document holding a tweet has one: embed markup names Twitter, a tweet or an
# x.com status (in lower case: class names and URLs are written so); flattened text carries the
# author's @handle. HTML pages almost always contain some "@" (CSS, e-mail), so for them only the
# attribution's "(@" and a timeline header "@handle 5h" count. Each word costs a pass over the
# bytes, so there are as few as the forms allow.
HTML_NEEDLES = (b"twitter", b"tweet", b"x.com/")
_FULLWIDTH_AT = "\uff20".encode("utf-8")
# A timeline header flattened into a paragraph, "@handle 5h" / "@handle · Dec 13", matched at an "@".
_TIMELINE_HEADER = re.compile(
    rb"@\w{1,15}(?:[ \t]|\xc2\xa0|&nbsp;|&#160;|\xc2\xb7|&middot;|&#183;|\xe2\x80\xa2|&bull;)+(?:\d|[^\W\d_]{3})"
)
_WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff")


def may_hold_tweets(data: bytes | bytearray) -> bool:
    """The byte pre-filter: False only when the document certainly holds no tweet.

    A rejected page costs one pass per HTML needle and a memchr for "@" (and for "＠"'s lead byte);
    the rarer signs are looked for only where those find something.
    """
    if data.startswith(_WIDE_BOMS):
        return True  # UTF-16/32: the needles are not byte substrings there
    if any(needle in data for needle in HTML_NEEDLES):
        return True
    if looks_like_html(data[:SNIFF_BYTES].decode("latin-1")):
        return _holds_author_shape(data)
    return data.find(b"@") >= 0 or _holds_fullwidth_at(data)


def _holds_author_shape(data: bytes | bytearray) -> bool:
    """Whether some "@" starts an attribution "(@handle" or a timeline header: "@" is rare enough in
    HTML for a find loop to be cheaper than one regex pass over the whole page."""
    at = data.find(b"@")
    while at >= 0:
        if data[at - 1:at] == b"(" or _TIMELINE_HEADER.match(data, at):
            return True
        at = data.find(b"@", at + 1)
    return _holds_fullwidth_at(data)


def _holds_fullwidth_at(data: bytes | bytearray) -> bool:
    """Whether the bytes hold "＠" in UTF-8, looked for through its lead byte first (most pages lack it)."""
    if data.find(_FULLWIDTH_AT[:1]) < 0:
        return False
    from .html.scan import holds_fullwidth_at

    return holds_fullwidth_at(bytes(data))


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
