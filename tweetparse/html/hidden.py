"""HTML extractors: hidden copies of embeds, escaped in script data or parked in noscript, templates and
consent placeholders; each fragment is unescaped, parsed on its own and read by the live readers."""
from __future__ import annotations

import html
import json
import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import Any

from lxml import etree
from lxml import html as lxml_html

from ..build import Context
from .base import STRAY_BLOCKQUOTE, Found, HtmlExtractor, element_path, page_of
from .embeds import AmpTwitter, CmsWrapper, RenderedIframe, in_sidebar
from .scan import ESCAPED_BLOCKQUOTE

__all__ = ["EXTRACTORS", "ConsentHidden", "ConsentHiddenRaw", "EscapedAttribute", "ScriptJson", "escaped_fragments", "unescape_fragment"]

# A blockquote opener / closer in markup as scripts escape it: raw, JSON "\u003C", JS "\x3c", or entities.
_LT = r"(?:<|\\u003c|\\x3c|&lt;)"
_GT = r"(?:>|\\u003e|\\x3e|&gt;)"
_OPEN = re.compile(_LT + r"blockquote(?![\w-])", re.IGNORECASE)
_CLOSE = re.compile(_LT + r"(?:/|\\/|\\u002f)blockquote\s*" + _GT, re.IGNORECASE)
# A tweet blockquote names Twitter (its class, its status link or widgets.js) somewhere inside.
_TWEET_MARK = re.compile(r"twitter|x\\?/?\.com|x\.com", re.IGNORECASE)
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


def _parse_fragment(markup: str) -> Any | None:
    try:
        return lxml_html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return None


_TWEET_BLOCKQUOTES = etree.XPath(
    "descendant::blockquote[not(descendant::blockquote)]"
    "[contains(@class, 'twitter') or descendant::a[contains(@href, '/status')]]"
)


def _read_quotes(fragment: Any, ctx: Context, form: str, host: Any = None) -> Iterator[Found]:
    """Every innermost tweet blockquote of a parsed fragment (an outer one left unclosed by its
    CMS holds its neighbour, whose status link it would otherwise steal). With ``host`` (the
    script or attribute-bearing element the fragment was escaped in), each find points at it, so
    it sorts, claims and reports its path where the copy sits in the page."""
    from .blockquote import read_blockquote

    for quote in _TWEET_BLOCKQUOTES(fragment):
        tweet = read_blockquote(quote, ctx, form=form, hidden=True)
        if tweet is None:
            continue
        if host is None:
            yield Found(tweet, quote)
        else:
            yield Found(tweet.evolve(source=replace(tweet.source, element=element_path(host))), host)


# A blockquote opener escaped in the bytes, or a raw one the parser did not make an element of (it
# sits in a script, a comment or an attribute value): the only pages whose scripts or attributes
# can hold a tweet blockquote.
_HIDDEN_OPENERS: tuple[str, ...] = (ESCAPED_BLOCKQUOTE, STRAY_BLOCKQUOTE)


class ScriptJson:
    """Embeds escaped inside script data (Next.js ``__NEXT_DATA__``, Arc/Fusion ``raw_oembed``, app
    state with ``\\u003Cblockquote``) or entity-escaped inside data attributes."""

    form = "script-json"
    needles = _HIDDEN_OPENERS
    _SCRIPT_TYPES = ("json", "javascript", "ecmascript")

    def find(self, root: Any, ctx: Context) -> Iterator[Found]:
        return self.read(root, ctx, self._scripts(page_of(root).candidates("script")))

    def read(self, root: Any, ctx: Context, hosts: Iterable[tuple[Any, str]]) -> Iterator[Found]:
        seen: set[str] = set()
        for host, text in hosts:
            for markup in escaped_fragments(text):
                fragment = _parse_fragment(markup)
                if fragment is None:
                    continue
                for found in _read_quotes(fragment, ctx, self.form, host):
                    key = found.tweet.id or found.tweet.text
                    if key not in seen:  # app state often holds each embed twice
                        seen.add(key)
                        yield found

    def _scripts(self, scripts: list[Any]) -> Iterator[tuple[Any, str]]:
        for script in scripts:
            text = script.text
            if not text or script.get("src") is not None or ("blockquote" not in text and "BLOCKQUOTE" not in text):
                continue
            kind = script.get("type")
            if kind is None or any(word in kind for word in self._SCRIPT_TYPES):
                yield script, text


class EscapedAttribute(ScriptJson):
    """Embeds entity- or JSON-escaped inside an attribute (``data-embed="&lt;blockquote ..."``): only
    pages that write an escaped blockquote opener can hold one."""

    needles = _HIDDEN_OPENERS
    ATTRIBUTES = etree.XPath("//@*[contains(., 'blockquote')][contains(., 'twitter')]")

    def find(self, root: Any, ctx: Context) -> Iterator[Found]:
        hosts = [(value.getparent(), str(value)) for value in self.ATTRIBUTES(root)
                 if not in_sidebar(value.getparent())]
        return self.read(root, ctx, hosts)


class ConsentHidden:
    """Embed markup kept out of the live page until consent or scripting: ``<noscript>``, ``<template>``,
    hidden ``<textarea>`` and template scripts (``<script type="text/template">``)."""

    form = "consent-hidden"
    # The page's noscript and template elements come from its one walk.
    needles: tuple[str, ...] = ()
    # Containers whose children lxml parsed as elements: any template, a noscript naming Twitter or a tweet.
    NOSCRIPT_NAMES_TWEET = etree.XPath(
        "boolean(descendant::*) and (contains(., 'witter') or boolean(descendant::*[@*[contains(., 'witter')]])"
        " or boolean(descendant::*[@*[contains(., 'tweet')]]))"
    )
    READERS = (RenderedIframe(), AmpTwitter(), CmsWrapper())

    def find(self, root: Any, ctx: Context) -> Iterator[Found]:
        for container in page_of(root).candidates("noscript", "template"):
            if container.tag == "template":
                if next(container.iterchildren(etree.Element), None) is None:
                    continue
            elif not self.NOSCRIPT_NAMES_TWEET(container):
                continue
            yield from self._read(container, ctx)

    def _read(self, scope: Any, ctx: Context, host: Any = None) -> Iterator[Found]:
        if in_sidebar(host if host is not None else scope):
            return
        yield from _read_quotes(scope, ctx, self.form, host)
        for reader in self.READERS:
            for found in reader.read(scope, ctx, hidden=True, host=host):
                tweet = found.tweet.evolve(form=self.form)
                if host is not None:
                    tweet = tweet.evolve(source=replace(tweet.source, element=element_path(host)))
                yield Found(tweet, found.element, found.also)


class ConsentHiddenRaw(ConsentHidden):
    """The same, where the container's content is raw text holding markup (``<textarea>``, template scripts)."""

    # The page's textareas and scripts come from its one walk.
    needles: tuple[str, ...] = ()
    _MARKS = ("witter", "tweet")
    # A script type naming a template or HTML ("text/template", "text/x-handlebars-template", "text/html").
    _TEMPLATE_TYPE = re.compile("template|html")

    def find(self, root: Any, ctx: Context) -> Iterator[Found]:
        for container in page_of(root).candidates("textarea", "script"):
            if container.tag == "script":
                kind = container.get("type")
                if kind is None or not self._TEMPLATE_TYPE.search(kind) or container.get("src") is not None:
                    continue
            markup = container.text or ""
            if not any(mark in markup for mark in self._MARKS):
                continue
            if "<" not in markup:
                markup = html.unescape(markup)
            fragment = _parse_fragment(markup) if "<" in markup else None
            if fragment is not None:
                yield from self._read(fragment, ctx, container)


# This module's extractors, in the order they run.
EXTRACTORS: tuple[HtmlExtractor, ...] = (ScriptJson(), EscapedAttribute(), ConsentHidden(), ConsentHiddenRaw())
