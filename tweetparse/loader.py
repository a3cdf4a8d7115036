"""Input dispatch: bytes, str, lxml elements and bs4 objects become one parsed tree or one text."""
from __future__ import annotations

import codecs
import re
from itertools import islice
from typing import Any, NamedTuple

from lxml import etree

from .search import Anywhere

__all__ = ["Document", "decode", "detect_encoding", "encoding_for_label", "load", "transport_encoding"]

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


def detect_encoding(data: bytes, transport: str | None = None) -> tuple[str, int]:
    """The encoding a document is read in and the length of its BOM, in a browser's order: the BOM,
    then the ``transport`` charset (an HTTP header's, or the caller's), then a ``<meta>`` or XML
    declaration, then UTF-8 when the bytes are UTF-8 or mostly so, then a detected legacy encoding."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, len(bom)
    if transport is not None:
        known = encoding_for_label(transport)
        if known is not None:
            # As browsers do: a stray invalid byte becomes U+FFFD instead of sending the whole page
            # down the detection path. Likewise for a declaration in the page below.
            return known, 0
    m = _DECLARED.search(data[:SNIFF_BYTES])
    if m:
        declared = encoding_for_label((m.group(1) or m.group(2)).decode("ascii"), in_document=True)
        if declared is not None:
            return declared, 0
    if data.isascii() or not _ILL_FORMED_UTF8.any_in(data) or _mostly_utf8(data[:UTF8_SAMPLE_BYTES]):
        return "utf-8", 0
    return _legacy_guess(data[:DETECT_BYTES]), 0


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


# Labels that browsers read differently from Python's codec of the same name (the WHATWG Encoding
# Standard's table): Latin-1 and ASCII pages are read as windows-1252 (their 0x80-0x9F bytes are
# quotes and dashes, never control characters), and the legacy CJK labels as the supersets pages
# really use.
_WHATWG_LABELS = {
    **dict.fromkeys(("ascii", "us-ascii", "ansi_x3.4-1968", "iso-8859-1", "iso8859-1", "iso_8859-1", "iso88591",
                     "iso_8859-1:1987", "latin1", "latin-1", "l1", "cp819", "ibm819", "iso-ir-100", "csisolatin1",
                     "x-cp1252", "windows-1252"), "cp1252"),
    **dict.fromkeys(("iso-8859-9", "iso8859-9", "iso_8859-9", "iso88599", "latin5", "l5", "iso-ir-148",
                     "csisolatin5", "x-cp1254", "windows-1254"), "cp1254"),
    **dict.fromkeys(("tis-620", "iso-8859-11", "iso8859-11", "iso885911", "dos-874", "windows-874"), "cp874"),
    **dict.fromkeys(("gb2312", "gbk", "x-gbk", "gb_2312", "gb_2312-80", "chinese", "csgb2312", "iso-ir-58",
                     "cp936", "ms936", "windows-936"), "gb18030"),
    **dict.fromkeys(("big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5"), "big5hkscs"),
    **dict.fromkeys(("shift_jis", "shift-jis", "sjis", "ms_kanji", "csshiftjis", "windows-31j", "x-sjis",
                     "ms932"), "cp932"),
    **dict.fromkeys(("euc-kr", "ks_c_5601-1987", "ks_c_5601-1989", "ksc5601", "ksc_5601", "korean", "cseuckr",
                     "csksc56011987", "iso-ir-149", "windows-949"), "cp949"),
    **dict.fromkeys(("utf-16", "utf-16le", "utf-16-le"), "utf-16-le"),
    **dict.fromkeys(("utf-16be", "utf-16-be"), "utf-16-be"),
}

# Python text codecs that no web page is in (escapes for source code, domain names); UTF-7 is one
# that browsers refuse to read pages in.
_NOT_PAGE_ENCODINGS = frozenset(("idna", "punycode", "raw-unicode-escape", "unicode-escape", "utf-7"))


def encoding_for_label(label: str, *, in_document: bool = False) -> str | None:
    """The Python codec that reads text labelled ``label`` as a browser would, or None for a label
    that names no text encoding. ``in_document``: the label was read from the page's own bytes,
    which a UTF-16 page could not be (so, as browsers do, it means UTF-8)."""
    label = label.strip().strip("\"'").lower()
    name = _WHATWG_LABELS.get(label)
    if name is None:
        try:
            name = codecs.lookup(label).name
            "a".encode(name)  # rejects codecs that are no text encoding (base64, rot13, ...)
        except (LookupError, ValueError):
            return None
        if name in _NOT_PAGE_ENCODINGS:
            return None
    if in_document and name.startswith(("utf-16", "utf-32")):
        return "utf-8"
    return name


# A page that fails to decode as UTF-8 is still read as UTF-8 (stray bytes replaced) when its valid
# multi-byte characters outnumber its ill-formed sequences this many times: text in a legacy encoding
# holds almost no valid sequence (none in the test languages' samples), while a UTF-8 page with a
# pasted windows-1252 quote holds a handful of bad bytes among hundreds of good characters.
MOSTLY_UTF8_RATIO = 3
# How much of such a page that count reads (decoding all of a 100 MB page would double its memory).
UTF8_SAMPLE_BYTES = 1 << 20


def _mostly_utf8(sample: bytes) -> bool:
    # An incremental decoder holds back a sequence cut at the end of the sample instead of counting it bad.
    text = codecs.getincrementaldecoder("utf-8")("replace").decode(sample, final=False)
    bad = text.count("\ufffd") - sample.count(b"\xef\xbf\xbd")
    multibyte = len(text) - len(text.encode("ascii", "ignore")) - bad
    return multibyte >= MOSTLY_UTF8_RATIO * max(bad, 1)


# How much of an undeclared, non-UTF-8 document the detection reads.
DETECT_BYTES = 100_000
# What charset-normalizer tells apart reliably: the multi-byte encodings, and which script a
# single-byte page is written in (it decodes the bytes and weighs the letters against each
# language's letter frequencies, so it also tells windows-1251 from KOI8-R). Within one script it
# picks among look-alike code pages almost at random (Western windows-1252 pages come out as
# windows-1250 and Polish ISO-8859-2 as ISO-8859-10), so there the candidates below are weighed.
_MULTIBYTE = frozenset(("shift_jis", "cp932", "euc_jp", "iso2022_jp", "gb2312", "gbk", "gb18030", "big5",
                        "big5hkscs", "euc_kr", "cp949", "utf_16", "utf_32"))
_CYRILLIC = ("cp1251", "koi8-r", "koi8-u", "iso8859-5")
_SCRIPTS = {
    **{name: (name,) for name in _CYRILLIC},  # each reads every high byte as a letter: trust the detector
    **dict.fromkeys(("cp1253", "iso8859-7"), ("cp1253", "iso8859-7")),
    **dict.fromkeys(("cp1256", "iso8859-6"), ("cp1256", "iso8859-6")),
    **dict.fromkeys(("cp1255", "iso8859-8"), ("cp1255", "iso8859-8")),
}
# Latin-script code pages, in the order ties go: the web's default first.
_LATIN = ("cp1252", "cp1250", "iso8859-2")
_LATIN_WITHOUT_C1 = ("cp1252", "iso8859-2", "cp1250")
_C1_BYTES = re.compile(rb"[\x80-\x9f]")
# A non-Latin guess is kept only when at most this share of its words mixes ASCII letters with the
# script's: a Western page misread as Cyrillic turns "café" into "cafй", a real one has whole words.
MAX_MIXED_WORDS = 0.2
# A character that a misread code page leaves inside a word: not a letter, not ASCII, not a space,
# not one of the apostrophes, hyphens and dots that do sit inside words. The pattern finds the
# candidates between two word characters, passing over the letter blocks of the scripts read here
# (what is left is checked with str.isalpha: superscripts are word characters but no letters);
# C1 controls and U+FFFD count wherever they are.
_IN_WORD_OK = frozenset("\u2018\u2019\u2010\u2011\u00b7\u00ad")
_ODD_CANDIDATE = re.compile(
    r"(?<=\w)[^\x00-\x7f\s\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0386\u0388-\u03ff\u0400-\u0481"
    r"\u048a-\u04ff\u05d0-\u05ea\u0620-\u064a](?=\w)|[\x80-\x9f\ufffd]")
_WORD = re.compile(r"[^\W\d_]+")


def _legacy_guess(sample: bytes) -> str:
    """The single- or multi-byte encoding an undeclared, non-UTF-8 sample is most likely in."""
    guess = _detector_guess(sample)
    if guess is not None and guess.replace("-", "_") in _MULTIBYTE:
        return guess
    script = _SCRIPTS.get(guess or "")
    if script is not None:
        best = _least_odd(sample, script, guess)
        if _whole_words(sample.decode(best, errors="replace")):
            return best
    # On a tie, ISO-8859-2 goes before windows-1250 when no byte is in 0x80-0x9F: the windows page
    # keeps its quotes, dashes and several letters there, where the ISO one has control codes only.
    latin = _LATIN if _C1_BYTES.search(sample) else _LATIN_WITHOUT_C1
    return _least_odd(sample, latin, None)


def _detector_guess(sample: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - a declared dependency, but stay usable without it
        return None
    best = from_bytes(sample).best()
    if best is None or not best.encoding:
        return None
    return codecs.lookup(best.encoding).name


def _least_odd(sample: bytes, candidates: tuple[str, ...], preferred: str | None) -> str:
    """The candidate whose reading leaves the fewest odd characters (see ``_ODD_CANDIDATE``); ties go to
    ``preferred``, then to the earlier candidate."""
    scores = {name: _odd_count(sample.decode(name, errors="replace")) for name in candidates}
    return min(candidates, key=lambda name: (scores[name], name != preferred, candidates.index(name)))


def _odd_count(text: str) -> int:
    return sum(1 for c in _ODD_CANDIDATE.findall(text) if not c.isalpha() and c not in _IN_WORD_OK)


def _whole_words(text: str) -> bool:
    """Whether the words holding non-ASCII letters are mostly free of ASCII letters."""
    foreign = mixed = 0
    for word in _WORD.findall(text):
        if not word.isascii():
            foreign += 1
            mixed += any(c.isascii() for c in word)
    return foreign > 0 and mixed <= MAX_MIXED_WORDS * foreign


def decode(data: bytes, encoding: str | None = None) -> str:
    """Bytes to str, the encoding found by ``detect_encoding`` (``encoding``: the transport charset)."""
    found, skip = detect_encoding(data, encoding)
    return data[skip:].decode(found, errors="replace")


def transport_encoding(source: Any, encoding: str | None) -> tuple[Any, str | None]:
    """``extract(encoding=...)``: the codec for the label (``ValueError`` for an unknown one), and the
    source, decoded already when that encoding does not keep ASCII as ASCII (UTF-16/32 without a BOM),
    since the byte pre-filter and scan look for ASCII bytes."""
    if encoding is None:
        return source, None
    known = encoding_for_label(encoding)
    if known is None:
        raise ValueError(f"encoding: not a text encoding Python knows: {encoding!r}")
    if isinstance(source, (bytes, bytearray, memoryview)) and "a".encode(known) != b"a":
        return decode(bytes(source), known), known
    return source, known


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


def load(source: Any, kind: str, *, detected: tuple[str, int] | None = None, encoding: str | None = None
         ) -> Document:
    """Turn any supported input into a Document, HTML or text by ``kind`` (``auto`` sniffs).
    ``detected``: what ``detect_encoding`` gave for bytes ``source``, when the caller asked it already;
    ``encoding``: the transport charset of bytes ``source``."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        encoding, skip = detected or detect_encoding(data, encoding)
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
