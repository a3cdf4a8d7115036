"""The HTML feed as a report to share: counts, the most cited accounts, posts over time and one card per post.

The page is self-contained (no script, font or image is fetched) and works from a phone's width up.
"""
from __future__ import annotations

import html
import os
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .entities import extract_entities
from .feed import FeedItem, Platform, platform_info, platform_of, profile_url, safe_url, xml_safe
from .inputs import STDIN, is_archive
from .record import Source

__all__ = ["to_html"]

# A top ten fits a phone's screen and names the accounts a story leans on.
MOST_CITED = 10
# The chart's drawing box, in SVG units; the page stretches it to the column's width.
CHART_WIDTH = 600
CHART_HEIGHT = 120
# Up to about two months of posts, a bar a day; up to six years, a bar a month (at most 72 bars);
# beyond that, a bar a year.
DAY_BARS_UP_TO_DAYS = 62
MONTH_BARS_UP_TO_DAYS = 6 * 366
# A non-empty period stays visible next to a much busier one.
MIN_BAR_HEIGHT = 2.0
# A chart of a few periods keeps bars of a twelfth of its width, centred, rather than one wide block.
MIN_BAR_SLOTS = 12
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# What a lang attribute may hold (BCP 47's shape); Twitter's "und" (undetermined) means none.
_LANG_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
UNDETERMINED_LANGS = frozenset({"und", "zxx", "qme", "qht"})

_STYLE = """
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:#1d2125;
background:#f3f4f6}
.page{max-width:46rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;line-height:1.25;margin:.5rem 0 .75rem;overflow-wrap:anywhere}
h2{font-size:1.05rem;margin:0 0 .5rem}
a{color:#0b5cad;overflow-wrap:anywhere}
.stats{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;margin:0;padding:0;list-style:none}
.stats b{display:block;font-size:1.35rem;line-height:1.2}
.note{color:#59636e;font-size:.875rem;margin:.5rem 0 0}
.panel,.post{background:#fff;border:1px solid #d9dde2;border-radius:12px;padding:1rem 1.1rem;margin:1rem 0}
.chart svg{display:block;width:100%;height:8rem}
.chart rect{fill:#3f6fb5}
.chart rect:hover{fill:#1f4f95}
.chart line{stroke:#9aa3ad;stroke-width:1}
.axis{display:flex;justify-content:space-between;gap:1rem;color:#59636e;font-size:.8rem;white-space:nowrap}
.axis span:only-child{margin:0 auto}
.top{margin:0;padding-left:1.6rem}
.top li{margin:.2rem 0;overflow-wrap:anywhere}
.count,.meta,.cited{color:#59636e;font-size:.875rem}
.count{white-space:nowrap}
.byline{display:flex;flex-wrap:wrap;align-items:baseline;gap:0 .5rem}
.name{font-weight:600;overflow-wrap:anywhere}
.net{color:#59636e;font-size:.875rem}
.text{white-space:pre-wrap;overflow-wrap:anywhere;margin:.5rem 0}
.empty{color:#59636e;font-style:italic;margin:.5rem 0}
.cited ul{margin:.2rem 0 0;padding-left:1.2rem}
.cited li{overflow-wrap:anywhere}
footer.page-end{color:#59636e;font-size:.8rem;padding-bottom:2rem}
"""


def _esc(text: str) -> str:
    return html.escape(xml_safe(text))


def _link(href: str | None, label_html: str, *, cls: str = "", title: str | None = None,
          isolate: bool = False) -> str:
    """An anchor when there is a target, else the label alone (callers pass only checked targets);
    ``isolate`` gives it its own direction, so "@name" keeps its "@" in front inside right-to-left text."""
    if not href:
        return f'<span class="{cls}">{label_html}</span>' if cls else label_html
    attrs = f' class="{cls}"' if cls else ""
    attrs += ' dir="auto"' if isolate else ""
    attrs += f' title="{_esc(title)}"' if title else ""
    return f'<a href="{_esc(href)}"{attrs}>{label_html}</a>'


def _plural(n: int, noun: str) -> str:
    return f"{n:,} {noun if n == 1 else noun + 's'}"


# ------------------------------------------------------------------ dates


def _instant(created_at: str) -> datetime:
    """A record's time as a UTC datetime (a time without an offset is UTC); ValueError when unreadable."""
    moment = datetime.fromisoformat(created_at)
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


def _day(created_at: Any) -> date | None:
    """The UTC day of a record's time; None when undated or unreadable (a record read back from JSON)."""
    if not created_at or not isinstance(created_at, str):
        return None
    try:
        return date.fromisoformat(created_at) if len(created_at) == 10 else _instant(created_at).date()
    except ValueError:
        return None


def _day_label(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _time(record: dict[str, Any]) -> str:
    """The post's time as a reader says it, in UTC (a page without script cannot know the reader's
    zone), the exact instant on hover; never the page's own relative text ("3h")."""
    created = record.get("created_at")
    day = _day(created)
    if day is None or not isinstance(created, str):
        return '<span title="the page gave no absolute date">undated</span>'
    if len(created) == 10:
        label, title = _day_label(day), f"{created}: the day only, the page gave no time"
    else:
        instant = _instant(created)
        label = f"{_day_label(instant.date())}, {instant:%H:%M} UTC"
        precision = record.get("created_at_precision")
        title = created if precision in (None, "millisecond", "second") else f"{created} (to the {precision})"
    return f'<time datetime="{_esc(created)}" title="{_esc(title)}">{label}</time>'


# ------------------------------------------------------------------ the header


@dataclass(slots=True)
class _Account:
    handle: str
    name: str | None
    platform: str
    profile: str | None
    articles: set[str] = field(default_factory=set)
    posts: int = 0


def _article_key(source: Source) -> str:
    return source.url or source.article or ""


def _accounts(entries: list[tuple[FeedItem, dict[str, Any]]]) -> list[_Account]:
    """Accounts by how many articles cite them, then by how many of their posts, then by handle."""
    accounts: dict[tuple[str, str], _Account] = {}
    for item, record in entries:
        handle = record.get("handle")
        if not handle:
            continue
        key = (platform_of(record), handle.lower())
        account = accounts.get(key)
        if account is None:
            account = accounts[key] = _Account(handle, record.get("name"), key[0], profile_url(record))
        account.name = account.name or record.get("name")
        account.posts += 1
        account.articles.update(_article_key(a) for a in item.articles)
    return sorted(accounts.values(), key=lambda a: (-len(a.articles), -a.posts, a.handle.lower()))


def _summary(entries: list[tuple[FeedItem, dict[str, Any]]], noun: str, accounts: list[_Account]) -> str:
    articles = {_article_key(a) for item, _ in entries for a in item.articles}
    days = sorted(d for _, r in entries if (d := _day(r.get("created_at"))) is not None)
    stats = [
        f"<li><b>{len(entries):,}</b> {noun if len(entries) == 1 else noun + 's'}</li>",
        f"<li><b>{len(accounts):,}</b> {'account' if len(accounts) == 1 else 'accounts'}</li>",
        f"<li><b>{len(articles):,}</b> {'article' if len(articles) == 1 else 'articles'}</li>",
    ]
    if days:
        first, last = _day_label(days[0]), _day_label(days[-1])
        span = first if first == last else f"{first} – {last}"
        what = "date" if days[0] == days[-1] else "date range"
        stats.append(f'<li class="range"><b>{span}</b> {what} (UTC)</li>')
    notes = []
    platforms = Counter(platform_of(r) for _, r in entries)
    if len(platforms) > 1:
        notes.append(" · ".join(f"{n:,} on {_esc(_platform(p).name)}" for p, n in platforms.most_common()))
    undated = len(entries) - len(days)
    if undated:
        notes.append(f"{_plural(undated, noun)} without a date")
    textless = sum(1 for _, r in entries if not r.get("text"))
    if textless:
        notes.append(f"{_plural(textless, 'embed')} without text")
    note = f'<p class="note">{" · ".join(notes)}</p>' if notes else ""
    return f'<ul class="stats">{"".join(stats)}</ul>{note}'


def _platform(name: str) -> Platform:
    return platform_info({"platform": name})


def _most_cited(accounts: list[_Account], noun: str, mixed: bool) -> str:
    if not accounts:
        return ""
    rows = []
    for account in accounts[:MOST_CITED]:
        handle = _link(safe_url(account.profile), f"@{_esc(account.handle)}", cls="handle")
        name = f' <bdi dir="auto">{_esc(account.name)}</bdi>' if account.name else ""
        where = f" on {_esc(_platform(account.platform).name)}" if mixed else ""
        count = f"{_plural(len(account.articles), 'article')} · {_plural(account.posts, noun)}"
        rows.append(f'<li>{handle}{name}{where} <span class="count">{count}</span></li>')
    items = "".join(rows)
    return f'<section class="panel"><h2>Most cited accounts</h2><ol class="top">{items}</ol></section>'


def _chart(entries: list[tuple[FeedItem, dict[str, Any]]], noun: str) -> str:
    """Posts per day, month or year (by the span) as bars in an inline SVG; each bar's count on hover."""
    days = sorted(d for _, r in entries if (d := _day(r.get("created_at"))) is not None)
    if not days:
        return ""
    span = (days[-1] - days[0]).days
    unit = "day" if span <= DAY_BARS_UP_TO_DAYS else "month" if span <= MONTH_BARS_UP_TO_DAYS else "year"
    periods = list(_periods(days[0], days[-1], unit))
    counts = Counter(_period(d, unit) for d in days)
    peak_period = max(periods, key=lambda p: counts[p[0]])
    peak = counts[peak_period[0]]
    width = CHART_WIDTH / max(len(periods), MIN_BAR_SLOTS)
    gap = width * 0.15
    left = (CHART_WIDTH - width * len(periods)) / 2
    bars = []
    for i, (key, label) in enumerate(periods):
        n = counts[key]
        if not n:
            continue
        height = max(n / peak * CHART_HEIGHT, MIN_BAR_HEIGHT)
        x, y = left + i * width + gap / 2, CHART_HEIGHT - height
        bars.append(f'<rect x="{x:.2f}" y="{y:.2f}" width="{width - gap:.2f}" height="{height:.2f}">'
                    f"<title>{label}: {_plural(n, noun)}</title></rect>")
    at = "on" if unit == "day" else "in"
    caption = f"{noun.capitalize()}s per {unit} (UTC) · peak: {_plural(peak, noun)} {at} {peak_period[1]}"
    ends = [periods[0][1]] if len(periods) == 1 else [periods[0][1], periods[-1][1]]
    axis = "".join(f"<span>{label}</span>" for label in ends)
    # Under centred bars, the end labels stand under the first and the last bar.
    pad = f' style="padding:0 {left / CHART_WIDTH * 100:.1f}%"' if len(periods) > 1 else ""
    return (
        f'<section class="panel chart"><h2>{noun.capitalize()}s over time</h2>'
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {CHART_WIDTH} {CHART_HEIGHT}" '
        f'preserveAspectRatio="none" role="img" aria-label="{_esc(caption)}">'
        f'<line x1="0" y1="{CHART_HEIGHT}" x2="{CHART_WIDTH}" y2="{CHART_HEIGHT}"/>{"".join(bars)}</svg>'
        f'<div class="axis"{pad}>{axis}</div>'
        f'<p class="note">{caption}</p></section>'
    )


def _period(day: date, unit: str) -> tuple[int, ...]:
    return (day.year,) if unit == "year" else (day.year, day.month) if unit == "month" else (day.toordinal(),)


def _periods(first: date, last: date, unit: str) -> Iterable[tuple[tuple[int, ...], str]]:
    """Every period from the first day's to the last day's, empty ones included, with its label."""
    if unit == "day":
        for ordinal in range(first.toordinal(), last.toordinal() + 1):
            yield (ordinal,), _day_label(date.fromordinal(ordinal))
    elif unit == "month":
        for index in range(first.year * 12 + first.month - 1, last.year * 12 + last.month):
            year, month = divmod(index, 12)
            yield (year, month + 1), f"{MONTHS[month]} {year}"
    else:
        for year in range(first.year, last.year + 1):
            yield (year,), str(year)


# ------------------------------------------------------------------ one card per post


def _lang(record: dict[str, Any]) -> str:
    """The post's language for its lang attribute; empty (unknown) rather than the page's English."""
    lang = record.get("lang") or ""
    return lang if _LANG_TAG.fullmatch(lang) and lang.lower() not in UNDETERMINED_LANGS else ""


def _linked_text(text: str, record: dict[str, Any], info: Platform) -> str:
    """The post's text, escaped, with its URLs, mentions, hashtags and cashtags as links."""
    entities = extract_entities(text)
    expanded = {link.get("url"): link.get("expanded") for link in record.get("links") or ()}
    spans: list[tuple[int, int, str | None, str | None]] = []
    for url in entities.urls:
        full = safe_url(url.url if "://" in url.url else "https://" + url.url)
        spans.append((url.start, url.end, full, safe_url(expanded.get(url.url))))
    for mention in entities.mentions:
        href = info.mention_url.format(quote(mention.username, safe="")) if info.mention_url else None
        spans.append((mention.start, mention.end, href, None))
    for hashtag in entities.hashtags:
        href = info.hashtag_url.format(quote(hashtag.tag, safe="")) if info.hashtag_url else None
        spans.append((hashtag.start, hashtag.end, href, None))
    for cashtag in entities.cashtags:
        href = info.cashtag_url.format(quote(cashtag.tag, safe="")) if info.cashtag_url else None
        spans.append((cashtag.start, cashtag.end, href, None))
    out, last = [], 0
    for start, end, href, title in sorted(spans):
        out.append(html.escape(text[last:start]))
        out.append(_link(href, html.escape(text[start:end]), title=title, isolate=True))
        last = end
    out.append(html.escape(text[last:]))
    return "".join(out)


def _article_href(source: Source) -> str | None:
    """Where an article is opened: its web URL, else the file it was read from as an absolute file: URL
    (it works wherever the page is written, moved or opened on this machine); standard input and WARC
    records have no file of their own."""
    web = safe_url(source.url)
    if web:
        return web
    name = source.article
    if not name or name == STDIN or ("#" in name and is_archive(name.split("#", 1)[0])):
        return None
    try:
        return Path(os.path.abspath(name)).as_uri()
    except (UnicodeError, ValueError):  # a name no file system could hold (a record read back from JSON)
        return None


def _article(source: Source) -> str:
    name = source.article
    label = safe_url(source.url) or ("standard input" if name == STDIN else name) or "unnamed article"
    title = name if safe_url(source.url) and name and name != label else None
    published = _day(source.published)
    when = f' <span class="meta">published {_day_label(published)}</span>' if published else ""
    return f"<li>{_link(_article_href(source), _esc(label), title=title)}{when}</li>"


def _card(item: FeedItem, record: dict[str, Any], mixed: bool) -> str:
    info = platform_info(record)
    name, handle = record.get("name"), record.get("handle")
    post = safe_url(record.get("url"))
    byline = []
    if name:
        byline.append(f'<bdi class="name" dir="auto">{_esc(name)}</bdi>')
    if handle:
        byline.append(_link(safe_url(profile_url(record)), f"@{_esc(handle)}", cls="handle"))
    if not byline:
        byline.append('<span class="name">Unknown account</span>')
    if mixed:
        byline.append(f'<span class="net">on {_esc(info.name)}</span>')
    text = xml_safe(record.get("text") or "")
    if text:
        body = f'<div class="text" dir="auto" lang="{_lang(record)}">{_linked_text(text, record, info)}</div>'
    elif post:
        link = f'<a href="{_esc(post)}">open on {_esc(info.name)}</a>'
        body = f'<p class="empty">Embed without text: {link}</p>'
    else:
        body = f'<p class="empty">Embed without text, and the page gave no link to the {info.noun}.</p>'
    meta = [_link(post, _time(record), title=None)]
    if record.get("hidden"):
        meta.append('<span title="found in the page\'s data, not shown to its readers">hidden copy</span>')
    cites = "".join(_article(a) for a in item.articles)
    return (
        f'<article class="post"><div class="byline">{" ".join(byline)}</div>{body}'
        f'<div class="meta">{" · ".join(meta)}</div>'
        f'<div class="cited">Cited in {_plural(len(item.articles), "article")}:<ul>{cites}</ul></div>'
        "</article>"
    )


def to_html(items: list[FeedItem], title: str) -> str:
    """A self-contained report page (no external assets, no script) with one card per post.

    >>> "<svg" in to_html([], "Empty"), "0</b> tweets" in to_html([], "Empty")
    (False, True)
    """
    entries = [(item, item.to_dict()) for item in items]
    platforms = {platform_of(r) for _, r in entries}
    mixed = len(platforms) > 1
    noun = _platform(platforms.pop()).noun if len(platforms) == 1 else "post" if platforms else "tweet"
    accounts = _accounts(entries)
    cards = "\n".join(_card(item, record, mixed) for item, record in entries)
    head_title = _esc(title)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="tweetparse"><title>{head_title}</title>'
        f"<style>{_STYLE}</style></head>\n"
        f'<body><div class="page"><header><h1>{head_title}</h1>{_summary(entries, noun, accounts)}</header>\n'
        f"{_chart(entries, noun)}\n{_most_cited(accounts, noun, mixed)}\n<main>\n{cards}\n</main>\n"
        '<footer class="page-end">Made with tweetparse. Times are UTC; hover over a time for the exact '
        "instant. "
        "Article links open the file that was read, or the article's web address.</footer>"
        "</div></body></html>\n"
    )
