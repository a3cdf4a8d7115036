"""Timeline copies: a generator combines the parts of every attested layout (header forms, times,
badges, chrome, footers, names in several scripts) and the parser must give back each field exactly;
prose that merely holds handles and times must give nothing; the part recognisers one by one."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tweetparse
from tweetparse.dates import read_relative
from tweetparse.timeline import PartKind, find_copies, read_part, read_time

NAMES = ["Jane Doe", "Coast Rescue North", "ICRC Syria", "Мария Иванова", "山田太郎", "محمد علي", "Ελένη Παππά",
         "Jane 🌊 Doe", "Dr. Ama Mensah", "Jo (she/her)", "São Paulo FC ⚽", "김민준", "Đorđe Balašević", "X",
         "The Weather Desk ☔", "NASA", "Ayşe Yılmaz", "תל אביב עירייה", "नरेंद्र", "A-Team News"]
BODIES = [
    "All 14 crew members are safe ashore. Thank you to the lifeboat volunteers #rescue",
    "HAPPENING NOW: buses crossing the frontline with civilians, some critically wounded. @SYRedCrescent",
    "Snow on the bridge tonight, drive slowly 🚗❄️ https://t.co/AbCdEf1234",
    "Wir sind heute mit 20 Teams vor Ort. Danke an alle Helferinnen und Helfer! #Hochwasser",
    "本日の運行は終了しました。明日は始発から通常運転の予定です。",
    "La carretera está cortada por la nieve, eviten desplazamientos innecesarios",
    "Vote passed 61 to 39. Details to follow",
    "Thread 🧵 on what we learned this week:",
]
SECOND_LINES = ["More soon.", "1/ Details below", "Stay safe everyone ❤️", "#update"]
# (time as written in the header, whether it resolves against a reference)
HEADER_TIMES = ["5h", "12m", "now", "3d", "5h5 hours ago", "35m35 minutes ago", "Dec 13", "13 Dec 2016",
                "Dec 13, 2016", "3 Std.", "hace 3 h", "vor 3 Std.", "il y a 3 h", "3 h", "12月13日", "2016年12月13日",
                "3 Std.vor 3 Stunden", "3 hhace 3 horas", "3時間"]
FOOTER_TIMES = ["7:46 AM - 9 Dec 2016", "9:32 PM · Dec 19, 2021", "21:32 · 19. Dez. 2021", "11:05 · 3 dic. 2020",
                "午後9:32 · 2021年12月19日", "9:32 p. m. · 19 dic. 2021"]
SOURCES = ["Twitter for iPhone", "Twitter Web App", "TweetDeck", "Twitter for Android", "Hootsuite Inc."]
BADGES = ["", "\u200fVerified account", "\u200f", " \u200e"]
LAYOUTS = ["legacy-timeline", "legacy-permalink", "x-timeline", "x-permalink", "tweetdeck", "tweetdeck-time-above",
           "glued", "markdown-links"]
PROSE_BEFORE = "The storm reached the coast overnight and the harbour was closed to all traffic until noon."
PROSE_AFTER = "Officials said the work would finish before the summer season, according to the harbour office."


@dataclass
class Copy:
    text: str
    name: str
    handle: str
    date_text: str
    body: str
    status_id: str | None = None
    quoted: bool = False


@st.composite
def copies(draw: st.DrawFn) -> tuple[Copy, bool]:
    """A copy in one of the attested layouts, with prose around it; and the paragraph layout."""
    name = draw(st.sampled_from(NAMES))
    handle = draw(st.from_regex(r"[A-Za-z0-9_]{1,15}", fullmatch=True))
    layout = draw(st.sampled_from(LAYOUTS))
    blank = draw(st.booleans())
    badge = draw(st.sampled_from(BADGES)) if layout.startswith("legacy") else ""
    footer_time = draw(st.sampled_from(FOOTER_TIMES))
    source = draw(st.sampled_from(["", *SOURCES]))
    header_time = draw(st.sampled_from(HEADER_TIMES))
    first = draw(st.sampled_from(BODIES))
    reply = draw(st.sampled_from(["", "Replying to @someone", "Replying to @a_b and @c"]))
    media = draw(st.sampled_from(["", "pic.twitter.com/v5ZoIoG6B7"]))
    after_body = draw(st.sampled_from(["", "Translate Tweet", "Translate post", "Show this thread", "Show more"]))
    counts = draw(st.sampled_from([[], ["1,234 Retweets 5,678 Likes"], ["0 replies 307 retweets 668 likes", "Reply",
                                                                         "Retweet 307", "Like 668"],
                                   ["1,234 Retweets", "56 Quote Tweets", "5,678 Likes"],
                                   ["·", "3.4M", "Views", "1.2K", "Reposts", "56", "Quotes", "12", "Bookmarks"],
                                   ["12", "34", "1.2K"]]))
    footer: list[str] = []
    status_id = None
    quoted = False
    with_time_footer = layout in ("legacy-permalink", "x-permalink")
    if with_time_footer:
        footer.append(footer_time + (draw(st.sampled_from([" · ", "·"])) + source if source else ""))
    footer += counts
    footer += [after_body] if after_body else []
    # A body of several lines only where a footer closes it; else one line (or paragraph).
    closed = bool(media or footer)
    body_lines = [first] + ([draw(st.sampled_from(SECOND_LINES))] if closed and draw(st.booleans()) else [])
    if media:
        body_lines.append(media)
    if layout == "legacy-timeline":
        header = [f"{name}{badge} @{handle} {header_time}"]
        date = header_time
    elif layout == "legacy-permalink":
        follow = draw(st.sampled_from(["Follow", "Follow Following Unfollow Blocked Unblock Pending Cancel", "More"]))
        header = [f"{name}{badge} @{handle}", follow]
        date = footer_time
    elif layout == "x-timeline":
        header = [name, f"@{handle}", "·", header_time]
        date = header_time
    elif layout == "x-permalink":
        header = [name, f"@{handle}"] + draw(st.sampled_from([[], ["Follow"]]))
        date = footer_time
        if not media and draw(st.booleans()):  # a quoted tweet's card between the text and the footer
            body_lines += [draw(st.sampled_from(NAMES)), "@quoted_acct", "·", draw(st.sampled_from(HEADER_TIMES)),
                           draw(st.sampled_from(BODIES))]
            quoted = True
    elif layout == "tweetdeck":
        header = [f"{name} @{handle} {header_time}"]
        date = header_time
    elif layout == "tweetdeck-time-above":
        time = draw(st.sampled_from(["5h", "12m", "now", "Dec 13"]))
        header = [time, f"{name} @{handle}"]
        date = time
    elif layout == "markdown-links":  # a markdown converter of a saved X page: links kept, time links the tweet
        status_id = str(draw(st.integers(10**17, 10**19)))
        name_line = draw(st.sampled_from([f"**{name}**", f"[{name}](https://twitter.com/{handle})", name]))
        header = [name_line, f"[@{handle}](https://twitter.com/{handle})", "·",
                  f"[{header_time}](https://twitter.com/{handle}/status/{status_id})"]
        date = header_time
    else:  # glued: a flattener's textContent joins name, handle and time
        header = [f"{name}@{handle}·{header_time}"]
        date = header_time
    if reply:
        header.append(reply)
    sep = "\n\n" if blank else "\n"
    body = sep.join(body_lines[:-5] if quoted else body_lines)
    parts = [PROSE_BEFORE, *header, sep.join(body_lines), *footer, PROSE_AFTER]
    return Copy(sep.join(parts), name, handle, date, body, status_id, quoted), blank


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(copies())
def test_every_layout_gives_back_each_field(case: tuple[Copy, bool]) -> None:
    copy, blank = case
    found = list(find_copies(copy.text, blank))
    assert len(found) == 1, copy.text
    [got] = found
    assert (got.name, got.handle, got.date_text, got.status_id) == (copy.name, copy.handle, copy.date_text,
                                                                    copy.status_id), copy.text
    assert copy.text[got.body_start:got.body_end] == copy.body, copy.text
    assert (got.quoted is not None and got.quoted.handle == "quoted_acct") == copy.quoted, copy.text
    assert got.start <= copy.text.index("@" + copy.handle) and got.body_end <= got.end
    assert copy.text[got.end:].strip() == PROSE_AFTER, copy.text  # chrome and counts belong to the copy
    assert PROSE_BEFORE not in copy.text[got.start:got.end]


@settings(max_examples=200, deadline=None)
@given(st.lists(copies(), min_size=2, max_size=4), st.booleans())
def test_copies_in_a_row_are_each_found(cases: list[tuple[Copy, bool]], blank: bool) -> None:
    sep = "\n\n" if blank else "\n"
    text = sep.join(c.text.replace("\n\n", sep) for c, _ in cases)
    found = list(find_copies(text, blank))
    assert [(f.name, f.handle) for f in found] == [(c.name, c.handle) for c, _ in cases], text


@st.composite
def prose_with_handles(draw: st.DrawFn) -> str:
    """Article prose, bylines, follow lines, lists and tables that hold handles and times but no copy."""
    handle = draw(st.from_regex(r"[A-Za-z0-9_]{1,15}", fullmatch=True))
    name = draw(st.sampled_from(NAMES))
    n = draw(st.integers(1, 59))
    lines = draw(st.lists(st.sampled_from([
        f"I spoke to @{handle} {n} hours ago",
        f"I spoke to @{handle} {n} hours ago.",
        f"By {name} @{handle} Dec 13, 2016",
        f"By Jane Doe @{handle} · {n}h",
        f"Follow us @{handle}",
        f"Follow {name} on Twitter @{handle}",
        f"@{handle} @other @third",
        f"{name} @{handle}",
        f"{name} @{handle} {n},234 tweets",
        f"Contact the desk at desk@example.org or @{handle} for updates, {n} days ago we said so.",
        f"The account @{handle} posted about it {n} days ago and later deleted the post.",
        f"{name}\n@{handle}\nFollow",
        "Related Content",
        f"Account | Tweets | Followers\n@{handle} | {n},234 | 5,678",
        PROSE_AFTER,
    ]), min_size=1, max_size=8))
    return draw(st.sampled_from(["\n", "\n\n"])).join(lines)


@settings(max_examples=400, deadline=None)
@given(prose_with_handles())
def test_prose_with_handles_and_times_is_no_copy(text: str) -> None:
    assert list(find_copies(text, "\n\n" in text)) == [], text


@pytest.mark.parametrize("line, kind", [
    ("ICRC Syria @ICRC_sy 5h5 hours ago", PartKind.HEADER),
    ("CNN\u200fVerified account @CNN 35m35 minutes ago", PartKind.HEADER),
    ("@janedoe", PartKind.HEADER),
    ("> Jane Doe @jane · Dec 13", PartKind.HEADER),
    ("·", PartKind.SEPARATOR),
    ("5h", PartKind.TIME),
    ("7:46 AM - 9 Dec 2016", PartKind.TIME),
    ("9:32 PM · Dec 19, 2021·Twitter for iPhone", PartKind.TIME),
    ("9:32 PM · Dec 19, 2023 · 3.4M Views", PartKind.TIME),
    ("about 5 hours ago via web", PartKind.TIME),
    ("1,234 Retweets 5,678 Likes", PartKind.COUNTS),
    ("1.2K Reposts", PartKind.COUNTS),
    ("Like 668", PartKind.COUNTS),
    ("12", PartKind.COUNTS),
    ("1,234件のリツイート", PartKind.COUNTS),
    ("Follow Following Unfollow Blocked Unblock Pending Cancel", PartKind.CHROME),
    ("Show this thread", PartKind.CHROME),
    ("Translate post", PartKind.CHROME),
    ("Translated from Spanish by Google", PartKind.CHROME),
    ("Jane Doe Retweeted", PartKind.CHROME),
    ("Follow @janedoe", PartKind.CHROME),
    ("Replying to @x and 2 others", PartKind.REPLY),
    ("pic.twitter.com/v5ZoIoG6B7", PartKind.MEDIA),
    ("", PartKind.BLANK),
    ("I spoke to @jane 5 hours ago", PartKind.TEXT),
    ("By Jane Doe @jdoe Dec 13, 2016", PartKind.TEXT),
    ("Write to jo@example.org · 5h", PartKind.TEXT),
    ("@bob thanks for the tip!", PartKind.TEXT),
    ("Twelve people were rescued from the trawler.", PartKind.TEXT),
])
def test_part_recognisers(line: str, kind: PartKind) -> None:
    assert read_part(line).kind is kind


@pytest.mark.parametrize("text, shown", [
    ("· 2h", "2h"), ("9:32 PM · Dec 19, 2021 · Twitter Web App", "9:32 PM · Dec 19, 2021"),
    ("7:46 AM - 9 Dec 2016", "7:46 AM - 9 Dec 2016"), ("Dec 13", "Dec 13"), ("hace 3 h", "hace 3 h"),
])
def test_time_keeps_what_was_shown_without_the_source_app(text: str, shown: str) -> None:
    found = read_time(text)
    assert found is not None and found.text == shown


@pytest.mark.parametrize("text", ["12:30", "9:32 PM · 5h", "Dec 13 · @jane", "Tuesday", "2016"])
def test_not_times(text: str) -> None:
    assert read_time(text) is None


@pytest.mark.parametrize("time, created_at, precision", [
    ("5h", "2020-03-01T10:00:00Z", "hour"), ("5h5 hours ago", "2020-03-01T10:00:00Z", "hour"),
    ("35m", "2020-03-01T14:55:00Z", "minute"), ("now", "2020-03-01T15:30:00Z", "minute"),
    ("vor 3 Std.", "2020-03-01T12:00:00Z", "hour"), ("hace 3 h", "2020-03-01T12:00:00Z", "hour"),
    ("il y a 3 h", "2020-03-01T12:00:00Z", "hour"), ("3時間", "2020-03-01T12:00:00Z", "hour"),
    ("2d", "2020-02-28", "day"), ("Dec 13", "2019-12-13", "day"), ("12月13日", "2019-12-13", "day"),
])
def test_every_time_resolves_against_the_reference(time: str, created_at: str, precision: str) -> None:
    text = f"Harbour Watch @harbourwatch {time}\nFerries running again from noon\n"
    [tweet] = tweetparse.extract(text, kind="text", reference_time=datetime(2020, 3, 1, 15, 30, tzinfo=UTC))
    assert (tweet.created_at, tweet.created_at_precision, tweet.created_at_source) == (created_at, precision, time)


@pytest.mark.parametrize("text, seconds, unit, short", [
    ("3 Std.", 3 * 3600, "hour", True), ("vor 3 Std.", 3 * 3600, "hour", True), ("il y a 3 h", 3 * 3600, "hour", True),
    ("3 hhace 3 horas", 3 * 3600, "hour", True), ("about an hour ago", 3600, "hour", False),
    ("less than a minute ago", 60, "minute", False), ("3 ore fa", 3 * 3600, "hour", False),
    ("3 часа назад", 3 * 3600, "hour", False), ("há 2 dias", 2 * 86400, "day", False), ("now", 0, "minute", True),
    ("Just now", 0, "minute", True), ("3時間前", 3 * 3600, "hour", True),
])
def test_relative_wordings(text: str, seconds: int, unit: str, short: bool) -> None:
    found = read_relative(text)
    assert found is not None and (found.delta.total_seconds(), found.unit, found.short) == (seconds, unit, short)


@pytest.mark.parametrize("text", ["5h3 days ago", "5 hours", "hace 3 horas ago", "in 3 hours", "1,234", "Dec 13"])
def test_not_relative(text: str) -> None:
    assert read_relative(text) is None


def test_a_long_line_after_a_header_is_prose_not_a_body() -> None:
    text = "Jane Doe @jane 5h\n" + "The council met again on Tuesday to discuss the ferry timetable. " * 10 + "\n"
    assert list(find_copies(text, False)) == []


def test_the_next_copys_name_is_not_the_body() -> None:
    text = "Jane Doe\n@jane\n·\n5h\nFirst tweet\nJohn Roe\n@john\n·\n2h\nSecond tweet\n"
    found = list(find_copies(text, False))
    assert [(c.name, text[c.body_start:c.body_end]) for c in found] == [("Jane Doe", "First tweet"),
                                                                           ("John Roe", "Second tweet")]


def test_a_quoted_tweet_in_a_permalink_copy_is_the_records_quote() -> None:
    text = ("Dr Amara Okafor\n@AmaraOkaforMP\nThis is why the night buses matter.\nTransport Desk\n@transportdesk\n"
            "·\nDec 18, 2021\nNight bus routes to be cut from January\n9:32 PM · Dec 19, 2021\n1,234 Retweets\n")
    [tweet] = tweetparse.extract(text, kind="text")
    assert (tweet.handle, tweet.text, tweet.created_at) == ("AmaraOkaforMP", "This is why the night buses matter.",
                                                            "2021-12-19")
    assert tweet.quoted is not None
    assert (tweet.quoted.handle, tweet.quoted.text) == ("transportdesk", "Night bus routes to be cut from January")
