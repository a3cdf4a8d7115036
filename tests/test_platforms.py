"""Posts of every network as records: time from their ids checked against the shown date, canonical URLs,
entities and handles by network, extract(platforms=) and --platform, and embed chrome kept out of text."""
from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

import tweetparse
from tweetparse.build import Context, Draft, agrees_with_id, build, shown_date
from tweetparse.cli import PLATFORM_NAMES, main
from tweetparse.embed_words import BYLINE_PHRASES_WRITTEN, VIEW_PHRASES_WRITTEN, is_chrome_line, read_byline
from tweetparse.networks import post_time, post_url
from tweetparse.record import PLATFORMS

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
MIXED = FIXTURES / "html" / "mixed-page"


# ---------------------------------------------------------------------------------------------------
# build: time from the id of every network, the shown date checked against it

@pytest.mark.parametrize(("platform", "post_id", "created_at", "precision"), [
    ("bluesky", "at://did:plc:q6gjnaw2blty4crticxkmujt/app.bsky.feed.post/3ljiuj3l3vk2l",
     "2025-03-03T21:12:45.318000Z", "microsecond"),
    ("mastodon", "109343002279936257", "2022-11-14T16:03:27.250Z", "millisecond"),
    ("truthsocial", "116431297579261769", "2026-04-19T12:10:10.035Z", "millisecond"),
    ("instagram", "BzdX5iVH_wM", "2019-07-03T15:04:09.731Z", "millisecond"),
    ("threads", "C7MWWbLgTQF", "2024-05-20T14:03:55.120Z", "millisecond"),
    ("tiktok", "7402925053926124605", "2024-08-14T09:30:05Z", "second"),
])
def test_time_comes_from_every_networks_id(platform: str, post_id: str, created_at: str, precision: str) -> None:
    post = build(Draft(form="blockquote", platform=platform, id=post_id, date_text="January 1, 2001"), Context())
    assert (post.created_at, post.created_at_precision) == (created_at, precision)
    assert post.created_at_source == "January 1, 2001"
    assert any("disagrees with the post id" in w for w in post.warnings)


@pytest.mark.parametrize("platform", ["facebook", "reddit"])
def test_ids_without_time_leave_the_shown_date(platform: str) -> None:
    post = build(Draft(form="placeholder", platform=platform, id="10160552198734512",
                       date_text="Tuesday, 4 March 2025"), Context())
    assert (post.created_at, post.created_at_precision) == ("2025-03-04", "day")


def test_the_shown_date_may_be_any_zones_date_of_the_instant() -> None:
    moment = datetime(2025, 3, 3, 21, 12, tzinfo=UTC)  # 2025-03-04 in UTC+3 and east of it
    assert agrees_with_id(moment.date(), moment)
    assert agrees_with_id(moment.date() + timedelta(days=1), moment)
    assert not agrees_with_id(moment.date() - timedelta(days=1), moment)  # UTC-12 still shows March 3
    early = datetime(2025, 3, 3, 1, 0, tzinfo=UTC)  # March 2 west of UTC-1
    assert agrees_with_id(early.date() - timedelta(days=1), early)
    assert not agrees_with_id(early.date() + timedelta(days=1), early)  # UTC+14 shows March 3, 15:00


def test_a_shown_date_within_the_zones_gives_no_warning() -> None:
    # 3ljiuj3l3vk2l is 2025-03-03T21:12Z: the embed shows "March 3, 2025 at 4:12 PM" (UTC-5) or March 4 (UTC+3)
    for shown in ("March 3, 2025 at 4:12 PM", "4 March 2025 at 00:12"):
        post = build(Draft(form="blockquote", platform="bluesky", id="3ljiuj3l3vk2l", date_text=shown), Context())
        assert post.warnings == ()


@pytest.mark.parametrize(("text", "day"), [
    ("March 3, 2025 at 4:12 PM", "2025-03-03"), ("18 June 2024 at 08:05", "2024-06-18"),
    ("Apr 21, 2019 um 4:47 PDT", "2019-04-21"), ("Jun 16, 2019 at 7:30am PDT", "2019-06-16"),
    ("2026-01-22T13:40:02.000Z", "2026-01-22"), ("March 3, 2025", "2025-03-03"),
])
def test_a_shown_date_is_read_with_its_time_of_day(text: str, day: str) -> None:
    shown = shown_date(text)
    assert shown is not None and shown.has_year and shown.day.isoformat() == day


def test_an_exact_time_keeps_the_precision_it_is_stated_with() -> None:
    exact = datetime(2025, 2, 10, 19, 44, 5, 412000, tzinfo=UTC)
    post = build(Draft(form="text-attribution", platform="bluesky", handle="a.example", exact_time=exact,
                       exact_precision="millisecond"), Context())
    assert (post.created_at, post.created_at_precision) == ("2025-02-10T19:44:05.412Z", "millisecond")


# ---------------------------------------------------------------------------------------------------
# build: canonical URLs, handles and entities by network

@pytest.mark.parametrize(("draft", "url"), [
    (Draft(form="amp", platform="instagram", id="B4NvtD8AAQB"), "https://www.instagram.com/p/B4NvtD8AAQB/"),
    (Draft(form="amp", platform="tiktok", id="7198990677068248951"), "https://www.tiktok.com/embed/v2/7198990677068248951"),
    (Draft(form="x", platform="tiktok", id="7198990677068248951", handle="@a.b"),
     "https://www.tiktok.com/@a.b/video/7198990677068248951"),
    (Draft(form="x", platform="mastodon", id="109343002279936257", handle="presse@fedi.example"),
     "https://fedi.example/@presse/109343002279936257"),
    (Draft(form="x", platform="mastodon", id="109343002279936257", handle="presse"), None),  # no server: no URL
    (Draft(form="x", platform="bluesky", id="3ljiuj3l3vk2l", handle="a.bsky.social"),
     "https://bsky.app/profile/a.bsky.social/post/3ljiuj3l3vk2l"),
    (Draft(form="x", platform="threads", id="C7MWWbLgTQF", url="https://www.threads.net/@ellery.united/post/C7MWWbLgTQF/embed"),
     "https://www.threads.com/@ellery.united/post/C7MWWbLgTQF"),  # the page's URL, made canonical
    (Draft(form="x", platform="facebook", id="10160552198734512"), None),
])
def test_canonical_urls(draft: Draft, url: str | None) -> None:
    assert build(draft, Context()).url == url


def test_post_url_agrees_with_the_parser() -> None:
    assert post_url("reddit", "9zq1mb") == "https://www.reddit.com/comments/9zq1mb/"
    assert post_url("truthsocial", "116431297579261769", "EllerySenator") == \
        "https://truthsocial.com/@EllerySenator/116431297579261769"
    assert post_url("twitter", "20", "jack") == "https://twitter.com/jack/status/20"
    assert post_url("instagram", None) is None


def test_entities_and_handles_follow_each_network() -> None:
    bluesky = build(Draft(form="x", platform="bluesky", handle="@a.bsky.social",
                          text="Thanks @alice.bsky.social! #Ferries $TSLA"), Context())
    assert bluesky.handle == "a.bsky.social"
    assert bluesky.mentions == ("alice.bsky.social",) and bluesky.hashtags == ("Ferries",) and bluesky.cashtags == ()
    toot = build(Draft(form="x", platform="mastodon", handle="geo@fedi.example",
                       text="Cc @jane@social.example https://journals.example.org/a #Open_Science"), Context())
    assert toot.mentions == ("jane@social.example",) and toot.handle == "geo@fedi.example"
    assert [link.url for link in toot.links] == ["https://journals.example.org/a"]
    caption = build(Draft(form="x", platform="instagram", text="With @ellery.swimmers at dawn x.example #cold"), Context())
    assert caption.mentions == ("ellery.swimmers",) and caption.links == ()  # captions link no URLs


# ---------------------------------------------------------------------------------------------------
# extract(platforms=) and --platform

def test_every_network_by_default_and_restricted_on_request() -> None:
    page = (MIXED / "election-night.html").read_bytes()
    assert [p.platform for p in tweetparse.extract(page)] == ["twitter", "bluesky", "mastodon", "threads"]
    assert [p.platform for p in tweetparse.extract(page, platforms=("bluesky", "threads"))] == ["bluesky", "threads"]
    assert [p.platform for p in tweetparse.extract(page, platforms="mastodon")] == ["mastodon"]
    assert tweetparse.extract(page, platforms=()) == []


def test_an_unknown_platform_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown platform 'myspace'"):
        tweetparse.extract(b"<p>x</p>", platforms=["bluesky", "myspace"])  # type: ignore[list-item]


def test_the_command_line_names_the_records_networks() -> None:
    assert PLATFORM_NAMES == PLATFORMS


@pytest.mark.parametrize("command", [["extract"], ["feed", "--format", "jsonl"]])
def test_platform_option_repeats(command: list[str]) -> None:
    pages = [str(MIXED / "storm-roundup.html"), str(MIXED / "election-night.html")]
    result = CliRunner().invoke(main, [*command, "-q", "--platform", "bluesky", "--platform", "tiktok", *pages])
    assert result.exit_code == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert sorted(r["platform"] for r in records) == ["bluesky", "tiktok"]
    bad = CliRunner().invoke(main, [*command, "--platform", "myspace", pages[0]])
    assert bad.exit_code == 2 and "myspace" in bad.stderr


# ---------------------------------------------------------------------------------------------------
# Embed chrome: Instagram's bylines in their languages, and never a post's text

@pytest.mark.parametrize(("text", "handle", "name", "date"), [
    ("A post shared by Spice Girls (@spicegirls) on Jun 16, 2019 at 7:30am PDT", "spicegirls", "Spice Girls",
     "Jun 16, 2019 at 7:30am PDT"),
    ("Ein Beitrag geteilt von SKEP (@skep.association) am 23. Okt 2017 um 0:31 Uhr", "skep.association", "SKEP",
     "23. Okt 2017 um 0:31 Uhr"),
    ("Un post condiviso da Ferrari (@ferrari)", "ferrari", "Ferrari", None),
    ("Uma publicação compartilhada por @valuenations", "valuenations", None, None),
    ("ふぁらお加藤さん(@pharaohkj)がシェアした投稿 - 2017 4月 10 8:24午後 PDT", "pharaohkj", "ふぁらお加藤さん",
     "2017 4月 10 8:24午後 PDT"),
])
def test_instagram_bylines(text: str, handle: str, name: str | None, date: str | None) -> None:
    byline = read_byline(text)
    assert byline is not None and (byline.handle, byline.name, byline.date_text) == (handle, name, date)


@pytest.mark.parametrize("text", ["Follow us (@harbour.gazette) today", "Shared by Jane (@jane)",
                                  "A post shared by the mayor", "A post shared by (@)"])
def test_other_text_is_no_byline(text: str) -> None:
    assert read_byline(text) is None


def test_phrase_lists_are_consistent() -> None:
    assert all(read_byline(f"{phrase} Name (@handle)") is not None for phrase in BYLINE_PHRASES_WRITTEN)
    assert all(is_chrome_line(phrase) for phrase in VIEW_PHRASES_WRITTEN)
    assert is_chrome_line("Post by @countwatch@social.example View on Mastodon") and is_chrome_line("[image or embed]")
    assert not is_chrome_line("Post by the mayor, later deleted")


_CHROME = ("View this post on Instagram", "[image or embed]", "View on Threads", "View on Mastodon", "Post by @",
           "A post shared by", "♬")
_NETWORK_FIXTURES = sorted(p for kind in ("html", "text") for p in (FIXTURES / kind).rglob("*.*")
                           if p.suffix in (".html", ".txt") and not p.parent.name.startswith(("text-", "blockquote"))
                           and p.parent.name.split("-")[0] in (*PLATFORMS, "mixed"))


@pytest.mark.parametrize("path", _NETWORK_FIXTURES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_embed_chrome_never_reaches_text(path: Path) -> None:
    for post in tweetparse.extract(path.read_bytes(), kind="html" if path.suffix == ".html" else "text"):
        assert not any(chrome in post.text for chrome in _CHROME), post.text
        assert post.platform in PLATFORMS and (post.id or post.handle)


def test_post_time_is_what_build_writes() -> None:
    found = post_time("tiktok", "7402925053926124605")
    assert found is not None and found[1] == "second"
