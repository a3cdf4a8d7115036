"""One place that turns what an extractor read (a ``Draft``) into a record: ids, URLs, times, entities, warnings."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache

from .dates import ShownDate, parse_relative, parse_shown_date, to_utc
from .entities import extract_entities
from .record import Link, Post, Quoted, Source
from .urls import canonical_url, iso_instant, snowflake_time

__all__ = ["Context", "Draft", "build", "clean_text"]

# The offsets of the world's time zones run from UTC-12 to UTC+14: an embed shows the date of the id's
# instant in the author's or the reader's zone, so a shown date outside that range disagrees with the id.
ZONE_BEHIND = timedelta(hours=12)
ZONE_AHEAD = timedelta(hours=14)
# A time of day (and zone) after a shown date: "March 3, 2025 at 4:12 PM", "21 Apr 2019 um 4:47 PDT",
# "1 Jun, 2019 a las 7:36 PDT", "18 June 2024 at 08:05". The date before it is what is parsed.
_CLOCK_TAIL = re.compile(
    r"[ \t,]{1,3}(?:(?:at|um|à|a las|alle|om|kl\.|в|o)[ \t]{1,3})?\d{1,2}[:.h]\d{2}(?::\d{2})?"
    r"(?:[ \t]{0,2}(?:[AaPp]\.?[ \t]?[Mm]\.?|[Uu]hr))?(?:[ \t]{1,2}[A-Z]{2,5})?[ \t]*$"
)


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


def entities(text: str, platform: str = "twitter") -> tuple[tuple[Link, ...], tuple[str, ...], tuple[str, ...],
                                                            tuple[str, ...]]:
    """Links, hashtags, cashtags and mentions in a post's text, by its network's rules (twitter-text's for
    tweets; links as written, media marked; tags in order of first appearance, each once)."""
    if not text:  # most embeds of other networks show no text: their rules are not even loaded
        return (), (), (), ()
    found = extract_entities(text, platform=platform)
    links = tuple(Link(url=u.url, media=u.media) for u in found.urls)
    hashtags = tuple(dict.fromkeys(h.tag for h in found.hashtags))
    mentions = tuple(dict.fromkeys(m.username for m in found.mentions))
    cashtags = tuple(dict.fromkeys(c.tag for c in found.cashtags))
    return links, hashtags, cashtags, mentions


_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")
# Characters no reader sees and XML cannot carry: C0 controls but tab and line breaks, DEL, and the
# noncharacters U+FFFE/U+FFFF. They reach a page's text through broken encodings and pasted terminals.
_INVISIBLE_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def clean_text(text: str) -> str:
    """Post text as a reader sees it: no control characters, spaces folded within lines, at most one
    blank line, trimmed."""
    text = _INVISIBLE_CONTROLS.sub("", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.splitlines()]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def id_time(platform: str, post_id: str | None) -> tuple[datetime, str] | None:
    """The instant a post's id encodes, with its precision, when the network's ids carry one."""
    if not post_id:
        return None
    if platform == "twitter":
        moment = snowflake_time(post_id)
        return (moment, "millisecond") if moment is not None else None
    from .networks import post_time  # loaded for the first post of another network

    return post_time(platform, post_id)


def shown_date(text: str) -> ShownDate | None:
    """A date as an embed shows it, also with the time of day after it ("March 3, 2025 at 4:12 PM"):
    only the day is kept, as the time is in a zone the page does not name."""
    shown = parse_shown_date(text)
    if shown is None:
        tail = _CLOCK_TAIL.search(text)
        if tail is not None and tail.start() > 0:
            shown = parse_shown_date(text[:tail.start()])
    return shown


def agrees_with_id(day: date, moment: datetime) -> bool:
    """Whether a shown day is the date of the id's instant in some time zone."""
    return (moment - ZONE_BEHIND).date() <= day <= (moment + ZONE_AHEAD).date()


def _resolve_time(platform: str, post_id: str | None, date_text: str | None, ctx: Context,
                  exact: datetime | None, exact_precision: str | None = None) -> _Time:
    """created_at and its precision from the best evidence: the id, an exact time, a shown date, a relative time."""
    out = _Time()
    reference = ctx.reference
    shown = shown_date(date_text) if date_text else None
    if shown is not None and not shown.has_year and reference is not None:
        shown = ShownDate(_latest_on_or_before(shown.day, reference.date()), True)
    from_id = id_time(platform, post_id)
    if from_id is not None:
        moment, out.precision = from_id
        out.created_at = iso_instant(moment, out.precision)
        if shown is not None and shown.has_year and not agrees_with_id(shown.day, moment):
            out.warnings.append(f"shown date {shown.day.isoformat()} disagrees with the post id ({moment.date()})")
    elif exact is not None:
        out.precision = exact_precision or "second"
        out.created_at = iso_instant(exact, out.precision)
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
                out.created_at, out.precision = iso_instant(moment, unit), unit
    published = ctx.publication()
    if out.created_at and published is not None and out.created_at[:10] > _publication_strings(published)[1]:
        out.warnings.append("post is dated after the article's publication")
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


@dataclass(frozen=True, slots=True, kw_only=True)
class Draft:
    """What an extractor read of one post, as the page shows it: the facts a record is built from.

    Extractors gather these and never build records themselves, so every field of every record
    means the same whatever the form it was read from (see ``build``).
    """

    form: str
    platform: str = "twitter"
    id: str | None = None
    url: str | None = None  # the post's own URL, when the page gives one (other networks keep theirs)
    handle: str | None = None
    name: str | None = None
    text: str = ""
    date_text: str | None = None  # the date as shown ("December 13, 2016", "5h")
    exact_time: datetime | None = None  # a time the page states exactly (an API timestamp in an attribute)
    exact_precision: str | None = None  # how exactly it is stated, when finer than a second ("millisecond")
    lang: str | None = None
    links: tuple[Link, ...] = ()
    quoted: Draft | None = None
    hidden: bool = False
    start: int | None = None  # the span read, in the text the extractor read
    end: int | None = None
    warnings: tuple[str, ...] = ()


def build(draft: Draft, ctx: Context, *, element: str | None = None) -> Post:
    """The record of a draft: canonical URL, time from the id or the shown date, entities, warnings.
    ``element`` is the path of the element it was read from, in the page."""
    text = clean_text(draft.text)
    handle = draft.handle.lstrip("@") if draft.handle else None
    time = _resolve_time(draft.platform, draft.id, draft.date_text, ctx, draft.exact_time, draft.exact_precision)
    found_links, hashtags, cashtags, mentions = entities(text, draft.platform)
    published = ctx.publication()
    return Post(
        platform=draft.platform,
        id=draft.id,
        url=_post_url(draft, handle),
        handle=handle,
        name=clean_text(draft.name) or None if draft.name else None,
        created_at=time.created_at,
        created_at_precision=time.precision,
        created_at_source=draft.date_text.strip() if draft.date_text else None,
        text=text,
        lang=draft.lang,
        links=tuple(_merge_links(found_links, draft.links, text)),
        hashtags=hashtags,
        cashtags=cashtags,
        mentions=mentions,
        quoted=_quoted(draft.quoted, ctx) if draft.quoted is not None else None,
        form=draft.form,
        hidden=draft.hidden,
        source=Source(article=ctx.article, url=ctx.url, published=_publication_strings(published)[0] if published else None,
                      start=draft.start, end=draft.end, element=element),
        warnings=tuple(dict.fromkeys(draft.warnings + tuple(time.warnings))),
    )


def _post_url(draft: Draft, handle: str | None) -> str | None:
    """The post's canonical URL: for a tweet, from its id and handle; for another network's post, the URL
    the page gave (as ``networks`` writes it), else one made from its id and handle."""
    if draft.platform == "twitter":
        return canonical_url(handle, draft.id) if draft.id else None
    from .networks import parse_post_url, post_url

    if draft.url:
        ref = parse_post_url(draft.url)
        return ref.url if ref is not None and ref.platform == draft.platform else draft.url
    return post_url(draft.platform, draft.id, handle)


def _quoted(draft: Draft, ctx: Context) -> Quoted:
    """A quoted post: its own id, author, text and time, read as the post around it is."""
    handle = draft.handle.lstrip("@") if draft.handle else None
    time = _resolve_time(draft.platform, draft.id, draft.date_text, ctx, draft.exact_time, draft.exact_precision)
    return Quoted(id=draft.id, url=_post_url(draft, handle), handle=handle,
                  name=clean_text(draft.name) or None if draft.name else None, text=clean_text(draft.text),
                  created_at=time.created_at, created_at_precision=time.precision)
