"""The tricky pieces of the plain-text stage: tweet starts, tweet length, markdown cleanup, handles, evidence."""
from __future__ import annotations

from datetime import UTC

import pytest

from tweetparse.build import Context, build
from tweetparse.record import Post
from tweetparse.text import HANDLE, clean_markdown, find_in_text, mask_tags, tweet_length, tweet_start


def posts(text: str, ctx: Context | None = None) -> list[Post]:
    """The records the text extractors' drafts of ``text`` become."""
    return [build(draft, ctx or Context()) for draft in find_in_text(text)]


def test_tweet_start_cuts_prose_that_no_longer_fits() -> None:
    prose = "The committee met for the third time this month to discuss the budget, and once again the talks ended without agreement on any of the main points. "
    tweet = "No deal tonight. Back at it tomorrow #budget"
    assert tweet_start(prose + tweet, 140) == len(prose)


def test_tweet_start_keeps_a_tweet_of_several_sentences() -> None:
    tweet = "No deal tonight. Back at it tomorrow. Coffee is ready #budget"
    assert tweet_start(tweet, 140) == 0


def test_tweet_start_does_not_break_at_an_initial() -> None:
    prose = "A long sentence of article prose that goes on and on about the case, the court, the judge and the hearing on Monday morning. "
    tweet = "Statement on the sentencing of John Q. Public today."
    assert tweet_start(prose + tweet, 140) == len(prose)


def test_tweet_length_counts_links_as_tco_and_media_as_free() -> None:
    url = "https://example.com/" + "a" * 80
    assert tweet_length(f"Look {url}") == len("Look ") + 23
    assert tweet_length("Look pic.twitter.com/abcdef") == len("Look")
    assert tweet_length("Look #tag (https://twitter.com/hashtag/tag?src=hash)") == len("Look #tag")


@pytest.mark.parametrize(
    "raw,clean",
    [
        ("> Snow [https://t.co/x](https://t.co/x)", "Snow https://t.co/x"),
        ("[> https://t.co/x\n](https://t.co/x)", "https://t.co/x"),
        ("> Read [the report][12] now", "Read the report now"),
        ("Mike &amp; Ann&#39;s cafe", "Mike & Ann's cafe"),
        ("[> #tag](https://twitter.com/hashtag/tag)> more", "#tag more"),
    ],
)
def test_clean_markdown(raw: str, clean: str) -> None:
    assert clean_markdown(raw) == clean


@pytest.mark.parametrize("handle,ok", [("a", True), ("ICRC_sy", True), ("x" * 15, True), ("x" * 16, False),
                                        ("", False), ("bad-handle", False), ("été", False)])
def test_handle_rule(handle: str, ok: bool) -> None:
    assert bool(HANDLE.fullmatch(handle)) is ok


@pytest.mark.parametrize(
    "text",
    [
        "Great game tonight\n— Jo Bloggs (@jobloggs) said it was great",  # no date, no status URL
        "Great game tonight\n— Jo Bloggs (@this_is_sixteen1) May 1, 2017",  # handle too long
        "Great game tonight\n— Jo Bloggs (@jobloggs) June 2016",  # a month is not a day
        "Write to jo@example.org — Jo Bloggs May 1, 2017",  # no (@handle)
    ],
)
def test_no_evidence_no_tweet(text: str) -> None:
    assert list(posts(text)) == []


def test_last_dash_before_the_handle_separates_name_from_text() -> None:
    text = '"Keep going" – a coach http://t.co/abc — Sports Desk (@sportsdesk) December 27, 2014'
    [tweet] = posts(text)
    assert tweet.name == "Sports Desk"
    assert tweet.text == '"Keep going" – a coach http://t.co/abc'
    assert tweet.form == "text-attribution-inline"


def test_status_url_in_markdown_gives_id_and_handle_case() -> None:
    text = "> Launch day\n> -- Rocket Co (@rocketco) [May 1,\n> 2017](https://twitter.com/rocketco/status/859072125372190720)"
    [tweet] = posts(text)
    assert tweet.id == "859072125372190720"
    assert tweet.text == "Launch day"
    assert tweet.source.end == len(text)


def test_glued_year_is_still_a_date() -> None:
    text = "Short and sweet— Jo Bloggs (@jobloggs) May 1, 2017The article goes on."
    [tweet] = posts(text)
    assert tweet.created_at == "2017-05-01"
    assert tweet.text == "Short and sweet"


def test_spans_are_offsets_into_the_text() -> None:
    text = "Prose first.\n\nHello world\n— Jo (@jo) May 1, 2017\n\nMore prose."
    [draft] = find_in_text(text)
    assert text[draft.start:draft.end] == "Hello world\n— Jo (@jo) May 1, 2017"


def test_relative_timeline_date_resolves_against_the_reference() -> None:
    from datetime import datetime

    text = "Harbour Watch @harbourwatch 2h\nFerries running again from noon"
    [tweet] = posts(text, Context(reference_time=datetime(2020, 3, 1, 15, 30, tzinfo=UTC)))
    assert tweet.created_at == "2020-03-01T13:00:00Z"
    assert tweet.form == "text-timeline"


def test_tags_are_zero_width_noise_between_structural_tokens() -> None:
    text = '> Ferry cancelled\n> <span style="display:none"></span>— Port Desk (@portdesk) [May 1, 2017](https://twitter.com/portdesk/status/859072125372190720)'
    [tweet] = posts(text)
    assert (tweet.text, tweet.name, tweet.id) == ("Ferry cancelled", "Port Desk", "859072125372190720")
    assert tweet.source.start == text.index("Ferry") and tweet.source.end == len(text)


def test_mask_tags_keeps_offsets() -> None:
    text = 'a <span class="x">b</span> c'
    assert len(mask_tags(text)) == len(text) and mask_tags(text).split() == ["a", "b", "c"]


@pytest.mark.parametrize(
    "segment, expected_start",
    [
        # an introducing colon outranks an earlier sentence start
        ("A long paragraph of prose about the vote that went on for some time. See the post: Vote passed 61 to 39", "Vote"),
        # punctuation glued to the next word marks where a flattener joined paragraphs
        ("A long paragraph of prose about the vote that went on for some time.Vote passed 61 to 39. Thank you all", "Vote"),
        # a colon inside a quotation, before a lower-case word, is no introduction
        ("Prose. “The state: if we were any higher” one user said. Vote passed 61 to 39", "Prose"),
    ],
)
def test_tweet_start_prefers_boundary_evidence(segment: str, expected_start: str) -> None:
    assert tweet_start(segment, 148, at_boundary=False) == segment.index(expected_start)


def test_tweet_start_keeps_a_line_start_that_fits() -> None:
    segment = "NEW: Vote passed 61 to 39. Details to follow"
    assert tweet_start(segment, 148, at_boundary=True) == 0


def test_trailing_link_may_be_a_free_quote_tweet_from_late_2016() -> None:
    tweet = "Vote " * 14 + "passed. Thank " + "you " * 15 + "all https://t.co/abcdefghij"
    text = f"Prose here.\n\n{tweet} — Jo (@jo) October 3, 2016"
    [found] = posts(text)
    assert found.text == tweet
    early = f"Prose here.\n\n{tweet} — Jo (@jo) May 3, 2016"
    [cut] = posts(early, Context())
    assert cut.text != tweet


ADVERSARIAL = [
    ("(@a) " * 200_000, 0),
    ("— " * 500_000, 0),
    ("> " * 500_000, 0),
    ("word " * 200_000, 0),  # one 1 MB line, no newline
    ("<span>" * 170_000, 0),
    ("— Jo (@a) " * 100_000, 0),
    ("(@a) May 1, 2017 " * 60_000, 0),  # evidence everywhere, never a name
    ("A: B. " * 170_000, 0),
    ("a.B" * 330_000, 0),
    ("Snow — Jo (@a) May 1, 2017 " * 40_000, 40_000),
]


@pytest.mark.parametrize("text, count", ADVERSARIAL, ids=[repr(t[:12]) for t, _ in ADVERSARIAL])
def test_adversarial_megabyte_inputs(text: str, count: int) -> None:
    found = list(posts(text))
    assert len(found) == count
    if count:
        assert {(t.handle, t.text) for t in found} == {("a", "Snow")}


def test_a_long_blank_line_before_an_attribution_costs_little() -> None:
    # A timeline-header regex once spent ~0.5 s on each such line; a hundred lines take milliseconds now.
    doc = ("\n" + " " * 3000 + "Snow again #cold\n— Jane (@jane) January 5, 2017") * 100
    assert [t.text for t in posts(doc)] == ["Snow again #cold"] * 100
