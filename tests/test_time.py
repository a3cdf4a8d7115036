"""Issue 6's bars for time, end to end: exact snowflake instants, references, precision, zones."""
from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from dateutil.parser import isoparse

import tweetparse
from tweetparse.dates import to_utc
from tweetparse.pagemeta import PUBLISHED_META, published_time
from tweetparse.urls import SNOWFLAKE_START_ID

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


@pytest.mark.skipif(not (CORPUS / "html" / "labels.json").exists(), reason="../shared/corpus absent")
def test_every_corpus_tweet_with_a_snowflake_id_has_its_exact_instant() -> None:
    labels = json.loads((CORPUS / "html" / "labels.json").read_text(encoding="utf-8"))
    checked = 0
    for article in labels["articles"]:
        for tweet in tweetparse.extract((CORPUS / "html" / article["path"]).read_bytes()):
            if tweet.platform == "twitter" and tweet.id and int(tweet.id) >= SNOWFLAKE_START_ID:
                ms = (int(tweet.id) >> 22) + 1288834974657
                expected = datetime.fromtimestamp(ms / 1000, tz=UTC)
                assert tweet.created_at == expected.strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms % 1000:03d}Z"
                assert tweet.created_at_precision == "millisecond"
                checked += 1
    assert checked >= 170


@pytest.mark.skipif(not (CORPUS / "seed").is_dir(), reason="../shared/corpus absent")
def test_the_seed_timeline_tweet_resolves_against_the_reference() -> None:
    data = (CORPUS / "seed" / "aleppo-evacuation.txt").read_bytes()
    timeline = [t for t in tweetparse.extract(data, reference_time="2016-12-15T12:00Z") if t.form == "text-timeline"]
    assert len(timeline) == 1
    assert timeline[0].created_at.startswith("2016-12-15T07:") and timeline[0].created_at_precision == "hour"
    without = [t for t in tweetparse.extract(data) if t.form == "text-timeline"]
    assert without[0].created_at is None and without[0].created_at_source == "5h5 hours ago"


def test_year_less_timeline_date_takes_the_year_of_the_reference() -> None:
    text = "Jane Reporter @janereports · Dec 13\nThe bridge is open again after three days. #traffic\n"
    (tweet,) = tweetparse.extract(text, kind="text", reference_time="2017-01-05")
    assert (tweet.handle, tweet.created_at, tweet.created_at_precision) == ("janereports", "2016-12-13", "day")


def test_an_html_page_resolves_a_timeline_copy_by_its_own_publication_time() -> None:
    page = ('<html><head><meta property="article:published_time" content="2016-12-15T12:00:00Z"></head><body>'
            "<article><p>Aid workers reported on the evacuation.</p><p>ICRC Syria @ICRC_sy 5h5 hours ago</p>"
            "<p>Buses crossing the frontline with civilians from east #Aleppo. @SYRedCrescent</p></article>"
            "</body></html>")
    (tweet,) = tweetparse.extract(page.encode())
    assert (tweet.created_at, tweet.created_at_precision) == ("2016-12-15T07:00:00Z", "hour")
    assert tweet.source.published == "2016-12-15T12:00:00.000Z"


@pytest.mark.parametrize("reference", [
    "2016-03-27T03:30:00+02:00",  # just after the CEST switch: 01:30 UTC
    datetime(2016, 3, 27, 1, 30, tzinfo=UTC),
    datetime(2016, 3, 27, 3, 30, tzinfo=timezone(timedelta(hours=2))),
])
def test_reference_times_in_any_zone_and_across_dst_resolve_in_utc(reference: object) -> None:
    text = "Met Office @metoffice 2h\nClocks went forward overnight; gusts of 60 mph on the coast.\n"
    (tweet,) = tweetparse.extract(text, kind="text", reference_time=reference)
    # 01:30 UTC minus two hours, truncated to the hour: the previous evening, whatever the local clock did
    assert (tweet.created_at, tweet.created_at_precision) == ("2016-03-26T23:00:00Z", "hour")


def test_a_naive_reference_is_taken_as_utc() -> None:
    text = "Met Office @metoffice 30m\nRain clearing from the west.\n"
    (tweet,) = tweetparse.extract(text, kind="text", reference_time=datetime(2016, 10, 30, 1, 10))
    assert (tweet.created_at, tweet.created_at_precision) == ("2016-10-30T00:40:00Z", "minute")


def test_a_tweet_dated_after_its_article_is_flagged() -> None:
    page = ('<html><head><meta property="article:published_time" content="2016-12-10T08:00:00Z"></head><body>'
            '<blockquote class="twitter-tweet"><p lang="en">Update from the harbour.</p>&mdash; Port (@port) '
            '<a href="https://twitter.com/port/status/809496864320012289">December 15, 2016</a></blockquote>'
            "</body></html>")
    (tweet,) = tweetparse.extract(page.encode())
    assert any("after the article" in w for w in tweet.warnings)



def _stated_times(elements: list[Any]) -> list[str]:
    """Every publication time the elements state, in document order: metas and times, then JSON-LD."""
    values = []
    for element in elements:
        if element.tag == "meta" and any(element.get(attribute) in names
                                         for attribute, names in PUBLISHED_META.items()):
            values.append(element.get("content"))
        elif element.tag == "time" and (element.get("itemprop") == "datePublished" or element.get("pubdate") is not None):
            values.append(element.get("datetime"))
    for element in elements:
        if element.tag == "script" and element.get("type") == "application/ld+json":
            values += re.findall(r'"datePublished"\s*:\s*"([^"]{8,40})"', element.text or "")
    return [value for value in values if value is not None]


def _published_reading_everything(root: Any) -> datetime | None:
    """published_time the slow way: every statement of the head's meta and script children, else of
    every meta, time and script of the page, the first that parses."""
    head = root.find("head") if root.tag == "html" else None
    passes = [list(head.iterchildren("meta", "script"))] if head is not None else []
    for elements in [*passes, list(root.iter("meta", "time", "script"))]:
        for value in _stated_times(elements):
            try:
                return to_utc(isoparse(value.strip()))
            except (ValueError, OverflowError):
                continue
    return None


_JSON_LD = '<script type="application/ld+json">{{"datePublished": "{}"}}</script>'


@pytest.mark.parametrize(("page", "published"), [
    # the head's own statement wins over the page's
    (('<html><head><meta name="pubdate" content="2019-03-01T10:00:00Z"></head><body>'
      '<time pubdate datetime="2018-01-01">Jan 1</time></body></html>'), "2019-03-01T10:00:00+00:00"),
    # the head's JSON-LD before any statement of the body
    ((f'<html><head><meta name="pubdate" content="soon">{_JSON_LD.format("2019-03-02")}</head><body>'
      '<time pubdate datetime="2018-01-01">Jan 1</time></body></html>'), "2019-03-02T00:00:00+00:00"),
    # nothing usable in the head: the body's first meta or time, in document order
    (('<html><head><meta property="og:published_time" content="tbd"></head><body><p>'
      '<meta itemprop="datePublished" content="2019-03-03T08:00:00+01:00"></p>'
      '<time itemprop="datePublished" datetime="2018-01-01">Jan 1</time></body></html>'), "2019-03-03T07:00:00+00:00"),
    # the head's unusable JSON-LD, then the body's
    ((f'<html><head>{_JSON_LD.format("yesterday!")}</head><body>{_JSON_LD.format("2019-03-04T12:00:00Z")}'
      "</body></html>"), "2019-03-04T12:00:00+00:00"),
    # a fragment: its own elements, no head
    ((f'<div><time datetime="2019-03-05">5 March</time><time pubdate datetime="2019-03-06">6 March</time>'
      f'{_JSON_LD.format("2019-03-07")}</div>'), "2019-03-06T00:00:00+00:00"),
    ('<html><head><meta name="description" content="2019-03-08"></head><body><p>none</p></body></html>', None),
])
def test_publication_time_reads_the_head_then_the_rest_of_the_page(page: str, published: str | None) -> None:
    root = lxml.html.fragment_fromstring(page) if page.startswith("<div") else lxml.html.document_fromstring(page)
    found = published_time(root)
    assert (found.isoformat() if found is not None else None) == published
    assert found == _published_reading_everything(root)
