"""The front door: ``extract()`` runs the extractor registries over one loaded document and merges."""
from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any, NamedTuple

from .build import Context
from .dates import to_utc
from .loader import SNIFF_BYTES, detect_encoding, load, looks_like_html, transport_encoding
from .merge import merge
from .record import Tweet
from .search import Words

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
    encoding: str | None = None,
) -> list[Tweet]:
    """Every tweet embedded in an article, in document order.

    ``source`` is the article as bytes (any encoding), str, an lxml element or a
    BeautifulSoup object; ``kind`` forces ``"html"`` or ``"text"`` instead of sniffing.
    ``reference_time`` resolves relative times ("5h") and year-less dates; by default
    the article's own publication time is used when the page gives it. ``errors``:
    ``"log"`` (an extractor that fails is logged and skipped), ``"ignore"`` or ``"strict"``.
    ``url`` and ``article`` (a path) are copied into each record's ``source``. ``encoding``: the
    charset of bytes ``source`` when the caller knows it (an HTTP header's); only a BOM outranks it.

    >>> text = "Snow in Ottawa #cdnwx https://t.co/abc\\n— Jane Doe (@janedoe) January 5, 2017"
    >>> [(t.handle, t.created_at) for t in extract(text)]
    [('janedoe', '2017-01-05')]
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    if errors not in ERROR_MODES:
        raise ValueError(f"errors must be one of {', '.join(ERROR_MODES)}, not {errors!r}")
    reference = _as_datetime(reference_time)
    source, encoding = transport_encoding(source, encoding)
    scanned = None
    if isinstance(source, (bytes, bytearray)):
        if not may_hold_tweets(source):
            return []
        scanned = _scan_html_bytes(bytes(source), kind, encoding)
        if scanned is not None and not scanned.evidence:
            return []
    if scanned is not None:  # the scan sniffed the page as the loader does: it is HTML
        doc = load(source, "html", detected=scanned.detected)
    else:
        doc = load(source, kind, encoding=encoding)
    if doc.text is not None:
        from .text import find_in_text

        ctx = Context(article=article, url=url, reference_time=reference, errors=errors)
        found = list(_guarded(find_in_text(doc.text, ctx), ctx, "text"))
    else:
        from .html import Page, find_in_html
        from .pagemeta import published_time

        root = doc.root
        page = Page(root, scanned.lowered, scanned.signals) if scanned is not None else Page.of(root, source)
        ctx = Context(article=article, url=url, reference_time=reference, errors=errors,
                      published_loader=lambda: published_time(root))
        found = list(_guarded(find_in_html(root, ctx, page), ctx, "html"))
    return merge(found)


# Words of which every document holding a tweet has one: embed markup names Twitter, a tweet or an
# x.com status (in lower case: class names and URLs are written so); flattened text carries the
# author's @handle. HTML pages almost always contain some "@" (CSS, e-mail), so for them only an
# author shape counts, judged by the same scan that decides whether the text pass runs. Each word
# costs a pass over the bytes, so there are as few as the forms allow.
HTML_NEEDLES = (b"twitter", b"tweet", b"x.com/")
_NEEDLE_WORDS = Words(HTML_NEEDLES)
_WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff")


def may_hold_tweets(data: bytes | bytearray) -> bool:
    """The byte pre-filter: False only when the document certainly holds no tweet.

    A rejected page costs one search for the HTML needles together (``search.Words``) and a memchr
    for "@"; a page holding an "@" then the author-shape scan of the HTML stage (a memchr for each
    "@", most of them dismissed by one C-level match); a text needs only an "@".
    """
    if data.startswith(_WIDE_BOMS):
        return True  # UTF-16/32: the needles are not byte substrings there
    if _NEEDLE_WORDS.any_in(bytes(data)):
        return True
    from .html.scan import author_shapes, holds_fullwidth_at

    if data.find(b"@") < 0 and not holds_fullwidth_at(bytes(data)):
        return False  # no author can be written without its "@" (memchr: the cheap answer)
    if looks_like_html(data[:SNIFF_BYTES].decode("latin-1")):
        return author_shapes(bytes(data).lower()) > 0
    return True


class _Scanned(NamedTuple):
    lowered: bytes
    signals: Any  # html.scan.Signals
    evidence: bool
    detected: tuple[str, int]  # the encoding and the BOM's length


def _scan_html_bytes(data: bytes, kind: str, encoding: str | None) -> _Scanned | None:
    """The HTML scan of bytes, before any parse: a page that shows no evidence of a tweet (see
    ``html.scan.holds_tweet_evidence``) is answered without one. None for text, and for encodings
    in which the scan's "@" and ASCII words are not the bytes it looks for (the page is then parsed
    and scanned as before)."""
    if kind == "text" or data.startswith(_WIDE_BOMS) or b"\x00" in data:
        return None  # NUL bytes send the loader down its str path, which sniffs other characters
    from .html.scan import AUTHOR_SHAPE_ENCODINGS, holds_tweet_evidence, scan

    encoding, skip = detect_encoding(data, encoding)
    if encoding not in AUTHOR_SHAPE_ENCODINGS:
        return None
    # Sniffed as the loader sniffs bytes, so that a page scanned as HTML is one it parses as HTML.
    if kind == "auto" and not looks_like_html(data[skip:skip + SNIFF_BYTES].decode(encoding, errors="replace")):
        return None
    lowered = data.lower()
    signals = scan(lowered)
    return _Scanned(lowered, signals, holds_tweet_evidence(lowered, signals), (encoding, skip))


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
