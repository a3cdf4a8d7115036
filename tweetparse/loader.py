"""Input dispatch: bytes, str, lxml elements and bs4 objects become one parsed tree or one text."""
from __future__ import annotations

import codecs
import re
from typing import Any, NamedTuple

import lxml.html
from lxml import etree

__all__ = ["Document", "load", "decode"]

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# <meta charset=...>, <meta http-equiv content="...; charset=...">, <?xml encoding=...?>
_DECLARED = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([\w.:-]{2,40})|<\?xml[^>]{0,100}encoding=["']([\w.:-]{2,40})""",
                       re.IGNORECASE)
# How far into a document a charset declaration or HTML markup is looked for.
SNIFF_BYTES = 4096
_HTML_SIGNS = re.compile(
    r"<(?:!doctype|html|head|body|meta|title|div|p|span|article|section|main|blockquote|iframe|script|a|br|"
    r"figure|amp-twitter|table|ul|li|h[1-6]|img|link|style)[\s>/]",
    re.IGNORECASE,
)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")


class Document(NamedTuple):
    """A loaded input: an HTML tree or a text (exactly one is set)."""

    root: Any  # lxml.html.HtmlElement | None
    text: str | None


def decode(data: bytes) -> str:
    """Bytes to str: BOM, then the declared charset, then UTF-8, then a detected multi-byte one, then cp1252."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(encoding, errors="replace")
    m = _DECLARED.search(data[:SNIFF_BYTES])
    if m:
        declared = (m.group(1) or m.group(2)).decode("ascii").lower()
        try:
            codecs.lookup(declared)
        except LookupError:
            declared = ""
        if declared:
            # As browsers do: the declared charset wins, and a stray invalid byte becomes U+FFFD
            # instead of sending the whole page down the fallback path.
            return data.decode(declared, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    guess = _multibyte_guess(data)
    if guess:
        return data.decode(guess, errors="replace")
    return data.decode("cp1252", errors="replace")


# Multi-byte legacy encodings that a detector tells apart reliably. Single-byte code pages are
# not told apart on short texts, so for them the web's default, windows-1252, is used instead.
_MULTIBYTE = ("shift_jis", "cp932", "euc_jp", "iso2022_jp", "gb2312", "gbk", "gb18030", "big5", "euc_kr",
              "cp949", "utf_16", "utf_32")
# How much of an undeclared, non-UTF-8 document the detector reads.
DETECT_BYTES = 100_000


def _multibyte_guess(data: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - a declared dependency, but stay usable without it
        return None
    best = from_bytes(data[:DETECT_BYTES]).best()
    if best is None or not best.encoding:
        return None
    encoding = codecs.lookup(best.encoding).name.replace("-", "_")
    return best.encoding if encoding in _MULTIBYTE else None


# Markdown constructs: links "](", quote lines, headings, list items. Markdown converters keep
# stray HTML (<span id=...> anchors), so a few tags in a text full of these do not make it HTML.
_MARKDOWN_SIGNS = re.compile(r"\]\(|^[ \t]*(?:>|#{1,6}\s|[-*+]\s)", re.MULTILINE)


def looks_like_html(text: str) -> bool:
    """Whether a document is HTML: markup near its start, and more of it than markdown."""
    head = text[:SNIFF_BYTES]
    tags = len(_HTML_SIGNS.findall(head))
    return tags > 0 and tags >= len(_MARKDOWN_SIGNS.findall(head))


def parse_html(text: str) -> Any:
    """Parse HTML text into an lxml tree; no network, no entity expansion."""
    text = _XML_DECL.sub("", text, count=1).replace("\x00", "")
    if not text.strip():
        return lxml.html.fromstring("<html></html>")
    try:
        return lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        return lxml.html.fromstring("<html></html>")


def load(source: Any, kind: str) -> Document:
    """Turn any supported input into a Document, HTML or text by ``kind`` (``auto`` sniffs)."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        source = decode(bytes(source))
    if isinstance(source, str):
        if kind == "html" or (kind == "auto" and looks_like_html(source)):
            return Document(parse_html(source), None)
        return Document(None, source)
    if isinstance(source, etree._Element):
        if kind == "text":
            return Document(None, "".join(source.itertext()))
        return Document(source, None)
    module = type(source).__module__ or ""
    if module.startswith("bs4"):
        from bs4 import BeautifulSoup, Tag  # imported only for callers who pass bs4 objects

        if isinstance(source, (BeautifulSoup, Tag)):
            return load(str(source), kind)
    raise TypeError(
        "tweetparse.extract() takes bytes, str, an lxml element or a BeautifulSoup object, "
        f"not {type(source).__name__}"
    )
