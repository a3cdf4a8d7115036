"""The linear rewrites of the text stage's patterns find exactly what the backtracking originals found.

Each original is kept here as the reference and run against its replacement on many short random
strings built from the characters that matter to it (short, so the originals' quadratic cost stays small).
"""
from __future__ import annotations

import random
import re
from typing import Any

import pytest

from tweetparse import dates, text
from tweetparse.build import Context
from tweetparse.text import AttributionLines, TimelineCopies

CASES = 4000

_OLD_HEADER = re.compile(
    r"^[ \t>]*(?P<name>[^\n@]{1,50}?)[ \t]+@(?P<handle>[A-Za-z0-9_]{1,15})(?![A-Za-z0-9_])[ \t]*(?:[·•][ \t]*)?"
    r"(?P<date>[^\n@]{1,40}?)[ \t]*$",
    re.MULTILINE,
)
_OLD_LINE_PREFIX_FULL = re.compile(r"[ \t]*(?:\[?[ \t]*>[ \t]?)*[ \t]*")
_OLD_QUOTED = re.compile(r"[ \t]*\[?[ \t]*>")
_OLD_TIME_OF_DAY = re.compile(r"[ \t]*(?:at[ \t]+)?\d{1,2}:\d{2}(?:[ \t]*[AaPp]\.?[Mm]\.?)?")
_OLD_HEADING = re.compile(r"[ \t]*(?:[^\W\d_][\w'’&.-]*[ \t]+){1,7}[^\W\d_][\w'’&.-]*[ \t]*")
_FLAT_MONTHS = "|".join(sorted((re.escape(n) for n in dates._MONTH_TO_NUMBER if " " not in n), key=len, reverse=True))
_OLD_DATE_TEXT = re.compile(
    r"(?:\d{4}\s*[年년]\s*\d{1,2}\s*[月월]\s*\d{1,2}\s*[日일]?"
    r"|(?:(?:" + _FLAT_MONTHS + r")\.?\s+\d{1,2}(?:st|nd|rd|th)?,?(?:\s+\d{4})?"
    r"|\d{1,2}(?:st|nd|rd|th)?\.?\s+(?:de\s+)?(?:" + _FLAT_MONTHS + r")\.?(?:,?\s+(?:de\s+)?\d{4})?(?:\s*(?:г|р)\.)?))"
    r"(?!\w)",
    re.IGNORECASE,
)


def _random_text(rng: random.Random, pieces: list[str], most: int) -> str:
    return "".join(rng.choice(pieces) for _ in range(rng.randint(0, most)))


def _header_tuples(found: Any) -> list[tuple[int, int, str, str, str]]:
    # Lines whose "date" holds no digit (a blank, a lone "·") never parse as a date or a relative
    # time: the old regex matched some of them, the reader skips them; neither makes a record.
    return [(h[0], h[1], h[2], h[3], h[4]) for h in found if any(c.isdigit() for c in h[4])]


def test_timeline_headers_are_the_ones_the_single_regex_found() -> None:
    rng = random.Random(1)
    pieces = [" ", " ", "  ", "\t", ">", "\n", "@", "@jane", "@x", "@" + "a" * 16, "Jane", "J", "·", "•", " · ",
              "5h", "13 Dec 2016", "x" * 45, "—", "(", "\r", "_"]
    for _ in range(CASES):
        view = _random_text(rng, pieces, 14)
        old = [(m.start(), m.end(), m.group("name"), m.group("handle"), m.group("date")) for m in _OLD_HEADER.finditer(view)]
        assert _header_tuples(TimelineCopies._headers(view)) == _header_tuples(old), repr(view)


@pytest.mark.parametrize(
    "line,name,date",
    [("ICRC Syria @ICRC_sy 5h5 hours ago", "ICRC Syria", "5h5 hours ago"),
     ("> Jane Doe  @jane · Dec 13", "Jane Doe", "Dec 13"),
     (">> @jane 5h", ">", "5h"),  # quote markers running into the gap: the old regex's cut, kept
     ("   @jane 5h", " ", "5h")],
)
def test_timeline_header_parts(line: str, name: str, date: str) -> None:
    [header] = TimelineCopies._headers("before\n" + line + "\nafter")
    assert (header.name, header.date) == (name, date)
    assert (header.name, header.date) == _OLD_HEADER.search(line).group("name", "date")  # type: ignore[union-attr]
    assert header.start == len("before\n") and header.end == len("before\n") + len(line)


def test_line_prefix_check_agrees_with_fullmatch() -> None:
    rng = random.Random(2)
    for _ in range(CASES):
        s = _random_text(rng, [" ", "\t", ">", "[", "  ", "x"], 12)
        assert text._is_line_prefix(s) == bool(_OLD_LINE_PREFIX_FULL.fullmatch(s)), repr(s)


def test_quoted_line_agrees_with_the_inline_pattern() -> None:
    rng = random.Random(3)
    for _ in range(CASES):
        s = _random_text(rng, [" ", "\t", ">", "[", "  ", "x", "Jane "], 10)
        assert (text._QUOTED_LINE.match(s) is not None) == (_OLD_QUOTED.match(s) is not None), repr(s)


def test_time_of_day_after_blanks_ends_where_it_did() -> None:
    rng = random.Random(4)
    for _ in range(CASES):
        s = _random_text(rng, [" ", "\t", "at", "at ", "1", "12", ":", "30", "AM", "p.m.", "x"], 10)
        for pos in range(len(s) + 1):
            old = _OLD_TIME_OF_DAY.match(s, pos)
            new = AttributionLines.TIME_OF_DAY.match(s, AttributionLines.BLANKS.match(s, pos).end())  # type: ignore[union-attr]
            assert (old.end() if old else None) == (new.end() if new else None), (repr(s), pos)


def test_heading_agrees_on_whole_lines() -> None:
    rng = random.Random(5)
    for _ in range(CASES):
        s = _random_text(rng, [" ", "\t", "Via", "Some", "o'", "’s", "&", ".", "-", "9", "_", "é", "x", "#", "  "], 14)
        assert bool(text._HEADING.fullmatch(s)) == bool(_OLD_HEADING.fullmatch(s)), repr(s)


def test_date_text_finds_what_the_flat_alternation_found() -> None:
    rng = random.Random(6)
    names = [n for n in dates._MONTH_TO_NUMBER if " " not in n]
    # Letters that match a month name's letter only under IGNORECASE's Unicode rules.
    folds = ["K", "ſ", "İ", "ı", "ς", "ϐ", "ᲀ", "µ"]
    pieces = [" ", "  ", ".", ",", "de ", "13", "5", "2016", "th", "年", "12", "月", "日", "г.", "x", "\n"] + folds
    for _ in range(CASES):
        words = [rng.choice(names) for _ in range(3)]
        words = [w.upper() if rng.random() < 0.2 else w.title() if rng.random() < 0.3 else w for w in words]
        s = _random_text(rng, pieces + words + [w[:-1] for w in words], 10)
        assert [m.span() for m in dates.DATE_TEXT.finditer(s)] == [m.span() for m in _OLD_DATE_TEXT.finditer(s)], repr(s)
        for pos in range(0, len(s) + 1, 3):
            old, new = _OLD_DATE_TEXT.match(s, pos), dates.DATE_TEXT.match(s, pos)
            assert (old.span() if old else None) == (new.span() if new else None), (repr(s), pos)


def test_no_character_matches_two_branches_of_the_month_tree() -> None:
    # Else the nested alternation could pick a different name than the flat, longest-first one.
    names = [n for n in dates._MONTH_TO_NUMBER if " " not in n]
    everything = "".join(chr(i) for i in range(0x110000) if not 0xD800 <= i < 0xE000)
    letters = {c for n in names for c in n}
    matched_by = {c: set(re.findall(re.escape(c), everything, re.IGNORECASE)) for c in letters}
    branches: dict[str, set[str]] = {}  # a prefix -> the letters that continue it
    for name in names:
        for i, c in enumerate(name):
            branches.setdefault(name[:i], set()).add(c)
    for prefix, nexts in branches.items():
        seen: set[str] = set()
        for c in sorted(nexts):
            assert not matched_by[c] & seen, (prefix, c)
            seen |= matched_by[c]


def test_every_month_name_still_starts_a_date() -> None:
    for name in dates._MONTH_TO_NUMBER:
        if " " in name:
            continue
        for shown in (name, name.upper(), name.title()):
            for date_text in (f"{shown} 13, 2016", f"13 {shown} 2016"):
                assert bool(dates.DATE_TEXT.fullmatch(date_text)) == bool(_OLD_DATE_TEXT.fullmatch(date_text))
                # ("ΜΑΪ́ΟΥ": upper() spells "ΐ" in two characters, a form neither pattern reads)
                assert dates.DATE_TEXT.fullmatch(date_text) or len(shown) != len(name), date_text


def test_a_long_blank_line_before_an_attribution_costs_little() -> None:
    # Before: ~0.5 s per line in the timeline header regex; a hundred lines are now a few milliseconds.
    doc = ("\n" + " " * 3000 + "Snow again #cold\n— Jane (@jane) January 5, 2017") * 100
    tweets = list(text.find_in_text(doc, Context()))
    assert [t.text for t in tweets] == ["Snow again #cold"] * 100
