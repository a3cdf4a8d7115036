"""Records of many articles as one feed: one item per post, each citing every article that embedded it.

Rendered as JSON Feed 1.1, Atom 1.0, JSON lines, CSV, or a self-contained HTML report (``report.py``).
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from .merge import Copies, post_key
from .output import CSV_COLUMNS, csv_row
from .record import Source, Tweet

__all__ = ["FEED_FORMATS", "PLATFORMS", "FeedItem", "Platform", "build_feed", "platform_of", "profile_url",
           "render_feed", "safe_url", "xml_safe"]

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
ATOM_NS = "http://www.w3.org/2005/Atom"
# Atom needs an `updated` instant on every entry; an undated tweet borrows this fixed one rather
# than the time the feed was written, so the same inputs always give the same bytes.
UNKNOWN_TIME = "1970-01-01T00:00:00Z"
# How much of a tweet's text titles its Atom entry.
TITLE_CHARS = 80
# Records made before posts of other networks were read carry no platform: they are tweets.
DEFAULT_PLATFORM = "twitter"
XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'


@dataclass(frozen=True, slots=True, kw_only=True)
class Platform:
    """How a network is named and linked: its display name, what a post is called, the profile URL a
    post URL starts with, and where a mention or a hashtag leads (``{}`` is the name or tag)."""

    name: str
    noun: str = "post"
    profile_from_post: re.Pattern[str] | None = None
    mention_url: str | None = None
    hashtag_url: str | None = None
    cashtag_url: str | None = None


PLATFORMS: dict[str, Platform] = {
    "twitter": Platform(name="X", noun="tweet", mention_url="https://twitter.com/{}",
                        hashtag_url="https://twitter.com/hashtag/{}",
                        cashtag_url="https://twitter.com/search?q=%24{}"),
    "bluesky": Platform(name="Bluesky", hashtag_url="https://bsky.app/hashtag/{}",
                        profile_from_post=re.compile(r"(https://bsky\.app/profile/[^/?#]+)/post/")),
    # Any server runs Mastodon: the profile is the post URL without its status id.
    "mastodon": Platform(name="Mastodon", profile_from_post=re.compile(r"(https://[^/?#]+/@[^/?#]+)/\d+")),
    "truthsocial": Platform(name="Truth Social",
                            profile_from_post=re.compile(r"(https://truthsocial\.com/@[^/?#]+)/\d+")),
    "threads": Platform(name="Threads",
                        profile_from_post=re.compile(r"(https://www\.threads\.(?:net|com)/@[^/?#]+)/post/")),
    "tiktok": Platform(name="TikTok",
                       profile_from_post=re.compile(r"(https://www\.tiktok\.com/@[^/?#]+)/video/")),
    "instagram": Platform(name="Instagram"),
    "facebook": Platform(name="Facebook"),
    "reddit": Platform(name="Reddit"),
}

# What a browser or feed reader may follow: an absolute http(s) URL with a host. Anything else
# (javascript:, data:, a relative path, a scheme hidden behind spaces or controls) is shown as text.
_WEB_URL = re.compile(r"https?://[^\s/?#\\]+(?:[/?#][^\s]*)?", re.IGNORECASE)
# Characters XML 1.0 forbids (C0 controls but tab, newline and return; lone surrogates; U+FFFE/FFFF),
# plus DEL and the C1 controls, which it allows but no reader shows.
_XML_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# Vertical tab and form feed separate words: they become a space, so that the words stay apart.
_SEPARATORS = "\x0b\x0c"
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")


def safe_url(url: str | None) -> str | None:
    """``url`` when it is an absolute http(s) URL a reader may follow, else None.

    >>> safe_url("https://example.com/a"), safe_url("javascript:alert(1)"), safe_url("../a.html")
    ('https://example.com/a', None, None)
    """
    if url and _WEB_URL.fullmatch(url) and not _XML_UNSAFE.search(url):
        return url
    return None


def xml_safe(text: str) -> str:
    """``text`` with the characters XML 1.0 cannot hold taken out (vertical tab and form feed become spaces).

    >>> xml_safe("a\\x01b\\x0bc")
    'ab c'
    """
    return _XML_UNSAFE.sub(lambda m: " " if m.group() in _SEPARATORS else "", text)


@dataclass(frozen=True, slots=True, kw_only=True)
class FeedItem:
    """One tweet of the feed and every article that embedded it, in the order they were read."""

    tweet: Tweet
    articles: tuple[Source, ...]

    def to_dict(self) -> dict[str, Any]:
        record = self.tweet.to_dict()
        record["articles"] = [a.to_dict() for a in self.articles]
        return record


def build_feed(tweets: Iterable[Tweet]) -> list[FeedItem]:
    """Fold the tweets of many articles into feed items, newest first (undated last).

    >>> from tweetparse import extract
    >>> text = "Hello #world\\n— Jo (@jo) May 1, 2017"
    >>> items = build_feed(extract(text, article="a.txt") + extract(text, article="b.txt"))
    >>> [(i.tweet.handle, [a.article for a in i.articles]) for i in items]
    [('jo', ['a.txt', 'b.txt'])]
    """
    copies = Copies()
    cited: list[dict[tuple[Any, ...], Source]] = []
    for tweet in tweets:
        at = copies.add(tweet)
        if at == len(cited):
            cited.append({})
        article = Source(article=tweet.source.article, url=tweet.source.url, published=tweet.source.published)
        cited[at].setdefault((article.article, article.url), article)
    items = [FeedItem(tweet=t, articles=tuple(cited[at].values())) for at, t in enumerate(copies.posts)]
    # Stable sort: same-time tweets keep the order they were read in.
    items.sort(key=lambda item: _sortable_time(item.tweet), reverse=True)
    return items


def _sortable_time(tweet: Tweet) -> str:
    return rfc3339(tweet.created_at) or ""


def rfc3339(created_at: str | None) -> str | None:
    """A full RFC 3339 instant for a record's time (a bare day becomes its UTC midnight)."""
    if not created_at:
        return None
    return created_at + "T00:00:00Z" if len(created_at) == 10 else created_at


# ------------------------------------------------------------------ what every format says of a post


def platform_of(record: dict[str, Any]) -> str:
    """The network a record's post is from (``twitter`` for records that do not say)."""
    return str(record.get("platform") or DEFAULT_PLATFORM).lower()


def platform_info(record: dict[str, Any]) -> Platform:
    """The :class:`Platform` of a record; an unknown network gets its own name and no derived links."""
    name = platform_of(record)
    return PLATFORMS.get(name) or Platform(name=name.capitalize())


def profile_url(record: dict[str, Any]) -> str | None:
    """The author's profile: on Twitter from the handle, elsewhere cut from the post's own URL (no
    profile is guessed for a network whose post URLs do not name the author)."""
    name = platform_of(record)
    if name == DEFAULT_PLATFORM:
        handle = record.get("handle")
        return f"https://twitter.com/{quote(handle, safe='')}" if handle else None
    pattern = platform_info(record).profile_from_post
    post = safe_url(record.get("url"))
    m = pattern.match(post) if pattern is not None and post else None
    return m.group(1) if m else None


def author_name(record: dict[str, Any]) -> str:
    name, handle = record.get("name"), record.get("handle")
    if name and handle:
        return f"{name} (@{handle})"
    return name or (f"@{handle}" if handle else "unknown author")


def _title(record: dict[str, Any]) -> str:
    text = " ".join((record.get("text") or "").split())
    head = text if len(text) <= TITLE_CHARS else text[: TITLE_CHARS - 1].rstrip() + "…"
    return f"{author_name(record)}: {head}" if head else author_name(record)


def _item_id(tweet: Tweet) -> str:
    url = safe_url(tweet.url)
    if url:
        return url
    digest = hashlib.sha256(post_key(tweet).encode()).hexdigest()[:24]
    return f"urn:tweetparse:{digest}"


# ------------------------------------------------------------------ formats


def to_json_feed(items: list[FeedItem], title: str) -> dict[str, Any]:
    """The feed as a JSON Feed 1.1 document; each item's ``_tweetparse`` holds the full record."""
    out_items = []
    for item in items:
        record = item.to_dict()
        entry: dict[str, Any] = {"id": _item_id(item.tweet)}
        if safe_url(record.get("url")):
            entry["url"] = record["url"]
        entry["title"] = _title(record)
        entry["content_text"] = record.get("text") or ""
        published = rfc3339(record.get("created_at"))
        if published:
            entry["date_published"] = published
        author: dict[str, str] = {"name": author_name(record)}
        profile = profile_url(record)
        if profile:
            author["url"] = profile
        entry["authors"] = [author]
        if record.get("hashtags"):
            entry["tags"] = list(record["hashtags"])
        if record.get("lang"):
            entry["language"] = record["lang"]
        entry["_tweetparse"] = record
        out_items.append(entry)
    return {"version": JSON_FEED_VERSION, "title": title, "items": out_items}


def to_atom(items: list[FeedItem], title: str) -> str:
    """The feed as an Atom 1.0 (RFC 4287) document, built with lxml so escaping is never hand-made.

    Every text is made XML-safe and only http(s) URLs become links; the declaration says utf-8, so
    write the returned str as UTF-8.
    """
    from lxml import etree
    from lxml.builder import ElementMaker

    atom = ElementMaker(namespace=ATOM_NS, nsmap={None: ATOM_NS})
    times = [rfc3339(i.tweet.created_at) or "" for i in items if i.tweet.created_at]
    feed_digest = hashlib.sha256("\n".join(_item_id(i.tweet) for i in items).encode()).hexdigest()[:24]
    feed = atom.feed(
        atom.id(f"urn:tweetparse:feed:{feed_digest}"),
        atom.title(xml_safe(title)),
        atom.updated(max(times) if times else UNKNOWN_TIME),
        atom.author(atom.name("tweetparse")),
        atom.generator("tweetparse"),
    )
    for item in items:
        record = item.to_dict()
        author = atom.author(atom.name(xml_safe(author_name(record))))
        profile = profile_url(record)
        if profile:
            author.append(atom.uri(profile))
        published = rfc3339(record.get("created_at"))
        entry = atom.entry(
            atom.id(xml_safe(_item_id(item.tweet))),
            atom.title(xml_safe(_title(record))),
            atom.updated(xml_safe(published or UNKNOWN_TIME)),
            author,
        )
        if published:
            entry.append(atom.published(xml_safe(published)))
        post = safe_url(record.get("url"))
        if post:
            entry.append(atom.link(rel="alternate", href=post))
        for article in item.articles:
            # A local article path would be a link relative to wherever the feed is read: not linked.
            target = safe_url(article.url)
            if target:
                entry.append(atom.link(rel="related", href=target, title="cited in"))
        for tag in record.get("hashtags") or ():
            entry.append(atom.category(term=xml_safe(tag)))
        entry.append(atom.content(xml_safe(record.get("text") or ""), type="text"))
        feed.append(entry)
    return XML_DECLARATION + etree.tostring(feed, encoding="unicode", pretty_print=True)


def to_csv(items: list[FeedItem]) -> str:
    """One row per tweet; list fields space-separated; ``articles`` lists every citing article."""
    out = io.StringIO()
    table = csv.writer(out)
    table.writerow((*CSV_COLUMNS, "articles"))
    for item in items:
        record = item.tweet.to_dict()
        cited = " ".join(a.url or a.article or "" for a in item.articles)
        row = [*csv_row(record), cited]
        table.writerow([_LONE_SURROGATE.sub("\ufffd", c) if isinstance(c, str) else c for c in row])
    return out.getvalue()


def _json_text(value: Any, **options: Any) -> str:
    """JSON text with non-ASCII kept as is, except lone surrogates (from records read back from JSON),
    which no UTF-8 file can hold: they stay escaped, so the value is kept exactly."""
    text = json.dumps(value, ensure_ascii=False, **options)
    return _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _jsonl(items: list[FeedItem], title: str) -> str:
    return "".join(_json_text(i.to_dict()) + "\n" for i in items)


def _html(items: list[FeedItem], title: str) -> str:
    from .report import to_html

    return to_html(items, title)


_RENDERERS: dict[str, Callable[[list[FeedItem], str], str]] = {
    "json-feed": lambda items, title: _json_text(to_json_feed(items, title), indent=1) + "\n",
    "atom": to_atom,
    "jsonl": _jsonl,
    "csv": lambda items, title: to_csv(items),
    "html": _html,
}
FEED_FORMATS = tuple(_RENDERERS)


def render_feed(items: list[FeedItem], fmt: str, title: str = "Tweets cited in articles") -> str:
    """The feed in one of FEED_FORMATS, always as str (Atom's declaration says utf-8: write it so).

    >>> render_feed([], "atom").splitlines()[0]
    '<?xml version="1.0" encoding="utf-8"?>'
    """
    if fmt not in _RENDERERS:
        raise ValueError(f"format must be one of {', '.join(FEED_FORMATS)}, not {fmt!r}")
    return _RENDERERS[fmt](items, title)
