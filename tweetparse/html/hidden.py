"""HTML extractors of hidden copies: embeds escaped in script data or attributes, or parked in noscript,
templates and consent placeholders. Each copy is unescaped, parsed, and read as a page of its own by the
whole registry, as the live page is: one reading path for every form."""
from __future__ import annotations

import html
import json
import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import replace

from lxml import etree
from lxml import html as lxml_html

from ..build import Context
from ..search import Needle, literal
from .page import Element, Extractor, Found, Page

__all__ = ["escaped_fragments", "extractors", "read_copy", "unescape_fragment"]

# A blockquote opener / closer in markup as scripts escape it: raw, JSON "\u003C", JS "\x3c", or entities.
_LT = r"(?:<|\\u003c|\\x3c|&lt;)"
_GT = r"(?:>|\\u003e|\\x3e|&gt;)"
_OPEN = re.compile(_LT + r"blockquote(?![\w-])", re.IGNORECASE)
_CLOSE = re.compile(_LT + r"(?:/|\\/|\\u002f)blockquote\s*" + _GT, re.IGNORECASE)
# An embed blockquote names its network (its class, its post link or its script) somewhere inside: Twitter, or
# one of the other networks tweetparse reads (a minimal widening until the families' rework makes this neutral).
_TWEET_MARK = re.compile(r"twitter|x\\?/?\.com|x\.com|bsky|bluesky|mastodon|threads\.|instagr|tiktok|facebook|reddit"
                         r"|truthsocial", re.IGNORECASE)
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
    """Each escaped tweet blockquote in a script's or attribute's text, unescaped, outermost first.

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
        raw = text[start:position]
        if _TWEET_MARK.search(raw):
            yield unescape_fragment(raw)


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


def _parse_fragment(markup: str) -> Element | None:
    try:
        return lxml_html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return None


def read_copy(page: Page, root: Element, markup: bytes, host: Element, form: str, ctx: Context) -> Iterator[Found]:
    """The posts of a hidden copy (``root``, parsed from ``markup``) found in ``page`` at ``host``: read as a
    page of its own by the whole registry, each find then standing for the host, hidden, in ``form``. A copy
    in the site's sidebar is its feed's, not the article's."""
    from . import find_in_page, search_needles  # the registry holds this module's extractors

    hits = search_needles(markup)
    if not hits or page.in_sidebar(host):
        return
    copy = Page(root, hits, outer=page, host=host, form=form)
    for found in find_in_page(copy, ctx):
        yield Found(replace(found.draft, form=form, hidden=True), host)


# A blockquote opener escaped for a script or an attribute (JSON "\u003c", JavaScript "\x3c", an entity,
# percent-encoding), or written raw inside a string: in quotes, or a tag whose attributes are JSON-escaped.
ESCAPED_OPENERS: tuple[Needle, ...] = (
    literal(b"\\u003cblockquote"), literal(b"\\x3cblockquote"), literal(b"&lt;blockquote"),
    literal(b"%3cblockquote"), literal(b'"<blockquote'), literal(b"'<blockquote"),
    Needle(rb"<blockquote[^<>]{0,300}\\[\"']"),
)


class ScriptData:
    """Embeds escaped inside script data (Next.js ``__NEXT_DATA__``, Arc/Fusion ``raw_oembed``, app
    state with ``\\u003Cblockquote``)."""

    form = "script-json"
    needles = ESCAPED_OPENERS
    _SCRIPT_TYPES = ("json", "javascript", "ecmascript")

    def find(self, page: Page, ctx: Context) -> Iterator[Found]:
        if page.hidden:
            return
        read: set[str] = set()
        for script in page.candidates("script"):
            text = script.text
            if not text or script.get("src") is not None or ("blockquote" not in text and "BLOCKQUOTE" not in text):
                continue
            kind = script.get("type")
            if kind is None or any(word in kind for word in self._SCRIPT_TYPES):
                yield from _read_escaped(page, text, script, self.form, ctx, read)


def _read_escaped(page: Page, text: str, host: Element, form: str, ctx: Context, read: set[str]) -> Iterator[Found]:
    """The copies escaped in a script's or attribute's text; one already ``read`` (app state often holds each
    embed twice) is not read again."""
    for markup in escaped_fragments(text):
        if markup in read:
            continue
        read.add(markup)
        fragment = _parse_fragment(markup)
        if fragment is not None:
            yield from read_copy(page, fragment, markup.encode("utf-8", "replace"), host, form, ctx)


class EscapedAttribute:
    """Embeds entity- or JSON-escaped inside an attribute (``data-embed="&lt;blockquote ..."``)."""

    form = "script-json"
    needles = ESCAPED_OPENERS
    ATTRIBUTES = etree.XPath("//@*[contains(., 'blockquote')][contains(., 'twitter')]")

    def find(self, page: Page, ctx: Context) -> Iterator[Found]:
        if page.hidden:
            return
        read: set[str] = set()
        for value in self.ATTRIBUTES(page.root):
            yield from _read_escaped(page, str(value), value.getparent(), self.form, ctx, read)


class ParkedMarkup:
    """Embed markup kept out of the live page until consent or scripting: ``<noscript>`` and ``<template>``
    (parsed with the page), hidden ``<textarea>`` and template scripts (``<script type="text/template">``,
    whose content is text holding markup). Any embed form can be parked so: its needles are theirs."""

    form = "consent-hidden"

    def __init__(self, needles: tuple[Needle, ...]) -> None:
        self.needles = needles
    # A script type naming a template or HTML ("text/template", "text/x-handlebars-template", "text/html").
    _TEMPLATE_TYPE = re.compile("template|html")
    _MARKS = ("witter", "tweet", "bsky", "bluesky", "mastodon", "threads.", "instagr", "tiktok", "facebook", "reddit",
              "truthsocial")

    def find(self, page: Page, ctx: Context) -> Iterator[Found]:
        if page.hidden:
            return
        for container in page.candidates("noscript", "template", "textarea", "script"):
            if container.tag in ("noscript", "template"):
                if next(container.iterchildren(etree.Element), None) is not None:
                    markup = etree.tostring(container)
                    if any(mark.encode() in markup for mark in self._MARKS):
                        yield from read_copy(page, container, markup, container, self.form, ctx)
                continue
            if container.tag == "script" and (not self._TEMPLATE_TYPE.search(container.get("type") or "")
                                              or container.get("src") is not None):
                continue
            text = container.text or ""
            if not any(mark in text for mark in self._MARKS):
                continue
            if "<" not in text:
                text = html.unescape(text)
            fragment = _parse_fragment(text) if "<" in text else None
            if fragment is not None:
                yield from read_copy(page, fragment, text.encode("utf-8", "replace"), container, self.form, ctx)


def extractors(embed_needles: tuple[Needle, ...]) -> tuple[Extractor, ...]:
    """This module's extractors, in the order they run, for a registry whose embed forms have these needles."""
    return ScriptData(), EscapedAttribute(), ParkedMarkup(embed_needles)
