"""The feed: one item per tweet across articles, in JSON Feed, Atom, JSONL, CSV and HTML."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

import tweetparse
from tweetparse.cli import main
from tweetparse.feed import ATOM_NS, JSON_FEED_VERSION, build_feed, render_feed

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
    assert page.count("<article>") == n
    assert "http" not in page.split("<body>")[0].replace("http-equiv", "")  # no external assets
    assert '<a href="https://t.co/' in page  # links are clickable


def test_html_escapes_tweet_text() -> None:
    from tweetparse.build import Context, Draft, build

    tweet = build(Draft(form="t", handle="evil", name="<i>Evil</i>", text="<script>alert(1)</script> & more"),
                  Context(article="a<b>.txt"))
    page = render_feed(build_feed([tweet]), "html")
    assert isinstance(page, str) and "<script>alert" not in page and "&lt;script&gt;" in page
    assert "<i>Evil" not in page and "a&lt;b&gt;.txt" in page


def test_unknown_format_is_rejected() -> None:
    with pytest.raises(ValueError, match="format"):
        render_feed([], "rss")


@pytest.mark.skipif(not (SHARED / "html").is_dir(), reason="../shared/corpus absent")
def test_json_feed_and_atom_agree_on_the_whole_corpus() -> None:
    inputs = [SHARED / "html", SHARED / "text", SHARED / "seed"]
    n_json = len(json.loads(feed_of(*inputs))["items"])
    n_atom = len(etree.fromstring(feed_of(*inputs, fmt="atom").encode()).findall("a:entry", A))
    assert n_json == n_atom > 200
