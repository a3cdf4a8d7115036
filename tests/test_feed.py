"""The feed: one item per tweet across articles, in JSON Feed, Atom, JSONL, CSV and HTML."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner
from lxml import etree

import tweetparse
from tweetparse.cli import main
from tweetparse.feed import (
    ATOM_NS,
    FEED_FORMATS,
    JSON_FEED_VERSION,
    build_feed,
    render_feed,
    safe_url,
    xml_safe,
)
from tweetparse.record import Source, Tweet

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "harbour-storm.txt"
SHARED = ROOT.parent / "shared" / "corpus"
A = {"a": ATOM_NS}


def feed_of(*paths: Path, fmt: str = "json-feed") -> str:
    result = CliRunner().invoke(main, ["feed", "--format", fmt, *map(str, paths)])
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_the_same_article_twice_gives_each_tweet_once_citing_both(tmp_path: Path) -> None:
    first, second = tmp_path / "first.txt", tmp_path / "second.txt"
    first.write_bytes(EXAMPLE.read_bytes())
    second.write_bytes(EXAMPLE.read_bytes())
    items = json.loads(feed_of(first, second))["items"]
    assert len(items) == len(tweetparse.extract(EXAMPLE.read_bytes()))
    for item in items:
        assert [a["article"] for a in item["_tweetparse"]["articles"]] == [str(first), str(second)]


@pytest.mark.skipif(not (SHARED / "seed").is_dir(), reason="../shared/corpus absent")
def test_the_seed_twice_under_two_names_gives_five_items_each_citing_both(tmp_path: Path) -> None:
    seed = SHARED / "seed" / "aleppo-evacuation.txt"
    copies = [tmp_path / "one.txt", tmp_path / "two.txt"]
    for copy in copies:
        copy.write_bytes(seed.read_bytes())
    feed = json.loads(feed_of(*copies))
    assert len(feed["items"]) == 5
    assert all(len(i["_tweetparse"]["articles"]) == 2 for i in feed["items"])


def test_items_are_newest_first_and_undated_last() -> None:
    text = ("Old one\n— A (@a) May 1, 2015\n\nNew one\n— B (@b) May 1, 2017\n\n"
            "C Person @c 5h\nUndated one here\n")
    items = build_feed(tweetparse.extract(text, kind="text"))
    assert [i.tweet.handle for i in items] == ["b", "a", "c"]


def test_json_feed_shape() -> None:
    feed = json.loads(feed_of(ROOT / "examples" / "harbour-storm.html"))
    assert feed["version"] == JSON_FEED_VERSION and feed["title"]
    item = feed["items"][0]
    assert item["id"] == item["url"] and item["url"].startswith("https://twitter.com/")
    assert item["date_published"].endswith("Z") and item["authors"][0]["name"]
    assert item["content_text"] == item["_tweetparse"]["text"]


def test_atom_is_rfc4287_shaped() -> None:
    root = etree.fromstring(feed_of(EXAMPLE, ROOT / "examples" / "harbour-storm.html", fmt="atom").encode())
    assert root.tag == f"{{{ATOM_NS}}}feed"
    for required in ("id", "title", "updated"):
        assert root.find(f"a:{required}", A) is not None
    entries = root.findall("a:entry", A)
    assert entries
    for entry in entries:
        for required in ("id", "title", "updated", "author/a:name", "content"):
            assert entry.find(f"a:{required}", A) is not None, required
    linked = [e for e in entries if e.find("a:link[@rel='alternate']", A) is not None]
    assert linked, "tweets with a status id link to it"


def test_csv_jsonl_and_html_hold_every_item() -> None:
    n = len(json.loads(feed_of(EXAMPLE))["items"])
    assert len(list(csv.DictReader(io.StringIO(feed_of(EXAMPLE, fmt="csv"))))) == n
    assert len(feed_of(EXAMPLE, fmt="jsonl").splitlines()) == n
    page = feed_of(EXAMPLE, fmt="html")
    assert page.count('<article class="post">') == n
    assert "http" not in page.split("<body>")[0].replace("http-equiv", "")  # no external assets
    assert '<a href="https://t.co/' in page  # links are clickable


def test_html_escapes_tweet_text() -> None:
    from tweetparse.build import Context, Draft, build

    tweet = build(Draft(form="t", handle="evil", name="<i>Evil</i>", text="<script>alert(1)</script> & more"),
                  Context(article="a<b>.txt"))
    page = render_feed(build_feed([tweet]), "html")
    assert isinstance(page, str) and "<script>alert" not in page and "&lt;script&gt;" in page
    assert "<i>Evil" not in page and "a&lt;b&gt;.txt" in page


@pytest.mark.parametrize("fmt", FEED_FORMATS)
def test_render_feed_returns_str_for_every_format(fmt: str) -> None:
    rendered = render_feed(build_feed(tweetparse.extract(EXAMPLE.read_bytes())), fmt)
    assert type(rendered) is str and rendered


def test_atom_declares_utf8_and_parses_once_encoded_so() -> None:
    tweet = Tweet(id="1", url="https://twitter.com/a/status/1", handle="a", text="Fähre, 渡し船, عبارة")
    atom = render_feed(build_feed([tweet]), "atom")
    assert atom.startswith('<?xml version="1.0" encoding="utf-8"?>\n')
    root = etree.fromstring(atom.encode("utf-8"))
    assert root.find("a:entry/a:content", A).text == "Fähre, 渡し船, عبارة"


CONTROL_TEXTS = ["bell\x01in text", "vertical\x0btab", "escape \x1b[31mred\x1b[0m", "nul\x00byte",
                 "del\x7f and C1\x85", "lone \ud800 surrogate", "not a char \ufffe"]


@pytest.mark.parametrize("text", CONTROL_TEXTS)
def test_atom_and_html_are_written_when_a_text_holds_a_control_character(text: str) -> None:
    tweet = Tweet(id="7", url="https://twitter.com/a/status/7", handle="a", name=f"Name {text}", text=text,
                  hashtags=(f"tag{text}",), source=Source(article=f"a{text}.txt"))
    items = build_feed([tweet])
    root = etree.fromstring(render_feed(items, "atom", title=f"Feed {text}").encode("utf-8"))
    content = root.find("a:entry/a:content", A).text
    assert content and xml_safe(content) == content
    page = render_feed(items, "html")
    assert xml_safe(page) == page
    page.encode("utf-8")  # a lone surrogate would make the page unwritable
    for fmt in ("json-feed", "jsonl", "csv"):
        render_feed(items, fmt).encode("utf-8")
    # The JSON formats keep the text exactly, escaped where UTF-8 cannot hold it.
    assert json.loads(render_feed(items, "jsonl"))["text"] == text


def test_vertical_tab_and_form_feed_keep_the_words_apart() -> None:
    assert xml_safe("one\x0btwo\x0cthree\x01four") == "one two threefour"


def test_a_record_read_back_from_json_with_control_characters_gives_an_atom_feed(tmp_path: Path) -> None:
    record = Tweet(id="9", handle="a", text="before\u0001after\u001b").to_dict()
    items = build_feed([Tweet.from_dict(json.loads(json.dumps(record)))])
    entry = etree.fromstring(render_feed(items, "atom").encode()).find("a:entry", A)
    assert entry.find("a:content", A).text == "beforeafter"


def test_the_command_writes_atom_for_a_text_with_control_characters(tmp_path: Path) -> None:
    article = tmp_path / "ctl.txt"
    article.write_bytes(EXAMPLE.read_bytes().replace(b"cancelled", b"can\x01cel\x0bled\x1b"))
    root = etree.fromstring(feed_of(article, fmt="atom").encode("utf-8"))
    assert len(root.findall("a:entry", A)) == len(tweetparse.extract(EXAMPLE.read_bytes()))


HOSTILE_URLS = ["javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "java\nscript:alert(1)",
                "data:text/html,<script>alert(1)</script>", "../secret.html", "/etc/passwd",
                "//evil.example/x", "vbscript:msgbox", "file:///etc/passwd", "https://exa mple.com/"]


@pytest.mark.parametrize("bad", HOSTILE_URLS)
def test_only_http_urls_become_links_in_html_and_atom(bad: str) -> None:
    tweet = Tweet(id="5", url=bad, handle="h", text="see the page", source=Source(article="-", url=bad))
    items = build_feed([tweet])
    root = etree.fromstring(render_feed(items, "atom").encode())
    hrefs = [link.get("href") for link in root.iter(f"{{{ATOM_NS}}}link")]
    hrefs += [uri.text for uri in root.iter(f"{{{ATOM_NS}}}uri")]
    assert hrefs and all(h.startswith("https://") for h in hrefs), hrefs
    assert root.find("a:entry/a:id", A).text.startswith("urn:tweetparse:")
    page = lxml.html.fromstring(render_feed(items, "html"))
    hrefs = page.xpath("//a/@href")
    assert all(h.startswith(("https://", "http://")) for h in hrefs), hrefs
    feed = json.loads(render_feed(items, "json-feed"))["items"][0]
    assert "url" not in feed and feed["_tweetparse"]["url"] == bad  # the data keeps it, as data


def test_safe_url_takes_web_addresses_only() -> None:
    assert safe_url("https://twitter.com/a/status/1") == "https://twitter.com/a/status/1"
    assert safe_url("HTTP://Example.com") == "HTTP://Example.com"
    assert all(safe_url(bad) is None for bad in HOSTILE_URLS)
    assert safe_url(None) is None and safe_url("") is None and safe_url("https://") is None


def test_unknown_format_is_rejected() -> None:
    with pytest.raises(ValueError, match="format"):
        render_feed([], "rss")


@pytest.mark.skipif(not (SHARED / "html").is_dir(), reason="../shared/corpus absent")
def test_json_feed_and_atom_agree_on_the_whole_corpus() -> None:
    inputs = [SHARED / "html", SHARED / "text", SHARED / "seed"]
    n_json = len(json.loads(feed_of(*inputs))["items"])
    n_atom = len(etree.fromstring(feed_of(*inputs, fmt="atom").encode()).findall("a:entry", A))
    assert n_json == n_atom > 200
