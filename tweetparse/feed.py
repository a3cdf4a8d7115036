"""Records of many articles as one feed: one item per tweet, each citing every article that embedded it.

Rendered as JSON Feed 1.1, Atom 1.0, JSON lines, CSV, or a self-contained HTML page.
"""
from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from .merge import Copies, post_key
from .output import CSV_COLUMNS, csv_row
from .record import Source, Tweet

__all__ = ["FEED_FORMATS", "FeedItem", "build_feed", "render_feed"]

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
ATOM_NS = "http://www.w3.org/2005/Atom"
# Atom needs an `updated` instant on every entry; an undated tweet borrows this fixed one rather
# than the time the feed was written, so the same inputs always give the same bytes.
UNKNOWN_TIME = "1970-01-01T00:00:00Z"
# How much of a tweet's text titles its Atom entry.
TITLE_CHARS = 80


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
    return _rfc3339(tweet.created_at) or ""


def _rfc3339(created_at: str | None) -> str | None:
    """A full RFC 3339 instant for a record's time (a bare day becomes its UTC midnight)."""
    if not created_at:
        return None
    return created_at + "T00:00:00Z" if len(created_at) == 10 else created_at


def _item_id(tweet: Tweet) -> str:
    if tweet.url:
        return tweet.url
    digest = hashlib.sha256(post_key(tweet).encode()).hexdigest()[:24]
    return f"urn:tweetparse:{digest}"


def _profile_url(tweet: Tweet) -> str | None:
    return f"https://twitter.com/{tweet.handle}" if tweet.handle else None


def _author_name(tweet: Tweet) -> str:
    if tweet.name and tweet.handle:
        return f"{tweet.name} (@{tweet.handle})"
    return tweet.name or (f"@{tweet.handle}" if tweet.handle else "unknown author")


def _title(tweet: Tweet) -> str:
    text = " ".join(tweet.text.split())
    head = text if len(text) <= TITLE_CHARS else text[: TITLE_CHARS - 1].rstrip() + "…"
    return f"{_author_name(tweet)}: {head}" if head else _author_name(tweet)


def to_json_feed(items: list[FeedItem], title: str) -> dict[str, Any]:
    """The feed as a JSON Feed 1.1 document; each item's ``_tweetparse`` holds the full record."""
    out_items = []
    for item in items:
        tweet = item.tweet
        entry: dict[str, Any] = {"id": _item_id(tweet)}
        if tweet.url:
            entry["url"] = tweet.url
        entry["title"] = _title(tweet)
        entry["content_text"] = tweet.text
        published = _rfc3339(tweet.created_at)
        if published:
            entry["date_published"] = published
        author: dict[str, str] = {"name": _author_name(tweet)}
        if _profile_url(tweet):
            author["url"] = _profile_url(tweet)  # type: ignore[assignment]
        entry["authors"] = [author]
        if tweet.hashtags:
            entry["tags"] = list(tweet.hashtags)
        if tweet.lang:
            entry["language"] = tweet.lang
        entry["_tweetparse"] = item.to_dict()
        out_items.append(entry)
    return {"version": JSON_FEED_VERSION, "title": title, "items": out_items}


def to_atom(items: list[FeedItem], title: str) -> bytes:
    """The feed as an Atom 1.0 (RFC 4287) document, built with lxml so escaping is never hand-made."""
    from lxml import etree
    from lxml.builder import ElementMaker

    atom = ElementMaker(namespace=ATOM_NS, nsmap={None: ATOM_NS})
    times = [_rfc3339(i.tweet.created_at) for i in items if i.tweet.created_at]
    feed_digest = hashlib.sha256("\n".join(_item_id(i.tweet) for i in items).encode()).hexdigest()[:24]
    feed = atom.feed(
        atom.id(f"urn:tweetparse:feed:{feed_digest}"),
        atom.title(title),
        atom.updated(max(times) if times else UNKNOWN_TIME),  # type: ignore[type-var]
        atom.author(atom.name("tweetparse")),
        atom.generator("tweetparse"),
    )
    for item in items:
        tweet = item.tweet
        author = atom.author(atom.name(_author_name(tweet)))
        if _profile_url(tweet):
            author.append(atom.uri(_profile_url(tweet)))
        entry = atom.entry(
            atom.id(_item_id(tweet)),
            atom.title(_title(tweet)),
            atom.updated(_rfc3339(tweet.created_at) or UNKNOWN_TIME),
            author,
        )
        if tweet.created_at:
            entry.append(atom.published(_rfc3339(tweet.created_at)))
        if tweet.url:
            entry.append(atom.link(rel="alternate", href=tweet.url))
        for article in item.articles:
            target = article.url or article.article
            if target:
                entry.append(atom.link(rel="related", href=target, title="cited in"))
        for tag in tweet.hashtags:
            entry.append(atom.category(term=tag))
        entry.append(atom.content(tweet.text, type="text"))
        feed.append(entry)
    return etree.tostring(feed, xml_declaration=True, encoding="utf-8", pretty_print=True)


def to_csv(items: list[FeedItem]) -> str:
    """One row per tweet; list fields space-separated; ``articles`` lists every citing article."""
    out = io.StringIO()
    table = csv.writer(out)
    table.writerow((*CSV_COLUMNS, "articles"))
    for item in items:
        record = item.tweet.to_dict()
        cited = " ".join(a.url or a.article or "" for a in item.articles)
        table.writerow([*csv_row(record), cited])
    return out.getvalue()


_LINKABLE = re.compile(r"(?:https?://|(?<![\w./])pic\.(?:twitter|x)\.com/)[^\s<>\"]+")
_PAGE_STYLE = """
body{font:16px/1.45 system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;color:#1c1c1c;background:#f6f7f8}
h1{font-size:1.4rem}article{background:#fff;border:1px solid #dde1e5;border-radius:12px;padding:1rem 1.2rem;margin:0 0 1rem}
.who{font-weight:600}.handle,.when,.cited{color:#5b6570;font-size:.9rem}.text{white-space:pre-wrap;margin:.6rem 0}
a{color:#0b5cad}ul{margin:.3rem 0 0;padding-left:1.2rem}
"""


def _linkify(text: str) -> str:
    out, last = [], 0
    for m in _LINKABLE.finditer(text):
        url = m.group(0).rstrip(".,;:!?")
        end = m.start() + len(url)
        href = url if "://" in url else "https://" + url
        out.append(html.escape(text[last:m.start()]))
        out.append(f'<a href="{html.escape(href)}">{html.escape(url)}</a>')
        last = end
    out.append(html.escape(text[last:]))
    return "".join(out)


def to_html(items: list[FeedItem], title: str) -> str:
    """A self-contained page (no external assets) with one card per tweet."""
    cards = []
    for item in items:
        t = item.tweet
        who = html.escape(t.name or "")
        handle = f'<a class="handle" href="{html.escape(_profile_url(t) or "")}">@{html.escape(t.handle)}</a>' \
            if t.handle else ""
        when = html.escape(t.created_at or t.created_at_source or "undated")
        when = f'<a class="when" href="{html.escape(t.url)}">{when}</a>' if t.url else f'<span class="when">{when}</span>'
        cites = "".join(
            f'<li><a href="{html.escape(where)}">{html.escape(where)}</a></li>'
            for a in item.articles if (where := a.url or a.article or "")
        )
        cards.append(
            f'<article><div><span class="who">{who}</span> {handle}</div>'
            f'<div class="text">{_linkify(t.text)}</div><div>{when}</div>'
            f'<div class="cited">Cited in:<ul>{cites}</ul></div></article>'
        )
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><style>{_PAGE_STYLE}</style></head>'
        f'<body><h1>{html.escape(title)}</h1><p>{len(items)} tweets</p>\n' + "\n".join(cards) + "\n</body></html>\n"
    )


def _jsonl(items: list[FeedItem], title: str) -> str:
    return "".join(json.dumps(i.to_dict(), ensure_ascii=False) + "\n" for i in items)


_RENDERERS: dict[str, Callable[[list[FeedItem], str], str | bytes]] = {
    "json-feed": lambda items, title: json.dumps(to_json_feed(items, title), ensure_ascii=False, indent=1) + "\n",
    "atom": to_atom,
    "jsonl": _jsonl,
    "csv": lambda items, title: to_csv(items),
    "html": to_html,
}
FEED_FORMATS = tuple(_RENDERERS)


def render_feed(items: list[FeedItem], fmt: str, title: str = "Tweets cited in articles") -> str | bytes:
    """The feed in one of FEED_FORMATS (Atom comes back as UTF-8 bytes, the others as str)."""
    if fmt not in _RENDERERS:
        raise ValueError(f"format must be one of {', '.join(FEED_FORMATS)}, not {fmt!r}")
    return _RENDERERS[fmt](items, title)
