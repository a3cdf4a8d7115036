"""HTML extractors of posts held in the page's own data: embed objects and embed markup in script JSON, app state
and attributes, read when they are this article's and not another story's cached content."""
from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple
from urllib.parse import urlsplit

from lxml import etree

from .. import families  # a module object: families reads text through this package's reading module
from ..build import Context
from ..search import Needle, NeedleSearch, literal, within
from ..urls import find_status_urls
from .hidden import BASE64_OPENER, ESCAPED_OPENERS, read_copy, unescaped_fragments
from .page import Element, Extractor, Found, Page
from .placeholder import json_draft

__all__ = ["EXTRACTORS", "EscapedAttribute", "ScriptData", "others_story"]

FORM = "script-json"

# A quote as JSON writes it: plain, escaped inside a JS string, or as an entity inside an attribute.
_QUOTE = rb"(?:\\?\"|&quot;)"
# A key that says what an object is (type, subtype, provider_name, providerNameSlug, __typename, blockName, ...)
# with a value naming Twitter or a tweet: an embed object of Arc, Gutenberg, Apollo, Quintype or oEmbed data.
_TYPE_KEY = rb"(?:type|provider|name|slug|kind|platform|service|source|template|widget|component|network)"
# What names the status in the same object: a status path or a snowflake-era id (15 digits or more: no
# timestamp or counter is that long).
_STATUS_URL = rb"status(?:es)?(?:/|\\/|%2f)[0-9]"
_STATUS = rb"(?:" + _STATUS_URL + rb"|[0-9]{15})"
# How far apart in one object the type and the status may stand (the forward span may enter a nested detail
# object, ANS raw_oembed or block attrs, the backward one may not).
_OBJECT_SPAN = 600


def _typed(word: bytes) -> tuple[Needle, ...]:
    """An object whose type names ``word`` and which names a status: after its type (an id or a URL), or before
    it (a URL: oEmbed responses and block attributes put "url" first; ids follow the type)."""
    kind = _TYPE_KEY + _QUOTE + rb"\s{0,5}:\s{0,5}" + _QUOTE + rb"[^\"&\\<>]{0,60}" + word
    return (within(word, kind + rb"[^}]{0,%d}?" % _OBJECT_SPAN + _STATUS),
            within(word, _STATUS_URL + rb"[^{}]{0,%d}?" % _OBJECT_SPAN + kind))


# Needles, and what a script or attribute must hold to be parsed and walked: embed markup as text (escaped,
# encoded), an embed object naming Twitter beside a status, a JSON-LD posting, an API tweet's text field.
NEEDLES: tuple[Needle, ...] = (*ESCAPED_OPENERS, BASE64_OPENER, *_typed(b"twitter"), *_typed(b"tweet"),
                               literal(b"socialmediaposting"), literal(b"full_text"))
# The needles of page data that are not embed markup: a script or attribute whose text holds none of them
# (searched only on pages holding one) and no blockquote is not parsed.
_DATA = (*_typed(b"twitter"), *_typed(b"tweet"), literal(b"socialmediaposting"), literal(b"full_text"))
_DATA_SIGNS = NeedleSearch(_DATA)


class ScriptData:
    """Posts held in script data (``__NEXT_DATA__``, Apollo/Redux state, Arc/Fusion ``content_elements``,
    Gutenberg blocks, JSON-LD): embed objects naming Twitter with an id or URL, read from their fields or their
    embed HTML, and embed markup of any network escaped or encoded in the text, read through the page made of
    it (``hidden.read_copy``). Another story's cached content is left out (see ``others_story``)."""

    form = FORM
    needles = NEEDLES
    _SCRIPT_TYPES = ("json", "javascript", "ecmascript")

    def find(self, page: Page, ctx: Context) -> Iterator[Found]:
        if page.hidden:
            return
        reading = _Reading(page, ctx)
        for script in page.candidates("script"):
            text = script.text
            if not text or script.get("src") is not None:
                continue
            kind = script.get("type")
            if kind is None or any(word in kind for word in self._SCRIPT_TYPES):
                yield from reading.data(text, script)


class EscapedAttribute:
    """Embed markup of any network escaped in an attribute (``data-embed="&lt;blockquote ..."``), or page data
    in an attribute holding it (``data-state='{"html": "<blockquote ..."}'``)."""

    form = FORM
    needles = (*ESCAPED_OPENERS, BASE64_OPENER)
    # One copy of each attribute value, looked at once: escaped markup in either case, or base64-encoded.
    ATTRIBUTES = etree.XPath(".//@*[contains(., 'blockquote') or contains(., 'BLOCKQUOTE')"
                             " or contains(., 'PGJsb2NrcXVvdGU')]")

    def find(self, page: Page, ctx: Context) -> Iterator[Found]:
        if page.hidden:
            return
        reading = _Reading(page, ctx)
        for value in self.ATTRIBUTES(page.root):
            yield from reading.data(str(value), value.getparent())


class _Reading:
    """One extractor's pass over a page's data: what it read already (app state often holds an embed twice),
    and the page's own story, looked up once when first needed."""

    def __init__(self, page: Page, ctx: Context) -> None:
        self.page = page
        self.ctx = ctx
        self.read: set[str] = set()
        self._identity: Identity | None = None
        self.data_page = page.holds(_DATA)  # whether any script or attribute can hold an embed object

    def data(self, text: str, host: Element) -> Iterator[Found]:
        """The posts in a script's or attribute's text: its JSON documents walked, the rest scanned for markup.

        Text holding neither embed markup nor an embed object is not parsed; nor is text whose every embed copy
        shows a post the live page gave with its text already (the copy would fold into it, adding nothing),
        which spares parsing the app state of most pages that embed tweets live and keep them in their state.
        Copies of posts the live page shows without their text (a rendered iframe) are read as they stand: a
        post shown live is this page's, whatever story object its copy sits in."""
        fragments = list(unescaped_fragments(text)) if families.holds_markup(text) else []
        objects = self.data_page and bool(_DATA_SIGNS.hits(text.encode("utf-8", "surrogatepass")))
        if not fragments and not objects:
            return
        shown = [self.shown_live(fragment) for fragment in fragments]
        if None not in shown and (not objects or self.all_live(text)):
            if False in shown:
                yield from self.copies(fragments, host)
            return
        covered: list[tuple[int, int]] = []
        for start, end, document in families.json_documents(text):
            covered.append((start, end))
            if len(covered) > 1 or end - start < len(text):  # one of several documents: walked if it holds either
                piece = text[start:end]
                if not families.holds_markup(piece) and not (
                        objects and _DATA_SIGNS.hits(piece.encode("utf-8", "surrogatepass"))):
                    continue
            for item in families.page_data(document, skip_teasers=True):
                if others_story(item, self.identity()):
                    continue
                found = list(self.markup(item.html, host)) if item.html else []
                yield from found
                if not found and item.kind != "markup" and item.id is not None:
                    yield Found(json_draft(item, form=FORM, hidden=True), host)
        yield from self.markup(_outside(text, covered), host)

    def markup(self, text: str, host: Element) -> Iterator[Found]:
        """The posts of each embed blockquote escaped or encoded in ``text``, each read once."""
        yield from self.copies(unescaped_fragments(text), host)

    def copies(self, fragments: Iterable[str], host: Element) -> Iterator[Found]:
        """The posts of each embed blockquote's markup, each read once."""
        for fragment in fragments:
            if fragment in self.read:
                continue
            self.read.add(fragment)
            yield from read_copy(self.page, fragment, host, FORM, self.ctx)

    def shown_live(self, fragment: str) -> bool | None:
        """Whether the live page showed a copy's post (its date link's status: the last status link) with its
        text (True) or without (False); None when it did not show it."""
        found = find_status_urls(fragment)
        return self.page.shown.get(found[-1][0].id) if found else None

    def all_live(self, text: str) -> bool:
        """Whether a text names status ids (in a status URL, or as a number of a snowflake's length, as the
        needles do) and every one is a post the live page showed with its text: embed objects there would fold
        into those records. A text naming none tells nothing, and is read."""
        shown = self.page.shown
        ids = [m.group(1) for m in _STATUS_PATH_IDS.finditer(text)] + _LONG_NUMBERS.findall(text)
        return bool(ids) and all(shown.get(id_) for id_ in ids)

    def identity(self) -> Identity:
        if self._identity is None:
            self._identity = page_identity(self.page)
        return self._identity


# The ids a text names: after a status path, or as a number of a snowflake's length (a longer run of digits
# gives a piece that no live id equals, which only costs a parse). Each starts with a literal or a class, which
# the regex engine looks for fast.
_STATUS_PATH_IDS = re.compile(r"status(?:es)?(?:/|\\/|%2[fF])([0-9]{1,20})")
_LONG_NUMBERS = re.compile(r"[0-9]{15,20}")


def _outside(text: str, spans: list[tuple[int, int]]) -> str:
    """The text outside the spans (ascending, not overlapping), the pieces kept apart."""
    if not spans:
        return text
    pieces = []
    at = 0
    for start, end in spans:
        pieces.append(text[at:start])
        at = max(at, end)
    pieces.append(text[at:])
    return "\n".join(pieces)


class Identity(NamedTuple):
    """How a page names its own story: the paths of its canonical and og:url, and its titles (h1, og:title,
    the document title), folded."""

    paths: frozenset[str]
    titles: tuple[str, ...]


_CANONICAL = etree.XPath("//link[@rel='canonical']/@href | //meta[@property='og:url']/@content")
_TITLES = etree.XPath("//meta[@property='og:title' or @name='twitter:title']/@content | //title//text()")
_HEADINGS = etree.XPath("(//h1)[position() <= 3]")
_WORDS = re.compile(r"\w+")


def page_identity(page: Page) -> Identity:
    """The page's canonical paths and titles."""
    root = page.root
    paths = frozenset(path for url in _CANONICAL(root) if (path := _path(str(url))))
    titles = [str(text) for text in _TITLES(root)]
    titles += ["".join(heading.itertext()) for heading in _HEADINGS(root)]
    return Identity(paths, tuple(folded for title in titles if (folded := _fold(title))))


def _fold(title: str) -> str:
    return " ".join(_WORDS.findall(html.unescape(title).casefold()))


def _path(url: str) -> str:
    """A URL's path, lower-cased, without a trailing slash ("" when the URL has none)."""
    try:
        path = urlsplit(url.strip()).path
    except ValueError:
        return ""
    return path.rstrip("/").lower()


def others_story(item: families.JsonEmbed, identity: Identity) -> bool:
    """Whether an embed in page data is another story's: it sits in a container of other stories (related,
    teasers, feeds, "more", "next": ``families.teaser_path``), or in a story object whose URL and title are
    both not the page's. An embed outside any story object, or on a page that does not say which story it
    is, is the page's. So is a story object that names no URL and stands alone at its key: state keeps the
    editorial headline where the page shows another, while other stories come in lists."""
    if families.teaser_path(item.path):
        return True
    if item.story_path is None or not (identity.paths or identity.titles):
        return False
    if _same_story_url(item.story_url, identity) or _same_title(item.story_title, identity):
        return False
    return item.story_url is not None or (bool(item.story_path) and isinstance(item.story_path[-1], int))


def _same_story_url(url: str | None, identity: Identity) -> bool:
    if not url or not identity.paths:
        return False
    path = _path(url) if "/" in url else url.strip().lower()
    if not path:
        return False
    if "/" not in path:  # a slug: the last segment of the page's path
        return any(page_path.rsplit("/", 1)[-1] == path for page_path in identity.paths)
    return path in identity.paths


def _same_title(title: str | None, identity: Identity) -> bool:
    folded = _fold(title or "")
    # The document title often adds the site's name ("Headline | Site"): a title starting with the story's counts.
    return bool(folded) and any(own == folded or own.startswith(folded + " ") for own in identity.titles)


# This module's extractors, in the order they run.
EXTRACTORS: tuple[Extractor, ...] = (ScriptData(), EscapedAttribute())
