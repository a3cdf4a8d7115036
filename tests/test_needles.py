"""The needles that gate pages and extractors: what they let through, what they spare, and that they never lose a post."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import tweetparse
from tweetparse import html as registry
from tweetparse import search
from tweetparse.html.page import Page
from tweetparse.search import Needle, NeedleSearch, literal, within
from tweetparse.shapes import AUTHOR_NEEDLES, AUTHOR_TEXT, count_authors, shows_author

STATUS = "https://twitter.com/jane/status/816996473455656960"
EMBED = ('<blockquote class="twitter-tweet"><p lang="en">Snow! #cold</p>&mdash; Jane (@jane) '
         f'<a href="{STATUS}">January 5, 2017</a></blockquote>')
MODES = [False, pytest.param(True, marks=pytest.mark.skipif(not search.ACCELERATED, reason="hyperscan not installed"))]


def _page(body: str) -> bytes:
    return f"<!DOCTYPE html><html><head><title>t</title></head><body>{body}</body></html>".encode()


def _records(pages: dict[Path, bytes]) -> dict[Path, list[dict[str, Any]]]:
    return {path: [t.to_dict() for t in tweetparse.extract(data)] for path, data in pages.items()}


@pytest.mark.parametrize(
    ("markup", "form"),
    [
        (f'<a href="{STATUS}"><span><img src="s.png" width="400"></span></a>', "image-fallback"),
        (('<iframe src="https://proxy.example/show?url=https%3A%2F%2Ftwitter.com%2Fjane%2Fstatus%2F816996473455656960">'
          "</iframe>"), "placeholder"),
        (('<script>var e = "\\u003Cblockquote class=\\"twitter-tweet\\"\\u003E\\u003Cp\\u003ESnow!\\u003C/p\\u003E&mdash;'
          ' Jane (@jane) \\u003Ca href=\\"https:\\/\\/x.com\\/jane\\/status\\/816996473455656960\\"\\u003EJanuary 5, 2017'
          '\\u003C/a\\u003E\\u003C/blockquote\\u003E";</script>'), "script-json"),
        ("<script>var embed = '" + EMBED.replace("'", "\\'") + "';</script>", "script-json"),
        ('<div data-embed="' + EMBED.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
         + '"></div>', "script-json"),
        ('<div class="embed" data-Tweet-Id="816996473455656960"></div>', "placeholder"),
        ('<div class="social-embed Twitter" data-embed-id="816996473455656960"></div>', "placeholder"),
        ('<embetty-tweet status="816996473455656960"></embetty-tweet>', "placeholder"),
        ('<div class="embed embed--x" data-provider="X" data-id="816996473455656960"></div>', "placeholder"),
        ('<div class="post" id="tweet-816996473455656960"></div>', "placeholder"),
        ('<div class="embed" data-embed=\'{"provider": "twitter", "id": "816996473455656960"}\'></div>', "placeholder"),
        (('<div><span>Jane</span> <span>@jane</span><p>Snow!</p>'
          f'<a href="{STATUS}"><time datetime="2017-01-05T10:00:00Z">Jan 5, 2017</time></a></div>'), "card"),
        ('<iframe src="https://platform.twitter.com/embed/Tweet.html?id=816996473455656960"></iframe>', "iframe"),
        ("<p>[tweet 816996473455656960]</p>", "cms-wrapper"),
        (f"<p>[embed]{STATUS.replace('twitter.com', 'x.com')}[/embed]</p>", "cms-wrapper"),
        (("<div class='bbpBox816996473455656960'><p class='bbpTweet'>Snow!<span class='timestamp'>"
          f"<a href='{STATUS}' title='Thu Jan 05 10:00:00 +0000 2017'>Jan 5</a></span></p></div>"), "blackbird-pie"),
        ('<amp-twitter data-tweetid="816996473455656960" width="400" height="300"></amp-twitter>', "amp"),
        ("<p>Snow!</p><p>&mdash; Jane (<b>@jane</b>) January 5, 2017</p>", "text-attribution"),
        ("<p>Jane <span>@jane</span> &middot; <a>5h</a></p><p>Snow!</p>", "text-timeline"),
        ('<noscript><div class="embed--twitter" data-embed-id="816996473455656960"></div></noscript>', "consent-hidden"),
    ],
)
def test_each_form_passes_its_gate_and_is_read(markup: str, form: str) -> None:
    page = _page(markup)
    assert registry.search_needles(page)
    (post,) = tweetparse.extract(page, reference_time="2017-01-05T12:00:00Z")
    assert post.form == form and post.handle in (None, "jane")
    assert post.id in (None, "816996473455656960")


@pytest.mark.parametrize(
    "markup",
    [
        '<a href="https://twitter.com/intent/tweet?text=Read%20this&url=https%3A%2F%2Fnews.example%2Fa">Tweet</a>',
        '<a href="https://twitter.com/harbourherald">Follow us on Twitter</a> <a href="https://x.com/share">Post</a>',
        '<meta name="twitter:card" content="summary"><meta name="twitter:site" content="@harbourherald">',
        "<p>The status of 2,000 tweets is unclear, the council said.</p>",
        '<style>@media (max-width: 600px) {}</style><script>{"@context": "https://schema.org"}</script>',
        "<p>mail me at jane@example.com, or @jane said so</p><blockquote>A pull quote.</blockquote>",
    ],
)
def test_a_page_naming_twitter_only_in_chrome_is_not_parsed(markup: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert registry.search_needles(_page(markup)) == {}
    monkeypatch.setattr(tweetparse.core, "parse_document", lambda *_: pytest.fail("parsed"))
    assert tweetparse.extract(_page(markup)) == []


def test_the_needles_never_lose_a_post(monkeypatch: pytest.MonkeyPatch, html_pages: dict[Path, bytes]) -> None:
    """The gates only spare work: every fixture and corpus page gives the same records when every page is
    parsed and every extractor runs, and the gates did spare some pages their parse."""
    gated = _records(html_pages)
    spared = sum(1 for data in html_pages.values() if not registry.search_needles(data))
    monkeypatch.setattr(registry, "search_needles", lambda data: {Needle(b"(everything)"): 1})
    monkeypatch.setattr(Page, "holds", lambda self, needles: True)
    monkeypatch.setattr(Page, "count", lambda self, needle: None)
    assert _records(html_pages) == gated
    assert spared >= 5


@pytest.mark.skipif(not search.ACCELERATED, reason="hyperscan not installed")
def test_the_same_records_with_and_without_hyperscan(monkeypatch: pytest.MonkeyPatch,
                                                     html_pages: dict[Path, bytes]) -> None:
    accelerated = _records(html_pages)
    slow = NeedleSearch(registry._SEARCH.needles, accelerated=False)
    for data in html_pages.values():  # the same needles; counts may differ only on overlapping matches
        assert slow.hits(data).keys() == registry._SEARCH.hits(data).keys()
    monkeypatch.setattr(registry, "_SEARCH", slow)
    assert _records(html_pages) == accelerated
    with_corpus = any("corpus" in path.parts for path in html_pages)  # the fixtures alone hold some 50 posts
    assert sum(map(len, accelerated.values())) > (100 if with_corpus else 20)  # the pages did hold posts


@pytest.mark.parametrize("accelerated", MODES)
def test_needle_search_is_caseless_counts_what_it_counts_and_only_says_yes_to_the_rest(accelerated: bool) -> None:
    word, counted = literal(b"twitter-tweet"), Needle(rb"status/[0-9]", counted=True)
    anchored, absent = within(b"tweet", rb"data-[a-z]{0,10}tweet"), literal(b"absent")
    needles = NeedleSearch([word, counted, absent, anchored], accelerated=accelerated)
    hits = needles.hits(b'<B CLASS="Twitter-Tweet"> twitter-tweet /Status/1 /status/2 status/x data-Tweet')
    assert hits == {word: 1, counted: 2, anchored: 1}
    assert needles.hits(b"") == needles.hits(b"nothing here") == {}
    many = b" ".join((b"twitter-tweet", b"status/1", b"absent", b"data-tweet", b"x") * 3)  # past SEPARATE_STEMS
    assert needles.hits(many) == {word: 1, counted: 3, absent: 1, anchored: 1}


def test_a_needle_stem_is_its_leading_literal_or_its_anchor() -> None:
    assert Needle(rb"status(?:es)?/").stem == b"status"
    assert Needle(rb"<twitter-?widget").stem == b"<twitter"
    assert Needle(rb"x\.com/[a-z]").stem == b"x.com/"
    assert Needle(rb"\xef\xbc\xa0(?:<)").stem == b"\xef\xbc\xa0"
    assert within(b"Tweet", rb"data-[a-z]*tweet").stem == b"tweet"
    with pytest.raises(ValueError):
        within(b"tweet", rb"data-[a-z]*twitter")
    with pytest.raises(ValueError):
        NeedleSearch([Needle(rb"[ab]c")])


@pytest.mark.parametrize(
    ("markup", "shapes"),
    [
        ("<p>(@jane)</p>", 1),
        ('<p>(<a href="https://twitter.com/jane">@jane</a>)</p>', 1),  # the handle linked
        ("<p>Jane <span>@jane</span> &middot; <a>5h</a></p>", 1),  # a timeline header across tags
        ("<p>Jane @jane · Dec 13</p>", 1),
        ("<p>@jane \u0661\u0662h</p>", 1),  # Arabic-Indic digits
        ("<p>Jane @jane<br>Dec 13</p>", 1),  # a tag between month and day may be a line break
        ("<p>(\uff20jane)</p>", 1),
        ('<span class="username"><s>@</s><b>jane</b></span> &middot; <a>5h</a>', 1),  # a rendered widget's handle
        ("<style>@keyframes load8 {}</style><a>@coachjim4um: hi</a><p>@potus\u2019s comments \u201cyes\u201d</p>", 0),
        ("<link href='css?family=Poppins:wght@600&amp;display=swap'>", 0),
        ("<p>mail me at jane@example.com</p>", 0),
        ('<style>@media (max-width: 600px) {}</style><script>{"@context": "https://schema.org"}</script>', 0),
        ("<p>@jane said so</p>", 0),
    ],
)
def test_author_shapes_in_bytes(markup: str, shapes: int) -> None:
    data = markup.encode("utf-8")
    assert sum(len(re.findall(needle.pattern, data.lower())) for needle in AUTHOR_NEEDLES) == shapes
    assert bool(NeedleSearch(AUTHOR_NEEDLES).hits(data)) == bool(shapes)


# Text built from the parts of an author shape and what resembles one; marked up, it must show at least as
# many shapes in its bytes as its text shows a reader: the text pass trusts the byte count to skip a page.
_PARTS = ["(", ")", "@", "\uff20", "jane", "J", "5", "5h", "13", "Dec", "Dec.", "\u0661", "h", " ", "  ", "\n", "·",
          "\u2022", "x", "é", ":", "-", "2016"]
_TAGS = ["<b>", "</b>", "<a href='(x)'>", "</a>", "&nbsp;", "&middot;", "<br>"]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_PARTS + _TAGS), max_size=12))
def test_bytes_show_every_shape_the_text_shows(parts: list[str]) -> None:
    import lxml.html

    markup = "<p>" + "".join(parts) + "</p>"
    # A tag inside a word, a handle ("@ja<b>ne</b>") or a month's name ("De<b>c</b>", "@jane<b>é</b> 5", read
    # as "@j" and "aneé 5"), is the one gap the byte shapes do not see through: no embed or text extractor
    # writes one, and allowing it would cost every page a slower search.
    assume(re.search(r"[A-Za-z0-9_](?:<[^<>]*>)+[A-Za-z0-9_]|[^\W\d_](?:<[^<>]*>)+[^\W\d_]", markup) is None)
    shown = lxml.html.fragment_fromstring(markup).text_content()
    data = markup.encode("utf-8").lower()
    assert sum(len(re.findall(needle.pattern, data)) for needle in AUTHOR_NEEDLES) >= len(AUTHOR_TEXT.findall(shown))


@pytest.mark.parametrize(
    ("text", "shapes"),
    [("— Jane Doe (@janedoe) May 1, 2017", 1), ("( @jane )", 1), ("ICRC Syria @ICRC_sy 5h5 hours ago", 1),
     ("Jane\n@jane\n·\n2h", 1), ("Write to jane@example.org today", 0), ("@jane said so", 0), ("@jane said 5 things", 1),
     ("(@a) (@b) @c 5m", 3)],
)
def test_author_shapes_in_text(text: str, shapes: int) -> None:
    assert len(AUTHOR_TEXT.findall(text)) == shapes


def test_a_flattened_post_beside_an_escaped_copy_is_still_read() -> None:
    """The escaped copy's script holds author shapes of its own (claimed with it); the paragraph's shape,
    outside every claimed element, still sends the text pass to read it."""
    escaped = ('\\u003Cblockquote class=\\"twitter-tweet\\"\\u003E\\u003Cp\\u003EHello\\u003C/p\\u003E'
               '&mdash; Ann (@ann) \\u003Ca href=\\"https://twitter.com/ann/status/1796813938986471435\\"\\u003E'
               'June 1, 2024\\u003C/a\\u003E\\u003C/blockquote\\u003E')
    page = ("<html><body><script>window.data = {\"html\": \"" + escaped + "\", \"who\": \"(@zed) (@yan)\"};</script>"
            "<p>Bridge closed all morning, crews on site</p><p>\u2014 Harbour Police (@harbourpolice) June 2, 2024</p>"
            "</body></html>").encode()
    handles = [t.handle for t in tweetparse.extract(page)]
    assert "harbourpolice" in handles and "ann" in handles


def test_attribution_with_a_linked_handle_next_to_an_embed_is_read() -> None:
    page = _page(EMBED + '<p>Power is out across the valley tonight</p><p>&mdash; Bob Roe (<a href="https://twitter.com/'
                 'bobroe">@bobroe</a>) January 6, 2017</p>')
    assert {t.handle for t in tweetparse.extract(page)} == {"jane", "bobroe"}


@pytest.mark.skipif(not search.ACCELERATED, reason="hyperscan not installed")
def test_a_cpu_hyperscan_refuses_means_the_plain_search(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hyperscan raises on a CPU without the instructions it needs: tweetparse must then fall back,
    not fail to import."""
    import hyperscan

    def refuse(*_args: object, **_options: object) -> None:
        raise hyperscan.ArchitectureError("this CPU lacks SSSE3")

    monkeypatch.setattr(search._Database, "__init__", refuse)
    assert search._runs_here() is False


@pytest.mark.skipif(not search.ACCELERATED, reason="hyperscan not installed")
def test_the_compiled_needles_are_cached_and_a_broken_cache_is_compiled_again(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TWEETPARSE_CACHE", str(tmp_path))
    needles = [Needle(rb"twitter[^<>]{0,500}data-id"), literal(b"tweet")]
    first = NeedleSearch(needles)
    cached = list(tmp_path.iterdir())
    assert cached and all(path.name.endswith(".hsdb") for path in cached)
    assert NeedleSearch(needles).hits(b"<i class=twitter data-id=1>") == first.hits(b"<i class=twitter data-id=1>") != {}
    assert sorted(tmp_path.iterdir()) == sorted(cached)  # loaded, not written again
    for path in cached:
        path.write_bytes(b"not a database")
    assert NeedleSearch(needles).hits(b"a tweet") == {needles[1]: 1}


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_PARTS), max_size=12))
def test_the_shape_found_from_its_sign_is_the_shape(parts: list[str]) -> None:
    """count_authors, which skips from sign to sign, counts what a search for either whole shape finds."""
    text = "".join(parts)
    assert count_authors(text) == len(AUTHOR_TEXT.findall(text))
    assert shows_author(text) == bool(AUTHOR_TEXT.search(text))
