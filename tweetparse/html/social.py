"""What the HTML extractors of other networks' posts share: their post URLs as needles, the posts an element
names, the marks of a page's own widgets, and an embed's text read without its chrome."""
from __future__ import annotations

import re
from urllib.parse import unquote

from ..build import Draft
from ..networks import PostRef, find_post_urls, parse_post_url
from ..search import Needle, literal, within
from .page import Element, Page

__all__ = [
    "AMP_NEEDLES",
    "NEEDLES",
    "attribution_parts",
    "class_tokens",
    "draft_of",
    "in_widget",
    "linked_posts",
    "post_in_value",
]

# A slash as a page writes it in a URL: plain, JSON-escaped, or percent-encoded (an oEmbed or proxy URL's query).
_S = rb"(?:/|\\/|%2f)"
# A URL path segment of a few characters, as a needle may cross it (no quote, bracket or space).
_SEGMENT = rb"[^\"'<>\s/\\%]{1,100}"

# Each network's post URLs as a page's bytes write them (lower case: the search ignores case), each with the
# literal every match holds. A profile, share, follow, hashtag or script URL matches none of them.
_POST_URLS: dict[str, tuple[tuple[bytes, bytes], ...]] = {  # (the literal every match holds, the pattern)
    "bluesky": (
        (b"app.bsky.feed.post", rb"app\.bsky\.feed\.post"),  # an at-URI (data-bluesky-uri), embed.bsky.app's iframe
        (b"bsky.app", rb"bsky\.app" + _S + rb"profile" + _S + rb"[^\"'<>\s]{1,300}?" + _S + rb"post" + _S + rb"[a-z0-9]"),
    ),
    "mastodon": (
        # /@user[@server]/<snowflake>, and /@user/<id>/embed (any id: the embed path says what it is)
        (b"/@", rb"/@[a-z0-9_]{1,30}(?:@[a-z0-9.-]{1,100})?/[0-9]{17,19}[^0-9a-z]"),
        (b"/@", rb"/@[a-z0-9_]{1,30}(?:@[a-z0-9.-]{1,100})?/[0-9]{1,19}/embed"),
        (b"/users/", rb"/users/[a-z0-9_]{1,30}/statuses/[0-9]"),
        (b"truthsocial.com", rb"truthsocial\.com" + _S + rb"@[a-z0-9_]{1,30}" + _S + rb"(?:posts" + _S + rb")?[0-9]"),
    ),
    "threads": (
        (b"threads.", rb"threads\.(?:net|com)" + _S + rb"@" + _SEGMENT + _S + rb"post" + _S + rb"[a-z0-9_-]"),
    ),
    "instagram": (
        (b"instagram.com", rb"instagram\.com" + _S + rb"(?:[a-z0-9._]{1,30}" + _S + rb")?(?:p|reels?|tv)" + _S
         + rb"[a-z0-9_-]{5}"),
        (b"instagr.am", rb"instagr\.am" + _S + rb"p" + _S + rb"[a-z0-9_-]"),
    ),
    "facebook": (
        (b"facebook.com", rb"facebook\.com" + _S + rb"[^\"'<>\s]{0,200}?(?:posts|videos|photos|photo\.php|video\.php"
         rb"|permalink\.php|story\.php|reel|watch)"),
    ),
    "tiktok": (
        (b"tiktok.com", rb"tiktok\.com" + _S + rb"@" + _SEGMENT + _S + rb"(?:video|photo)" + _S + rb"[0-9]"),
        (b"tiktok.com", rb"tiktok\.com" + _S + rb"(?:embed(?:" + _S + rb"v2)?|player" + _S + rb"v1|v)" + _S + rb"[0-9]"),
    ),
    "reddit": (
        (b"reddit", rb"reddit(?:media)?\.com" + _S + rb"[^\"'<>\s]{0,200}?comments" + _S + rb"[a-z0-9]"),
        (b"redd.it", rb"redd\.it" + _S + rb"[a-z0-9]"),
    ),
}
_POST_URLS["truthsocial"] = _POST_URLS["mastodon"]
# AMP's components for these networks (``amp-facebook-page`` and ``-like`` are not ``amp-facebook``).
AMP_NEEDLES: dict[str, Needle] = {"instagram": literal(b"<amp-instagram"), "facebook": Needle(rb"<amp-facebook[\s>]"),
                                  "tiktok": literal(b"<amp-tiktok"), "reddit": literal(b"<amp-reddit")}
# The markup only each network's embeds carry: their own attributes and AMP components.
_EMBED_MARKUP: dict[str, tuple[Needle, ...]] = {
    "threads": (literal(b"data-text-post-permalink"),),
    "instagram": (literal(b"data-instgrm-"), AMP_NEEDLES["instagram"]),
    "facebook": (AMP_NEEDLES["facebook"],),
    "tiktok": (AMP_NEEDLES["tiktok"],),
    "reddit": (AMP_NEEDLES["reddit"],),
}
# Each network's needles: its post URLs and its embeds' markup. A page whose only links to these networks are
# profiles, shares or scripts, and whose only mention of their embeds is a style sheet's, is not parsed.
NEEDLES: dict[str, tuple[Needle, ...]] = {
    network: (*(within(anchor, pattern) for anchor, pattern in urls), *_EMBED_MARKUP.get(network, ()))
    for network, urls in _POST_URLS.items()
}
ALL_NEEDLES: tuple[Needle, ...] = tuple(dict.fromkeys(n for needles in NEEDLES.values() for n in needles))


def post_in_value(value: str | None) -> PostRef | None:
    """The post (of a network other than Twitter) an attribute value names: a URL, also percent-encoded or
    JSON-escaped, an at-URI, or a URL inside other text (JSON config); None when it names no post or
    several different ones."""
    if not value:
        return None
    value = value.strip()
    ref = parse_post_url(value) if "://" in value[:12] else None
    if ref is None and ("%2f" in value or "%2F" in value) and "://" not in value:
        ref = parse_post_url(unquote(value))
    if ref is None:
        found = {(r.platform, r.id): r for r, _, _ in find_post_urls(value.replace("\\/", "/"))}
        ref = next(iter(found.values())) if len(found) == 1 else None
    return ref if ref is not None and ref.platform != "twitter" and ref.id else None


# Fragments one of these networks' post URLs holds: an anchor without any is not parsed as a URL at all.
_URL_HINTS = ("bsky", "/@", "threads.", "instagr", "facebook", "fb.", "tiktok", "reddit", "redd.it", "at://")


def linked_posts(element: Element, platform: str | None = None) -> list[tuple[Element, PostRef]]:
    """The anchors in an element that link a post (of ``platform``, or of any network but Twitter), in order."""
    found = []
    for anchor in element.iter("a"):
        href = anchor.get("href")
        if not href or not any(hint in href for hint in _URL_HINTS):
            continue
        ref = parse_post_url(href)
        if ref is not None and ref.id and ref.platform != "twitter" and (platform is None or ref.platform == platform):
            found.append((anchor, ref))
    return found


def draft_of(ref: PostRef, form: str, **facts: object) -> Draft:
    """A draft of the post ``ref`` names, with the facts an extractor read besides."""
    values: dict[str, object] = {"platform": ref.platform, "id": ref.id, "url": ref.url, "handle": ref.handle}
    values.update({key: value for key, value in facts.items() if value is not None})
    return Draft(form=form, **values)  # type: ignore[arg-type]


_CLASS_TOKEN = re.compile(r"[^ \t\r\n]+")


def class_tokens(element: Element) -> list[str]:
    """The element's class names, in lower case."""
    return _CLASS_TOKEN.findall((element.get("class") or "").lower())


# Words of a class or id that mark the site's own widgets rather than an embedded post: feeds and timelines of
# a network's posts (Smash Balloon's "sbi"), share and follow buttons, profile cards. Not "widget": page builders
# (Elementor's "elementor-widget") wrap every block of an article in one.
_WIDGET_WORDS = frozenset({"feed", "feeds", "timeline", "sbi", "share", "sharing", "follow", "profile"})
_WORD = re.compile(r"[a-z0-9]+")
# How many ancestors of an element are searched for a widget's mark: an embed's wrapper sits a few levels
# below the article, a feed item a few levels below its feed.
WIDGET_DEPTH = 4


def in_widget(page: Page, element: Element, *, sidebar: bool = True) -> bool:
    """Whether an element sits in a feed, share or follow widget (by its own or a near ancestor's class or id),
    or (with ``sidebar``) in the site's sidebar."""
    node = element
    for _ in range(WIDGET_DEPTH):
        if node is None or not isinstance(node.tag, str) or node.tag in ("body", "article", "main", "html"):
            break
        marks = f"{node.get('class') or ''} {node.get('id') or ''}".lower()
        if marks.strip() and not _WIDGET_WORDS.isdisjoint(_WORD.findall(marks)):
            return True
        node = node.getparent()
    return sidebar and page.in_sidebar(element)


# The handle in "(@handle)" as any of these networks writes it: a domain (Bluesky), user@server (Mastodon),
# a username with dots (Instagram, Threads, TikTok) or without.
_HANDLE = r"[^\s()@]{1,253}(?:@[^\s()@]{1,253})?"
_HANDLE_IN_PARENS = re.compile(r"\(\s*@(" + _HANDLE + r")\s*\)")
# The dash before the name, as embeds write it (an em dash) and CMSs retype it (an en dash or hyphens, spaced).
_DASH = re.compile(r"(?:^|(?<=\s))(?:[—―]|[–-]{1,2}(?=\s))")


def attribution_parts(text: str) -> tuple[str, str | None, str | None]:
    """The text before an embed's date link split into its body and the ``— Name (@handle)`` that ends it;
    the name and handle are None when the last line is no attribution.

    >>> attribution_parts("Open again!\\n\\n— Ellery Libraries (@libraries.ellery.example)")
    ('Open again!', 'Ellery Libraries', 'libraries.ellery.example')
    """
    line_start = text.rfind("\n") + 1
    line = text[line_start:].rstrip()
    paren = line.rfind("(")
    handle = _HANDLE_IN_PARENS.fullmatch(line, paren) if paren >= 0 else None
    if handle is None:
        return text.strip(), None, None
    dash = None
    for dash in _DASH.finditer(line, 0, paren):
        pass
    if dash is None:
        return text.strip(), None, None
    name = line[dash.end():paren].strip()
    return text[:line_start + dash.start()].strip(), name or None, handle.group(1)
