"""Status URL parsing, canonical URLs and snowflake times."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from tweetparse.urls import canonical_url, find_status_urls, iso_instant, parse_status_url, snowflake_time


@pytest.mark.parametrize("url, handle, status_id", [
    ("https://twitter.com/ICRC/status/809496864320012289", "ICRC", "809496864320012289"),
    ("https://twitter.com/ICRC/status/809496864320012289?ref_src=twsrc%5Etfw", "ICRC", "809496864320012289"),
    ("https://x.com/ICRC/status/809496864320012289", "ICRC", "809496864320012289"),
    ("http://mobile.twitter.com/ICRC/status/809496864320012289/photo/1", "ICRC", "809496864320012289"),
    ("https://m.twitter.com/ICRC/status/809496864320012289", "ICRC", "809496864320012289"),
    ("https://www.twitter.com/ICRC/statuses/809496864320012289", "ICRC", "809496864320012289"),
    ("http://twitter.com/#!/ICRC/status/20123456789", "ICRC", "20123456789"),
    ("https://twitter.com/i/web/status/809496864320012289", None, "809496864320012289"),
    ("//twitter.com/ICRC/status/809496864320012289", "ICRC", "809496864320012289"),
    ("https://twitter.com/X/status/809496864320012289", None, "809496864320012289"),  # generic path
])
def test_status_url_variants(url: str, handle: str | None, status_id: str) -> None:
    ref = parse_status_url(url)
    assert ref is not None and ref.handle == handle and ref.id == status_id


@pytest.mark.parametrize("url", [
    "https://twitter.com/ICRC", "https://twitter.com/intent/tweet?text=hi", "https://nytimes.com/ICRC/status/1",
    "https://twitter.com/search?q=status", "https://netflix.com/a/status/123",
])
def test_non_status_urls(url: str) -> None:
    assert parse_status_url(url) is None


def test_find_status_urls_gives_spans() -> None:
    text = "see https://twitter.com/a/status/123 and x.com/b/status/456"
    found = find_status_urls(text)
    assert [(r.handle, r.id) for r, _, _ in found] == [("a", "123")]  # a bare host without // is not a URL
    (_, start, end), = found
    assert text[start:end] == "https://twitter.com/a/status/123"


def test_canonical_url() -> None:
    assert canonical_url("ICRC", "1") == "https://twitter.com/ICRC/status/1"
    assert canonical_url(None, "1") == "https://twitter.com/i/web/status/1"


def test_snowflake_time_is_exact_to_the_millisecond() -> None:
    moment = snowflake_time("809496864320012289")
    assert moment is not None and iso_instant(moment) == "2016-12-15T20:34:26.835Z"
    # the id of the first snowflake era tweet in Nov 2010, and a pre-snowflake id
    assert snowflake_time("29700859247") is not None
    assert snowflake_time("20000000000") is None
    assert snowflake_time("not-a-number") is None


@pytest.mark.parametrize("moment", [
    datetime(2016, 12, 15, 20, 34, 26, 835999, tzinfo=UTC),
    datetime(2016, 12, 16, 1, 4, 26, 1000, tzinfo=timezone(timedelta(hours=5, minutes=30))),
    datetime(1000, 1, 1, tzinfo=UTC),
    datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
    datetime(999, 12, 31, 23, 59, 59, 500, tzinfo=UTC),  # before 1000: left to strftime
    datetime(5, 1, 2, 3, 4, 5, tzinfo=UTC),
])
def test_iso_instant_writes_what_strftime_writes(moment: datetime) -> None:
    utc = moment.astimezone(UTC)
    assert iso_instant(moment) == utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"
