"""Unit tests for the embed and hidden-copy readers: iframe src parsing, AMP ids, CMS data, unescaping."""
from __future__ import annotations

import html
import json

import lxml.html
import pytest

import tweetparse
from tweetparse.build import Context, build
from tweetparse.html.cards import Card
from tweetparse.html.embeds import AmpTwitter, ImageFallback, RenderedIframe, iframe_src_ref, status_ref
from tweetparse.html.hidden import _tags, escaped_fragments, unescape_fragment
from tweetparse.html.page import Extractor, Page
from tweetparse.html.pagedata import ScriptData
from tweetparse.html.placeholder import Placeholder
from tweetparse.record import Post
from tweetparse.urls import snowflake_time

STATUS_ID = "1511312695097035892"


def _doc(body: str) -> object:
    return lxml.html.document_fromstring(f"<html><body>{body}</body></html>")


def _found(extractors: tuple[Extractor, ...], root: object) -> list[Post]:
    """What extractors find in a page, as records (an extractor yields drafts: the registry builds them)."""
    page = Page(root)
    return [build(found.draft, Context()) for extractor in extractors for found in extractor.find(page, Context())]


@pytest.mark.parametrize("body", [
    '<iframe src="a"></iframe><p><iframe src="b"></iframe></p>',  # one of the tags: its own list
    '<iframe src="a"></iframe><twitterwidget></twitterwidget><div><iframe src="b"></iframe></div>',
    '<noscript><iframe src="a"></iframe></noscript><template></template><iframe src="b"></iframe>',
    "<p>none</p>",
])
def test_page_candidates_of_several_tags_are_a_walk_in_document_order(body: str) -> None:
    root = _doc(body)
    for tags in (("iframe", "twitterwidget", "twitter-widget"), ("noscript", "template"), ("iframe",)):
        assert Page(root).candidates(*tags) == list(root.iter(*tags))


def test_iframe_src_reads_id_not_creator() -> None:
    src = (f"https://platform.twitter.com/embed/Tweet.html?creatorScreenName=page_author&dnt=false"
           f"&id={STATUS_ID}&lang=de")
    ref = iframe_src_ref(src)
    assert ref is not None and ref.id == STATUS_ID
    assert ref.handle is None  # creatorScreenName is the page's twitter:creator, not the tweet's author


@pytest.mark.parametrize("src, handle", [
    ("/media/oembed?url=https%3A//twitter.com/some_user/status/1511312695097035892&max_width=0", "some_user"),
    ("//cdn.embedly.com/widgets/media.html?url=https%3A%2F%2Fx.com%2Fother%2Fstatus%2F1511312695097035892", "other"),
])
def test_iframe_src_reads_proxied_status_urls(src: str, handle: str) -> None:
    ref = iframe_src_ref(src)
    assert ref is not None and (ref.handle, ref.id) == (handle, STATUS_ID)


@pytest.mark.parametrize("src", [
    "https://platform.twitter.com/widgets/tweet_button.html?url=https%3A%2F%2Fexample.com&id=twitter-widget-0",
    "https://www.youtube.com/embed/abc?id=1511312695097035892",
    "",
])
def test_iframe_src_without_a_status(src: str) -> None:
    assert iframe_src_ref(src) is None


def test_status_ref_takes_ids_and_urls() -> None:
    assert status_ref(f" {STATUS_ID} ") == (None, STATUS_ID)
    assert status_ref(f"https://mobile.twitter.com/a_b/status/{STATUS_ID}?s=20") == ("a_b", STATUS_ID)
    assert status_ref("share this page") is None


def test_rendered_iframe_and_buttons() -> None:
    root = _doc(f'<div class="twitter-tweet-rendered"><iframe data-tweet-id="{STATUS_ID}" '
                'src="https://platform.twitter.com/embed/Tweet.html?creatorScreenName=x&amp;id=1"></iframe></div>'
                '<iframe class="twitter-follow-button" data-tweet-id="1615383443668913892"></iframe>')
    found = _found((RenderedIframe(),), root)
    assert [f.id for f in found] == [STATUS_ID]
    assert found[0].handle is None and found[0].form == "iframe"


@pytest.mark.parametrize("value, handle", [(STATUS_ID, None), (f"https://twitter.com/amp_user/status/{STATUS_ID}", "amp_user")])
def test_amp_with_id_or_url(value: str, handle: str | None) -> None:
    root = _doc(f'<amp-twitter width="375" height="472" layout="responsive" data-tweetid="{value}"></amp-twitter>')
    (found,) = _found((AmpTwitter(),), root)
    assert (found.id, found.handle, found.form) == (STATUS_ID, handle, "amp")
    expected = snowflake_time(STATUS_ID)
    assert expected is not None and found.created_at and found.created_at.startswith(expected.date().isoformat())


def test_json_data_attribute_gives_text_author_and_time() -> None:
    attrs = json.dumps({"url": f"https://twitter.com/birds/status/{STATUS_ID}", "full_text": "Hello &amp; bye",
                        "username": "birds", "name": "Bird Facts", "date": "2022-04-05T12:00:00.000Z"})
    root = _doc(f'<div class="tweet" data-attrs="{html.escape(attrs)}"></div>')
    (found,) = _found((Placeholder(),), root)
    assert (found.id, found.handle, found.name, found.text, found.form) == (
        STATUS_ID, "birds", "Bird Facts", "Hello & bye", "placeholder")
    assert _found((Placeholder(),), _doc('<div class="tweet" data-attrs="{not json"></div>')) == []
    assert _found((Placeholder(),), _doc('<div class="tweet" data-attrs=\'{"full_text": "no status"}\'></div>')) == []


def test_json_data_attribute_date_without_snowflake() -> None:
    attrs = json.dumps({"url": "https://twitter.com/old/status/12345678", "full_text": "early days",
                        "username": "old", "date": "Wed Mar 21 20:50:14 +0000 2007"})
    (found,) = _found((Placeholder(),), _doc(f'<div class="tweet" data-attrs="{html.escape(attrs)}"></div>'))
    assert found.created_at == "2007-03-21T20:50:14Z"


def test_placeholder_ids_need_a_twitter_signal() -> None:
    root = _doc(f'<div class="embed embed--twitter" data-embed-id="{STATUS_ID}"></div>'
                '<div class="embed embed--youtube" data-embed-id="1615383443668913892"></div>'
                '<div class="share-twitter" data-id="4711"></div>'
                '<a class="click-to-tweet" data-tweet="Quote of the day">Tweet this</a>')
    assert [f.id for f in _found((Placeholder(),), root)] == [STATUS_ID]


def test_placeholder_id_inside_a_marked_wrapper() -> None:
    root = _doc(f'<div class="embed-twitter"><div class="inner" data-id="{STATUS_ID}"></div></div>'
                '<div class="gallery"><div class="inner" data-id="1615383443668913892"></div></div>')
    assert [f.id for f in _found((Placeholder(),), root)] == [STATUS_ID]


def test_placeholder_leaves_wrapped_blockquotes_to_the_blockquote_family() -> None:
    root = _doc(f'<div data-tweet-id="{STATUS_ID}"><blockquote class="twitter-tweet"><p>hi</p>&mdash; A (@a) '
                f'<a href="https://twitter.com/a/status/{STATUS_ID}">April 5, 2022</a></blockquote></div>')
    assert _found((Placeholder(),), root) == []


def test_placeholder_leaves_markup_in_attributes_to_the_hidden_copies() -> None:
    markup = html.escape(f'<blockquote class="twitter-tweet"><p>hi</p>&mdash; A (@a) <a href="https://twitter.com/'
                         f'a/status/{STATUS_ID}">April 5, 2022</a></blockquote>')
    assert _found((Placeholder(),), _doc(f'<div class="embed-twitter" data-embed="{markup}"></div>')) == []
    (post,) = tweetparse.extract(f'<div class="embed-twitter" data-embed="{markup}"></div>', kind="html")
    assert (post.text, post.hidden) == ("hi", True)


def test_feed_of_cards_is_not_an_embed() -> None:
    card = ('<div class="tweet"><span>Site</span> <span>@site</span><p class="tweet-text">{0}</p>'
            '<a href="https://twitter.com/site/status/{1}">1h</a></div>')
    one = _doc(card.format("only one", STATUS_ID))
    three = _doc("".join(card.format(text, status) for text, status in (
        ("first", STATUS_ID), ("second", "1615383443668913892"), ("third", "1615383443668913893"))))
    assert [f.text for f in _found((Card(),), one)] == ["only one"]
    assert _found((Card(),), three) == []


def test_image_fallback_alt_text_needs_the_same_author() -> None:
    link = ('<a href="https://twitter.com/{0}/status/{1}"><img src="shot.png" width="400" '
            'alt="Twitter post by @{2}: Statement text"></a>')
    same = _found((ImageFallback(),), _doc(link.format("label", STATUS_ID, "label")))
    other = _found((ImageFallback(),), _doc(link.format("label", STATUS_ID, "someone")))
    assert [f.text for f in same] == ["Statement text"]
    assert [f.text for f in other] == [""]


def test_image_fallback_skips_pixels_and_prose() -> None:
    pixel = _doc(f'<a href="https://twitter.com/a/status/{STATUS_ID}"><img src="px.gif" width="1" height="1"></a>')
    prose = _doc(f'<p>As <a href="https://twitter.com/a/status/{STATUS_ID}">she said</a>, it rained.</p>')
    assert _found((ImageFallback(),), pixel) == []
    assert _found((ImageFallback(),), prose) == []


def test_unescape_json_js_and_entities() -> None:
    assert unescape_fragment(r"\u003Cp class=\"x\"\u003Ea\u002Fb\u003C\/p\u003E") == '<p class="x">a/b</p>'
    assert unescape_fragment(r"\x3cp\x3eit\'s\x3c/p\x3e") == "<p>it's</p>"
    assert unescape_fragment(r"&lt;p class=\"x\"&gt;A &amp;amp; B&lt;/p&gt;") == '<p class="x">A &amp; B</p>'


def test_escaped_fragments_one_per_blockquote() -> None:
    quote = r"\u003Cblockquote class=\"twitter-tweet\"\u003Ex\u003C\/blockquote\u003E"
    text = '{"a":"' + quote + '","b":"\\u003Cblockquote class=\\"pullquote\\"\\u003Eno\\u003C\\/blockquote\\u003E"}'
    # Every blockquote comes out, whatever network it embeds (or none): the registry reading the copy decides.
    assert list(escaped_fragments(text)) == ['<blockquote class="twitter-tweet">x</blockquote>',
                                             '<blockquote class="pullquote">no</blockquote>']
    assert list(escaped_fragments("<blockquote class='twitter-tweet'> never closed")) == []


def test_escaped_copies_of_other_networks_reach_the_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """A copy of another network's embed held in page data is parsed and read by the whole registry."""
    from tweetparse.html import hidden

    instagram = ('\\u003Cblockquote class=\\"instagram-media\\" data-instgrm-permalink=\\"https://www.instagram.com/p/'
                 'C1a2b3c4d5e/\\"\\u003E\\u003Ca href=\\"https://www.instagram.com/p/C1a2b3c4d5e/\\"\\u003EA post'
                 '\\u003C/a\\u003E\\u003C/blockquote\\u003E')
    page = _doc('<script>window.__STATE__ = {"body": "' + instagram + '", "pull": "\\u003Cblockquote\\u003EA pull '
                'quote\\u003C/blockquote\\u003E"};</script>')
    copies: list[str] = []
    monkeypatch.setattr(hidden, "read_copy", lambda page, markup, *args, **kwargs: copies.append(markup) or iter(()))
    monkeypatch.setattr("tweetparse.html.pagedata.read_copy", hidden.read_copy)
    assert _found((ScriptData(),), page) == []
    assert len(copies) == 2 and copies[0].startswith('<blockquote class="instagram-media" data-instgrm-permalink=')
    assert copies[1] == "<blockquote>A pull quote</blockquote>"


@pytest.mark.parametrize("text", [
    # Script data outside ASCII (curly quotes, emoji), escaped markup in mixed case.
    ("{\"headline\":\"Snow \u2019s here \U0001F600\",\"body\":\"\\u003CBlockQuote class=\\\"twitter-tweet\\\"\\u003E\u00e9t\u00e9"
    "\\u003C\\/BLOCKQUOTE\\u003E \\x3cblockquote\\x3eno\\x3c/blockquote \\x3E\"}"),
    # A KELVIN SIGN spelling the word (its lower case is "k"), a no-break space before a closer's ">".
    "\u2019&lt;bloc\u212aquote class=\"twitter-tweet\"&gt;x&lt;/blockquote\u00a0&gt; &lt;blockquote-x&gt;",
])
def test_escaped_tags_found_alike_in_the_copy_and_by_regex(text: str) -> None:
    # "\u0130" (its lower case is longer) sends _tags to the regexes over the whole text.
    assert _tags(text) == _tags(text + "\u0130")
    assert _tags(text)[0] and _tags(text)[1]


def test_script_data_reads_a_copy_once_as_hidden() -> None:
    quote = (r"\u003Cblockquote class=\"twitter-tweet\"\u003E\u003Cp lang=\"en\"\u003EHi\u003C\/p\u003E&mdash; "
             r"Net (@net) \u003Ca href=\"https:\/\/twitter.com\/net\/status\/" + STATUS_ID +
             r"\"\u003EApril 5, 2022\u003C\/a\u003E\u003C\/blockquote\u003E")
    page = '<script>window.App={"x":"' + quote + '","y":"' + quote + '"};</script>'
    found = _found((ScriptData(),), _doc(page))
    assert [(f.id, f.handle, f.text, f.hidden, f.form) for f in found] == [(STATUS_ID, "net", "Hi", True, "script-json")]
    assert len(tweetparse.extract(f"<html><body>{page}</body></html>")) == 1


def test_hidden_copy_yields_to_live_embed() -> None:
    quote = (r"\u003Cblockquote class=\"twitter-tweet\"\u003E\u003Cp\u003EHi\u003C\/p\u003E&mdash; Net (@net) "
             r"\u003Ca href=\"https:\/\/twitter.com\/net\/status\/" + STATUS_ID + r"\"\u003EApril 5, 2022"
             r"\u003C\/a\u003E\u003C\/blockquote\u003E")
    page = (f'<html><body><div class="twitter-tweet-rendered"><iframe data-tweet-id="{STATUS_ID}"></iframe></div>'
            '<script>var s={"h":"' + quote + '"};</script></body></html>')
    (tweet,) = tweetparse.extract(page.encode())
    assert (tweet.hidden, tweet.form, tweet.handle, tweet.text) == (False, "iframe", "net", "Hi")


def test_consent_template_reads_cms_markup() -> None:
    page = ('<html><body><div class="embed-wrapper js-embed-consent" data-vendors="twitter">'
            '<script type="text/template"><div class="embed embed--twitter" data-embed="twitter" '
            f'data-embed-id="{STATUS_ID}"></div></script></div></body></html>')
    (tweet,) = tweetparse.extract(page.encode())
    assert (tweet.id, tweet.form, tweet.hidden) == (STATUS_ID, "consent-hidden", True)
