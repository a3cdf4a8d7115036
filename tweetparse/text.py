"""Tweets flattened into plain text: attribution lines, glued one-liners, markdown quotes, timeline copies.

How it works, in order:

1. Every extractor in ``EXTRACTORS`` scans the text for its *anchor*, a shape only a pasted tweet has:
   ``(@handle)`` followed by a parseable date or a status URL, or a timeline header
   ``Name @handle 5h`` on a line of its own. Nothing is claimed without that evidence.
2. From the anchor the extractor reads the author (the name after the last spaced dash, or the
   whole line when the attribution stands alone) and looks *backwards* for the tweet text
   (timeline copies: forwards), using the layout's evidence: quote markers, indentation,
   paragraph breaks, sentence breaks and the tweet length limit of the tweet's day.
3. The text is cleaned of flattening debris (markdown links and quote markers, HTML entities).
4. Overlapping claims are resolved once, registry order first, then document order.
"""
from __future__ import annotations

import bisect
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from . import attribution
from .build import Draft
from .dates import DATE_TEXT, MONTH_WORDS, parse_shown_date
from .shapes import ATTRIBUTION
from .timeline import TimelineCopy, find_copies
from .urls import STATUS_URL, StatusRef, parse_status_url, snowflake_time

__all__ = ["EXTRACTORS", "HANDLE", "Flattened", "clean_markdown", "find_in_text", "mask_tags", "tweet_length", "tweet_start"]

# Twitter's own rule for screen names: 1 to 15 letters, digits or underscores.
HANDLE = re.compile(r"[A-Za-z0-9_]{1,15}")
# Twitter display names are at most 50 characters; a longer "name" is prose.
MAX_NAME = 50
# Twitter raised the limit from 140 to 280 characters on this day.
LONG_TWEETS_FROM = date(2017, 11, 7)
SHORT_LIMIT, LONG_LIMIT = 140, 280
# Flatteners add a few characters (spaces around emoji, a "?" for a lost glyph); allow them.
LENGTH_SLACK = 8
# Every URL in a tweet counts as a t.co link of this many characters, whatever its length.
TCO_LENGTH = 23
# How far back from an attribution we look for the tweet text: a long tweet with every URL
# spelled out and markdown link targets doubled stays well inside it. Keeps the scan linear.
LOOKBACK = 3000
# How far after "(@handle)" the date or status URL may start and end (markdown wraps it in
# "[> ", a line break and "](https://twitter.com/.../status/...?ref_src=...)").
EVIDENCE_WINDOW = 300
# How much of a text's end is searched for a trailing link (its printed target included).
TRAILING_LINK_WINDOW = 2100
# Room for the dash before a name and the spaces around it ("&mdash; ", " -- ").
NAME_DASH_ROOM = 12
# How far before "(@" the dash before a name is looked for when the text there is not ASCII: a
# name of emoji sequences takes up to several code points a character.
NAME_WINDOW = 4 * MAX_NAME + NAME_DASH_ROOM
# A date with its markdown debris ("[> December 13,\n> 2016") fits in this many characters.
DATE_SPAN = 80
# At most this much markdown debris ("]", "(", "[> ", a line break) between a date and its link.
LINK_GAP = 12
# A document whose blank lines are at least this share of its text lines separates paragraphs
# with blank lines; otherwise every line is a paragraph.
BLANK_PARAGRAPH_SHARE = 0.25

# From this day a quote tweet's URL, like attached media, no longer counted towards the limit,
# so a tweet ending in a link may hold a full 140 characters before it.
ATTACHMENTS_FREE_FROM = date(2016, 9, 19)

FORM_ATTRIBUTION = "text-attribution"
FORM_INLINE = "text-attribution-inline"
FORM_MARKDOWN = "text-markdown"
FORM_TIMELINE = "text-timeline"


# ---------------------------------------------------------------------------------------------
# Small helpers: dates, lengths, cleanup, layout.


# "(https://...)" after a link's text: the link target a plain-text flattener printed, not tweet text.
_SHOWN_TARGET = re.compile(r"\(https?://[^\s()]{1,2000}\)")
_URL_IN_TEXT = re.compile(r"(?:https?://|(?<![\w./])pic\.(?:twitter|x)\.com/)[^\s<>\"\]\[()]+")
_MEDIA_URL = re.compile(r"^(?:https?://)?pic\.(?:twitter|x)\.com/")


def tweet_length(text: str) -> int:
    """A tweet's length as Twitter counts it: every link is a t.co link, attached media is free."""

    def weigh(m: re.Match[str]) -> str:
        return "" if _MEDIA_URL.match(m.group(0)) else "x" * TCO_LENGTH

    text = _SHOWN_TARGET.sub("", text)
    return len(re.sub(r"\s+", " ", _URL_IN_TEXT.sub(weigh, text)).strip())


# A link target printed after the link, at the very end of a text.
_SHOWN_TARGET_AT_END = re.compile(r"\(https?://[^\s()]{1,2000}\)\s*$")


def _ends_with_link(body: str) -> bool:
    """Whether a text ends with a link other than media (its printed target aside)."""
    tail = _SHOWN_TARGET_AT_END.sub("", body[-TRAILING_LINK_WINDOW:]).rstrip()
    words = tail.rsplit(None, 1)
    return bool(words) and _URL_IN_TEXT.match(words[-1]) is not None and not _MEDIA_URL.match(words[-1])


def _limit_for(day: date | None, body: str = "", base: int | None = None) -> int:
    """The longest tweet possible on a day (unknown day: the larger limit), for a text ``body``:
    from late 2016 a trailing link may be a quote tweet, which is free like attached media. ``base`` is
    another network's limit, which does not change with the day."""
    if base is not None:
        return base + LENGTH_SLACK
    limit = SHORT_LIMIT if day is not None and day < LONG_TWEETS_FROM else LONG_LIMIT
    if (day is None or day >= ATTACHMENTS_FREE_FROM) and _ends_with_link(body):
        limit += TCO_LENGTH + 1
    return limit + LENGTH_SLACK


# [text](target), with the html2md/fast_html2md debris "[> text\n](target)"; [text][ref]
_MD_LINK = re.compile(r"\[>?[ \t]*([^\[\]\n]{0,600}?)[ \t]*\n?\]\((?:[^()\s]{0,2000}|[^()\s]{0,1000}\([^()\s]{0,200}\)[^()\s]{0,200})\)")
# "](target)>": html2md-style output closes a quoted link with a stray quote marker.
_LINK_CLOSE_MARKER = re.compile(r"(\]\([^()\s]{0,2000}\))>")
_MD_REF_LINK = re.compile(r"\[([^\[\]\n]{1,600})\]\[[^\[\]\n]{1,20}\]")
_QUOTE_MARKER = re.compile(r"^[ \t]*(?:>[ \t]?)+", re.MULTILINE)
_HTML_TAG = re.compile(r"<\\?/?\\?[A-Za-z][A-Za-z0-9]{0,15}(?:\s[^<>\n]{0,200})?/?>")
_BACKSLASH_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>|~\"'])")
_STRAY_BRACKETS = re.compile(r"^[ \t]*\[(?=[ \t]*>)|^[ \t]*\]\([^()\s]{0,2000}\)[ \t]*$", re.MULTILINE)


def clean_markdown(text: str) -> str:
    """Tweet text with markdown and HTML flattening debris removed: what the reader saw.

    >>> clean_markdown("> Snow again [https://t.co/x](https://t.co/x)")
    'Snow again https://t.co/x'
    """
    text = _LINK_CLOSE_MARKER.sub(r"\1", text)
    text = _MD_LINK.sub(lambda m: m.group(1), text)
    text = _MD_REF_LINK.sub(lambda m: m.group(1), text)
    text = _STRAY_BRACKETS.sub("", text)
    text = _QUOTE_MARKER.sub("", text)
    text = _HTML_TAG.sub("", text)
    text = _BACKSLASH_ESCAPE.sub(r"\1", text)
    return html.unescape(text)


_MARKDOWN_SIGNS = re.compile(r"^[ \t]*\[?>|\]\(|\]\[", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Layout:
    """Facts about the whole document that tell how it was flattened."""

    blank_paragraphs: bool  # paragraphs are separated by blank lines (else: one line each)
    references: dict[str, str]  # markdown reference links: "[180]: https://..."


_REFERENCE_DEF = re.compile(r"^[ \t]*\[([^\[\]\n]{1,20})\]:[ \t]*(\S+)", re.MULTILINE)


def read_layout(text: str) -> Layout:
    """How the text was flattened, read once per document."""
    lines = text.count("\n") + 1
    blank = len(re.findall(r"\n[ \t>]*(?=\n)", text))
    references = {m.group(1): m.group(2) for m in _REFERENCE_DEF.finditer(text)} if "]:" in text else {}
    return Layout(blank_paragraphs=blank >= BLANK_PARAGRAPH_SHARE * max(lines - blank, 1), references=references)


def mask_tags(text: str) -> str:
    """``text`` with every inline HTML tag blanked to spaces of the same length.

    Markdown converters keep stray tags (``<span style=...></span>``) between quote markers, dashes
    and names; structure is read from this view, so a tag is zero-width noise there, while
    offsets still point into the original text, from which tweet text is read and cleaned.

    >>> mask_tags('> <span class="x"></span>— Jo')
    '>                          — Jo'
    """
    if "<" not in text:
        return text
    return _HTML_TAG.sub(lambda m: " " * len(m.group(0)), text)


@dataclass(frozen=True, slots=True)
class Flattened:
    """One document as the extractors read it."""

    text: str  # the input: tweet text and names are cut from it
    view: str  # the same text with HTML tags blanked (same length): layout is read from it
    layout: Layout

    @classmethod
    def read(cls, text: str) -> Flattened:
        view = mask_tags(text)
        return cls(text, view, read_layout(view))


# ---------------------------------------------------------------------------------------------
# Where a tweet's text starts.

# Where a tweet may start inside a run of text, by kind of evidence. Weak: a sentence break
# (".", "!", "?", "…", closing quotes or brackets, then space; an initial such as "W." is none).
# Strong, a boundary a flattener left where the embed began:
#   gap:   sentence punctuation then a no-break space ("and more.\u00a0The ...")
#   glued: sentence punctuation glued to a capitalised word ("recess.After"): paragraphs joined with nothing
#   intro: a colon before a capitalised word, mention or hashtag ("See the tweets: ...", "performance:The ...")
_BREAK = re.compile(
    r"(?P<gap>(?<!\b[A-Z])[.!?…][\"”’')\]]*\u00a0[ \t\u00a0]*(?=\S))"
    r"|(?P<spaced>(?<!\b[A-Z])[.!?…][\"”’')\]]*[ \t]+(?=\S))"
    r"|(?P<intro>:[ \t\u00a0]*(?=[A-Z]|[@#＃]\w))"
    r"|(?P<glued>(?<=[a-z0-9\s])[.!?…][\"”’')\]]*(?=[A-Z][a-z]))"
    r"|(?P<cjk>[。！？](?=\S))"
)
# The first tail of a long segment measured is this many times the limit (URLs and printed
# link targets make raw text longer than its tweet length).
REACH_START_FACTOR = 2
# How much a place to start says, weakest first.
RANK_SENTENCE, RANK_BOUNDARY, RANK_INTRO, RANK_LINE = range(4)
_BREAK_RANKS = {"gap": RANK_BOUNDARY, "glued": RANK_BOUNDARY, "intro": RANK_INTRO}
# A sentence that opens with a mention or hashtag (".@cher ...", "#Browns ...") reads as a tweet, not prose.
_TWEET_OPENING = re.compile(r"\.?[@＠]\w")
# Prose paragraphs end a sentence; a tweet line often does not ("5.5 million voted 3rd party").
_ENDS_SENTENCE = re.compile(r"[.!?…:;\"”’)。！？」]\s*$")
# A heading or credit line ("Via Some Source"): every word capitalised, no sentence punctuation,
# no mention or hashtag. It is not the first line of a tweet split by a flattener.
# Only fullmatch()ed on a whole line, where the lookbehind always holds; in a search it keeps an
# attempt from starting inside a run of words and blanks, each of which would rescan the run.
_HEADING = re.compile(r"(?<![\w \t'’&.-])[ \t]*(?:[^\W\d_][\w'’&.-]*[ \t]+){1,7}[^\W\d_][\w'’&.-]*[ \t]*")


def _is_heading(line: str) -> bool:
    return bool(_HEADING.fullmatch(line)) and all(word[0].isupper() for word in line.split())


def _reach(segment: str, limit: int) -> int:
    """An offset before which no start can fit in ``limit``: the start of a word-aligned tail
    already too long, found by doubling, so a long run of prose is not scanned sentence by sentence."""
    size = limit * REACH_START_FACTOR
    while size < len(segment):
        cut = segment.rfind(" ", 0, len(segment) - size) + 1
        if cut <= 0:
            return 0
        if tweet_length(segment[cut:]) > limit:
            return cut
        size *= 2
    return 0


def tweet_start(segment: str, limit: int, at_boundary: bool = True) -> int:
    """Offset in ``segment`` (text glued before an attribution) where the tweet starts.

    Of the places where the rest still fits in one tweet, the earliest with boundary evidence
    (the segment's own start when it starts a line, a no-break gap, punctuation glued to the next
    word, an introducing colon, a sentence opening with a mention or hashtag), else the earliest
    sentence start: prose before a glued tweet is cut, a tweet of several sentences is kept whole.

    >>> tweet_start("Forty people queued all night for the first ferry of the year, according to the harbour office. See the post: Snow on the bridge tonight #cold", 140)
    111
    """
    # Each start with the rank of its evidence: a line start, then an introducing colon, then the
    # other boundaries; glued breaks are everywhere in a text whose paragraphs were joined with
    # nothing, so an introducing colon tells more there.
    reach = _reach(segment, limit)
    starts: list[tuple[int, int]] = [(0, RANK_LINE if at_boundary else RANK_SENTENCE)]
    for m in _BREAK.finditer(segment, max(reach - 1, 0)):
        kind = m.lastgroup or "spaced"
        rank = _BREAK_RANKS.get(kind, RANK_SENTENCE)
        if rank == RANK_SENTENCE and _TWEET_OPENING.match(segment, m.end()):
            rank = RANK_BOUNDARY
        starts.append((m.end(), rank))
    fitting: list[tuple[int, int]] = []
    # Shortest suffix first: the length only grows going back, so stop at the first that does not fit.
    for start, rank in reversed(starts):
        if tweet_length(segment[start:]) > limit:
            break
        fitting.append((start, rank))
    if not fitting:
        if reach > 0:  # not even the last sentence fits: as before, the last sentence start of all
            return ([0] + [m.end() for m in _BREAK.finditer(segment)])[-1]
        return starts[-1][0]
    best_rank = max(rank for _, rank in fitting)
    return min(start for start, rank in fitting if rank == best_rank)


def _line_bounds(text: str, pos: int, floor: int) -> int:
    """Start of the line holding ``pos``, looking back no further than ``floor``."""
    return text.rfind("\n", floor, pos) + 1 if text.rfind("\n", floor, pos) >= 0 else floor


_LINE_PREFIX = re.compile(r"[ \t]*(?:\[?[ \t]*>[ \t]?)*[ \t]*")
# A line (or attribution) quoted in markdown: "> ", "[> ", "  > ". The lookbehind keeps a search
# from restarting inside a run of blanks; a .match() on a line's start is not affected by it.
_QUOTED_LINE = re.compile(r"(?<![ \t])[ \t]*(?:\[[ \t]*)?>")


def _is_line_prefix(text: str) -> bool:
    """Whether all of ``text`` is indentation and quote markers.

    Not ``_LINE_PREFIX.fullmatch``: its three blank runs can share out a long run of blanks in
    quadratically many ways before a fullmatch fails, while a plain match is one greedy pass and
    reaches the end exactly when the whole text is a prefix.
    """
    return _LINE_PREFIX.match(text).end() == len(text)  # type: ignore[union-attr]


@dataclass(slots=True)
class _Line:
    start: int  # offset of the line's first character in the document
    end: int  # offset of its end (the newline, or the end of the window)
    body: str  # the line without indentation and quote markers
    indent: int
    quoted: bool

    @property
    def blank(self) -> bool:
        return not self.body.strip()


def _lines_before(text: str, end: int, floor: int) -> list[_Line]:
    """The lines of ``text[floor:end]``, last first."""
    out = []
    pos = end
    while pos > floor:
        start = _line_bounds(text, pos, floor)
        raw = text[start:pos]
        prefix = _LINE_PREFIX.match(raw)
        body = raw[prefix.end():] if prefix else raw
        indent = len(raw) - len(raw.lstrip(" \t"))
        quoted = ">" in (prefix.group(0) if prefix else "") or raw.lstrip().startswith("](")
        out.append(_Line(start, pos, body, indent, quoted))
        pos = start - 1
    return out


def _indented_run(lines: list[_Line], indent: int) -> list[_Line]:
    """The non-blank lines (last first) indented at least ``indent``, up to the first shallower one or
    the floor."""
    run: list[_Line] = []
    for line in lines:
        if line.blank:
            continue
        if line.indent < indent:
            break
        run.append(line)
    return run


# How far after an attribution line the next text is looked for.
NEXT_TEXT_WINDOW = 2000


def _indented_apart(view: str, line_end: int, indent: int) -> bool:
    """Whether an attribution line indented by ``indent`` and ending at ``line_end`` (its "\n") sits
    in a block indented deeper than the text after it, as inscriptis writes an embed inside an
    article: only then does the run of lines as deep as it tell where the tweet starts. An extractor
    that indents the whole article alike goes on at the same depth after the embed."""
    after = view[line_end + 1:line_end + 1 + NEXT_TEXT_WINDOW]
    text_at = len(after) - len(after.lstrip(" \t\r\n"))
    if text_at == len(after):
        return True  # nothing follows within reach
    return text_at - (after.rfind("\n", 0, text_at) + 1) < indent


def _block_before(view: str, end: int, floor: int, layout: Layout, day: date | None, quoted: bool,
                  indent: int, base: int | None = None) -> int | None:
    """Start offset of the tweet text that ends at ``end`` (the attribution line's start).

    Evidence, strongest first: the run of quoted lines (markdown), the run of lines indented at
    least as deep as the attribution (inscriptis; ``indent`` is 0 when the text after the attribution
    is as deep: the whole article is indented then), the paragraph above (blank-line layouts) or
    the line above (one-paragraph-per-line layouts), extended by earlier paragraphs that do not
    end a sentence, and trimmed from the top to what fits in one tweet.
    """
    lines = _lines_before(view, end, floor)
    while lines and lines[0].blank:
        lines.pop(0)
    if not lines:
        return None
    units: list[list[_Line]] = []  # paragraphs, last first
    if quoted:
        run = []
        for line in lines:
            if not line.quoted:
                break
            run.append(line)
        units = [[line] for line in run if not line.blank]
    elif indent > 0:
        units = [[line] for line in _indented_run(lines, indent)]
    else:
        current: list[_Line] = []
        for line in lines:
            if line.blank:
                if current:
                    units.append(current)
                    current = []
                continue
            current.append(line)
            if not layout.blank_paragraphs:
                units.append(current)
                current = []
        if current:
            units.append(current)
        if not units:
            return None
        first, rest = units[0], units[1:]
        units = [first]
        for unit in rest:
            # An earlier paragraph joins only when it does not end a sentence: prose does, while a
            # tweet split by a flattener often does not ("5.5 million voted 3rd party").
            unit_text = "\n".join(line.body for line in reversed(unit))
            if _ENDS_SENTENCE.search(unit_text) or _is_heading(unit_text):
                break
            units.append(unit)
    if not units:
        return None
    flat = [line for unit in units for line in unit]  # last first
    limit = _limit_for(day, view[flat[0].start:end], base)
    # Trim from the top until the rest fits in one tweet; a single line too long is cut at a sentence.
    while len(flat) > 1 and tweet_length(clean_markdown(view[flat[-1].start:end])) > limit:
        flat.pop()
    top = flat[-1]
    start = top.start + (len(view[top.start:top.end]) - len(top.body))
    segment = view[start:end]
    if tweet_length(clean_markdown(segment)) > limit and len(flat) == 1:
        start += tweet_start(segment, limit)
    return start


# A media link (pic.twitter.com/...), with the target a flattener may print after it.
_MEDIA_LINK = re.compile(r"pic\.(?:twitter|x)\.com/[^\s<>\"\]\[()]+(?:[ \t]*\(https?://[^\s()]{1,2000}\))?")
_LETTER = re.compile(r"[^\W\d_]")


def _media_end(view: str, start: int, end: int) -> int:
    """Where tweet text glued before an attribution ends: an embed's media link is always last, so
    words between it and the attribution (an ad block, a credit line) are not the tweet's."""
    at = max(view.rfind("pic.twitter.com/", start, end), view.rfind("pic.x.com/", start, end))
    last = _MEDIA_LINK.match(view, at, end) if at >= 0 else None
    if last is None or not _LETTER.search(view, last.end(), end):
        return end
    return last.end()


# ---------------------------------------------------------------------------------------------
# Extractors.


@dataclass(frozen=True, slots=True)
class Claim:
    """A record and the span of text it was read from; overlapping claims are resolved once."""

    start: int
    end: int
    draft: Draft


class TextExtractor(Protocol):
    def find(self, page: Flattened) -> Iterator[Claim]: ...


@dataclass(frozen=True, slots=True)
class _Evidence:
    date_text: str | None
    status: StatusRef | None
    end: int


class AttributionLines:
    """``TEXT`` then ``— Name (@handle) December 13, 2016``: on its own line, glued on one line,
    inside a markdown quote (``> -- Name (@handle) [December 13, 2016](status URL)``), with or
    without the dash."""

    ANCHOR = ATTRIBUTION
    LIMIT: int | None = None  # the longest post; None: Twitter's limit of the post's day
    POST_URL = STATUS_URL  # the link to the post a date may carry
    # The dash before the name, in every form flatteners leave it: see attribution.py.
    DASH = attribution.DASH
    # Characters that flatteners put between the handle and the date: quote markers, link brackets.
    DEBRIS = str.maketrans({">": " ", "[": " ", "\\": " ", "\n": " ", "\r": " ", "\t": " ", "\u00a0": " "})
    LINK_OPEN = re.compile(r"[\s\]\[(\\>]{0,%d}" % LINK_GAP)  # noqa: UP031 - braces of a regex, undoubled
    URL_TAIL = re.compile(r"[^\s()\[\]]{0,300}\)?")
    REF_LINK = re.compile(r"\]\[([^\[\]\n]{1,20})\]")
    GLUED_YEAR = re.compile(r"[^\n]{1,40}?\d{4}(?=[^\W\d_])")
    # Read after the blanks that follow the date (BLANKS): a pattern opening with a blank run would
    # rescan the run from each of its positions in a search.
    TIME_OF_DAY = re.compile(r"(?:at[ \t]+)?\d{1,2}:\d{2}(?:[ \t]*[AaPp]\.?[Mm]\.?)?")
    BLANKS = re.compile(r"[ \t]*")

    # What may follow "(@handle)" and its debris for the anchor to be worth a closer look: a digit
    # (numeric and CJK dates), a word (a month name, checked against MONTH_WORDS), a link.
    EVIDENCE_OPENING = re.compile(r"[\s>\[\\\]]{0,%d}(?:(?P<digit>\d)|(?P<word>[^\W\d_]+)|\(?(?:https?:)?//|\]\[)" % LINK_GAP)  # noqa: UP031

    def find(self, page: Flattened) -> Iterator[Claim]:
        view = page.view
        boundary = 0  # the previous attribution's end: no tweet text reaches back past it
        for m in self.ANCHOR.finditer(view):
            if m.start() < boundary or not self._may_have_evidence(view, m.end()):
                continue
            evidence = self._evidence(view, m.end(), page.layout)
            if evidence is None:
                continue
            claim = self._claim(page, m, evidence, boundary)
            if claim is not None:
                boundary = claim.end
                yield claim

    def _may_have_evidence(self, view: str, pos: int) -> bool:
        """A cheap look at what follows "(@handle)": most anchors in prose fail here, before any date parsing."""
        m = self.EVIDENCE_OPENING.match(view, pos)
        if m is None:
            return False
        word = m.group("word")
        return word is None or word.lower().rstrip(".") in MONTH_WORDS or word in attribution.DAY_PERIODS

    def _evidence(self, text: str, pos: int, layout: Layout) -> _Evidence | None:
        """The date and/or status URL right after ``(@handle)``, with where they end."""
        window = text[pos:pos + EVIDENCE_WINDOW]
        view = window[:DATE_SPAN].translate(self.DEBRIS)
        lead = len(view) - len(view.lstrip(" "))
        date_text = None
        end = lead
        glued = self.GLUED_YEAR.match(view, lead)
        if glued:  # "November 18, 2019The latest": the flattener dropped the break after the year
            view = view[:glued.end()] + " " + view[glued.end():]
        dm = DATE_TEXT.match(view, lead)
        other = None if dm and parse_shown_date(dm.group(0)) is not None else attribution.read_date(view, lead)
        if other is not None:  # "9:32 PM · Dec 19, 2021", "2016-12-13", "12月13日"
            date_text, end = other
        elif dm and parse_shown_date(dm.group(0)) is not None:
            date_text = re.sub(r"\s+", " ", dm.group(0)).strip()
            end = dm.end()
        if date_text is not None:
            # "May 1, 2017 at 10:02 AM", "Dec 13, 2016, 10:02 AM" in some copies
            after = self.BLANKS.match(view, end).end()  # type: ignore[union-attr]
            tm = self.TIME_OF_DAY.match(view, after) or attribution.CLOCK_AFTER.match(view, after)
            if tm:
                end = tm.end()
        status = None
        gap = self.LINK_OPEN.match(window, end)
        um = self.POST_URL.match(window, gap.end()) if gap else None
        if um:
            status = self._post_ref(um.group(0))
            end = self.URL_TAIL.match(window, um.end()).end()  # type: ignore[union-attr]
        elif date_text is not None and layout.references:
            rm = self.REF_LINK.match(window, end)
            if rm and rm.group(1) in layout.references:
                status = self._post_ref(layout.references[rm.group(1)])
                end = rm.end()
        if date_text is None and status is None:
            return None
        return _Evidence(date_text, status, pos + end)

    def _name_dash(self, view: str, line_start: int, anchor: int) -> re.Match[str] | None:
        """The dash that opens the line, when a name follows it up to "(@" (the name may hold dashes
        of its own: "— Team Alpha — Live (@x)"); else the last dash before "(@"; either only when
        the name between is short enough to be a name."""
        lead = _LINE_PREFIX.match(view, line_start, anchor)
        first = self.DASH.match(view, lead.end()) if lead else None
        if first is not None and "@" not in view[first.end():anchor] and \
                attribution.visible_length(view[first.end():anchor]) <= MAX_NAME + 2:
            return first
        last = None
        # A name is at most MAX_NAME characters (emoji sequences take several code points each); the
        # dash itself and its spaces take a few more.
        reach = NAME_WINDOW if not view[max(0, anchor - NAME_WINDOW):anchor].isascii() else MAX_NAME + NAME_DASH_ROOM
        for dm in self.DASH.finditer(view, max(line_start, anchor - reach), anchor):
            last = dm
        if last is None or attribution.visible_length(view[last.end():anchor]) > MAX_NAME + 2:
            return None
        return last

    def _claim(self, page: Flattened, m: re.Match[str], ev: _Evidence, boundary: int) -> Claim | None:
        text, view, layout = page.text, page.view, page.layout
        floor = max(boundary, m.start() - LOOKBACK)
        line_start = _line_bounds(view, m.start(), floor)
        dash = self._name_dash(view, line_start, m.start())
        if dash is None:
            lead = _LINE_PREFIX.match(view, line_start, m.start())
            if lead is None or m.start() - lead.end() > MAX_NAME + NAME_DASH_ROOM:
                return None  # no dash and no room for a name at the line's start: prose
        name_from = dash.end() if dash else line_start
        name = clean_markdown(text[name_from:m.start()]).strip().strip("[").strip()
        if not name or attribution.visible_length(name) > MAX_NAME or "\n" in name:
            return None
        head_end = dash.start() if dash else line_start
        if dash is None:
            name_view = view[line_start:m.start()]
            if not _is_line_prefix(view[line_start:m.start() - len(name_view.lstrip(" \t>["))]):
                return None  # "Name (@handle)" inside a sentence: no way to tell text from name
            line_end = view.find("\n", ev.end, ev.end + EVIDENCE_WINDOW)
            if view[ev.end:line_end if line_end >= 0 else ev.end + EVIDENCE_WINDOW].strip():
                return None  # without a dash, the date ends an attribution line: "Name (@x) date – 412 posts" is a table row
            # else: the attribution alone at the start of a line, no dash: "Name (@handle) date"
        day = self._day(ev)
        attribution_line = view[line_start:m.start()]
        quoted = _QUOTED_LINE.match(attribution_line) is not None
        indent = len(attribution_line) - len(attribution_line.lstrip(" \t"))
        prefix = _LINE_PREFIX.match(view, line_start, head_end)
        seg_start = prefix.end() if prefix else line_start
        if view[seg_start:head_end].strip():
            text_end = _media_end(view, seg_start, head_end)
            segment = view[seg_start:text_end]
            limit = _limit_for(day, segment, self.LIMIT)
            at_line_start = seg_start == 0 or view[line_start - 1:line_start] == "\n" or line_start == boundary
            start = seg_start + tweet_start(segment, limit, at_line_start)
            if start == seg_start and not quoted:
                start = self._extend_up(view, seg_start, text_end, floor, layout, limit)
            form = FORM_INLINE
        else:
            text_end = line_start
            line_end = view.find("\n", ev.end)
            if line_end >= 0 and not _indented_apart(view, line_end, indent):
                indent = 0  # the whole article is indented alike: no evidence in it
            found = _block_before(view, line_start, floor, layout, day, quoted, indent, self.LIMIT)
            if found is None:
                return None
            start = found
            form = FORM_ATTRIBUTION
        body = text[start:text_end]
        if quoted or _MARKDOWN_SIGNS.search(body) or _MARKDOWN_SIGNS.search(text[m.start():ev.end]):
            form = FORM_MARKDOWN
        tweet_text = clean_markdown(body).strip()
        if not tweet_text:
            return None
        draft = self._draft(form=form, text=tweet_text, handle=m.group("handle"), name=name,
                            id=ev.status.id if ev.status else None, date_text=ev.date_text, start=start, end=ev.end)
        return Claim(start, ev.end, draft) if draft is not None else None

    def _draft(self, **facts: Any) -> Draft | None:
        """The draft of a claim, from what ``_claim`` read (a subclass for another network adds its own)."""
        return Draft(**facts)

    @staticmethod
    def _extend_up(view: str, seg_start: int, text_end: int, floor: int, layout: Layout, limit: int) -> int:
        """A glued tweet that starts its line may have begun a paragraph or two above, when those
        paragraphs do not end a sentence, are no heading, and everything still fits in one tweet."""
        lines = _lines_before(view, seg_start - 1, floor) if seg_start > floor else []
        start = seg_start
        for line in lines:
            if line.blank:
                continue
            if _ENDS_SENTENCE.search(line.body) or line.quoted or _is_heading(line.body):
                break
            candidate = line.start + (line.end - line.start - len(line.body))
            if tweet_length(view[candidate:text_end]) > limit:
                break
            start = candidate
            if not layout.blank_paragraphs:
                break
        return start

    @staticmethod
    def _post_ref(url: str) -> StatusRef | None:
        return parse_status_url(url)

    @staticmethod
    def _day(ev: _Evidence) -> date | None:
        if ev.status is not None:
            moment = snowflake_time(ev.status.id)
            if moment is not None:
                return moment.date()
        if ev.date_text:
            shown = parse_shown_date(ev.date_text)
            if shown is not None and shown.has_year:
                return shown.day
        return None


class TimelineCopies:
    """A timeline copied as text: ``ICRC Syria @ICRC_sy 5h5 hours ago`` then the tweet; X's name, handle,
    "·" and time each on a line of their own; a footer of time, source app and counts. The parts and the
    orders they come in are read by ``timeline.find_copies``; the body is cleaned here."""

    def find(self, page: Flattened) -> Iterator[Claim]:
        for copy in find_copies(page.view, page.layout.blank_paragraphs):
            yield Claim(copy.start, copy.end, _timeline_draft(page.text, copy))


def _timeline_draft(text: str, copy: TimelineCopy) -> Draft:
    """The draft of a timeline copy: its body cleaned of flattening debris; its quoted tweet's, if shown."""
    quoted = _timeline_draft(text, copy.quoted) if copy.quoted is not None else None
    return Draft(form=FORM_TIMELINE, id=copy.status_id, text=clean_markdown(text[copy.body_start:copy.body_end]),
                 handle=copy.handle, name=copy.name, date_text=copy.date_text, quoted=quoted, start=copy.start,
                 end=copy.end)


EXTRACTORS: tuple[TextExtractor, ...] = (AttributionLines(), TimelineCopies())
# What a text flattened from another network's embed always shows, looked for first: Instagram's name (every
# call to view holds it), Mastodon's and Threads' "Post by @", TikTok's sound, a "(@" before a domain handle.
# A text holding none (a tweet's above all) never loads the other networks' extractors (flattened.py).
_OTHER_NETWORKS_WORDS = ("Instagram", "Post by @", "\u266c")
_DOMAIN_HANDLE_OPENING = re.compile(r"\(@(?=[A-Za-z0-9-]{1,63}\.)")


def _extractors(view: str) -> tuple[TextExtractor, ...]:
    """The extractors a text needs: tweets' always; other networks' when it shows one of their marks (tweets'
    first, so that what they claim stays theirs)."""
    if any(word in view for word in _OTHER_NETWORKS_WORDS) or _DOMAIN_HANDLE_OPENING.search(view):
        from .flattened import EXTRACTORS as OTHERS

        return (*EXTRACTORS, *OTHERS)
    return EXTRACTORS


def find_in_text(text: str) -> Iterator[Draft]:
    """Every post flattened into a text, in order; each draft's span is its offsets into ``text``.

    >>> [d.handle for d in find_in_text("Snow again #cold https://t.co/abc\\n— Jane (@jane) January 5, 2017")]
    ['jane']
    """
    accepted: list[Claim] = []  # disjoint, sorted by start
    starts: list[int] = []
    page = Flattened.read(text)
    for extractor in _extractors(page.view):
        for claim in extractor.find(page):
            # Accepted claims are disjoint, so only the neighbours either side can overlap.
            i = bisect.bisect_left(starts, claim.start)
            if i > 0 and accepted[i - 1].end > claim.start:
                continue
            if i < len(accepted) and accepted[i].start < claim.end:
                continue
            accepted.insert(i, claim)
            starts.insert(i, claim.start)
    for claim in accepted:
        yield claim.draft
