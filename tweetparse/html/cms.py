"""HTML extractors for CMS markup that names a tweet in text rather than attributes: WordPress's embed block
left as a URL, unexpanded shortcodes, and iframes holding an embed blockquote as their text."""
from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree
from lxml import html as lxml_html

from ..build import Context, Draft
from ..search import Needle, within
from ..urls import StatusRef, find_status_urls, parse_status_url
from .blockquote import has_class, read_blockquote, status_anchors
from .embeds import marks_non_tweet
from .needles import STATUS_ID
from .page import Element, Extractor, Found, Page
from .reading import SKIP_TAGS, element_text, raw_text

__all__ = ["EXTRACTORS"]

FORM = "cms-wrapper"


class GutenbergEmbed:
    """WordPress's ``figure.wp-block-embed-twitter`` (Gutenberg) that never became a blockquote: the
    status URL stands as the wrapper's text or link. A figure holding a live blockquote is left to
    the blockquote family; one holding a timeline names no status and yields nothing."""

    form = FORM
    needles: tuple[Needle, ...] = STATUS_ID  # its classes alone are in every theme's style sheet
    CLASSES = ("wp-block-embed-twitter", "is-provider-twitter")

    def find(self, page: Page, ctx: Context) -> Iterator[Found]:
        for figure in page.candidates("figure"):
            if not has_class(figure, self.CLASSES) or next(figure.iter("blockquote"), None) is not None:
                continue
            ref = _first_status(figure)
            if ref is not None:
                yield Found(Draft(form=self.form, handle=ref.handle, id=ref.id), figure)


def _first_status(element: Element) -> StatusRef | None:
    """The first status an element links or shows as text."""
    anchors = status_anchors(element)
    if anchors:
        return anchors[0][1]
    found = find_status_urls(element_text(element))
    return found[0][0] if found else None


# Where a shortcode is not left-over CMS input: unseen text, or code that shows a shortcode as an example.
_NOT_CONTENT = SKIP_TAGS | {"code", "pre"}


class Shortcode:
    """WordPress/Jetpack shortcodes the CMS failed to expand, left in the text: ``[tweet URL]``,
    ``[tweet 123]``, ``[twitter url="URL"]``, ``[tweet id=123]``, ``[embed]URL[/embed]``."""

    form = FORM
    needles: tuple[Needle, ...] = (Needle(rb"\[tweet[\s=\]]"), Needle(rb"\[twitter[\s=\]]"),
                                   Needle(rb"\[embed\][^\[\]]{0,400}status"))
    TEXTS = etree.XPath("descendant::text()[contains(., '[')]")
    # The shortcode body is bounded: a real one is a URL and a few options, never a paragraph.
    SHORTCODE = re.compile(
        r"\[(?:tweet|twitter)\b(?P<options>[^\[\]\n]{1,400})\]|\[embed\](?P<url>[^\[\]\s]{1,400})\[/embed\]",
        re.IGNORECASE,
    )
    BARE_ID = re.compile(r"(?:^|[\s=\"'])(\d{6,20})(?=$|[\s\"'])")

    def find(self, page: Page, ctx: Context) -> Iterator[Found]:
        root = page.root
        body = root.find("body") if root.tag == "html" else root
        if body is None or not self.SHORTCODE.search(raw_text(body)):
            return
        for node in self.TEXTS(body):
            element = node.getparent()
            if element is None:
                continue
            host = element.getparent() if node.is_tail else element
            if host is None or any(isinstance(a.tag, str) and a.tag in _NOT_CONTENT for a in page.ancestors(host)):
                continue
            for m in self.SHORTCODE.finditer(str(node)):
                options = m.group("options") or m.group("url") or ""
                ref = parse_status_url(options)
                if ref is None and m.group("options"):
                    bare = self.BARE_ID.search(options)
                    ref = StatusRef(None, bare.group(1).lstrip("0")) if bare else None
                if ref is not None:
                    yield Found(Draft(form=self.form, handle=ref.handle, id=ref.id), host)


class IframeMarkup:
    """Iframes holding an embed blockquote as their text (Facebook Instant Articles' ``op-interactive``);
    an iframe showing a status through a proxy is a placeholder (see placeholder.py)."""

    form = FORM
    needles: tuple[Needle, ...] = (within(b"blockquote", rb"<iframe[^<>]{0,2000}>\s*(?:<|&lt;)blockquote"),)

    def find(self, page: Page, ctx: Context) -> Iterator[Found]:
        for element in page.candidates("iframe"):
            markup = element.text or ""
            if "blockquote" not in markup or page.unseen(element) or marks_non_tweet(element):
                continue
            try:
                fragment = lxml_html.fragment_fromstring(markup, create_parent="div")
            except (etree.ParserError, ValueError):
                continue
            for quote in fragment.xpath(".//blockquote[not(ancestor::blockquote)]"):
                reading = read_blockquote(quote, form=self.form)
                if reading is not None:
                    yield Found(reading.draft, element)


# This module's extractors, in the order they run.
EXTRACTORS: tuple[Extractor, ...] = (GutenbergEmbed(), Shortcode(), IframeMarkup())
