"""Unit tests for the HTML helpers: element_text, read_blockquote, split_attribution, and link merging."""
from __future__ import annotations

import lxml.html
import pytest

import tweetparse
from tweetparse.build import Context, Draft, build
from tweetparse.html import read_page
from tweetparse.html.blockquote import read_blockquote, split_attribution
from tweetparse.html.page import Found, Page
from tweetparse.html.reading import element_text
from tweetparse.record import Link, Post


def _read(element: lxml.html.HtmlElement, ctx: Context | None = None, **options: str) -> Post | None:
    """The record of a blockquote read alone."""
    reading = read_blockquote(element, **options)
    return build(reading.draft, ctx or Context()) if reading is not None else None


def _el(markup: str) -> lxml.html.HtmlElement:
    return lxml.html.fragment_fromstring(markup)


@pytest.mark.parametrize(
    ("markup", "text"),
    [
        ("<p>Fish &amp; chips &mdash; &#8220;today&#8221;</p>", "Fish & chips \u2014 \u201ctoday\u201d"),
        ("<p>one<br>two<br><br>three</p>", "one\ntwo\n\nthree"),
        ("<div><p>first</p> <p>second</p></div>", "first\n\nsecond"),
        ('<p>see <a href="https://t.co/x">example.com/a…</a> now</p>', "see example.com/a… now"),
        ('<p>yes <img class="emoji" alt="\U0001f389" src="e.png"> and <img alt="\u2764\ufe0f" src="h.png"></p>',
         "yes \U0001f389 and \u2764\ufe0f"),
        ('<p>photo <img alt="A crowd outside the town hall" src="p.jpg"> end</p>', "photo end"),
        ("<div>a<script>var x = 1;</script><style>p{}</style>b</div>", "ab"),
        ('<div><p>shown</p><div style="display: none">hidden</div><p hidden>also hidden</p></div>', "shown"),
        ("<p>  spaced\n   out\ttext  </p>", "spaced out text"),
        ("<div>line<div>block</div>tail</div>", "line\nblock\ntail"),
    ],
)
def test_element_text(markup: str, text: str) -> None:
    assert element_text(_el(markup)) == text


def test_element_text_stops_before_an_element() -> None:
    div = _el('<div><p>before</p><p>at <a id="stop" href="#">here</a> after</p></div>')
    assert element_text(div, stop=div.get_element_by_id("stop")) == "before\n\nat"


def test_element_text_survives_deep_nesting() -> None:
    depth = 3000  # deeper than Python's default recursion limit (built by hand: the parser caps depth)
    root = leaf = lxml.html.Element("div")
    for _ in range(depth):
        leaf = lxml.html.etree.SubElement(leaf, "div")
    leaf.text = "deep"
    assert element_text(root) == "deep"


@pytest.mark.parametrize(
    ("text", "body", "name", "handle"),
    [
        ("Snow today\n\n— Jane Doe (@janedoe)", "Snow today", "Jane Doe", "janedoe"),
        ("Body — with a dash\n— Jean-Luc (he/him) (@jl_p)", "Body — with a dash", "Jean-Luc (he/him)", "jl_p"),
        ("Glued — Anna (@anna)", "Glued", "Anna", "anna"),
        ("Hyphen retyped\n- Bob B (@bobb)", "Hyphen retyped", "Bob B", "bobb"),
        ("No attribution here", "No attribution here", None, None),
        ("Too long a handle — X (@sixteen_chars_xx)", "Too long a handle — X (@sixteen_chars_xx)", None, None),
        ("Blank name —  (@anna) ", "Blank name", None, "anna"),
        ("Not last — Anna (@anna) says", "Not last — Anna (@anna) says", None, None),
        ("Body\n— " + "A" * 300 + " (@anna)", "Body", "A" * 300, "anna"),  # past the first name window
        ("Body\n" + "— " * 50_000 + "(@anna)", "Body\n" + "— " * 49_998 + "—", None, "anna"),
        ("— " * 50_000, "— " * 49_999 + "—", None, None),
    ],
)
def test_split_attribution(text: str, body: str, name: str | None, handle: str | None) -> None:
    assert tuple(split_attribution(text)) == (body, name, handle)


LIVE = (
    '<blockquote class="twitter-tweet" data-lang="en"><p lang="pt" dir="ltr">Olá <a href="https://twitter.com/'
    'mundo?ref_src=twsrc">@mundo</a> veja <a href="https://twitter.com/other/status/1796813938986471435">'
    'https://twitter.com/other/status/1796813938986471435</a> <a href="https://t.co/Ab12">pic.twitter.com/Ab12</a></p>'
    '&mdash; Maria Silva (@mariasilva) <a href="https://twitter.com/mariasilva/status/1797278288285159435">'
    "2 de junho de 2024</a></blockquote>"
)


def test_read_blockquote_live() -> None:
    tweet = _read(_el(LIVE))
    assert tweet is not None
    assert (tweet.id, tweet.handle, tweet.name, tweet.lang) == ("1797278288285159435", "mariasilva", "Maria Silva", "pt")
    assert tweet.text == ("Olá @mundo veja https://twitter.com/other/status/1796813938986471435 "
                          "pic.twitter.com/Ab12")
    assert tweet.created_at and tweet.created_at.startswith("2024-06-02T")
    assert tweet.created_at_source == "2 de junho de 2024"
    assert tweet.form == "blockquote" and not tweet.hidden and not tweet.warnings
    assert [link.url for link in tweet.links] == [
        "https://twitter.com/other/status/1796813938986471435", "https://t.co/Ab12"]
    assert tweet.links[1].media and tweet.links[1].display == "pic.twitter.com/Ab12"
    assert tweet.mentions == ("mundo",)


def test_read_blockquote_keeps_a_given_form() -> None:
    tweet = _read(_el(LIVE), form="amp")
    assert tweet is not None and tweet.form == "amp" and not tweet.hidden


def test_read_blockquote_warns_when_the_shown_date_disagrees() -> None:
    markup = LIVE.replace("2 de junho de 2024", "2 de junho de 2023")
    tweet = _read(_el(markup))
    assert tweet is not None and tweet.created_at and tweet.created_at.startswith("2024-06-02")
    assert any("disagrees" in warning for warning in tweet.warnings)


def test_read_blockquote_stub_and_nothing() -> None:
    stub = _read(_el('<blockquote class="twitter-tweet"><a href="https://x.com/i/status/'
                     '1797278288285159435">&nbsp;</a></blockquote>'))
    assert stub is not None and stub.form == "blockquote-stub" and stub.text == "" and stub.handle is None
    assert stub.url == "https://twitter.com/i/web/status/1797278288285159435"
    assert read_blockquote(_el("<blockquote><p>Just a quotation.</p></blockquote>")) is None


def test_read_blockquote_parsed_from_an_escaped_fragment() -> None:
    escaped = LIVE.replace("<", "&lt;").replace(">", "&gt;")
    holder = _el(f"<div>{escaped}</div>")
    fragment = lxml.html.fragment_fromstring(holder.text)  # what a hidden-copies extractor does
    tweet = _read(fragment, form="script-json")
    assert tweet is not None and tweet.handle == "mariasilva" and tweet.text.startswith("Olá @mundo")


def test_find_in_html_drops_wrappers_and_orders_by_document() -> None:
    page = lxml.html.document_fromstring(
        "<html><body><p>[tweet https://twitter.com/a/status/1796813938986471435]</p>"
        f"<div class='embed'>{LIVE}</div></body></html>")
    tweets = list(read_page(Page(page), Context()))
    assert [t.id for t in tweets] == ["1796813938986471435", "1797278288285159435"]
    first, second = page.xpath("//p")[0], page.xpath("//blockquote")[0]
    assert Page(page).position(first) < Page(page).position(second)


@pytest.mark.parametrize("direct_paths", [0, 3, 1000])
def test_tree_index_agrees_with_libxml2_and_parent_index(direct_paths: int, monkeypatch: pytest.MonkeyPatch) -> None:
    from lxml import etree

    from tweetparse.html import page as page_module
    from tweetparse.html.page import TreeIndex

    monkeypatch.setattr(page_module, "DIRECT_PATHS", direct_paths)  # 0: every path from the index's own count

    page = lxml.html.document_fromstring(
        "<html><body><p>a</p><!-- c --><p>b<b>x</b><i>y</i><b>z</b></p><div><fb:post>q</fb:post></div></body></html>")
    namespaced = etree.fromstring('<r xmlns:a="urn:a"><a:p/><p/><a:p/><p/><q/></r>')
    for root in (page, namespaced, lxml.html.fragment_fromstring("<p>1</p><p>2</p>", create_parent="div")):
        index = TreeIndex()
        for element in reversed(list(root.iter())):  # children before parents: paths built bottom-up too
            if isinstance(element.tag, str):
                assert index.path(element) == element.getroottree().getpath(element)
            parent = element.getparent()
            if parent is not None:
                assert index.position(element)[-1] == parent.index(element)


def test_build_merges_links_by_what_the_reader_saw() -> None:
    tweet = build(Draft(form="test", text="look pic.twitter.com/Ab12",
                        links=(Link(url="https://t.co/Ab12", display="pic.twitter.com/Ab12", media=True),)), Context())
    assert [link.url for link in tweet.links] == ["https://t.co/Ab12"]


def test_timeline_copy_in_paragraphs_resolves_against_the_article_time() -> None:
    page = ('<html><head><meta property="article:published_time" content="2016-12-15T12:00:00Z"></head><body>'
            "<p>ICRC Syria @ICRC_sy 5h5 hours ago</p><p>HAPPENING NOW: convoy leaving east #Aleppo</p></body></html>")
    tweets = tweetparse.extract(page.encode())
    assert [(t.handle, t.created_at, t.created_at_precision) for t in tweets] == [
        ("ICRC_sy", "2016-12-15T07:00:00Z", "hour")]


def _bbp(status_id: str) -> bytes:
    return (f"<html><body><div class='bbpBox{status_id}'><p class='bbpTweet'>Hot today<span class='timestamp'>"
            f"<a title='Sat Jul 31 02:51:46 +0000 2010' href='http://twitter.com/wx/status/{status_id}'>Jul 31</a>"
            "</span><span class='metadata'><span class='author'><strong><a href='http://twitter.com/wx'>Wx</a>"
            "</strong><br/>wx</span></span></p></div></body></html>").encode()


def test_blackbird_pie_title_time_only_for_pre_snowflake_ids() -> None:
    [old] = tweetparse.extract(_bbp("19912345678"))
    assert (old.created_at, old.created_at_precision, old.text, old.name) == (
        "2010-07-31T02:51:46Z", "second", "Hot today", "Wx")
    [new] = tweetparse.extract(_bbp("816996473455656960"))
    assert new.created_at_precision == "millisecond" and new.created_at.startswith("2017-01-05")


def test_an_extractor_keeps_two_finds_of_one_element_and_escaped_copies_sort_at_their_script() -> None:
    from tweetparse.html import _unclaimed

    root = _el("<div><p>a</p></div>")
    first, second = Found(Draft(form="t", id="1"), root[0]), Found(Draft(form="t", id="2", text="b"), root[0])
    parsed = Page(root)
    assert _unclaimed([first, second], parsed) == [first, second]
    assert _unclaimed([Found(Draft(form="t", id="3"), root)], parsed) == []  # a later extractor's wrapper is dropped
    assert _unclaimed([Found(Draft(form="t", id="4"), root[0])], parsed) == []  # ... and one on the element
    assert parsed.shown == {"1": False, "2": True}  # the posts kept, and whether with their text
    page = ('<html><body><script>var s = "\\u003Cblockquote class=\\"twitter-tweet\\"\\u003E\\u003Cp\\u003EEarly'
            '\\u003C/p\\u003E&mdash; A (@a) \\u003Ca href=\\"https://twitter.com/a/status/816996473455656960\\"'
            '\\u003EJanuary 5, 2017\\u003C/a\\u003E\\u003C/blockquote\\u003E";</script>'
            '<blockquote class="twitter-tweet"><p>Late</p>&mdash; B (@b) <a href="https://twitter.com/b/status/'
            '916996473455656960">October 8, 2017</a></blockquote></body></html>')
    assert [t.handle for t in tweetparse.extract(page.encode())] == ["a", "b"]


def test_a_failing_extractor_loses_only_its_own_finds(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    import tweetparse
    from tweetparse.html import embeds

    page = (b'<html><body><blockquote class="twitter-tweet"><p lang="en">Harbour open again.</p>&mdash; Port '
            b'(@port) <a href="https://twitter.com/port/status/809496864320012289">December 15, 2016</a>'
            b'</blockquote><amp-twitter data-tweetid="809496864320012290"></amp-twitter></body></html>')

    def explode(self: object, page: object, ctx: object) -> None:
        raise RuntimeError("extractor bug")

    monkeypatch.setattr(embeds.AmpTwitter, "find", explode)
    tweets = tweetparse.extract(page)
    assert [t.handle for t in tweets] == ["port"]
    assert "extractor bug" in caplog.text and "AmpTwitter" in caplog.text
    with pytest.raises(RuntimeError, match="extractor bug"):
        tweetparse.extract(page, errors="strict")
    caplog.clear()
    assert len(tweetparse.extract(page, errors="ignore")) == 1 and not caplog.text


def test_links_keep_display_text_and_the_expanded_url_where_the_page_has_it() -> None:
    page = ('<blockquote class="twitter-tweet"><p lang="en">Timetable: <a href="https://t.co/AbC123" '
            'data-expanded-url="https://ferries.example/timetable?day=7">ferries.example/timetable…</a> '
            '<a href="https://t.co/Pic999">pic.twitter.com/Pic999</a></p>&mdash; Port (@port) '
            '<a href="https://twitter.com/port/status/809496864320012289">December 15, 2016</a></blockquote>')
    (tweet,) = tweetparse.extract(page, kind="html")
    first, media = tweet.links
    assert (first.url, first.display, first.expanded, first.media) == (
        "https://t.co/AbC123", "ferries.example/timetable…", "https://ferries.example/timetable?day=7", False)
    assert (media.display, media.expanded, media.media) == ("pic.twitter.com/Pic999", None, True)


def test_the_byte_pre_filter_passes_every_author_shape_the_text_pass_reads() -> None:
    # No "twitter", "tweet" or "x.com/" anywhere, and the handle wrapped in a tag: only the
    # author-shape scan can tell this page from one without tweets.
    page = ("<html><body><p>Snow again in the valley today.</p><p>Snow again #cold</p>"
            "<p>&mdash; Jane Roe (<b>@janeroe</b>) January 5, 2017</p></body></html>")
    from_str = [(t.handle, t.text) for t in tweetparse.extract(page)]
    assert from_str == [("janeroe", "Snow again #cold")]
    assert [(t.handle, t.text) for t in tweetparse.extract(page.encode())] == from_str
    assert tweetparse.extract(page.replace("@janeroe", "janeroe").encode()) == []
