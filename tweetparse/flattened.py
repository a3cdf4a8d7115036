"""Other networks' embeds flattened into text: Bluesky's attribution lines, Instagram's bylines in their
languages, Mastodon's and Threads' stub lines, TikTok's captions. Run by ``text.find_in_text`` after the tweets'
extractors, for texts that show one of their marks."""
from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from .build import Draft
from .dates import parse_shown_date
from .text import (  # the tweets' text machinery, which these forms share
    _LINE_PREFIX,
    FORM_ATTRIBUTION,
    MAX_NAME,
    AttributionLines,
    Claim,
    Flattened,
    TextExtractor,
    _Evidence,
    _line_bounds,
    _lines_before,
    clean_markdown,
)
from .urls import StatusRef

__all__ = ["EXTRACTORS"]

FORM_TEXT = FORM_ATTRIBUTION  # every network's flattened embed is an attribution of its own kind
# Bluesky's limit: 300 characters (graphemes) a post.
BLUESKY_LIMIT = 300
# A Bluesky handle is a domain name: labels of letters, digits and hyphens. The TLD is checked apart.
_DOMAIN_HANDLE = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+"
# Top-level domains set aside for examples and tests (RFC 2606): handles in documentation use them.
_EXAMPLE_TLDS = frozenset({"example", "test"})
# An ISO instant with its zone, as Bluesky's oEmbed snippet shows the post's time.
_ISO_INSTANT = re.compile(r"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d{1,6})?(Z|[+-]\d{2}:?\d{2})")
_FRACTION_PRECISION = {3: "millisecond", 6: "microsecond"}


def _domain_tld(handle: str) -> bool:
    from .data.tlds import COUNTRY_TLDS, GENERIC_TLDS

    tld = handle.rsplit(".", 1)[-1].lower()
    return tld in GENERIC_TLDS or tld in COUNTRY_TLDS or tld in _EXAMPLE_TLDS


class BlueskyAttributionLines(AttributionLines):
    """Bluesky's snippet flattened: ``TEXT — Name (@alice.bsky.social) date``, the date localized or ISO (the
    oEmbed snippet's, an exact time), perhaps a link to ``bsky.app/profile/.../post/...``; a handle is a domain
    name, which no tweet's is. The ``[image or embed]`` placeholder is not text."""

    # The lookahead for a dot fails most "(@handle)" of tweets at their first letters, before the domain's groups.
    ANCHOR = re.compile(r"\(@(?=[A-Za-z0-9-]{1,63}\.)(?P<handle>" + _DOMAIN_HANDLE + r")\)")
    LIMIT = BLUESKY_LIMIT
    POST_URL = re.compile(r"(?:https?:)?//(?:www\.)?bsky\.app/profile/[^\s/()\[\]<>]{1,253}/post/[A-Za-z0-9._:~-]{1,512}")

    @staticmethod
    def _post_ref(url: str) -> StatusRef | None:
        from .networks import parse_post_url

        ref = parse_post_url(url)
        return StatusRef(ref.handle, ref.id) if ref is not None and ref.platform == "bluesky" and ref.id else None

    @staticmethod
    def _day(ev: _Evidence) -> date | None:
        if ev.status is not None:
            from .networks import post_time

            found = post_time("bluesky", ev.status.id)
            if found is not None:
                return found[0].date()
        shown = parse_shown_date(ev.date_text) if ev.date_text else None
        return shown.day if shown is not None and shown.has_year else None

    def _draft(self, **facts: Any) -> Draft | None:
        if not _domain_tld(facts["handle"]):
            return None
        facts["text"] = _without_placeholders(facts["text"])
        exact = _ISO_INSTANT.fullmatch(facts.get("date_text") or "")
        if exact is not None:
            fraction = exact.group(2) or ""
            facts["exact_time"] = datetime.fromisoformat(exact.group(1) + fraction + exact.group(3).replace("Z", "+00:00"))
            facts["exact_precision"] = _FRACTION_PRECISION.get(len(fraction) - 1, "second")
        return Draft(platform="bluesky", **facts)


def _without_placeholders(text: str) -> str:
    from .embed_words import PLACEHOLDERS

    for placeholder in PLACEHOLDERS:
        text = text.replace(placeholder, " ")
    return re.sub(r"[ \t]{2,}", " ", text).strip()


# How far above an Instagram byline its "View this post on Instagram" line may be, with the caption between.
INSTAGRAM_LOOKBACK = 2500


class InstagramBylines:
    """Instagram's embed flattened: "View this post on Instagram", the caption (captioned embeds of 2016-20),
    and the byline ``A post shared by Name (@handle) on date`` in the embed's language. The caption is the
    text glued before the byline on its line, or the paragraphs between the call to view and the byline;
    without either, the byline stands alone. Read in texts that name Instagram (every call to view does): the
    others, tweets' texts above all, are not searched for bylines at all."""

    def find(self, page: Flattened) -> Iterator[Claim]:
        if "Instagram" not in page.view:
            return
        from .embed_words import BYLINE_PHRASES_WRITTEN, BYLINE_SUFFIXES, VIEW_PHRASES_WRITTEN, read_byline

        text, view = page.text, page.view
        starts: set[int] = set()
        at = view.find("@")
        while at >= 0:  # every byline holds its handle's "@": the text is scanned once, for that sign
            start = _byline_start(view, at, BYLINE_PHRASES_WRITTEN, BYLINE_SUFFIXES)
            if start is not None:
                starts.add(start)
            at = view.find("@", at + 1)
        boundary = 0
        for start in sorted(starts):
            if start < boundary:
                continue
            line_end = view.find("\n", start)
            line_end = len(view) if line_end < 0 else line_end
            byline = read_byline(view[start:line_end])
            if byline is None:
                continue
            end = line_end if byline.date_text else start + _byline_end(view[start:line_end])
            caption_start, caption_end = self._caption(view, start, boundary, VIEW_PHRASES_WRITTEN)
            caption = clean_markdown(text[caption_start:caption_end]).strip() if caption_end > caption_start else ""
            first = min(caption_start, start)
            boundary = end
            yield Claim(first, end, Draft(platform="instagram", form=FORM_TEXT, text=caption, handle=byline.handle,
                                          name=byline.name, date_text=byline.date_text, start=first, end=end))

    @staticmethod
    def _caption(view: str, byline_at: int, floor: int, view_phrases: tuple[str, ...]) -> tuple[int, int]:
        """Where the caption before a byline starts and ends (equal: none)."""
        line_start = _line_bounds(view, byline_at, floor)
        glued = view[line_start:byline_at]
        if glued.strip():  # the caption on the byline's own line, after the call to view if it is there
            cut = max((glued.rfind(p) + len(p) for p in view_phrases if p in glued), default=0)
            return line_start + cut + (len(glued[cut:]) - len(glued[cut:].lstrip())), byline_at
        low = max(floor, byline_at - INSTAGRAM_LOOKBACK)
        above = max(((view.rfind(p, low, line_start), p) for p in view_phrases), default=(-1, ""))
        if above[0] < 0 or view[low:line_start].count("(@") > 0 and view.rfind("(@", above[0], line_start) >= 0:
            return line_start, line_start  # no call to view above: where the embed began is unknown
        caption_start = above[0] + len(above[1])
        while caption_start < line_start and view[caption_start] in " \t\r\n":
            caption_start += 1
        return caption_start, line_start


# How far before a byline's "(@" its phrase may start: the longest phrase and a display name of 50 characters,
# emoji sequences taking several code points.
BYLINE_REACH = 40 + 4 * MAX_NAME


def _byline_start(view: str, at: int, phrases: tuple[str, ...], suffixes: tuple[str, ...]) -> int | None:
    """Where the Instagram byline whose handle's "@" is at ``at`` starts: its phrase before "Name (@" or
    before a bare "@handle", or (a suffix language) its line's start when the phrase follows "(@handle)"."""
    before = view[at - 1:at]
    if before == "(":
        line_start = _line_bounds(view, at, max(0, at - BYLINE_REACH))
        window = view[line_start:at]
        found = max((window.rfind(phrase) for phrase in phrases), default=-1)
        if found >= 0:
            return line_start + found
        close = view.find(")", at, at + 40)
        if close >= 0 and view[close + 1:close + 40].lstrip().startswith(suffixes):
            return line_start
    elif before == " ":
        window = view[max(0, at - 45):at - 1]
        phrase = next((phrase for phrase in phrases if window.endswith(phrase)), None)
        if phrase is not None:
            return at - 1 - len(phrase)
    return None


def _byline_end(line: str) -> int:
    """Where a byline without a date ends: after its "(@handle)" (or bare handle) and any suffix phrase."""
    close = line.find(")")
    if close < 0:
        m = re.search(r"@[A-Za-z0-9._]{1,30}", line)
        return m.end() if m else len(line)
    from .embed_words import BYLINE_SUFFIXES

    rest = line[close + 1:]
    suffix = next((s for s in BYLINE_SUFFIXES if rest.lstrip().startswith(s)), None)
    return close + 1 + (rest.find(suffix) + len(suffix) if suffix else 0)


class StubBylines:
    """The stub embeds of Mastodon 4.3 on and of Threads, flattened: ``Post by @user@server View on Mastodon``,
    ``Post by @user View on Threads``. The post's text is not in them. "Post by @user@server" alone on its line
    is Mastodon's too (only a fediverse handle has a server); "Post by @user" needs "View on Threads"."""

    # The handle (Mastodon's user@server, or a Threads username), then "View on ..." on the line or the next.
    PATTERN = re.compile(r"Post by @(?P<user>[A-Za-z0-9_.]{1,64})(?:@(?P<server>" + _DOMAIN_HANDLE + r"))?"
                         r"(?P<gap>[ \t]{0,3}\n?[ \t]{0,3}\n?[ \t]{0,3})(?P<view>View on (?P<network>Mastodon|Threads))?")

    def find(self, page: Flattened) -> Iterator[Claim]:
        view = page.view
        at = view.find("Post by @")
        while at >= 0:
            m = self.PATTERN.match(view, at)
            at = view.find("Post by @", at + 1)
            if m is None:
                continue
            network = m.group("network")
            if network == "Threads" and m.group("server") is None:
                platform, handle = "threads", m.group("user")
            elif m.group("server") is not None and network != "Threads":
                if network is None and not self._alone(view, m):
                    continue
                platform, handle = "mastodon", f"{m.group('user')}@{m.group('server')}"
            else:
                continue
            end = m.end() if network else m.start("gap")
            yield Claim(m.start(), end, Draft(platform=platform, form=FORM_TEXT, handle=handle, start=m.start(),
                                              end=end))

    @staticmethod
    def _alone(view: str, m: re.Match[str]) -> bool:
        """Whether "Post by @user@server" is all of its line."""
        line_start = view.rfind("\n", 0, m.start()) + 1
        line_end = view.find("\n", m.start("gap"))
        return not view[line_start:m.start()].strip(" \t>") and not view[m.start("gap"):line_end if line_end >= 0
                                                                     else len(view)].strip()


# TikTok usernames: letters, digits, "_" and ".", 2 to 24 characters.
_TIKTOK_HANDLE = re.compile(r"@(?P<handle>[A-Za-z0-9_.]{2,24})(?![A-Za-z0-9_.])")
# How far above its sound a TikTok embed's author line may stand: a caption is at most 2,200 characters.
TIKTOK_LOOKBACK = 2400
# Lines a TikTok embed's caption may take between the author's line and the sound's, when each part
# stands on a line of its own.
TIKTOK_CAPTION_LINES = 3


class TikTokCaptions:
    """TikTok's embed flattened: the author's ``@user``, the caption with its tags, and the sound (``♬ original
    sound - Name``), which is chrome. All on one line that starts with the author; or each part on lines of its
    own: a line that is only ``@user``, the caption's few lines, a line that starts with the sound."""

    def find(self, page: Flattened) -> Iterator[Claim]:
        view, text = page.view, page.text
        boundary = 0
        at = view.find("♬")
        while at >= 0:
            claim = self._claim(view, text, at, boundary)
            if claim is not None:
                boundary = claim.end
                yield claim
            at = view.find("♬", at + 1)

    @staticmethod
    def _claim(view: str, text: str, note: int, boundary: int) -> Claim | None:
        line_start = _line_bounds(view, note, boundary)
        line_end = view.find("\n", note)
        end = len(view) if line_end < 0 else line_end
        lead = _line_content_start(view, line_start, note)
        author = _TIKTOK_HANDLE.match(view, lead)
        if author is None or author.end() > note:
            if lead != note:
                return None  # the sound's line holds other words before it: no embed's
            author = None
            # The caption's few lines above the sound's, then the author's line (a caption is at most 2,200
            # characters: the lines are looked for no further back than that).
            lines = [line for line in _lines_before(view, line_start - 1, max(boundary, note - TIKTOK_LOOKBACK))
                     if not line.blank][:TIKTOK_CAPTION_LINES + 1]
            for line in lines:
                m = _TIKTOK_HANDLE.match(view, line.end - len(line.body))
                if m is not None and not view[m.end():line.end].strip():
                    author = m
                    break
            if author is None:
                return None
        caption = clean_markdown(text[author.end():note]).strip()
        return Claim(author.start(), end, Draft(platform="tiktok", form=FORM_TEXT, text=caption,
                                                handle=author.group("handle"), start=author.start(), end=end))


def _line_content_start(view: str, line_start: int, limit: int) -> int:
    """Where a line's content starts, after its indentation and quote markers (not past ``limit``)."""
    prefix = _LINE_PREFIX.match(view, line_start, limit)
    return prefix.end() if prefix else line_start


# This module's extractors, in the order they run.
EXTRACTORS: tuple[TextExtractor, ...] = (InstagramBylines(), StubBylines(), TikTokCaptions(), BlueskyAttributionLines())
