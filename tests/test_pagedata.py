"""The extractors of families 1-3 on small pages: whose story a copy in page data is, what gates a script, the
placeholder look-ups, and the card's checks (the fixtures vary the families; these pin the rules)."""
from __future__ import annotations

import json
from typing import Any

import lxml.html
import pytest

import tweetparse
from tweetparse import families
from tweetparse.html.page import Page
from tweetparse.html.pagedata import Identity, others_story, page_identity

ID = "1494780112233445376"
OTHER = "1494420000111222784"


def _bq(status: str, handle: str = "IslandFerries", text: str = "Ferries resume") -> str:
    return (f'<blockquote class="twitter-tweet"><p>{text}</p>&mdash; Island Ferries (@{handle}) '
            f'<a href="https://twitter.com/{handle}/status/{status}">February 18, 2022</a></blockquote>')


def _page(head: str, body: str) -> bytes:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>".encode()


def _ids(data: bytes) -> list[tuple[str | None, bool]]:
    return [(post.id, post.hidden) for post in tweetparse.extract(data, kind="html", errors="strict")]


HEAD = ('<title>Ferries return | Example News</title>'
        '<link rel="canonical" href="https://news.example/uk/ferries-return">')


@pytest.mark.parametrize(("story", "own"), [
    ({"headline": "Ferries return", "canonical_url": "/elsewhere"}, True),  # the title is the page's
    ({"headline": "Another headline", "canonical_url": "/uk/ferries-return/"}, True),  # the URL is
    ({"headline": "Another headline", "slug": "ferries-return"}, True),  # a slug: the path's last segment
    ({"headline": "Another headline", "canonical_url": "/uk/other-story"}, False),  # neither
    ({"headline": "Another headline"}, True),  # no URL, alone at its key: the editorial headline of the page's story
])
def test_a_story_object_is_the_page_s_by_its_url_or_its_title(story: dict[str, Any], own: bool) -> None:
    state = {"story": {**story, "body": [{"type": "html", "html": _bq(ID)}]}}
    page = _page(HEAD, "<h1>Ferries return</h1><script>window.__STATE__ = " + json.dumps(state).replace("/", "\\/")
                 + ";</script>")
    assert _ids(page) == ([(ID, True)] if own else [])


def test_a_page_that_names_neither_url_nor_title_keeps_every_story_but_teasers() -> None:
    state = {"story": {"headline": "Whatever", "canonical_url": "/x", "body": [{"type": "html", "html": _bq(ID)}]},
             "relatedStories": [{"headline": "Old", "body": [{"type": "html", "html": _bq(OTHER)}]}]}
    page = _page("", "<script>var s = " + json.dumps(state).replace("/", "\\/") + ";</script>")
    assert _ids(page) == [(ID, True)]


def test_others_story_rule() -> None:
    identity = Identity(frozenset({"/uk/ferries-return"}), ("ferries return", "ferries return example news"))
    own = families.JsonEmbed(path=("story", "body", 0), story_path=("story",), story_url="/uk/other",
                             story_title="Ferries return")
    teaser = families.JsonEmbed(path=("props", "nextArticles", 0, "body", 1))
    loose = families.JsonEmbed(path=("Block:2",))
    other = families.JsonEmbed(path=("stories", 0), story_path=("stories", 0), story_url="/uk/storm",
                               story_title="Storm closes the port")
    assert [others_story(item, identity) for item in (own, teaser, loose, other)] == [False, True, False, True]
    listed = families.JsonEmbed(path=("stories", 1, "body", 0), story_path=("stories", 1),
                                story_title="Storm closes the port")
    assert others_story(listed, identity)  # no URL, but one of a list of stories
    assert not others_story(other, Identity(frozenset(), ()))  # a page that does not say which story it is


def test_page_identity_reads_canonical_og_url_and_titles() -> None:
    root = lxml.html.document_fromstring(_page(
        HEAD + '<meta property="og:url" content="https://m.news.example/uk/ferries-return/?amp=1">'
        '<meta property="og:title" content="Ferries &amp; buses return">', "<h1> Ferries  return </h1>"))
    identity = page_identity(Page(root))
    assert identity.paths == {"/uk/ferries-return"}
    assert sorted(identity.titles) == ["ferries buses return", "ferries return", "ferries return example news"]


@pytest.mark.parametrize(("path", "teaser"), [
    (("props", "relatedStories", 0), True), (("feature_islands", "homepage", 1), True), (("nextArticles",), True),
    (("moreStories",), True), (("recommendations",), True), (("Teaser:7",), True),
    (("pageContext", "body"), False), (("threads", 0), False), (("https://twitter.com/IslandFerries/status/1",), False),
    (("readingTime",), False), (("story", "content_elements", 3), False),
])
def test_teaser_containers_are_named_by_whole_words_or_word_starts(path: tuple[str, ...], teaser: bool) -> None:
    assert families.teaser_path(path) is teaser


@pytest.mark.parametrize(("kind", "embed"), [
    ("TwitterEmbedBlock", True), ("core-embed/twitter", True), ("tweet", True), ("x-post", True),
    ("tweet-thread-settings", False), ("twitter-follow-config", False), ("twitter-timeline", False),
])
def test_a_type_names_an_embedded_tweet_only_in_embed_words(kind: str, embed: bool) -> None:
    assert bool(list(families.embeds_in_json({"type": kind, "id": ID}))) is embed


def test_json_documents_skip_javascript_objects_and_give_spans() -> None:
    text = 'var cfg = {a: 1, b: "x"}; window.__S__ = {"k": [1, 2]}; var list = [ "a" ];'
    assert [(text[start:end], value) for start, end, value in families.json_documents(text)] == [
        ('{"k": [1, 2]}', {"k": [1, 2]}), ('[ "a" ]', ["a"])]


def test_a_script_whose_copies_are_all_shown_live_is_not_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    state = json.dumps({"story": {"headline": "Ferries return", "body": [{"html": _bq(ID)}]}}).replace("/", "\\/")
    page = _page(HEAD, f"<h1>Ferries return</h1>{_bq(ID)}<script>var s = {state};</script>")
    parsed: list[str] = []
    original = families.json_documents
    monkeypatch.setattr(families, "json_documents", lambda text: parsed.append(text) or original(text))
    assert _ids(page) == [(ID, False)]
    assert parsed == []
    # A copy of a tweet the page does not show live is read (and parsed for its story).
    other = _page(HEAD, f"<h1>Ferries return</h1>{_bq(OTHER)}<script>var s = {state};</script>")
    assert _ids(other) == [(OTHER, False), (ID, True)]
    assert parsed


def test_placeholder_named_attribute_outside_the_common_names() -> None:
    page = _page("", f'<div class="post-embed" data-embedded-tweet-status="{ID}"></div>')
    assert _ids(page) == [(ID, False)]


def test_placeholder_needles_skip_other_families_start_tags() -> None:
    from tweetparse.html import search_needles
    from tweetparse.html.placeholder import NEEDLES

    for markup in (f'<iframe src="x.html" data-tweet-id="{ID}"></iframe>',
                   f'<blockquote data-tweetid="{ID}"></blockquote>', f'<amp-twitter data-tweetid="{ID}"></amp-twitter>',
                   f'<a class="twitter" href="https://twitter.com/a/status/{ID}">x</a>'):
        assert not set(NEEDLES) & set(search_needles(_page("", markup))), markup
    assert set(NEEDLES) & set(search_needles(_page("", f'<div class="x" data-tweet-id="{ID}"></div>')))


def test_a_card_must_show_its_permalink_s_author() -> None:
    card = ('<div><span>Port</span> <span>@{shown}</span><p>Ferries cancelled today.</p>'
            f'<a href="https://twitter.com/PortHbr/status/{ID}">Feb 18, 2022</a></div>')
    assert [p.form for p in tweetparse.extract(_page("", card.format(shown="PortHbr")))] == ["card"]
    assert tweetparse.extract(_page("", card.format(shown="someone_else"))) == []


def test_a_region_showing_more_than_a_card_is_none() -> None:
    prose = "<p>" + "The council met for three hours and discussed the harbour budget. " * 4 + "</p>"
    region = (f'<div><span>Port</span> <span>@PortHbr</span>{prose}{prose.replace("council", "mayor")}'
              f'<a href="https://twitter.com/PortHbr/status/{ID}">Feb 18, 2022</a></div>')
    assert tweetparse.extract(_page("", region)) == []
