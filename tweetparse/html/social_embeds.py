"""HTML extractors for other networks' posts shown without their blockquote: rendered or pasted iframes, AMP
components, and the wrappers CMSs and consent managers put in their place (a data attribute holding the post's
URL or an oEmbed URL for it, WordPress's embed figure)."""
from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from ..build import Context
from ..networks import PostRef, parse_post_url
from ..search import Needle
from .page import Element, Extractor, Found, Page
from .reading import element_text
from .social import ALL_NEEDLES, NEEDLES, class_tokens, draft_of, in_widget, linked_posts, post_in_value

__all__ = ["EXTRACTORS"]

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
        amp = list(page.root.iter("amp-iframe"))  # AMP's iframe (its tag is not among the page's candidates)
        if amp:
            frames = sorted([*frames, *amp], key=page.position)
        for element in frames:
            ref = next((r for a in _SOURCE_ATTRIBUTES if (r := post_in_value(element.get(a))) is not None), None)
            if ref is None or page.unseen(element) or in_widget(page, element):
                continue
            yield Found(draft_of(ref, self.form), element)



class SocialAmp:
    """AMP's components for these networks: ``amp-instagram[data-shortcode]``, ``amp-facebook[data-href]``
    (a post or video; ``amp-facebook-page``, ``-like`` and ``-comments`` are other components),
    ``amp-tiktok[data-src]`` (a video id or URL) and ``amp-reddit[data-src]``."""

    form = "amp"
    needles: tuple[Needle, ...] = (NEEDLES["instagram"][1], NEEDLES["facebook"][0], NEEDLES["tiktok"][0],
                                   NEEDLES["reddit"][0])
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


class SocialWrapper:
    """A publisher's or consent manager's element standing for an embed: a data attribute holding the post's
    URL, an oEmbed or proxy URL for it, or JSON naming it (``data-url``, ``data-embed-url``, ``data-feed``,
    ``data-extcontent_url``, ``data-config``), or WordPress's embed figure whose embed was never expanded (the
    post's URL as its text or link). Links, share and follow widgets, feeds and the site's sidebar are not."""

    form = "cms-wrapper"
    needles: tuple[Needle, ...] = ALL_NEEDLES
    # Elements whose class names one of these networks: a publisher's placeholder for an embed
    # (``div.subbuzz-instagram > blockquote.instagram__container > a[href=post] > img``).
    MARKED = etree.XPath(
        "descendant-or-self::*[contains(@class, 'nstagram') or contains(@class, 'iktok') or contains(@class, 'bluesky')"
        " or contains(@class, 'astodon') or contains(@class, 'hreads') or contains(@class, 'acebook')"
        " or contains(@class, 'eddit')][not(self::a or self::blockquote[@data-instgrm-permalink])]")
    # A placeholder shows the post's link (and a picture): text of its own beyond this is an article's section.
    MAX_PLACEHOLDER_TEXT = 300
    # Data attributes holding a URL of one of these networks: the XPath runs in C over every attribute, and
    # only these few values are read in Python.
    VALUES = etree.XPath(
        "descendant-or-self::*/@*[starts-with(name(), 'data-')][contains(., 'instagr') or contains(., 'bsky')"
        " or contains(., 'tiktok') or contains(., 'facebook') or contains(., 'threads.') or contains(., 'reddit')"
        " or contains(., '/@') or contains(., 'redd.it')]")
    _NOT_HOSTS = frozenset({"a", "link", "meta", "script", "style", "iframe", "img", "source", "video", "blockquote",
                            "amp-instagram", "amp-facebook", "amp-tiktok", "amp-reddit", "amp-iframe", "html", "body"})
    _NOT_ATTRIBUTES = ("share", "follow", "profile", "like")

    def find(self, page: Page, ctx: Context) -> Iterator[Found]:
        found: dict[Element, PostRef | None] = {}
        for value in self.VALUES(page.root):
            element = value.getparent()
            if element.tag in self._NOT_HOSTS or any(word in value.attrname for word in self._NOT_ATTRIBUTES):
                continue
            ref = post_in_value(str(value))
            if ref is None:
                continue
            if element in found and found[element] is not None and found[element] != ref:
                found[element] = None  # names two posts: a list, not one embed
            elif element not in found:
                found[element] = ref
        for element, ref in self._marked(page):
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


    def _marked(self, page: Page) -> list[tuple[Element, PostRef]]:
        """Elements whose class names a network and that link one post of it, and hardly any text besides;
        of nested ones, the innermost."""
        marked: list[tuple[Element, PostRef]] = []
        for element in self.MARKED(page.root):
            if element.tag in self._NOT_HOSTS and element.tag != "blockquote":
                continue
            refs = {(ref.platform, ref.id): ref for _, ref in linked_posts(element)}
            if len(refs) != 1:
                continue
            ref = next(iter(refs.values()))
            classes = (element.get("class") or "").lower()
            if ref.platform.replace("truthsocial", "truth") not in classes.replace(" ", ""):
                continue
            if len(element_text(element)) > self.MAX_PLACEHOLDER_TEXT:
                continue
            marked.append((element, ref))
        inner = {id(e) for e, _ in marked}
        return [(e, r) for e, r in marked if not any(id(d) in inner for d in e.iterdescendants())]


def _shown_post(element: Element) -> PostRef | None:
    """The one post an unexpanded embed figure shows as a link or as its text."""
    links = {(ref.platform, ref.id): ref for _, ref in linked_posts(element)}
    if not links:
        ref = post_in_value(element_text(element))
        return ref
    return next(iter(links.values())) if len(links) == 1 else None


# This module's extractors, in the order they run.
EXTRACTORS: tuple[Extractor, ...] = (SocialIframe(), SocialAmp(), SocialWrapper())
