"""Timeline copies in plain text: recognisers for the parts people copied from Twitter's and X's
timelines, and a parser that assembles copies from them in any order the clients used."""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum

from .dates import parse_shown_date, read_relative
from .urls import parse_status_url

__all__ = ["Part", "PartKind", "TimelineCopy", "find_copies", "read_part", "read_time"]

# Twitter display names are at most 50 characters.
MAX_NAME = 50
# A line longer than this is no header, separator, time, counts or chrome line: only text. Keeps
# every recogniser's work per line bounded, whatever the line (a header is at most a 50-character
# name, a label, a 16-character handle and a time with its source app).
MAX_PART_LINE = 200
# What a header line holds either side of its "@": a name, a badge label and the marks and blanks
# around them before it; the handle, a separator, a time and a source app after it.
MAX_HEADER_SIDE = 160  # markdown link targets included
# Indentation, quote markers and invisible marks a line may carry besides its content.
MAX_RAW_SLACK = 40
# How far a copy's parts may reach after its header: a long tweet, its chrome and its counts, each
# on its own line and separated by blank lines, fit well inside these.
MAX_COPY_LINES = 60
MAX_COPY_CHARS = 4000
# Blank or chrome lines allowed between a name line and the handle line under it.
MAX_NAME_GAP = 3
# The longest tweet, counted as Twitter counts (every link 23 characters, attached media free), with
# room for flattening debris and a trailing quote-tweet link.
TWEET_LIMIT = 280 + 8 + 24
# Every link in a tweet counts as a t.co link of this many characters.
TCO_LENGTH = 23

# Invisible marks the clients put around names and handles (the legacy web page's "&rlm;" after the
# name, isolates around handles), no-break spaces and zero-width characters: read as blanks.
_INVISIBLE = re.compile("[\u00a0\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\t]")
# Links as markdown converters and plain-text flatteners write them: "[text](target)", and a
# target printed after its text, "text (target)". A line is read as the reader saw it, the link
# text alone; a status URL among the targets (the time links to the tweet) gives the status id.
_MARKDOWN_LINK = re.compile(r"\[([^\[\]\n]{0,200})\]\(([^()\s]{1,500})\)")
_PRINTED_LINK = re.compile(r" ?\((https?://[^()\s]{1,500})\)")
# Indentation and markdown quote markers before a line's content.
_LEAD = re.compile(r"[ >]*")

# The handle after "@": Twitter's rule (1 to 15 letters, digits, underscores), and no longer.
# The lookbehind keeps a search from retrying inside a run of word characters (it is only matched after "@").
_HANDLE = re.compile(r"(?<![A-Za-z0-9_])[A-Za-z0-9_]{1,15}(?![A-Za-z0-9_])")
# What a header's "@" follows: a blank, an invisible mark, a markdown link's "[", emphasis, a quote
# marker; or a name glued to it by a flattener, when a separator and a time follow the handle.
_BEFORE_HANDLE = frozenset(" \t\u00a0\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff[*_>")
_GLUED_TIME = re.compile(r"[A-Za-z0-9_]{1,15}[ \t]?[·•]")
# Separators between a handle, a time and a source app: "·", "•", a spaced dash or bar, or "via".
_SEPARATOR = re.compile(r" ?[·•] ?| [-–—|] | via ", re.IGNORECASE)
_LONE_SEPARATOR = re.compile(r"[·•|\-–—]")
# A time of day before a date: "7:46 AM", "21:32", "9:32 p. m.", "午後9:32".
_CLOCK = re.compile(r"(?:(?:午前|午後|上午|下午|오전|오후) ?)?\d{1,2}[:.]\d{2}(?: ?(?:[AaPp]\.? ?[Mm]\.?|vorm\.|nachm\.))?")

# Labels of verified and protected accounts: the legacy page kept them as hidden text after the
# name, so a copy holds them ("CNN", U+200F, "Verified account @CNN"). Lower case.
_BADGES = ("verified account", "protected account", "cuenta verificada", "cuenta protegida",
           "verifizierter account", "geschützter account", "compte certifié", "compte protégé",
           "conta verificada", "conta protegida", "account verificato", "認証済みアカウント", "非公開アカウント")
# Follow-button states (the legacy page rendered every state, each hidden by style) and menus.
_FOLLOW_WORDS = frozenset((
    "follow", "following", "unfollow", "blocked", "unblock", "pending", "cancel", "subscribe", "subscribed",
    "follows you", "more", "seguir", "siguiendo", "dejar de seguir", "folgen", "gefolgt", "entfolgen",
    "suivre", "abonné", "abonnement", "se désabonner", "seguindo", "segui", "フォロー", "フォロー中",
))
# Whole lines of chrome that end a tweet's text or sit around it. Lower case, blanks folded.
_CHROME_LINES = frozenset((
    "show this thread", "show thread", "show more", "show less", "show original", "translate tweet",
    "translate post", "translate", "quote tweet", "quote", "pinned tweet", "pinned", "promoted", "ad",
    "copy link to tweet", "copy link", "embed tweet", "this tweet was deleted", "this post was deleted",
    "this tweet is unavailable", "this post is unavailable", "read more", "view quotes", "view post engagements",
    "view tweet analytics", "view tweet activity", "view post analytics", "tweet your reply", "post your reply",
    "mostrar este hilo", "mostrar más", "traducir tweet", "traducir post", "citar tweet",
    "diesen thread anzeigen", "mehr anzeigen", "tweet übersetzen", "post übersetzen", "tweet zitieren",
    "afficher ce fil", "afficher plus", "traduire le tweet", "traduire le post", "citer le tweet",
    "mostrar esta sequência", "mostrar mais", "traduzir tweet", "traduzir post", "mostra questo thread",
    "mostra altro", "traduci tweet", "このスレッドを表示", "さらに表示", "ツイートを翻訳", "ポストを翻訳",
))
# Chrome of a variable shape, read by its ends: who retweeted it, the translation note, reply links.
_CHROME_ENDINGS = (" retweeted", " reposted", " retwitteó", " retweetete", " a retweeté", " retuitou",
                   " ha ritwittato", " replies", " reply", " respuestas", " antworten", " réponses")
_CHROME_OPENINGS = ("translated from ", "traducido del ", "traduit de l", "aus dem ", "show replies", "read ",
                    "show more replies")
# "Replying to @a @b and 2 others": the reply context, above a tweet's text.
_REPLY = re.compile(
    r"(?:replying to|in reply to|en respuesta a|antwort an|en réponse à|em resposta a|in risposta a|返信先:?)"
    r" ?@[A-Za-z0-9_]{1,15}",
    re.IGNORECASE,
)
# A media link alone on its line, with the target a flattener may print after it.
_MEDIA_LINE = re.compile(r"(?:https?://)?pic\.(?:twitter|x)\.com/[^\s<>\"\]\[()]{1,100}(?: ?\(https?://[^\s()]{1,300}\))?")

# A count as the clients print it: "1,234", "1.2K", "3.4M", "12 mil", "1,2 Mio.", "3万".
_NUMBER = r"\d{1,3}(?:[,. ]\d{3}){0,4}(?:[.,]\d{1,2})?(?: ?(?:[KkMB]|mil|Mio\.?|Mrd\.?|млн|тыс\.?|万|億|천|만))?(?!\d)"
# Labels of counts and of the action buttons beside them, in the wordings of every era. Lower case.
_COUNT_LABELS = (
    "retweets", "retweet", "retweeted", "undo retweet", "quote tweets", "quote tweet", "quotes", "quote",
    "likes", "like", "liked", "undo like", "favorites", "favorite", "favourites", "favourite", "favorited",
    "replies", "reply", "reposts", "repost", "reposted", "undo repost", "views", "view", "bookmarks",
    "bookmark", "bookmarked", "share", "comments", "comment", "me gusta", "tweets citados", "citas",
    "respuestas", "visualizaciones", "guardados", "gefällt mir", "„gefällt mir“-angaben", "zitierte tweets",
    "zitate", "antworten", "aufrufe", "mal angezeigt", "lesezeichen", "j'aime", "j’aime", "tweets cités",
    "citations", "réponses", "vues", "signets", "republications", "curtidas", "tweets com comentário",
    "respostas", "visualizações", "itens salvos", "mi piace", "tweet di citazione", "risposte",
    "visualizzazioni", "件のリツイート", "件のいいね", "件の引用ツイート", "件の表示", "件のリポスト",
    "件のブックマーク", "件の返信",
)
_COUNT_LABEL = "|".join(re.escape(label) for label in sorted(_COUNT_LABELS, key=len, reverse=True))
# One item of a counts line: a number with its label ("1,234 Retweets", "1,234件のリツイート"), a label
# with its number ("Like 668"), or either alone; then blanks or a separator. It starts a line or follows
# a blank or separator (the lookbehind also keeps a search from retrying inside a run of digits).
_COUNT_ITEM = re.compile(
    r"(?<![^ ·•|])(?:(?P<number>" + _NUMBER + r") ?(?P<label>" + _COUNT_LABEL + r")?"
    r"|(?P<label2>" + _COUNT_LABEL + r")(?: (?P<number2>" + _NUMBER + r"))?)(?![\w])[ ·•|]*",
    re.IGNORECASE,
)
# Words that open a byline, not a display name: "By Jane Doe @jdoe Dec 13, 2016".
_BYLINE = re.compile(r"(?:by|por|von|par|door|av|przez)\b", re.IGNORECASE)
_SPACED_DASH = re.compile(r" (?:[-–—―]|--) ")
# Links as Twitter counts them in a text: each a t.co link of 23 characters; media links are free.
_URL = re.compile(r"(?:https?://|(?<![\w./])pic\.(?:twitter|x)\.com/)[^\s<>\"\]\[()]{1,2000}")
_PRINTED_TARGET = re.compile(r"\]?\(https?://[^\s()]{1,2000}\)")


class PartKind(Enum):
    """What one line of a copied timeline is."""

    BLANK = "blank"
    HEADER = "header"  # "Name @handle · 5h", "Name @handle", "@handle", "@handle · 5h"
    SEPARATOR = "separator"  # a lone "·"
    TIME = "time"  # "5h", "Dec 13", "7:46 AM - 9 Dec 2016 · Twitter for iPhone"
    COUNTS = "counts"  # "1,234 Retweets 5,678 Likes", "Like 668", "12", "Views"
    CHROME = "chrome"  # "Follow", "Verified account", "Show this thread", "Translate post"
    REPLY = "reply"  # "Replying to @x"
    MEDIA = "media"  # "pic.twitter.com/abc"
    TEXT = "text"


@dataclass(frozen=True, slots=True)
class TimeShown:
    """A time as a timeline shows it: the raw text (clock and date, without the source app)."""

    text: str
    relative: bool
    short: bool  # a form shown in a header: "5h", "now", an absolute date; not "5 hours ago" alone


@dataclass(frozen=True, slots=True)
class Part:
    """One line read as a part of a copy."""

    kind: PartKind
    name: str | None = None  # HEADER: the display name on the line, if any
    handle: str | None = None  # HEADER
    time: TimeShown | None = None  # HEADER (when the line holds one) and TIME
    labelled: bool = False  # COUNTS: a label says what the numbers count (a lone "12" does not)
    status: str | None = None  # HEADER and TIME: the status id a link on the line points to


@dataclass(frozen=True, slots=True)
class TimelineCopy:
    """One tweet copied from a timeline: its span in the text, author, time as shown, and body span."""

    start: int
    end: int
    name: str
    handle: str
    date_text: str
    body_start: int
    body_end: int
    status_id: str | None = None  # when the copy kept the time's link to the tweet
    quoted: TimelineCopy | None = None  # the tweet it quotes, when the copy shows it


_BLANK_PART = Part(PartKind.BLANK)
_TEXT_PART = Part(PartKind.TEXT)
_CHROME_PART = Part(PartKind.CHROME)


def _clean(line: str) -> str:
    """A line's content: invisible marks as blanks, blank runs folded, quote markers and indentation off."""
    line = " ".join(_INVISIBLE.sub(" ", line).split())
    return line[_LEAD.match(line).end():]  # type: ignore[union-attr]


def _split_segments(text: str) -> list[tuple[int, int]]:
    """The spans of ``text`` between separators (empty spans dropped)."""
    spans = []
    pos = 0
    for m in _SEPARATOR.finditer(text):
        if m.start() > pos:
            spans.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        spans.append((pos, len(text)))
    return spans


def _is_counts(text: str) -> bool:
    part = _read_counts(text)
    return part is not None and part.labelled


def _is_source(text: str) -> bool:
    """A source app after a time ("Twitter for iPhone", "TweetDeck", "web"): a few words, no digits-only."""
    return 0 < len(text) <= MAX_NAME and any(c.isalpha() for c in text) and "@" not in text


def read_time(text: str) -> TimeShown | None:
    """A time as timelines show it, with an optional clock, source app and view count after it.

    >>> read_time("9:32 PM · Dec 19, 2021 · Twitter for iPhone").text
    '9:32 PM · Dec 19, 2021'
    """
    text = _clean(text)
    if not text or len(text) > MAX_PART_LINE:
        return None
    segments = _split_segments(text)
    if not segments:
        return None
    first, i = segments[0][0], 0
    clock = _CLOCK.fullmatch(text, *segments[0]) is not None
    if clock:
        if len(segments) < 2:
            return None
        i = 1
    date_start, date_end = segments[i]
    shown = text[date_start:date_end]
    relative = read_relative(shown)
    if relative is None and parse_shown_date(shown) is None:
        return None
    if clock and relative is not None:
        return None  # a clock goes with a date, never with "5h"
    for start, end in segments[i + 1:]:
        rest = text[start:end]
        if not (_is_counts(rest) or _is_source(rest)):
            return None
    raw = text[first:date_end]
    if parse_shown_date(raw) is None and relative is None:
        return None  # the clock and date together must still read as a date
    return TimeShown(raw, relative is not None, relative is None or relative.short)


def _read_counts(text: str) -> Part | None:
    pos, labelled, items = 0, False, 0
    while pos < len(text):
        m = _COUNT_ITEM.match(text, pos)
        if m is None or m.end() == pos:
            return None
        labelled = labelled or bool(m.group("label") or m.group("label2"))
        items += 1
        pos = m.end()
    return Part(PartKind.COUNTS, labelled=labelled) if items else None


def _strip_badges(name: str) -> str:
    """A name without the verified or protected label a copy glued after it."""
    lowered = name.lower()
    for badge in _BADGES:
        if lowered.endswith(badge):
            return name[:len(name) - len(badge)].rstrip(" ·")
    return name


def _is_chrome(text: str) -> bool:
    lowered = text.lower().rstrip(" ·")
    if lowered in _CHROME_LINES or lowered in _BADGES:
        return True
    words = lowered.replace("·", " ").split()
    if words and all(w in _FOLLOW_WORDS for w in words):
        return True  # "Follow Following Unfollow Blocked Unblock Pending Cancel"
    if len(lowered) > 80 or "@" in lowered:
        return False
    if lowered.startswith(_CHROME_OPENINGS):
        # "Translated from Spanish by Google", "Read 12 replies": short, and no sentence of a tweet
        return not lowered.endswith((".", "!", "?")) and len(lowered.split()) <= 6
    return lowered.endswith(_CHROME_ENDINGS) and len(lowered.split()) <= 6


def _is_name(text: str) -> bool:
    """Whether ``text`` can be a display name: short, no "@", some letter or symbol, not a byline."""
    if not text or len(text) > MAX_NAME or "@" in text or text[-1] in "—–-:":
        return False
    if _BYLINE.match(text) and " " in text:
        return False
    if _SPACED_DASH.search(text):
        return False  # "Headline – Source @handle": a credit after text, as attribution lines write it
    return any(not (c.isdigit() or c in " .,;:!?'\"()[]-–—·•|") for c in text)


def _read_header(text: str) -> Part | None:
    """``[name] @handle [· time]`` with one "@", or None."""
    at = text.find("@")
    if at < 0 or text.find("@", at + 1) >= 0:
        return None
    handle = _HANDLE.match(text, at + 1)
    if handle is None:
        return None
    before = text[:at]
    rest = text[handle.end():]
    time = None
    if rest.strip():
        time = read_time(rest)
        if time is None:
            if not _is_chrome(rest.strip().lstrip("·• ")):
                return None  # "@bob thanks!": a handle in a sentence
        elif not time.short:
            return None  # a header shows "5h", never "5 hours ago" alone: that is prose
    # "Jane Doe@janedoe·5h": a flattener glued the name and the handle; only a time right after the
    # handle says it is a header and not an e-mail address
    if before and not before.endswith(" ") and (time is None or not rest.lstrip().startswith(("·", "•"))):
        return None
    name = _strip_badges(before.strip()) if before.strip() else None
    if name is not None and (not _is_name(name) or _is_chrome(name)):
        return None
    return Part(PartKind.HEADER, name=name, handle=handle.group(0), time=time)


def _unlink(line: str) -> tuple[str, str | None]:
    """A line with its links as their text, and the status id of the first link to a tweet."""
    if "](" not in line and "(http" not in line:
        return line, None
    status = None
    for m in (*_MARKDOWN_LINK.finditer(line), *_PRINTED_LINK.finditer(line)):
        ref = parse_status_url(m.group(m.lastindex or 1))
        if ref is not None and status is None:
            status = ref.id
    line = _MARKDOWN_LINK.sub(lambda m: m.group(1), line)
    return _PRINTED_LINK.sub("", line), status


def read_part(line: str) -> Part:
    """What one line of a copied timeline is.

    >>> read_part("ICRC Syria @ICRC_sy 5h5 hours ago").name
    'ICRC Syria'
    """
    part = _read_part(line)
    if part.kind in (PartKind.HEADER, PartKind.TIME):
        status = _unlink(line)[1]
        if status is not None:
            return Part(part.kind, part.name, part.handle, part.time, part.labelled, status)
    return part


def _content(line: str) -> str:
    """What a reader sees of a line: links as their text, no emphasis markers, blanks folded."""
    text = _clean(_unlink(line)[0])
    # "**Jane Doe**": emphasis (one to three "*" or "_") around the whole line
    marker = text[:min(3, len(text) - len(text.lstrip(text[:1])))] if text[:1] in ("*", "_") else ""
    if marker and len(text) > 2 * len(marker) and text.endswith(marker) and not text[len(marker)].isspace():
        return text[len(marker):-len(marker)].strip()
    return text


def _read_part(line: str) -> Part:
    if len(line) > MAX_PART_LINE + MAX_RAW_SLACK and "](" not in line and "(http" not in line:
        return _TEXT_PART  # longer than any part, whatever blanks and marks folding takes off
    text = _content(line)
    if not text:
        return _BLANK_PART
    if len(text) > MAX_PART_LINE:
        return _TEXT_PART
    if _LONE_SEPARATOR.fullmatch(text):
        return Part(PartKind.SEPARATOR)
    if "@" in text:
        if _REPLY.match(text):
            return Part(PartKind.REPLY)
        if text.lower().startswith(("follow @", "seguir a @", "folgen @", "suivre @")):
            return _CHROME_PART
        header = _read_header(text)
        return header if header is not None else _TEXT_PART
    if _MEDIA_LINE.fullmatch(text):
        return Part(PartKind.MEDIA)
    time = read_time(text)
    if time is not None:
        return Part(PartKind.TIME, time=time)
    counts = _read_counts(text)
    if counts is not None:
        return counts
    if _is_chrome(text):
        return _CHROME_PART
    return _TEXT_PART


def _tweet_chars(body: str) -> int:
    """A body's length as Twitter counts it: links as 23 characters, media free, blanks folded."""
    body = _PRINTED_TARGET.sub("", body)
    body = _URL.sub(lambda m: "" if "pic." in m.group(0)[:12] else "x" * TCO_LENGTH, body)
    return len(" ".join(body.split()))


class _Lines:
    """The lines of a text, read around anchors, each line's part read once."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._parts: dict[int, Part] = {}

    def end_of(self, start: int) -> int:
        end = self.text.find("\n", start)
        return len(self.text) if end < 0 else end

    def next_start(self, start: int) -> int | None:
        end = self.end_of(start)
        return end + 1 if end < len(self.text) else None

    def prev_start(self, start: int, floor: int) -> int | None:
        """The start of the line before the one at ``start``, when it is short enough to be a part
        and does not begin before ``floor``; else None."""
        if start <= floor:
            return None
        window = max(floor, start - 1 - MAX_PART_LINE - 1)
        nl = self.text.rfind("\n", window, start - 1)
        if nl < 0:
            return window if window == floor else None
        return nl + 1

    def part(self, start: int) -> Part:
        found = self._parts.get(start)
        if found is None:
            end = self.text.find("\n", start, start + MAX_PART_LINE * 2 + 1)
            if end < 0 and len(self.text) - start > MAX_PART_LINE * 2:
                found = _TEXT_PART  # a line longer than any part can be
            else:
                found = read_part(self.text[start:end if end >= 0 else len(self.text)])
            self._parts[start] = found
        return found


# Where a copy's body stops: the parts that follow a tweet's text.
_FOOTER_KINDS = frozenset((PartKind.TIME, PartKind.COUNTS, PartKind.CHROME, PartKind.SEPARATOR, PartKind.MEDIA))


@dataclass(slots=True)
class _Reading:
    """A copy being assembled: what has been found so far."""

    start: int
    name: str | None
    handle: str
    time: TimeShown | None
    status: str | None = None


def find_copies(text: str, blank_paragraphs: bool) -> Iterator[TimelineCopy]:
    """Every timeline copy in ``text``, in order. ``blank_paragraphs``: the text separates paragraphs
    with blank lines (else every line is a paragraph), which tells how far a body without footer goes.

    >>> [c.handle for c in find_copies("Jane Doe @jane · 5h\\nSnow on the bridge\\n", False)]
    ['jane']
    """
    lines = _Lines(text)
    floor = 0  # no copy reaches back before the previous one's end
    pos = 0
    n = len(text)
    while (at := text.find("@", pos)) >= 0:
        line_start = text.rfind("\n", pos, at) + 1 or pos
        line_end = lines.end_of(at)
        pos = line_end + 1
        if at - line_start > MAX_HEADER_SIDE or line_end - at > MAX_HEADER_SIDE:
            continue  # too much before the "@" for a name, or after the handle for a time: prose
        if at > line_start and text[at - 1] not in _BEFORE_HANDLE and not _GLUED_TIME.match(text, at + 1):
            continue  # "desk@example.org", "(@handle)": no header's "@" follows a word or a bracket
        if lines.part(line_start).kind is not PartKind.HEADER:
            continue
        copy = _assemble(lines, line_start, floor, blank_paragraphs)
        if copy is not None:
            yield copy
            floor = copy.end
            pos = max(pos, copy.end)
        if pos > n:
            break


def _assemble(lines: _Lines, header_at: int, floor: int, blank_paragraphs: bool,
              quoted: bool = False) -> TimelineCopy | None:
    """The copy whose header line starts at ``header_at``, read from its parts, or None. ``quoted``:
    the copy is a quoted tweet inside another, which holds no quote of its own."""
    header = lines.part(header_at)
    assert header.handle is not None
    reading = _Reading(header_at, header.name, header.handle, header.time, header.status)
    if reading.name is None and not _name_above(lines, reading, floor):
        return None
    if reading.time is None:
        _time_above(lines, reading, floor)
    limit = header_at + MAX_COPY_CHARS
    at: int | None = _after_header(lines, header_at, reading, limit)
    # The reply context and chrome between the header and the text.
    while at is not None and at < limit and lines.part(at).kind in (PartKind.BLANK, PartKind.REPLY, PartKind.CHROME):
        at = lines.next_start(at)
    if at is None or at >= limit or lines.part(at).kind is not PartKind.TEXT:
        return None
    body = _body(lines, at, limit, blank_paragraphs)
    if body is None:
        return None
    body_start, body_end, footer_at = body.start, body.first_end, body.footer_at
    quote = None
    if footer_at is not None:
        body_end = body.all_end
    elif body.nested_at is not None and reading.time is None and not quoted:
        # A permalink copy quoting a tweet: the quoted tweet's header, text and time sit between this
        # tweet's text and its footer, which holds this tweet's time.
        inner = _assemble(lines, body.nested_at, body.all_end, blank_paragraphs, quoted=True)
        after = lines.next_start(inner.body_end) if inner is not None and inner.body_end < len(lines.text) else None
        if after is not None and _footer(lines, after, limit)[1] is not None:
            footer_at, body_end, quote = after, body.all_end, inner
    end = body_end
    if footer_at is not None:
        end, footer_time, footer_status = _footer(lines, footer_at, limit)
        if reading.time is None:
            reading.time = footer_time
        reading.status = reading.status or footer_status
    if reading.time is None or reading.name is None:
        return None
    return TimelineCopy(reading.start, end, reading.name, reading.handle, reading.time.text, body_start, body_end,
                        reading.status, quote)


def _name_above(lines: _Lines, reading: _Reading, floor: int) -> bool:
    """A handle-only header takes its name from a short line above it (X's layout: name, handle,
    "·" and time each on a line of their own), past blanks and badge labels."""
    at: int | None = reading.start
    for _ in range(MAX_NAME_GAP + 1):
        at = lines.prev_start(at, floor) if at is not None else None
        if at is None:
            return False
        part = lines.part(at)
        if part.kind is PartKind.BLANK or (part.kind is PartKind.CHROME and _content(_line(lines, at)).lower() in _BADGES):
            continue
        if part.kind is not PartKind.TEXT:
            return False
        name = _strip_badges(_content(_line(lines, at)))
        if not _is_name(name):
            return False
        reading.name, reading.start = name, at
        return True
    return False


def _time_above(lines: _Lines, reading: _Reading, floor: int) -> None:
    """TweetDeck's older columns put the time before the name: a short time on the line above."""
    at = lines.prev_start(reading.start, floor)
    for _ in range(MAX_NAME_GAP):
        if at is None or lines.part(at).kind is not PartKind.BLANK:
            break
        at = lines.prev_start(at, floor)
    if at is not None and lines.part(at).kind is PartKind.TIME:
        time = lines.part(at).time
        if time is not None and time.short:
            reading.time, reading.start = time, at


def _line(lines: _Lines, start: int) -> str:
    return lines.text[start:lines.end_of(start)]


def _after_header(lines: _Lines, header_at: int, reading: _Reading, limit: int) -> int | None:
    """Past the header's tail: blank lines, separators, follow buttons and badges, and the time
    when the header line did not hold it ("·" and "5h" on lines of their own)."""
    at = lines.next_start(header_at)
    while at is not None and at < limit:
        part = lines.part(at)
        if part.kind is PartKind.TIME and reading.time is None and part.time is not None and part.time.short:
            reading.time = part.time
            reading.status = reading.status or part.status
        elif part.kind not in (PartKind.BLANK, PartKind.SEPARATOR, PartKind.CHROME):
            return at
        at = lines.next_start(at)
    return at


@dataclass(frozen=True, slots=True)
class _Body:
    """Where a body starts, where its first paragraph (or line) ends, where all its lines end, and
    what stopped it: a footer part, or the header of another copy (a quoted tweet, or the next copy)."""

    start: int
    first_end: int
    all_end: int
    footer_at: int | None
    nested_at: int | None


def _body(lines: _Lines, first: int, limit: int, blank_paragraphs: bool) -> _Body | None:
    """The body from its first line: it runs to the first footer part; without a footer, it is the
    first paragraph (or line). None when no text line fits in a tweet."""
    text = lines.text
    ends: list[int] = []  # the end of each text line taken, in order
    paragraph_end = None  # the end of the first paragraph
    at: int | None = first
    footer_at = nested_at = None
    count = 0
    while at is not None and at < limit and count < MAX_COPY_LINES:
        part = lines.part(at)
        kind = part.kind
        if kind is PartKind.TEXT:
            ends.append(lines.end_of(at))
            if ends[-1] - first > TWEET_LIMIT and _tweet_chars(text[first:ends[-1]]) > TWEET_LIMIT:
                break  # already longer than a tweet: no footer further on can close this body
        elif kind is PartKind.MEDIA:
            ends.append(lines.end_of(at))  # attached media is always last: the text ends with it
            footer_at = lines.next_start(at)
            if footer_at is None:
                footer_at = len(text)
            break
        elif kind is PartKind.BLANK:
            if paragraph_end is None and ends:
                paragraph_end = ends[-1]
        elif kind is PartKind.HEADER:
            nested_at = at
            if part.name is None and ends:
                ends.pop()  # the line above a handle-only header is that copy's name
                if paragraph_end is not None and paragraph_end > (ends[-1] if ends else first):
                    paragraph_end = None
            break
        elif kind is PartKind.TIME and _next_kind(lines, at) is PartKind.HEADER:
            break  # TweetDeck's time above the next copy's header
        elif kind in _FOOTER_KINDS and _footer_starts(lines, at, part):
            footer_at = at
            break
        elif kind is PartKind.REPLY:
            break
        else:
            ends.append(lines.end_of(at))  # a lone number with no footer after it: a line of the text
        at = lines.next_start(at)
        count += 1
    if not ends:
        return None
    first_end = ends[0] if not blank_paragraphs else (paragraph_end or ends[-1])
    if _tweet_chars(text[first:first_end]) > TWEET_LIMIT:
        return None  # longer than any tweet: prose after a header-shaped line
    all_end = ends[-1] if _tweet_chars(text[first:ends[-1]]) <= TWEET_LIMIT else first_end
    return _Body(first, first_end, all_end, footer_at, nested_at)


def _next_kind(lines: _Lines, at: int) -> PartKind | None:
    """The kind of the next line that is not blank (None at the end), looking a few lines ahead."""
    nxt = lines.next_start(at)
    for _ in range(MAX_NAME_GAP):
        if nxt is None or lines.part(nxt).kind is not PartKind.BLANK:
            break
        nxt = lines.next_start(nxt)
    return None if nxt is None else lines.part(nxt).kind


def _footer_starts(lines: _Lines, at: int, part: Part) -> bool:
    """Whether a footer-shaped line ends the body: a time, a labelled count or chrome does; a lone
    number ("12") only with more footer after it, since a tweet's text may hold a number line."""
    if part.kind is not PartKind.COUNTS or part.labelled:
        return True
    kind = _next_kind(lines, at)
    return kind is None or kind in _FOOTER_KINDS or kind is PartKind.HEADER


def _footer(lines: _Lines, first: int, limit: int) -> tuple[int, TimeShown | None, str | None]:
    """Where the footer from ``first`` ends, the first time it shows and the status its link names."""
    end = first
    time = None
    status = None
    at: int | None = first
    count = 0
    while at is not None and at < limit and count < MAX_COPY_LINES:
        part = lines.part(at)
        if part.kind is PartKind.BLANK:
            pass
        elif part.kind in _FOOTER_KINDS:
            if part.kind is PartKind.TIME and time is None:
                time, status = part.time, part.status
            end = lines.end_of(at)
        else:
            break
        at = lines.next_start(at)
        count += 1
    return max(end, first), time, status
