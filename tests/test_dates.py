"""Shown dates in many languages, relative times, and how they become created_at."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tweetparse.build import Context, Draft, build
from tweetparse.dates import DATE_TEXT, parse_relative, parse_shown_date


@pytest.mark.parametrize("text, expected", [
    ("December 13, 2016", date(2016, 12, 13)),          # en
    ("13 Dec 2016", date(2016, 12, 13)),
    ("13. Dezember 2016", date(2016, 12, 13)),           # de
    ("13 décembre 2016", date(2016, 12, 13)),            # fr
    ("13 de diciembre de 2016", date(2016, 12, 13)),     # es
    ("13 dicembre 2016", date(2016, 12, 13)),            # it
    ("13 de dezembro de 2016", date(2016, 12, 13)),      # pt
    ("13 december 2016", date(2016, 12, 13)),            # nl, sv, da, no
    ("13. joulukuuta 2016", date(2016, 12, 13)),         # fi
    ("13 grudnia 2016", date(2016, 12, 13)),             # pl
    ("13. prosince 2016", date(2016, 12, 13)),           # cs
    ("13 декабря 2016 г.", date(2016, 12, 13)),          # ru
    ("13 грудня 2016 р.", date(2016, 12, 13)),           # uk
    ("13 Aralık 2016", date(2016, 12, 13)),              # tr
    ("١٣ ديسمبر ٢٠١٦", date(2016, 12, 13)),              # ar, Arabic-Indic digits
    ("2016年12月13日", date(2016, 12, 13)),               # ja, zh
    ("2016년 12월 13일", date(2016, 12, 13)),             # ko
    ("13 Desember 2016", date(2016, 12, 13)),            # id
    ("14. Juni 2018", date(2018, 6, 14)),
    ("1st May 2017", date(2017, 5, 1)),
    ("9:32 PM · Dec 19, 2021", date(2021, 12, 19)),       # rendered widget: viewer-local time dropped
    ("21:32 · 19. Dez. 2021", date(2021, 12, 19)),
])
def test_shown_dates_in_many_languages(text: str, expected: date) -> None:
    shown = parse_shown_date(text)
    assert shown is not None and shown.day == expected and shown.has_year
    assert DATE_TEXT.fullmatch(text) or any(c in text for c in "年년١·")


@pytest.mark.parametrize("text", ["Related Content", "UN Secretary-General", "June 2016", "2016", "12:30",
                                  "", "December", "next Tuesday at noon"])
def test_non_dates_are_rejected(text: str) -> None:
    assert parse_shown_date(text) is None


def test_year_less_date_is_marked() -> None:
    shown = parse_shown_date("Dec 13")
    assert shown is not None and not shown.has_year and (shown.day.month, shown.day.day) == (12, 13)


@pytest.mark.parametrize("text, seconds, unit", [
    ("5h", 5 * 3600, "hour"), ("5h5 hours ago", 5 * 3600, "hour"), ("2 days ago", 2 * 86400, "day"),
    ("12m", 12 * 60, "minute"), ("hace 3 horas", 3 * 3600, "hour"), ("vor 3 Stunden", 3 * 3600, "hour"),
    ("il y a 2 jours", 2 * 86400, "day"),
])
def test_relative_times(text: str, seconds: int, unit: str) -> None:
    parsed = parse_relative(text)
    assert parsed is not None
    assert parsed[0].total_seconds() == seconds and parsed[1] == unit


REF = datetime(2016, 12, 15, 12, 0, tzinfo=UTC)


def test_relative_time_resolves_against_reference_to_the_hour() -> None:
    tweet = build(Draft(form="t", handle="ICRC_sy", date_text="5h5 hours ago"), Context(reference_time=REF))
    assert (tweet.created_at, tweet.created_at_precision) == ("2016-12-15T07:00:00Z", "hour")
    assert tweet.created_at_source == "5h5 hours ago"


def test_relative_time_without_reference_keeps_only_the_source() -> None:
    tweet = build(Draft(form="t", handle="ICRC_sy", date_text="5h"), Context())
    assert tweet.created_at is None and tweet.created_at_precision is None
    assert tweet.created_at_source == "5h"


def test_year_less_date_takes_the_latest_such_day_on_or_before_the_reference() -> None:
    ctx = Context(reference_time=datetime(2017, 1, 5, tzinfo=UTC))
    assert build(Draft(form="t", date_text="Dec 13"), ctx).created_at == "2016-12-13"
    ctx = Context(reference_time=datetime(2017, 12, 13, 23, 0, tzinfo=UTC))
    assert build(Draft(form="t", date_text="Dec 13"), ctx).created_at == "2017-12-13"


def test_leap_day_without_year_goes_back_to_a_leap_year() -> None:
    ctx = Context(reference_time=datetime(2019, 3, 1, tzinfo=UTC))
    assert build(Draft(form="t", date_text="Feb 29"), ctx).created_at == "2016-02-29"


def test_snowflake_wins_over_the_shown_date_and_disagreement_warns() -> None:
    # 809496864320012289 was posted 2016-12-15T20:34:26.835Z
    same = build(Draft(form="t", id="809496864320012289", date_text="December 15, 2016"), Context())
    assert (same.created_at, same.created_at_precision) == ("2016-12-15T20:34:26.835Z", "millisecond")
    assert same.warnings == ()
    off = build(Draft(form="t", id="809496864320012289", date_text="March 2, 2015"), Context())
    assert off.created_at == "2016-12-15T20:34:26.835Z" and any("disagrees" in w for w in off.warnings)


def test_shown_date_a_day_off_the_snowflake_is_a_time_zone_not_a_warning() -> None:
    tweet = build(Draft(form="t", id="809496864320012289", date_text="December 16, 2016"), Context())
    assert tweet.warnings == ()


def test_pre_snowflake_id_keeps_the_shown_date() -> None:
    tweet = build(Draft(form="t", id="20000000000", date_text="July 2, 2010"), Context())
    assert (tweet.created_at, tweet.created_at_precision) == ("2010-07-02", "day")


def test_tweet_after_publication_warns() -> None:
    ctx = Context(published=datetime(2016, 12, 14, 9, 0, tzinfo=UTC))
    tweet = build(Draft(form="t", date_text="December 15, 2016"), ctx)
    assert any("after the article" in w for w in tweet.warnings)
    assert tweet.source.published == "2016-12-14T09:00:00.000Z"


def test_rendered_widget_time_keeps_only_the_day() -> None:
    tweet = build(Draft(form="t", handle="a", date_text="9:32 PM · Dec 19, 2021"), Context())
    assert (tweet.created_at, tweet.created_at_precision) == ("2021-12-19", "day")


@pytest.mark.parametrize("word, ok", [("december", True), ("dez", True), ("grudnia", True), ("كانون", True),
                                      ("account", False), ("said", False)])
def test_month_words_hold_the_first_word_of_every_month_name(word: str, ok: bool) -> None:
    from tweetparse.dates import MONTH_WORDS

    assert (word in MONTH_WORDS) is ok


def test_parse_shown_date_is_memoised() -> None:
    assert parse_shown_date("May 1, 2017") is parse_shown_date("May 1, 2017")


def test_no_character_matches_two_branches_of_the_month_tree() -> None:
    # Else the nested alternation of DATE_TEXT could pick another name than a flat, longest-first list would.
    import re

    from tweetparse import dates

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


def test_every_month_name_starts_a_date_in_every_case() -> None:
    from tweetparse import dates

    for name in dates._MONTH_TO_NUMBER:
        if " " in name:
            continue
        for shown in (name, name.upper(), name.title()):
            for date_text in (f"{shown} 13, 2016", f"13 {shown} 2016"):
                # ("ΜΑΪ́ΟΥ": upper() spells "ΐ" in two characters, a form no reader writes)
                assert DATE_TEXT.fullmatch(date_text) or len(shown) != len(name), date_text
