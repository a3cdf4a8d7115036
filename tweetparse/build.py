"""One place that turns what an extractor read into a ``Tweet``: ids, URLs, times, entities, warnings."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache

from .dates import ShownDate, parse_relative, parse_shown_date, to_utc
from .entities import extract_entities
from .record import Link, Source, Tweet
from .urls import canonical_url, iso_instant, snowflake_time

__all__ = ["Context", "clean_text", "make_tweet"]

# A shown date may differ from the snowflake's UTC date by a day: the embed renders the date
# in the author's or reader's zone. More than this is a real disagreement worth a warning.
DATE_TOLERANCE = timedelta(days=1)


@dataclass(slots=True)
class Context:
    """What extractors know about the document they read."""

    article: str | None = None
    url: str | None = None
    reference_time: datetime | None = None  # resolves "5h" and year-less dates
    published: datetime | None = None  # the article's own publication time, when found
    errors: str = "log"
    # Reads ``published`` from the page when a record first needs it: most pages that pass the
    # pre-filter hold no tweet, and a page whose <head> does not say it costs a walk of the tree.
    published_loader: Callable[[], datetime | None] | None = None

    def publication(self) -> datetime | None:
        """The article's publication time, read (once) when first asked for."""
        if self.published_loader is not None:
            loader, self.published_loader = self.published_loader, None
            self.published = loader()
        return self.published

    @property
    def reference(self) -> datetime | None:
        return self.reference_time or self.publication()


@dataclass(slots=True)
class _Time:
    created_at: str | None = None
    precision: str | None = None
    warnings: list[str] = field(default_factory=list)


def entities(text: str) -> tuple[tuple[Link, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """Links, hashtags, cashtags and mentions in a tweet's text, by twitter-text's rules (links as
    written, media marked; tags in order of first appearance, each once)."""
    found = extract_entities(text)
    links = tuple(Link(url=u.url, media=u.media) for u in found.urls)
    hashtags = tuple(dict.fromkeys(h.tag for h in found.hashtags))
    mentions = tuple(dict.fromkeys(m.username for m in found.mentions))
    cashtags = tuple(dict.fromkeys(c.tag for c in found.cashtags))
    return links, hashtags, cashtags, mentions


_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")


def clean_text(text: str) -> str:
    """Tweet text as a reader sees it: spaces folded within lines, at most one blank line, trimmed."""
    lines = [_SPACES.sub(" ", line).strip() for line in text.splitlines()]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _resolve_time(
    status_id: str | None,
    shown: ShownDate | None,
    date_text: str | None,
    ctx: Context,
    exact: datetime | None,
) -> _Time:
    """created_at and its precision from the best evidence: the snowflake, an exact time, a shown date."""
    out = _Time()
    reference = ctx.reference
    snow = snowflake_time(status_id) if status_id else None
    if shown is not None and not shown.has_year and reference is not None:
        shown = ShownDate(_latest_on_or_before(shown.day, reference.date()), True)
    if snow is not None:
        out.created_at, out.precision = iso_instant(snow), "millisecond"
        if shown is not None and shown.has_year and abs(shown.day - snow.date()) > DATE_TOLERANCE:
            out.warnings.append(f"shown date {shown.day.isoformat()} disagrees with the status id ({snow.date()})")
    elif exact is not None:
        out.created_at, out.precision = iso_instant(exact).replace(".000Z", "Z"), "second"
    elif shown is not None and shown.has_year:
        out.created_at, out.precision = shown.day.isoformat(), "day"
    elif date_text and reference is not None:
        relative = parse_relative(date_text)
        if relative is not None:
            delta, unit = relative
            moment = to_utc(reference) - delta
            if unit in ("day", "week"):
                out.created_at, out.precision = moment.date().isoformat(), "day"
            else:
                moment = moment.replace(second=0, microsecond=0)
                if unit == "hour":
                    moment = moment.replace(minute=0)
                out.created_at, out.precision = moment.strftime("%Y-%m-%dT%H:%M:%SZ"), unit
    published = ctx.publication()
    if out.created_at and published is not None and out.created_at[:10] > _publication_strings(published)[1]:
        out.warnings.append("tweet is dated after the article's publication")
    return out


@lru_cache(maxsize=16)
def _publication_strings(published: datetime) -> tuple[str, str]:
    """A publication time as ``Source.published`` writes it, and its UTC day: every record of a page asks."""
    utc = to_utc(published)
    return iso_instant(utc), utc.date().isoformat()


def _latest_on_or_before(day: date, reference: date) -> date:
    """A year-less day resolved to its latest occurrence on or before the reference date."""
    for year in range(reference.year, reference.year - 8, -1):
        try:
            candidate = day.replace(year=year)
        except ValueError:  # 29 February
            continue
        if candidate <= reference:
            return candidate
    return day.replace(year=reference.year - 1)


def _merge_links(found: Iterable[Link], given: Iterable[Link], text: str) -> list[Link]:
    """The links read from the text, each replaced by the extractor's link for it (matched by URL, or by
    the text the reader saw: a t.co anchor shown as ``pic.twitter.com/...``), and the other links given,
    all in the order the reader sees them (a link whose text is not in the tweet's text goes last)."""
    remaining = list(given)
    merged = []
    for link in found:
        match = next((g for g in remaining if link.url in (g.url, g.display)), None)
        if match is not None:
            remaining.remove(match)
        merged.append(match or link)
    merged += remaining

    def shown_at(link: Link) -> int:
        at = text.find(link.display or link.url)
        return at if at >= 0 else len(text)

    return sorted(merged, key=shown_at)  # stable: equal positions keep their order


def make_tweet(
    ctx: Context,
    *,
    form: str,
    text: str = "",
    handle: str | None = None,
    name: str | None = None,
    status_id: str | None = None,
    date_text: str | None = None,
    exact_time: datetime | None = None,
    lang: str | None = None,
    links: Iterable[Link] = (),
    hidden: bool = False,
    start: int | None = None,
    end: int | None = None,
    element: str | None = None,
    warnings: Iterable[str] = (),
) -> Tweet:
    """Assemble a Tweet; every extractor ends here so fields mean the same whatever the form."""
    text = clean_text(text)
    handle = handle.lstrip("@") if handle else None
    name = clean_text(name) if name else None
    shown = parse_shown_date(date_text) if date_text else None
    time = _resolve_time(status_id, shown, date_text, ctx, exact_time)
    found_links, hashtags, cashtags, mentions = entities(text)
    merged = _merge_links(found_links, links, text)
    published = ctx.publication()
    published_iso = _publication_strings(published)[0] if published else None
    return Tweet(
        id=status_id,
        url=canonical_url(handle, status_id) if status_id else None,
        handle=handle,
        name=name or None,
        created_at=time.created_at,
        created_at_precision=time.precision,
        created_at_source=date_text.strip() if date_text else None,
        text=text,
        lang=lang,
        links=tuple(merged),
        hashtags=hashtags,
        cashtags=cashtags,
        mentions=mentions,
        form=form,
        hidden=hidden,
        source=Source(article=ctx.article, url=ctx.url, published=published_iso, start=start, end=end, element=element),
        warnings=tuple(warnings) + tuple(time.warnings),
    )
