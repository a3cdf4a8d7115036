"""The HTML feed as a report: counts, most cited accounts, chart, dates, direction, links, platforms."""
from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest
from click.testing import CliRunner

from tweetparse.cli import main
from tweetparse.feed import FeedItem, build_feed, profile_url, render_feed
from tweetparse.record import Link, Source, Tweet

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def tweet(article: str = "a1.txt", **fields: Any) -> Tweet:
    return Tweet(source=Source(article=article), **fields)


ALPHA = {"id": "100", "url": "https://twitter.com/alpha/status/100", "handle": "alpha", "name": "Alpha News",
         "text": "Storm update from @harbour_office #PortElling $ABC https://t.co/abc pic.twitter.com/xyz",
         "links": (Link(url="https://t.co/abc", expanded="https://harbour.example/board"),),
         "created_at": "2023-03-07T10:36:58.367Z", "created_at_precision": "millisecond", "lang": "en"}
ARABIC = {"id": "200", "url": "https://twitter.com/arab_news/status/200", "handle": "arab_news",
          "name": "أخبار", "text": "العبّارات متوقفة حتى إشعار آخر", "created_at": "2023-03-08",
          "created_at_precision": "day",
          "lang": "ar"}
HEBREW = {"handle": "il_news", "text": "המעבורות מושבתות עד להודעה חדשה",
          "created_at": "2023-03-09T14:00:00Z", "created_at_precision": "hour", "lang": "iw"}
EMPTY = {"id": "300", "url": "https://twitter.com/i/web/status/300", "created_at": "2023-03-09T08:00:00.000Z",
         "created_at_precision": "millisecond"}
BARE = {"handle": "ghost", "text": "", "created_at_source": "3h3 hours ago"}


def sample() -> list[FeedItem]:
    return build_feed([tweet(**ALPHA), tweet("a2.txt", **ALPHA), tweet("a2.txt", **ARABIC),
                       tweet("a3.txt", **HEBREW), tweet("a3.txt", **EMPTY), tweet("a3.txt", **BARE)])


def page_of(items: list[FeedItem], title: str = "Storm coverage") -> Any:
    return lxml.html.fromstring(render_feed(items, "html", title))


def text_of(element: Any) -> str:
    return " ".join(element.text_content().split())


def card_of(page: Any, handle: str) -> Any:
    return next(c for c in page.xpath("//article") if f"@{handle}" in text_of(c))


def test_the_header_counts_posts_accounts_articles_and_the_date_range() -> None:
    page = page_of(sample())
    stats = [text_of(li) for li in page.xpath("//ul[@class='stats']/li")]
    assert stats == ["5 tweets", "4 accounts", "3 articles", "7 Mar 2023 – 9 Mar 2023 date range (UTC)"]
    note = text_of(page.xpath("//header/p[@class='note']")[0])
    assert "1 tweet without a date" in note and "2 embeds without text" in note


def test_the_most_cited_accounts_come_first_by_articles() -> None:
    page = page_of(sample())
    rows = [text_of(li) for li in page.xpath("//ol[@class='top']/li")]
    assert rows[0] == "@alpha Alpha News 2 articles · 1 tweet"
    assert {r.split()[0] for r in rows} == {"@alpha", "@arab_news", "@il_news", "@ghost"}
    assert page.xpath("//ol[@class='top']/li[1]/a/@href") == ["https://twitter.com/alpha"]


def test_the_chart_is_an_inline_svg_with_one_bar_per_busy_day() -> None:
    page = page_of(sample())
    svg = page.xpath("//section[contains(@class,'chart')]/svg")
    assert len(svg) == 1
    titles = [t.text for t in svg[0].iter("title")]
    assert titles == ["7 Mar 2023: 1 tweet", "8 Mar 2023: 1 tweet", "9 Mar 2023: 2 tweets"]
    heights = [float(r.get("height")) for r in svg[0].iter("rect")]
    assert heights[2] == max(heights) and heights[0] == heights[1] == heights[2] / 2


@pytest.mark.parametrize(("days", "unit", "bars"), [
    (["2023-01-01", "2023-03-01"], "day", 2),
    (["2023-01-01", "2023-01-20", "2023-06-30"], "month", 2),
    (["2009-05-01", "2016-01-01", "2016-07-01", "2024-12-31"], "year", 3),
])
def test_the_chart_counts_by_day_month_or_year_by_the_span(days: list[str], unit: str, bars: int) -> None:
    items = build_feed(tweet(handle=f"h{i}", text=f"t{i}", created_at=d) for i, d in enumerate(days))
    page = page_of(items)
    assert f"Tweets per {unit} (UTC)" in text_of(page.xpath("//section[contains(@class,'chart')]")[0])
    assert len(page.xpath("//svg//rect")) == bars


def test_the_page_fetches_nothing_and_runs_no_script() -> None:
    html = render_feed(sample(), "html")
    page = lxml.html.fromstring(html)
    assert not page.xpath("//script | //link | //img | //iframe | //*[@src] | //*[@srcset]")
    style = "".join(page.xpath("//style/text()"))
    assert "url(" not in style and "@import" not in style and "@font-face" not in style


def test_dates_are_readable_with_the_exact_instant_on_hover() -> None:
    page = page_of(sample())
    times = {t.get("datetime"): (t.text, t.get("title")) for t in page.xpath("//time")}
    assert times["2023-03-07T10:36:58.367Z"] == ("7 Mar 2023, 10:36 UTC", "2023-03-07T10:36:58.367Z")
    assert times["2023-03-08"][0] == "8 Mar 2023" and "day only" in times["2023-03-08"][1]
    assert times["2023-03-09T14:00:00Z"] == ("9 Mar 2023, 14:00 UTC", "2023-03-09T14:00:00Z (to the hour)")
    assert card_of(page, "alpha").xpath(".//time/parent::a/@href") == [ALPHA["url"]]


@pytest.mark.parametrize(("created_at", "label"), [
    ("2023-03-07T23:30:00-05:00", "8 Mar 2023, 04:30 UTC"),  # an offset is turned into UTC
    ("2023-03-07T23:30:00", "7 Mar 2023, 23:30 UTC"),  # no offset: UTC, not the machine's zone
    ("yesterday", "undated"), ("2023-02-30", "undated"), (20230307, "undated"),  # records read back from JSON
])
def test_any_time_a_record_holds_is_shown_in_utc_or_as_undated(created_at: Any, label: str) -> None:
    item = PlatformItem(tweet=Tweet(handle="a", text="x"), articles=(), extra={"created_at": created_at})
    page = page_of([item])
    assert text_of(page.xpath("//div[@class='meta']")[0]) == label
    if label != "undated":
        assert page.xpath("//svg//rect/title/text()")[0].startswith(label.split(",")[0])


def test_a_relative_source_time_is_never_shown_as_the_date() -> None:
    page = page_of(sample())
    ghost = card_of(page, "ghost")
    assert "undated" in text_of(ghost) and "3h" not in lxml.html.tostring(page, encoding="unicode")


def test_each_text_carries_dir_auto_and_its_language() -> None:
    page = page_of(sample())
    texts = {text_of(d): (d.get("dir"), d.get("lang")) for d in page.xpath("//div[@class='text']")}
    assert texts[ARABIC["text"]] == ("auto", "ar")
    assert texts[HEBREW["text"]] == ("auto", "iw")
    assert page.get("lang") == "en"
    names = page.xpath("//bdi[@class='name']")
    assert names and all(n.get("dir") == "auto" for n in names)


@pytest.mark.parametrize(("lang", "attribute"),
                         [(None, ""), ("und", ""), ("en\" onclick=\"x", ""), ("pt-BR", "pt-BR")])
def test_an_unknown_language_is_said_to_be_unknown_not_english(lang: str | None, attribute: str) -> None:
    page = page_of(build_feed([tweet(handle="a", text="kia ora", lang=lang)]))
    div = page.xpath("//div[@class='text']")[0]
    assert div.get("lang") == attribute and div.get("onclick") is None


def test_mentions_hashtags_cashtags_and_urls_are_links() -> None:
    card = card_of(page_of(sample()), "alpha")
    links = {a.text: a.get("href") for a in card.xpath(".//div[@class='text']/a")}
    assert links == {
        "@harbour_office": "https://twitter.com/harbour_office",
        "#PortElling": "https://twitter.com/hashtag/PortElling",
        "$ABC": "https://twitter.com/search?q=%24ABC",
        "https://t.co/abc": "https://t.co/abc",
        "pic.twitter.com/xyz": "https://pic.twitter.com/xyz",
    }
    assert card.xpath(".//a[@href='https://t.co/abc']/@title") == ["https://harbour.example/board"]
    assert all(a.get("dir") == "auto" for a in card.xpath(".//div[@class='text']/a"))  # "@" stays in front
    assert text_of(card.xpath(".//div[@class='text']")[0]) == ALPHA["text"]


def test_an_embed_without_text_says_so_and_links_the_post() -> None:
    page = page_of(sample())
    empty = next(c for c in page.xpath("//article") if c.xpath(".//a[contains(@href, 'status/300')]"))
    assert "Unknown account" in text_of(empty)
    assert text_of(empty.xpath(".//p[@class='empty']")[0]) == "Embed without text: open on X"
    assert empty.xpath(".//p[@class='empty']/a/@href") == ["https://twitter.com/i/web/status/300"]
    ghost = card_of(page, "ghost").xpath(".//p[@class='empty']")[0]
    assert "no link to the tweet" in text_of(ghost) and not ghost.xpath(".//a")


def test_article_links_open_the_file_read_wherever_the_page_is_written(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "storm page.txt").write_bytes((EXAMPLES / "harbour-storm.txt").read_bytes())
    (tmp_path / "out" / "deep").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["feed", "--format", "html", "-o", "out/deep/report.html", "articles"])
    assert result.exit_code == 0, result.stderr
    page = lxml.html.fromstring((tmp_path / "out" / "deep" / "report.html").read_text("utf-8"))
    hrefs = set(page.xpath("//div[@class='cited']//a/@href"))
    assert len(hrefs) == 1
    href = hrefs.pop()
    assert href.startswith("file:///")
    assert Path(unquote(urlsplit(href).path)) == tmp_path / "articles" / "storm page.txt"
    monkeypatch.chdir(ROOT)  # from elsewhere, the link still names the same file
    assert os.path.isfile(unquote(urlsplit(href).path))


def test_web_articles_link_their_url_and_archive_records_are_not_file_links() -> None:
    items = build_feed([tweet("crawl.warc.gz#1234", handle="a", text="x"),
                        Tweet(handle="a", text="x",
                              source=Source(article="c.warc.gz#99", url="https://news.example/a")),
                        tweet("-", handle="a", text="x")])
    page = page_of(items)
    assert page.xpath("//div[@class='cited']//a/@href") == ["https://news.example/a"]
    cited = text_of(page.xpath("//div[@class='cited']")[0])
    assert "crawl.warc.gz#1234" in cited and "standard input" in cited


def test_long_paths_and_urls_may_wrap_anywhere() -> None:
    style = "".join(page_of(sample()).xpath("//style/text()"))
    for selector in (".text", ".cited li", "a"):
        rule = re.search(re.escape(selector) + r"\{[^}]*\}", style)
        assert rule and "overflow-wrap:anywhere" in rule.group(0), selector
    assert 'name="viewport"' in render_feed(sample(), "html")


# ---------------------------------------------------------------- other networks


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class PlatformItem(FeedItem):
    """A feed item whose record says its network, as records soon will."""

    extra: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {**FeedItem.to_dict(self), **self.extra}


def on(platform: str, **fields: Any) -> PlatformItem:
    source = (Source(article="p.html"),)
    return PlatformItem(tweet=Tweet(**fields), articles=source, extra={"platform": platform})


BLUESKY = {"handle": "alice.bsky.social", "name": "Alice", "text": "Ferries are back #harbour @bob",
           "url": "https://bsky.app/profile/did:plc:abc/post/3lh5px6yngs26",
           "created_at": "2025-02-02T00:01:29Z"}


def test_a_bluesky_post_links_to_bluesky_and_never_to_twitter() -> None:
    html = render_feed([on("bluesky", **BLUESKY)], "html")
    page = lxml.html.fromstring(html)
    assert "twitter.com" not in html
    assert page.xpath("//article//a[@class='handle']/@href") == ["https://bsky.app/profile/did:plc:abc"]
    assert page.xpath("//time/parent::a/@href") == [BLUESKY["url"]]
    assert page.xpath("//div[@class='text']/a/@href") == ["https://bsky.app/hashtag/harbour"]
    assert text_of(page.xpath("//ul[@class='stats']/li")[0]) == "1 post"


def test_a_mixed_feed_says_posts_and_names_each_network() -> None:
    carol = on("mastodon", handle="carol", url="https://social.example/@carol/1090", text="")
    items = [on("bluesky", **BLUESKY), carol, *build_feed([tweet(**ALPHA)])]
    page = page_of(items)
    assert text_of(page.xpath("//ul[@class='stats']/li")[0]) == "3 posts"
    assert "1 on Bluesky · 1 on Mastodon · 1 on X" in text_of(page.xpath("//header/p[@class='note']")[0])
    assert text_of(page.xpath("//section[contains(@class,'chart')]/h2")[0]) == "Posts over time"
    card = card_of(page, "carol")
    assert text_of(card.xpath(".//p[@class='empty']")[0]) == "Embed without text: open on Mastodon"
    assert card.xpath(".//a[@class='handle']/@href") == ["https://social.example/@carol"]
    assert [text_of(n) for n in page.xpath("//span[@class='net']")] == ["on Bluesky", "on Mastodon", "on X"]


@pytest.mark.parametrize(("record", "expected"), [
    ({"handle": "jo"}, "https://twitter.com/jo"),
    ({"platform": "twitter", "handle": "jo", "url": "https://bsky.app/profile/x/post/y"},
     "https://twitter.com/jo"),
    ({"platform": "bluesky", "handle": "jo", "url": "https://bsky.app/profile/jo.bsky.social/post/3abc"},
     "https://bsky.app/profile/jo.bsky.social"),
    ({"platform": "mastodon", "handle": "jo", "url": "https://mastodon.example/@jo/123"},
     "https://mastodon.example/@jo"),
    ({"platform": "instagram", "handle": "jo", "url": "https://www.instagram.com/p/ByxilPNJK3M/"}, None),
    ({"platform": "bluesky", "handle": "jo", "url": "javascript:alert(1)//bsky.app/profile/x/post/y"}, None),
    ({"platform": "newnet", "handle": "jo", "url": "https://newnet.example/jo/1"}, None),
    ({"platform": "twitter"}, None),
])
def test_profiles_come_from_the_handle_on_twitter_and_the_post_url_elsewhere(record: dict[str, Any],
                                                                            expected: str | None) -> None:
    assert profile_url(record) == expected
