"""Hidden copies of embeds: markup escaped or encoded in script data and attributes, or parked in noscript,
templates and consent placeholders. Each copy is unescaped, parsed, and read as a page of its own by the whole
registry, as the live page is: one reading path for every form and every network."""
from __future__ import annotations

import html
import json
import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import replace

from lxml import etree
from lxml import html as lxml_html

from .. import families  # a module object: families reads text through this package's reading module
from ..build import Context
from ..search import Needle, literal
from .page import Element, Extractor, Found, Page

__all__ = ["BASE64_OPENER", "ESCAPED_OPENERS", "escaped_fragments", "extractors", "parse_fragment", "read_copy",
           "unescape_fragment", "unescaped_fragments"]

# A blockquote opener / closer in markup as scripts escape it: raw, JSON "\u003C", JS "\x3c", or entities.
_LT = r"(?:<|\\u003c|\\x3c|&lt;)"
_GT = r"(?:>|\\u003e|\\x3e|&gt;)"
_OPEN = re.compile(_LT + r"blockquote(?![\w-])", re.IGNORECASE)
_CLOSE = re.compile(_LT + r"(?:/|\\/|\\u002f)blockquote\s*" + _GT, re.IGNORECASE)
# Longest escaped blockquote read; a tweet embed with its attribution is a few kB even when every
# character is escaped, so a longer span means an unclosed blockquote swallowing the page.
MAX_FRAGMENT_CHARS = 40_000
_JS_HEX = re.compile(r"\\x([0-9a-fA-F]{2})")
_JSON_ESCAPES = re.compile(r"\\u([0-9a-fA-F]{4})|\\(.)", re.DOTALL)
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "", "b": "", "f": ""}


def unescape_fragment(fragment: str) -> str:
    """Markup as a script or attribute escaped it, back to markup: JSON/JS string escapes, then entities
    when the markup itself was entity-escaped.

    >>> unescape_fragment(r'\\u003Cblockquote class=\\"twitter-tweet\\"\\u003E\\u003C\\/blockquote\\u003E')
    '<blockquote class="twitter-tweet"></blockquote>'
    """
    if "\\" in fragment:
        fragment = _JS_HEX.sub(lambda m: "\\u00" + m.group(1), fragment)
        try:
            fragment = json.loads('"' + fragment + '"')
        except ValueError:  # not a well-formed JSON string body (JS quoting): undo the escapes one by one
            fragment = _JSON_ESCAPES.sub(_one_escape, fragment)
    if fragment[:4].lower() == "&lt;":
        fragment = html.unescape(fragment)
    return fragment


def _one_escape(m: re.Match[str]) -> str:
    if m.group(1):
        return chr(int(m.group(1), 16))
    return _SIMPLE_ESCAPES.get(m.group(2), m.group(2))


def escaped_fragments(text: str) -> Iterator[str]:
    """Each escaped blockquote in a script's or attribute's text, unescaped, outermost first: an embed of any
    network (the registry reading the copy tells which, if any).

    An unclosed blockquote extends to the next closer, so a blockquote nested in it comes out
    inside its fragment rather than on its own.
    """
    openers, closers = _tags(text)
    position = 0
    for start, end in openers:
        if start < position:
            continue
        # The first closer after the opener that ends within reach (closers are ascending).
        at = bisect_left(closers, (end, end))
        if at == len(closers) or closers[at][1] > start + MAX_FRAGMENT_CHARS:
            continue
        position = closers[at][1]
        yield unescape_fragment(text[start:position])


def unescaped_fragments(text: str) -> Iterator[str]:
    """Every embed blockquote a text holds as markup: raw, JSON- or JS-escaped, entity-escaped, percent-encoded
    or base64, decoded."""
    yield from escaped_fragments(text)
    if "%3C" in text or "%3c" in text or "PGJsb2NrcXVvdGU" in text:
        yield from families.encoded_fragments(text)


# Each escaped "<" before "blockquote", each escaped "</" (with "/" as itself, "\\/" or "\\u002f"), each escaped ">".
_LT_WRITTEN = ("<", "\\u003c", "\\x3c", "&lt;")
_CLOSE_WRITTEN = tuple(lt + slash for lt in _LT_WRITTEN for slash in ("/", "\\/", "\\u002f"))
_GT_WRITTEN = (">", "\\u003e", "\\x3e", "&gt;")
_BEFORE_CHARS = max(len(written) for written in _CLOSE_WRITTEN)
_GT_CHARS = max(len(written) for written in _GT_WRITTEN)
_NAME_GOES_ON = re.compile(r"[\w-]")
# The space a closer allows before its ">" (bounded: a tag allows a few characters). Whether a character
# is a space or a word character does not change with its case, so these are matched in the text as written.
_SPACES = re.compile(r"\s{0,200}+")
# The one character whose lower case is longer ("\u0130": positions would shift), and the one outside ASCII
# whose lower case is an ASCII letter (KELVIN SIGN, "k").
_LOWER_LONGER = "\u0130"
_LOWER_ASCII = "\u212a"


def _tags(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The (start, end) of each escaped blockquote opener and closer in ``text``, ascending. The word is
    found by ``bytes.find`` in a copy with only ASCII letters lower-cased, and each hit judged by the few
    characters around it, lower-cased: a regex starting with an alternation would try every position of
    a script of megabytes, and ``str.lower`` of a whole script outside ASCII costs ten times the copy."""
    if _LOWER_LONGER in text:
        return ([(m.start(), m.end()) for m in _OPEN.finditer(text)],
                [(m.start(), m.end()) for m in _CLOSE.finditer(text)])
    # One byte per character, so positions hold; no other character outside ASCII becomes an ASCII letter.
    probe = (text.replace(_LOWER_ASCII, "k") if _LOWER_ASCII in text else text).encode("latin-1", "replace").lower()
    openers: list[tuple[int, int]] = []
    closers: list[tuple[int, int]] = []
    at = probe.find(b"blockquote")
    while at >= 0:
        end = at + len("blockquote")
        before = text[max(0, at - _BEFORE_CHARS):at].lower()
        closing = next((written for written in _CLOSE_WRITTEN if before.endswith(written)), None)
        if closing is not None:
            spaces = _SPACES.match(text, end).end()  # type: ignore[union-attr]  # matches the empty run
            after = text[spaces:spaces + _GT_CHARS].lower()
            gt = next((written for written in _GT_WRITTEN if after.startswith(written)), None)
            if gt is not None:
                closers.append((at - len(closing), spaces + len(gt)))
        else:
            opening = next((written for written in _LT_WRITTEN if before.endswith(written)), None)
            if opening is not None and not _NAME_GOES_ON.match(text, end):
                openers.append((at - len(opening), end))
        at = probe.find(b"blockquote", end)
    return openers, closers


def parse_fragment(markup: str) -> Element | None:
    """Markup parsed into a tree under a ``div`` (None when there is nothing to parse)."""
    try:
        return lxml_html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return None


def read_copy(page: Page, markup: str | bytes, host: Element, form: str, ctx: Context, *,
              root: Element | None = None) -> Iterator[Found]:
    """The posts of a hidden copy (``markup``, or ``root`` when it is parsed already) found in ``page`` at
    ``host``: read as a page of its own by the whole registry, each find then standing for the host, hidden, in
    ``form``. A copy whose bytes hold no needle is not parsed (as a page is not); one in the site's sidebar is
    its feed's, not the article's."""
    from . import find_in_page, search_needles  # the registry holds this module's extractors

    data = markup.encode("utf-8", "replace") if isinstance(markup, str) else markup
    hits = search_needles(data)
    if not hits or page.in_sidebar(host):
        return
    if root is None:
        root = parse_fragment(markup if isinstance(markup, str) else markup.decode("utf-8", "replace"))
        if root is None:
            return
    copy = Page(root, hits, outer=page, host=host, form=form)
    for found in find_in_page(copy, ctx):
        yield Found(replace(found.draft, form=form, hidden=True), host)


# Base64 of "<blockquote" from a string's start: how consent tools (Borlabs Cookie) park a blocked embed.
BASE64_OPENER = literal(b"pgjsb2nrcxvvdgu")
# A blockquote opener escaped for a script or an attribute (JSON "\u003c", JavaScript "\x3c", an entity,
# percent-encoding), or written raw inside a string: in quotes (a template literal's too), or a tag whose
# attributes are JSON-escaped.
ESCAPED_OPENERS: tuple[Needle, ...] = (
    literal(b"\\u003cblockquote"), literal(b"\\x3cblockquote"), literal(b"&lt;blockquote"),
    literal(b"%3cblockquote"), literal(b'"<blockquote'), literal(b"'<blockquote"), literal(b"`<blockquote"),
    Needle(rb"<blockquote[^<>]{0,300}\\[\"']"),
)


class ParkedMarkup:
    """Embed markup kept out of the live page until consent or scripting: ``<noscript>`` and ``<template>``
    (parsed with the page), hidden ``<textarea>`` and template scripts (``<script type="text/template">``,
    whose content is markup as text: raw, entity-escaped or base64 as consent tools write it). Any embed form
    of any network can be parked so: its needles are theirs."""

    form = "consent-hidden"

    def __init__(self, needles: tuple[Needle, ...]) -> None:
        self.needles = (*needles, BASE64_OPENER)
    # A script type naming a template or HTML ("text/template", "text/x-handlebars-template", "text/html").
    _TEMPLATE_TYPE = re.compile("template|html")

    def find(self, page: Page, ctx: Context) -> Iterator[Found]:
        if page.hidden:
            return
        for container in page.candidates("noscript", "template", "textarea", "script"):
            if container.tag in ("noscript", "template"):
                if next(container.iterchildren(etree.Element), None) is not None:
                    yield from read_copy(page, etree.tostring(container), container, self.form, ctx, root=container)
                continue
            if container.tag == "script" and (not self._TEMPLATE_TYPE.search(container.get("type") or "")
                                              or container.get("src") is not None):
                continue
            text = (container.text or "").strip()
            markup = text if text.startswith("<") else families.unwrap_markup(text)
            if not markup:
                continue
            yield from read_copy(page, markup, container, self.form, ctx)


def extractors(embed_needles: tuple[Needle, ...]) -> tuple[Extractor, ...]:
    """This module's extractors, in the order they run, for a registry whose embed forms have these needles."""
    return (ParkedMarkup(embed_needles),)
