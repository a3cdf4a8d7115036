"""The front door: ``extract()`` loads a document, runs the extractors over it, builds and merges the records."""
from __future__ import annotations

import codecs
import logging
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any, Literal

from .build import Context, build
from .dates import to_utc
from .loader import (
    SNIFF_BYTES,
    decode,
    detect_encoding,
    load,
    looks_like_html,
    parse_document,
    parse_html,
    transport_encoding,
)
from .merge import merge
from .record import PLATFORMS, Platform, Post

__all__ = ["extract"]

LOGGER = logging.getLogger("tweetparse")

Kind = Literal["auto", "html", "text"]
Errors = Literal["strict", "log", "ignore"]
KINDS: tuple[Kind, ...] = ("auto", "html", "text")
ERROR_MODES: tuple[Errors, ...] = ("strict", "log", "ignore")
# The signs every flattened author is written with: a text holding neither holds no post.
_AT_SIGNS = ("@", "\uff20")
_WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff")
_FULLWIDTH_AT = "\uff20".encode()


def extract(
    source: Any,
    *,
    url: str | None = None,
    kind: Kind = "auto",
    reference_time: datetime | str | None = None,
    errors: Errors = "log",
    article: str | None = None,
    encoding: str | None = None,
    platforms: Iterable[Platform] | Platform | None = None,
) -> list[Post]:
    """Every post embedded in an article, in document order.

    ``source`` is the article as bytes (any encoding), str, an lxml element or a
    BeautifulSoup object; ``kind`` forces ``"html"`` or ``"text"`` instead of sniffing.
    ``reference_time`` resolves relative times ("5h") and year-less dates; by default
    the article's own publication time is used when the page gives it. ``errors``:
    ``"log"`` (an extractor that fails is logged and skipped), ``"ignore"`` or ``"strict"``.
    ``url`` and ``article`` (a path) are copied into each record's ``source``. ``encoding`` is the
    charset the bytes are known to be in (an HTTP header's): it outranks the page's own declaration, as
    in browsers (see docs/decoding.md). ``platforms`` keeps only the posts of these networks (names as
    ``record.PLATFORMS`` lists them; one name alone works too); by default every network's posts are returned.

    >>> text = "Snow in Ottawa #cdnwx https://t.co/abc\\n— Jane Doe (@janedoe) January 5, 2017"
    >>> [(t.handle, t.created_at) for t in extract(text)]
    [('janedoe', '2017-01-05')]
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    if errors not in ERROR_MODES:
        raise ValueError(f"errors must be one of {', '.join(ERROR_MODES)}, not {errors!r}")
    wanted = _wanted_platforms(platforms)
    ctx = Context(article=article, url=url, reference_time=_as_datetime(reference_time), errors=errors)
    source, encoding = transport_encoding(source, encoding)
    if isinstance(source, (bytes, bytearray, memoryview)):
        records = _from_bytes(bytes(source), kind, ctx, encoding)
    elif isinstance(source, str):
        records = _from_str(source, kind, ctx)
    else:
        doc = load(source, kind)  # a tree (or a bs4 object): no bytes to search, every extractor runs
        records = _from_text(doc.text, ctx) if doc.text is not None else _from_tree(doc.root, None, ctx)
    posts = merge(_guarded(records, ctx))
    return posts if wanted is None else [post for post in posts if post.platform in wanted]


def _wanted_platforms(platforms: Iterable[str] | str | None) -> frozenset[str] | None:
    """The networks asked for, checked: None asks for all of them."""
    if platforms is None:
        return None
    names = (platforms,) if isinstance(platforms, str) else tuple(platforms)
    unknown = [name for name in names if name not in PLATFORMS]
    if unknown:
        raise ValueError(f"unknown platform {unknown[0]!r}; known: {', '.join(PLATFORMS)}")
    return frozenset(names)


def _from_bytes(data: bytes, kind: Kind, ctx: Context, transport: str | None) -> Iterator[Post]:
    """The records of a document given as bytes. Its bytes are searched as they are where they write every
    needle's ASCII as ASCII (UTF-8 and single-byte code pages), before anything is decoded or parsed:
    a page holding no extractor's needle, or a text without an "@", costs one search."""
    if data.startswith(_WIDE_BOMS) or b"\x00" in data:  # UTF-16/32, or binary junk: read as str
        yield from _from_str(decode(data, transport), kind, ctx)
        return
    encoding, skip = detect_encoding(data, transport)
    if not _writes_ascii_as_ascii(encoding):
        yield from _from_str(data[skip:].decode(encoding, errors="replace"), kind, ctx)
        return
    if kind == "auto":
        kind = "html" if looks_like_html(data[skip:skip + SNIFF_BYTES].decode(encoding, errors="replace")) else "text"
    if kind == "text":
        if b"@" in data or _FULLWIDTH_AT in data:
            yield from _from_text(data[skip:].decode(encoding, errors="replace"), ctx)
        return
    from .html import search_needles

    hits = search_needles(data)
    if hits:
        yield from _from_tree(parse_document(data, encoding, skip), hits, ctx)


def _from_str(text: str, kind: Kind, ctx: Context) -> Iterator[Post]:
    if kind == "text" or (kind == "auto" and not looks_like_html(text)):
        yield from _from_text(text, ctx)
        return
    from .html import search_needles

    hits = search_needles(text.encode("utf-8", "replace"))
    if hits:
        yield from _from_tree(parse_html(text), hits, ctx)


def _from_text(text: str, ctx: Context) -> Iterator[Post]:
    if not any(sign in text for sign in _AT_SIGNS):
        return
    from .text import find_in_text

    for draft in find_in_text(text):
        yield build(draft, ctx)


def _from_tree(root: Any, hits: dict[Any, int] | None, ctx: Context) -> Iterator[Post]:
    from .html import Page, read_page
    from .pagemeta import published_time

    ctx.published_loader = lambda: published_time(root)
    yield from read_page(Page(root, hits), ctx)


def _writes_ascii_as_ascii(encoding: str) -> bool:
    """Whether bytes in ``encoding`` write every ASCII character as its ASCII byte and only as that."""
    name = codecs.lookup(encoding).name
    return name in ("utf-8", "ascii") or name.startswith(("iso8859-", "cp125", "koi8", "mac-", "latin"))


def _as_datetime(value: datetime | str | None) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return to_utc(value) if value is not None else None
    if isinstance(value, str):
        from dateutil.parser import isoparse

        return to_utc(isoparse(value))
    raise TypeError(f"reference_time must be a datetime or an ISO 8601 string, not {type(value).__name__}")


def _guarded(records: Iterator[Post], ctx: Context) -> Iterator[Post]:
    """Pass records through; in "log"/"ignore" mode a failing stage loses only what it had not yielded yet."""
    try:
        yield from records
    except Exception:
        if ctx.errors == "strict":
            raise
        if ctx.errors == "log":
            LOGGER.exception("tweetparse: extraction failed on %s", ctx.article or ctx.url or "input")
