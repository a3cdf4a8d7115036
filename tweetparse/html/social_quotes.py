"""HTML extractors for the official embed markup of Bluesky, Mastodon, Threads, Instagram, TikTok, Reddit and
Facebook (every era's blockquote or placeholder), and for home-made cards that end in a network's attribution."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from copy import deepcopy

from lxml import etree

from ..build import Context
from ..embed_words import is_chrome_line, is_view_phrase, read_byline
from ..networks import PostRef, parse_post_url
from ..search import Needle
from .embeds import exact_time
from .page import Element, Extractor, Found, Page
from .reading import element_text
from .social import NEEDLES, attribution_parts, class_tokens, draft_of, linked_posts, post_in_value

__all__ = ["EXTRACTORS"]


def _candidates(page: Page, classes: tuple[str, ...], attributes: etree.XPath) -> list[Element]:
    """A network's embeds: blockquotes with one of its classes, and any element carrying its embed
    attributes (lazy loaders turn the blockquote into a div and keep them), in document order."""
    found = [q for q in page.candidates("blockquote") if not set(class_tokens(q)).isdisjoint(classes)]
    marked = [e for e in attributes(page.root) if e.tag != "blockquote"]
    if marked:
        found = sorted({*found, *marked}, key=page.position)
    return [e for e in found if not page.unseen(e)]


def _self_link(ref: PostRef) -> Callable[[Element], bool]:
    """A test for anchors that link the embedded post itself (an embed's date link, its media placeholder)."""
    def links_post(element: Element) -> bool:
        if element.tag != "a":
            return False
        other = parse_post_url(element.get("href") or "")
        return other is not None and other.platform == ref.platform and other.id == ref.id
    return links_post


def _chrome_free(text: str) -> str:
    """Text without the lines an embed shows around a post ("Post by @x@y", "View on Mastodon")."""
    return "\n".join(line for line in text.split("\n") if not is_chrome_line(line)).strip()


class BlueskyBlockquote:
    """Bluesky's embed snippet, every era (``blockquote.bluesky-embed[data-bluesky-uri]``, with or without a
    colour mode, the oEmbed variant with name and handle in one link): the text in its paragraph, ``— Name
    (@handle)`` and a date link; the ``[image or embed]`` link to the post itself is a placeholder, not text."""

    form = "blockquote"
    needles: tuple[Needle, ...] = NEEDLES["bluesky"]
    CLASSES = ("bluesky-embed",)
    MARKED = etree.XPath("descendant-or-self::*[@data-bluesky-uri]")

    def find(self, page: Page, ctx: Context) -> Iterator[Found]:
        for element in _candidates(page, self.CLASSES, self.MARKED):
            links = linked_posts(element, "bluesky")
            ref = post_in_value(element.get("data-bluesky-uri")) or (links[-1][1] if links else None)
            if ref is None or ref.platform != "bluesky" or ref.id is None:
                continue
            key = ref.id.rsplit("/", 1)[-1]  # the record key: links by handle and by DID name the same post
            own = [anchor for anchor, link in links if (link.id or "").rsplit("/", 1)[-1] == key]
            date_anchor = own[-1] if own else None
            before = element_text(element, stop=date_anchor, skip=_self_link(ref))
            body, name, handle = attribution_parts(before)
            paragraph = next(element.iter("p"), None)
            if paragraph is not None and handle is not None:
                body = _lines_kept(paragraph, ref)
            yield Found(draft_of(ref, self.form, text=body, name=name, handle=handle or ref.handle,
                                 date_text=element_text(date_anchor) or None if date_anchor is not None else None,
                                 lang=_lang(element)), element)


# A line separator: whitespace folding keeps it, and it ends a line when the text is cleaned.
_LINE_SEPARATOR = "\u2028"


def _lines_kept(paragraph: Element, ref: PostRef) -> str:
    """The text of Bluesky's post paragraph, where the snippet writes the post's line breaks as raw newlines
    (the embed shows them as breaks): read from a copy whose newlines are line separators."""
    copy = deepcopy(paragraph)
    copy.tail = None
    for node in copy.iter():
        if node.text:
            node.text = node.text.replace("\n", _LINE_SEPARATOR)
        if node is not copy and node.tail:
            node.tail = node.tail.replace("\n", _LINE_SEPARATOR)
    return element_text(copy, skip=_self_link(ref))


def _lang(element: Element) -> str | None:
    paragraph = next(element.iter("p"), None)
    lang = (paragraph.get("lang") or "").strip() if paragraph is not None else ""
    return lang or None


class StubBlockquote:
    """The embeds of Mastodon 4.3 on (``blockquote.mastodon-embed[data-embed-url]``) and Threads
    (``blockquote.text-post-media[data-text-post-permalink]``): a link to the post around "Post by @user" and
    "View on ...", the post itself loaded by script. Text outside the link and the chrome, if any, is kept."""

    form = "blockquote"
    needles: tuple[Needle, ...] = (*NEEDLES["mastodon"], *NEEDLES["threads"])
    CLASSES = ("mastodon-embed", "text-post-media", "truthsocial-embed")
    MARKED = etree.XPath("descendant-or-self::*[@data-text-post-permalink]")
    _URL_ATTRIBUTES = ("data-text-post-permalink", "data-embed-url", "cite")

    def find(self, page: Page, ctx: Context) -> Iterator[Found]:
        for element in _candidates(page, self.CLASSES, self.MARKED):
            if element.tag == "iframe":
                continue
            ref = next((r for a in self._URL_ATTRIBUTES if (r := post_in_value(element.get(a))) is not None), None)
            if ref is None:
                links = linked_posts(element)
                ref = links[0][1] if links else None
            if ref is None or ref.platform not in ("mastodon", "truthsocial", "threads"):
                continue
            text = _chrome_free(element_text(element, skip=_self_link(ref)))
            yield Found(draft_of(ref, self.form, text=text), element)


class InstagramBlockquote:
    """Instagram's embed, every version: v7 (caption and byline, no permalink attribute), v12 (permalink,
    "View this post on Instagram", a byline with ``<time>``, the caption when captioned), v14 (byline without a
    date), and the empty blockquote that names only its permalink. Bylines in any language the embeds use."""

    form = "blockquote"
    needles: tuple[Needle, ...] = NEEDLES["instagram"]
    CLASSES = ("instagram-media",)
    MARKED = etree.XPath("descendant-or-self::*[@data-instgrm-permalink or @data-instgrm-version]")

    def find(self, page: Page, ctx: Context) -> Iterator[Found]:
        for element in _candidates(page, self.CLASSES, self.MARKED):
            if element.tag in ("iframe", "amp-instagram"):
                continue
            links = linked_posts(element, "instagram")
            ref = post_in_value(element.get("data-instgrm-permalink")) or (links[0][1] if links else None)
            if ref is None or ref.platform != "instagram":
                continue
            paragraphs = list(element.iter("p"))
            byline_at = next((i for i in range(len(paragraphs) - 1, -1, -1)
                              if read_byline(element_text(paragraphs[i])) is not None), None)
            byline_element = paragraphs[byline_at] if byline_at is not None else next(
                (a for a in reversed(links) if read_byline(element_text(a[0])) is not None), (None,))[0]
            facts: dict[str, object] = {}
            if byline_element is not None:
                byline = read_byline(element_text(byline_element))
                assert byline is not None
                time = next(byline_element.iter("time"), None)
                facts = {"handle": byline.handle, "name": byline.name or _profile_name(byline_element),
                         "date_text": element_text(time) if time is not None else byline.date_text,
                         "exact_time": exact_time(time.get("datetime")) if time is not None else None}
                caption = [element_text(p) for p in (paragraphs[:byline_at] if byline_at is not None
                                                     else _paragraphs_before(element, byline_element))]
                facts["text"] = "\n\n".join(c for c in caption if c and not is_view_phrase(c))
            yield Found(draft_of(ref, self.form, **facts), element)


def _paragraphs_before(root: Element, stop: Element) -> list[Element]:
    """The paragraphs under ``root`` before ``stop`` in document order (a byline written as a bare link)."""
    before = []
    for node in root.iter():
        if node is stop:
            break
        if node.tag == "p":
            before.append(node)
    return before


def _profile_name(byline: Element) -> str | None:
    """The display name a v7 byline shows as a link to the profile ("A post shared by <a>Name</a> (@handle)")."""
    for anchor in byline.iter("a"):
        text = element_text(anchor)
        if text and "(@" not in text and parse_post_url(anchor.get("href") or "") is None:
            return text
    return None


class TikTokBlockquote:
    """TikTok's embed (``blockquote.tiktok-embed[cite][data-video-id]``, also as oEmbed writes it): the
    author's link, the caption with its tag links, and the sound's link (chrome, not caption). A creator
    (profile) embed names no video and is no post."""

    form = "blockquote"
    needles: tuple[Needle, ...] = NEEDLES["tiktok"]
    CLASSES = ("tiktok-embed",)
    MARKED = etree.XPath("descendant-or-self::*[@data-video-id][contains(@cite, 'tiktok')]")

    def find(self, page: Page, ctx: Context) -> Iterator[Found]:
        for element in _candidates(page, self.CLASSES, self.MARKED):
            ref = post_in_value(element.get("cite"))
            video = (element.get("data-video-id") or "").strip()
            if ref is None and video.isdigit():
                ref = PostRef("tiktok", video, None, f"https://www.tiktok.com/embed/v2/{video}")
            if ref is None or ref.platform != "tiktok" or (video and video != ref.id):
                continue
            handle = ref.handle
            for anchor in element.iter("a"):
                shown = element_text(anchor)
                if shown.startswith("@") and "/video/" not in (anchor.get("href") or ""):
                    handle = handle or shown[1:]
                    break
            text = element_text(element, skip=_tiktok_chrome)
            if handle and text.startswith("@" + handle):
                text = text[len(handle) + 1:].strip()
            yield Found(draft_of(ref, self.form, text=text, handle=handle), element)


def _tiktok_chrome(element: Element) -> bool:
    """The author's and the sound's links inside a TikTok embed: chrome around the caption."""
    if element.tag != "a":
        return False
    href = element.get("href") or ""
    return "/music/" in href or (element.text or "").lstrip().startswith(("♬", "@"))


class RedditBlockquote:
    """Reddit's embeds: ``blockquote.reddit-embed-bq`` (2023 on: title link, "by u/author in sub") and
    ``blockquote.reddit-card`` (title link "from r/sub"). The title is the post's text as embeds show it."""

    form = "blockquote"
    needles: tuple[Needle, ...] = NEEDLES["reddit"]
    CLASSES = ("reddit-embed-bq", "reddit-card")
    MARKED = etree.XPath("descendant-or-self::*[@data-embed-created or @data-card-created][self::div]")

    def find(self, page: Page, ctx: Context) -> Iterator[Found]:
        for element in _candidates(page, self.CLASSES, self.MARKED):
            links = linked_posts(element, "reddit")
            if not links:
                continue
            anchor, ref = links[0]
            handle = ref.handle
            for other in element.iter("a"):
                href = other.get("href") or ""
                if "/user/" in href or "/u/" in href:
                    handle = handle or element_text(other).removeprefix("u/").removeprefix("/u/") or None
                    break
            yield Found(draft_of(ref, self.form, text=element_text(anchor), handle=handle), element)


class FacebookPlaceholder:
    """The Facebook SDK's placeholders: ``div.fb-post`` / ``div.fb-video`` with ``data-href``, empty or
    holding the ``blockquote.fb-xfbml-parse-ignore`` fallback (text, "Posted by <a>Page</a> on <a>date</a>");
    also that fallback alone. Page, like, comments and share plugins name no post."""

    form = "placeholder"
    needles: tuple[Needle, ...] = NEEDLES["facebook"]
    PLACEHOLDERS = etree.XPath(
        "descendant-or-self::*[@data-href][contains(@class, 'fb-post') or contains(@class, 'fb-video')]"
        " | descendant-or-self::blockquote[contains(@class, 'fb-xfbml-parse-ignore')]")
    _CLASSES = ("fb-post", "fb-video", "fb-xfbml-parse-ignore")

    def find(self, page: Page, ctx: Context) -> Iterator[Found]:
        for element in self.PLACEHOLDERS(page.root):
            if set(class_tokens(element)).isdisjoint(self._CLASSES) or page.unseen(element):
                continue
            parent = element.getparent()
            if element.tag == "blockquote" and parent is not None and parent.get("data-href") and \
                    not {"fb-post", "fb-video"}.isdisjoint(class_tokens(parent)):
                continue  # the placeholder around it is read
            ref = post_in_value(element.get("data-href") or element.get("cite"))
            if ref is None or ref.platform != "facebook":
                continue
            fallback = element if element.tag == "blockquote" else next(element.iter("blockquote"), None)
            facts: dict[str, object] = {}
            if fallback is not None:
                facts = _facebook_fallback(fallback, ref)
            yield Found(draft_of(ref, self.form, **facts), element)


def _facebook_fallback(quote: Element, ref: PostRef) -> dict[str, object]:
    """Text, page name and date of the SDK's fallback blockquote."""
    paragraphs = [element_text(p) for p in quote.iter("p")]
    anchors = [a for a in quote.iter("a") if a.getparent() is quote or a.getparent().tag != "p"]
    date_anchor = next((a for a in reversed(anchors) if (linked := post_in_value(a.get("href"))) is not None
                        and linked.id == ref.id), None)
    name_anchor = next((a for a in anchors if a is not date_anchor and post_in_value(a.get("href")) is None), None)
    return {"text": "\n\n".join(p for p in paragraphs if p),
            "name": element_text(name_anchor) or None if name_anchor is not None else None,
            "date_text": element_text(date_anchor) or None if date_anchor is not None else None}


class AttributedCard:
    """A publisher's or reader's own copy of a Bluesky or Mastodon post: a blockquote of the post's text ending
    in ``— Name (@handle) <a href=post>date</a>``, the handle agreeing with the link (Mastodon's status
    markup: the hidden parts of long links left out, the shortened ones ending in "…")."""

    form = "card"
    needles: tuple[Needle, ...] = (*NEEDLES["bluesky"], *NEEDLES["mastodon"])

    def find(self, page: Page, ctx: Context) -> Iterator[Found]:
        for element in page.candidates("blockquote"):
            if page.unseen(element):
                continue
            links = linked_posts(element)
            if not links or links[-1][1].platform not in ("bluesky", "mastodon", "truthsocial"):
                continue
            anchor, ref = links[-1]
            if not element_text(element).endswith(element_text(anchor)):
                continue  # prose continues after the link: a quotation citing a post
            mastodon = ref.platform != "bluesky"
            before = element_text(element, stop=anchor, skip=_invisible if mastodon else None)
            body, name, handle = attribution_parts(before)
            if not body or handle is None or not _same_author(handle, ref):
                continue
            if mastodon:
                body = _with_ellipses(element, body)
            yield Found(draft_of(ref, self.form, text=body, name=name, handle=ref.handle or handle,
                                 date_text=element_text(anchor) or None), element)


def _same_author(handle: str, ref: PostRef) -> bool:
    if ref.handle is None:
        return True
    return handle.casefold().split("@")[0] == ref.handle.casefold().split("@")[0]


def _invisible(element: Element) -> bool:
    """The parts of a long link Mastodon's status markup hides (``span.invisible``)."""
    return element.tag == "span" and "invisible" in class_tokens(element)


def _with_ellipses(element: Element, text: str) -> str:
    """Mastodon's shortened links end in "…" (``span.ellipsis``, drawn by its style sheet)."""
    for span in element.iter("span"):
        if "ellipsis" in class_tokens(span):
            shown = element_text(span)
            if shown and shown + "…" not in text:
                text = text.replace(shown, shown + "…", 1)
    return text


# This module's extractors, in the order they run.
EXTRACTORS: tuple[Extractor, ...] = (BlueskyBlockquote(), StubBlockquote(), InstagramBlockquote(), TikTokBlockquote(),
                                     RedditBlockquote(), FacebookPlaceholder(), AttributedCard())
