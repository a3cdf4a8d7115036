"""HTML extractors for other networks' posts shown without their blockquote: rendered or pasted iframes, AMP
components, and the wrappers CMSs and consent managers put in their place (a data attribute holding the post's
URL or an oEmbed URL for it, WordPress's embed figure)."""
from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from lxml import etree

from ..build import Context
from ..networks import PostRef, parse_post_url
from ..search import Needle
from .page import Element, Extractor, Found, Page
from .reading import element_text, raw_text
from .social import (
    ALL_NEEDLES,
    AMP_NEEDLES,
    NEEDLES,
    class_tokens,
    draft_of,
    in_widget,
    linked_posts,
    post_in_value,
)

__all__ = ["EXTRACTORS"]

# How an AMP document says it is one, on its <html> element.
_AMP_MARKS = ("amp", "\u26a1")
# Where a lazy loader or consent manager keeps an iframe's address until it may load.
_SOURCE_ATTRIBUTES = ("src", "data-src", "data-lazy-src", "data-original-src")


class SocialIframe:
    """An embed's own iframe, as the network's script renders it or a CMS pastes it: embed.bsky.app,
    Mastodon's and Truth Social's ``/@user/<id>/embed``, Instagram's and Threads' ``/embed``, TikTok's
    ``/embed/v2/<id>``, Facebook's post and video plugins, Reddit's embed pages (also ``amp-iframe``)."""

    form = "iframe"
    needles: tuple[Needle, ...] = ALL_NEEDLES

    def find(self, page: Page, ctx: Context) -> Iterator[Found]:
        frames = page.candidates("iframe")
        if any(page.root.get(mark) is not None for mark in _AMP_MARKS):  # an AMP page: its iframes are amp-iframe
            frames = sorted([*frames, *page.root.iter("amp-iframe")], key=page.position)
        for element in frames:
            ref = next((r for a in _SOURCE_ATTRIBUTES if (r := post_in_value(element.get(a))) is not None), None)
            # An embed's own iframe is the embed wherever it stands, as tweets' are (a theme's "sidebar" class
            # may wrap the article too); only a feed's or a button's is not.
            if ref is None or page.unseen(element) or in_widget(page, element, sidebar=False):
                continue
            yield Found(draft_of(ref, self.form), element)


class SocialAmp:
    """AMP's components for these networks: ``amp-instagram[data-shortcode]``, ``amp-facebook[data-href]``
    (a post or video; ``amp-facebook-page``, ``-like`` and ``-comments`` are other components),
    ``amp-tiktok[data-src]`` (a video id or URL) and ``amp-reddit[data-src]``."""

    form = "amp"
    needles: tuple[Needle, ...] = tuple(AMP_NEEDLES.values())
    _TAGS = ("amp-instagram", "amp-facebook", "amp-tiktok", "amp-reddit")

    def find(self, page: Page, ctx: Context) -> Iterator[Found]:
        for element in page.root.iter(*self._TAGS):
            ref = self._ref(element)
            if ref is not None and not page.unseen(element):
                yield Found(draft_of(ref, self.form), element)

    @staticmethod
    def _ref(element: Element) -> PostRef | None:
        tag = element.tag
        if tag == "amp-instagram":
            code = (element.get("data-shortcode") or "").strip()
            return parse_post_url(f"https://www.instagram.com/p/{code}/") if code else None
        if tag == "amp-tiktok":
            value = (element.get("data-src") or "").strip()
            if value.isdigit():
                return PostRef("tiktok", value, None, f"https://www.tiktok.com/embed/v2/{value}")
            return post_in_value(value)
        if tag == "amp-facebook" and (element.get("data-embed-as") or "post") not in ("post", "video"):
            return None  # a comment embed names a comment
        return post_in_value(element.get("data-src") or element.get("data-href"))


# Fragments of each network's hosts, as attribute values and class names show them (in the XPaths below).
_HOST_FRAGMENTS: dict[str, tuple[str, ...]] = {
    "bluesky": ("bsky",), "mastodon": ("/@",), "truthsocial": ("truthsocial",), "threads": ("threads.",),
    "instagram": ("instagr",), "facebook": ("facebook",), "tiktok": ("tiktok",), "reddit": ("reddit", "redd.it"),
}
_CLASS_FRAGMENTS: dict[str, tuple[str, ...]] = {
    "bluesky": ("bluesky",), "mastodon": ("astodon",), "truthsocial": ("truth",), "threads": ("hreads",),
    "instagram": ("nstagram",), "facebook": ("acebook",), "tiktok": ("iktok",), "reddit": ("eddit",),
}


@lru_cache(maxsize=64)
def _attributes_path(networks: frozenset[str]) -> etree.XPath:
    """The XPath of data attribute values naming these networks' hosts."""
    hosts = " or ".join(f"contains(., '{f}')" for n in sorted(networks) for f in _HOST_FRAGMENTS[n])
    return etree.XPath(f"descendant-or-self::*/@*[starts-with(name(), 'data-')][{hosts}]")


@lru_cache(maxsize=64)
def _classes_path(networks: frozenset[str]) -> etree.XPath:
    """The XPath of elements whose class names one of these networks."""
    classes = " or ".join(f"contains(@class, '{f}')" for n in sorted(networks) for f in _CLASS_FRAGMENTS[n])
    return etree.XPath(f"descendant-or-self::*[{classes}][not(self::a or self::blockquote[@data-instgrm-permalink])]")


class SocialWrapper:
    """A publisher's or consent manager's element standing for an embed: a data attribute holding the post's
    URL, an oEmbed or proxy URL for it, or JSON naming it (``data-url``, ``data-embed-url``, ``data-feed``,
    ``data-extcontent_url``, ``data-config``); a placeholder whose class names the network and that links one
    of its posts (``div.subbuzz-instagram > blockquote.instagram__container > a[href=post] > img``); or
    WordPress's embed figure whose embed was never expanded (the post's URL as its text or link). Links, share
    and follow widgets, feeds and the site's sidebar are not."""

    form = "cms-wrapper"
    needles: tuple[Needle, ...] = ALL_NEEDLES
    # A placeholder shows the post's link (and a picture): text of its own beyond this is an article's section.
    MAX_PLACEHOLDER_TEXT = 300
    # The same bound on all the text under it, scripts and styles included, tested first (in C).
    MAX_PLACEHOLDER_RAW_TEXT = 4000
    _NOT_HOSTS = frozenset({"a", "link", "meta", "script", "style", "iframe", "img", "source", "video", "blockquote",
                            "amp-instagram", "amp-facebook", "amp-tiktok", "amp-reddit", "amp-iframe", "html", "body"})
    _NOT_ATTRIBUTES = ("share", "follow", "profile", "like")

    def find(self, page: Page, ctx: Context) -> Iterator[Found]:
        # Only the networks whose post URLs the page's bytes hold are looked for.
        networks = frozenset(n for n, needles in NEEDLES.items() if page.holds(needles))
        found: dict[Element, PostRef | None] = {}
        for value in _attributes_path(networks)(page.root) if networks else ():
            element = value.getparent()
            if element.tag in self._NOT_HOSTS or any(word in value.attrname for word in self._NOT_ATTRIBUTES):
                continue
            ref = post_in_value(str(value))
            if ref is None:
                continue
            known = found.get(element)
            if known is not None and (known.platform, known.id) != (ref.platform, ref.id):
                found[element] = None  # names two posts: a list, not one embed
            elif element not in found:
                found[element] = ref
        for element, ref in self._marked(page, _classes_path(networks)) if networks else ():
            found.setdefault(element, ref)
        for figure in page.candidates("figure"):
            if figure not in found and any(c.startswith("wp-block-embed") for c in class_tokens(figure)):
                ref = _shown_post(figure)
                if ref is not None:
                    found[figure] = ref
        for element in sorted(found, key=page.position):
            ref = found[element]
            if ref is None or page.unseen(element) or in_widget(page, element):
                continue
            yield Found(draft_of(ref, self.form), element)

    def _marked(self, page: Page, marked: etree.XPath) -> list[tuple[Element, PostRef]]:
        """Elements whose class names a network and that link one post of it, and hardly any text besides;
        of nested ones, the innermost."""
        found: list[tuple[Element, PostRef]] = []
        for element in marked(page.root):
            if element.tag in self._NOT_HOSTS and element.tag != "blockquote":
                continue
            if len(raw_text(element)) > self.MAX_PLACEHOLDER_RAW_TEXT:
                continue  # a region of the page, not a placeholder
            refs = {(ref.platform, ref.id): ref for _, ref in linked_posts(element)}
            if len(refs) != 1:
                continue
            ref = next(iter(refs.values()))
            classes = (element.get("class") or "").lower()
            if not any(f in classes for f in _CLASS_FRAGMENTS[ref.platform]):
                continue
            if len(element_text(element)) > self.MAX_PLACEHOLDER_TEXT:
                continue
            found.append((element, ref))
        inner = {id(e) for e, _ in found}
        return [(e, r) for e, r in found if not any(id(d) in inner for d in e.iterdescendants())]


def _shown_post(element: Element) -> PostRef | None:
    """The one post an unexpanded embed figure shows as a link or as its text."""
    links = {(ref.platform, ref.id): ref for _, ref in linked_posts(element)}
    if not links:
        ref = post_in_value(element_text(element))
        return ref
    return next(iter(links.values())) if len(links) == 1 else None


# This module's extractors, in the order they run.
EXTRACTORS: tuple[Extractor, ...] = (SocialIframe(), SocialAmp(), SocialWrapper())
