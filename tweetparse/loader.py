"""Input dispatch: bytes, str, lxml elements and bs4 objects become one parsed tree or one text."""
from __future__ import annotations

import codecs
import re
from itertools import islice
from typing import Any, NamedTuple

from lxml import etree

from .search import Anywhere

__all__ = ["Document", "decode", "detect_encoding", "load"]

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

    root: Any  # an lxml element | None
    text: str | None


def detect_encoding(data: bytes) -> tuple[str, int]:
    """The encoding a document is read in and the length of its BOM: the BOM, then the declared
    charset, then UTF-8 when the bytes are valid UTF-8, then a detected multi-byte one, then cp1252."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
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
            return declared, 0
    if data.isascii() or not _ILL_FORMED_UTF8.any_in(data):
        return "utf-8", 0
    return _multibyte_guess(data) or "cp1252", 0


def _fails_to_decode(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


# Bytes that are not UTF-8, as Python's decoder refuses them (the Unicode Standard's well-formed byte
# sequences, its table 3-7), found without decoding (which builds the whole str to throw it away):
# a continuation byte (80-BF) where no sequence goes on (at the start, after ASCII, after a complete
# sequence), a byte no sequence starts with, and a lead byte lacking one of the continuation bytes it
# needs (the range of the first one depends on the lead: no overlong forms, no surrogates, nothing
# above U+10FFFF).
_CONTINUATION = rb"[\x80-\xbf]"
_NO_CONTINUATION = rb"(?:[^\x80-\xbf]|\z)"
_ILL_FORMED_UTF8 = Anywhere((
    rb"\A" + _CONTINUATION,
    rb"[\x00-\x7f]" + _CONTINUATION,
    rb"[\xc0-\xdf]" + _CONTINUATION * 2,
    rb"[\xe0-\xef]" + _CONTINUATION * 3,
    rb"[\xf0-\xf4]" + _CONTINUATION * 4,
    rb"[\xc0\xc1\xf5-\xff]",
    rb"[\xc2-\xdf]" + _NO_CONTINUATION,
    rb"\xe0(?:[^\xa0-\xbf]|\z)",
    rb"[\xe1-\xec\xee\xef]" + _NO_CONTINUATION,
    rb"\xed(?:[^\x80-\x9f]|\z)",
    rb"[\xe0-\xef]" + _CONTINUATION + _NO_CONTINUATION,
    rb"\xf0(?:[^\x90-\xbf]|\z)",
    rb"[\xf1-\xf3]" + _NO_CONTINUATION,
    rb"\xf4(?:[^\x80-\x8f]|\z)",
    rb"[\xf0-\xf4]" + _CONTINUATION + _NO_CONTINUATION,
    rb"[\xf0-\xf4]" + _CONTINUATION * 2 + _NO_CONTINUATION,
), _fails_to_decode)


def decode(data: bytes) -> str:
    """Bytes to str: BOM, then the declared charset, then UTF-8, then a detected multi-byte one, then cp1252."""
    encoding, skip = detect_encoding(data)
    return data[skip:].decode(encoding, errors="replace")


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
# Each line start is found from its "\n" (a literal the regex engine skips to), not by trying "^" at
# every position of the text.
_MARKDOWN_LINE = re.compile(r"\n[ \t]*(?:>|#{1,6}\s|[-*+]\s)")


# Markup first: after blanks and a byte order mark (as str, or its UTF-8 bytes read as latin-1), a tag,
# a comment, a doctype or an XML declaration.
_LEADING_BLANKS = " \t\n\r\f\v\ufeff\xef\xbb\xbf"
_MARKUP_START = re.compile(r"<(?:[!?]|/?[A-Za-z])")
_CLOSING_SIGNS = re.compile("</" + _HTML_SIGNS.pattern[1:], re.IGNORECASE)
# A document that starts with prose is HTML only with this many tags (opening and closing) near its
# start: an article that mentions "<script>" or "<div>" and "</div>" is still text, while an HTML
# fragment that opens with a sentence has a blockquote, its paragraph, link and script, and their ends.
PROSE_HTML_TAGS = 4


def looks_like_html(text: str) -> bool:
    """Whether a document is HTML: markup at its start or many tags near it, and more of it than markdown."""
    head = text[:SNIFF_BYTES]
    markdown = head.count("](") + len(_MARKDOWN_LINE.findall("\n" + head))
    # Tags are counted only as far as the answer needs (most heads hold no markdown: one tag will do).
    if _MARKUP_START.match(head.lstrip(_LEADING_BLANKS)):
        needed = max(1, markdown)
        return sum(1 for _ in islice(_HTML_SIGNS.finditer(head), needed)) == needed
    needed = max(PROSE_HTML_TAGS, markdown)
    found = sum(1 for _ in islice(_HTML_SIGNS.finditer(head), needed))
    return found + sum(1 for _ in islice(_CLOSING_SIGNS.finditer(head), needed - found)) == needed


# libxml2's HTML parser never reads a DTD's internal subset (no entity is defined, so none can expand:
# no billion laughs) and, with no_network, never fetches anything. What huge_tree lifts are its
# *input-size* caps, which without it silently end the parse and lose the rest of the page: a text
# node or attribute over 10 MB (a big inline script) and nesting deeper than 256 (unclosed tags).
# With it, memory stays proportional to the input and nesting stops at libxml2's 2048. No extractor
# looks elements up by id (XPath's id()), so the parser keeps no table of them (4 % of a parse).
PARSER_OPTIONS: dict[str, Any] = {"huge_tree": True, "no_network": True, "collect_ids": False}
# lxml.etree's HTML parser, not lxml.html's: the same libxml2 parse, without lxml.html's Python call
# choosing the class of each element the extractors touch (about 1 % of an extract on the corpus; no
# extractor needs lxml.html's methods). Callers' lxml.html trees still work.
_TEXT_PARSER = etree.HTMLParser(**PARSER_OPTIONS)


def _document(data: str | bytes, parser: Any) -> Any:
    """The parsed document's root element; ``etree.ParserError`` when libxml2 gives no tree."""
    root = etree.fromstring(data, parser)
    if root is None:
        raise etree.ParserError("Document is empty")
    return root


def _empty_document() -> Any:
    return etree.fromstring("<html></html>", _TEXT_PARSER)


def parse_html(text: str) -> Any:
    """Parse HTML text into an lxml tree; no network, no entity expansion."""
    text = _XML_DECL.sub("", text, count=1).replace("\x00", "")
    if not text.strip():
        return _empty_document()
    try:
        return _document(text, _TEXT_PARSER)
    except (etree.ParserError, ValueError):
        return _empty_document()


# Encodings read as text first: libxml2 needs no help with the others, and these would also
# disagree with Python's decoding of the same bytes (UTF-16/32 units, BOMs).
_TEXT_FIRST_ENCODINGS = ("utf-16", "utf-32")
_PARSERS: dict[str, Any] = {}


def _parser_for(encoding: str) -> Any | None:
    """An HTML parser that reads bytes in ``encoding`` (cached), or None when libxml2 does not know it."""
    if encoding not in _PARSERS:
        try:
            _PARSERS[encoding] = etree.HTMLParser(encoding=encoding, **PARSER_OPTIONS)
        except LookupError:
            _PARSERS[encoding] = None
    return _PARSERS[encoding]


def _parse_html_bytes(data: bytes, encoding: str, skip: int, *, sniff: bool) -> Any | None:
    """Parse HTML bytes straight away in the detected encoding, saving the decode and the copy a str
    parse needs; None when the document is not HTML (``sniff``) or must go through ``parse_html``
    (wide encodings, NUL bytes, which that path drops, encodings libxml2 lacks)."""
    if encoding.startswith(_TEXT_FIRST_ENCODINGS) or b"\x00" in data:
        return None
    parser = _parser_for(encoding.replace("_", "-"))
    if parser is None:
        return None
    body = data[skip:]
    if sniff and not looks_like_html(body[:SNIFF_BYTES].decode(encoding, errors="replace")):
        return None
    try:
        return _document(body, parser)
    except (etree.ParserError, ValueError):
        return _empty_document()


def parse_document(data: bytes, encoding: str, skip: int) -> Any:
    """The tree of an HTML page given as bytes in ``encoding`` after a BOM of ``skip`` bytes."""
    root = _parse_html_bytes(data, encoding, skip, sniff=False)
    return root if root is not None else parse_html(data[skip:].decode(encoding, errors="replace"))


def load(source: Any, kind: str, *, detected: tuple[str, int] | None = None) -> Document:
    """Turn any supported input into a Document, HTML or text by ``kind`` (``auto`` sniffs).
    ``detected``: what ``detect_encoding`` gave for bytes ``source``, when the caller asked it already."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        encoding, skip = detected or detect_encoding(data)
        if kind != "text":
            root = _parse_html_bytes(data, encoding, skip, sniff=kind == "auto")
            if root is not None:
                return Document(root, None)
        source = data[skip:].decode(encoding, errors="replace")
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
