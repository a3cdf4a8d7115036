"""The byte scan that gates the HTML extractors: each rule, and pages each rule must still let through."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tweetparse
from tweetparse import search
from tweetparse.html import scan as S
from tweetparse.html.scan import author_shapes

STATUS = "https://twitter.com/jane/status/816996473455656960"
EMBED = ('<blockquote class="twitter-tweet"><p lang="en">Snow! #cold</p>&mdash; Jane (@jane) '
         f'<a href="{STATUS}">January 5, 2017</a></blockquote>')


def _page(body: str) -> bytes:
    return f"<!DOCTYPE html><html><head><title>t</title></head><body>{body}</body></html>".encode()


@pytest.mark.parametrize(
    ("markup", "signal"),
    [
        ("<p>[tweet 816996473455656960]</p>", S.SHORTCODE),
        (f"<p>[embed]{STATUS.replace('twitter.com', 'x.com')}[/embed]</p>", S.SHORTCODE),
        ("<div class='bbpBox1'><p class='bbpTweet'>x</p></div>", S.BLACKBIRD),
        ('<div data-Tweet-Id="816996473455656960"></div>', S.TWEET_ATTRIBUTE),
        ('<div class="embed embed--Twitter" data-embed-id="816996473455656960"></div>', S.TWITTER_DATA_ID),
        ('<div class="tweet" data-attrs="{}"></div>', S.TWEET_DATA_ATTRS),
        ('<div class="TweetCard-text">x</div>', S.TWEET_TEXT_CLASS),
        (f'<a href="{STATUS}"><span><img src="s.png"></span></a>', S.LINKED_IMAGE),
        (f'<a href="{STATUS.replace("twitter.com", "x.com")}"><div data-src="s.png"></div></a>', S.LINKED_IMAGE),
        ('<script>var s = "\\u003Cblockquote class=\\"twitter-tweet\\"\\u003E";</script>', S.ESCAPED_BLOCKQUOTE),
        ('<div data-embed="&lt;blockquote class=&quot;twitter-tweet&quot;&gt;"></div>', S.ESCAPED_BLOCKQUOTE),
    ],
)
def test_scan_sees(markup: str, signal: str) -> None:
    assert signal in S.scan(_page(markup).lower()).present


@pytest.mark.parametrize(
    ("markup", "signal"),
    [
        (f'<a href="{STATUS}">January 5, 2017</a> <img src="after.png">', S.LINKED_IMAGE),  # image after the link
        ('<a href="https://fox.com/jane/status/1"><img src="s.png"></a>', S.LINKED_IMAGE),  # not Twitter's host
        ('<p class="twitter">Follow us</p><p>data-id</p>', S.TWITTER_DATA_ID),  # the word in another tag's text
        ("<blockquote>plain</blockquote>", S.ESCAPED_BLOCKQUOTE),
        ("<p>a tweet = a post</p>", S.SHORTCODE),
    ],
)
def test_scan_does_not_see(markup: str, signal: str) -> None:
    assert signal not in S.scan(_page(markup).lower()).present


@pytest.mark.parametrize(("beyond", "seen"), [(0, True), (1, False)])
def test_a_wrapper_attribute_at_the_edge_of_reach_is_judged(beyond: int, seen: bool) -> None:
    """A stem's closer look runs only when a wrapper attribute's hit is within reach of it; an
    occurrence that an earlier hit overlaps ("data-idata-id": the second is no hit) counts too, up
    to the far edge of the bounds (TAG_MAX_BYTES back when no "<" comes first)."""
    page = b"data-idata-id" + b"x" * (S.TAG_MAX_BYTES - 7 + beyond) + b"twitter"
    assert page.find(b"twitter") - S.TAG_MAX_BYTES == page.rfind(b"data-id") + beyond
    assert (S.TWITTER_DATA_ID in S.scan(page).present) is seen


def test_scan_counts_raw_blockquote_openers() -> None:
    assert S.scan(_page(EMBED + "<script>x = '<blockquote>'</script>").lower()).blockquote_openers == 2


@pytest.mark.parametrize(
    ("markup", "shapes"),
    [
        ("<p>(@jane)</p>", 1),
        ('<p>(<a href="https://twitter.com/jane">@jane</a>)</p>', 1),  # the handle linked
        ("<p>Jane <span>@jane</span> &middot; <a>5h</a></p>", 1),  # a timeline header across tags
        ("<p>Jane @jane · Dec 13</p>", 1),
        ("<p>@jane5h)</p>", 1),  # a ")" without "(": still a timeline header
        ("<p>@jane \u0661\u0662h</p>", 1),  # Arabic-Indic digits
        ("<p>Jane @jane<br>Dec 13</p>", 1),  # a tag between month and day may be a line break
        ("<style>@keyframes load8 {}</style><a>@coachjim4um: hi</a><p>@potus\u2019s comments \u201cyes\u201d</p>", 0),
        ("<link href='css?family=Poppins:wght@600&amp;display=swap'>", 0),
        ("<p>mail me at jane@example.com</p>", 0),
        ('<style>@media (max-width: 600px) {}</style><script>{"@context": "https://schema.org"}</script>', 0),
        ("<p>@jane said so</p>", 0),
    ],
)
def test_author_shapes(markup: str, shapes: int) -> None:
    assert author_shapes(markup.encode("utf-8").lower()) == shapes


# The quick test as it was before it learned what spaces must lead to: a run of at most 60 handle bytes
# followed by a gap's first byte, ")" or ".", or holding a digit or a UTF-8 byte.
_WORTH_A_LOOK = rb"(?=[\w\x80-\xff]{1,60}+[\s<&).]|[\w\x80-\xff]{0,59}[\d\x80-\xff])"
_LOOK_AT = re.compile(rb"@" + _WORTH_A_LOOK)
_LOOK_AT_FULLWIDTH = re.compile(rb"\xef\xbc\xa0" + _WORTH_A_LOOK)


def _reference_author_shapes(page: bytes) -> int:
    """The count with the former quick test, each sign it let through tested as its handle goes on."""
    count = 0
    for at in range(len(page)):
        if _LOOK_AT.match(page, at):
            count += S._starts_author(page, at, at + 1)
        elif _LOOK_AT_FULLWIDTH.match(page, at):
            count += S._starts_author(page, at, at + 3)
    return count


# Author shapes and what resembles them, built from a sign, a handle, gaps and what may follow:
# handles of each length around the run's bound and the look-behinds' widths, glued times, gaps,
# entities, times, "(" and ")", and bytes of UTF-8 text (digits of other scripts, letters, the
# bytes of "＠" on their own).
_SIGNS = [b"@", b"\xef\xbc\xa0", b"(@", b"(\xef\xbc\xa0", b"( <b>@", b"x@"]
_HANDLES = [b"a", b"ab", b"abc", b"jane", b"x" * 55, b"y" * 58, b"z" * 61, b"_", b"A", b"5", b"13", b"5h", b"h",
            b"s", b"dec", b"media", b"\xd9\xa1", b"\xd9", b"\xa1", b"\xc3\xa9", b"\x80", b"\xe0\xa5\xa7",
            b"\xef\xbc\x95", b"\xef", b"\xbc\xa0"]
_GAPS = [b" ", b"  ", b"\t", b"\n", b"\x0b", b"\x0c", b" " * 201, b"<b>", b"</a>", b"<a href='(x)'>", b"&nbsp;",
         b"&#160;", b"&#x20;", b"&middot;", b"&bull;", b"\xc2\xb7", b"\xe2\x80\xa2", b"\xb7", b"\x95"]
_AFTER_HANDLES = [b")", b"5", b"5h", b"h", b"13", b"dec", b"dec.", b"\xd9\xa1", b"\xd9\xa1h", b"\xef\xbc\x95",
                  b"(", b".", b"-", b"{", b'"', b":", b"<", b">", b"&", b";", b"pmc-u", b"ab", b"abcd", b"x" * 40, b"x" * 41]
_SHAPES = st.tuples(st.sampled_from(_SIGNS), st.lists(st.sampled_from(_HANDLES), min_size=1, max_size=3),
                    *[st.lists(st.sampled_from(_GAPS + _AFTER_HANDLES), max_size=3) for _ in range(3)]).map(
    lambda parts: parts[0] + b"".join(b"".join(part) for part in parts[1:]))
_PAGES = st.lists(st.one_of(_SHAPES, st.sampled_from(_SIGNS + _HANDLES + _GAPS + _AFTER_HANDLES),
                            st.binary(min_size=1, max_size=2)), max_size=8).map(b"".join)


@pytest.mark.parametrize("accelerated", [False, pytest.param(True, marks=pytest.mark.skipif(
    not search.ACCELERATED, reason="hyperscan not installed"))])
@settings(max_examples=2000, deadline=None)
@given(_PAGES)
def test_author_shapes_count_as_each_shape_tested_alone(accelerated: bool, page: bytes) -> None:
    """The stricter quick test (Hyperscan's and the regex fallback) lets through every "@" and "＠" of
    a shape that the former one did: the counts agree."""
    candidates = (S._AT_CANDIDATES if accelerated
                  else search.Starts(S._AT_CANDIDATES.first, S._CANDIDATE_AT, accelerated=False))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(S, "_AT_CANDIDATES", candidates)
        assert author_shapes(page) == _reference_author_shapes(page)


# Pages each gate must still let through: the extractor behind it has to run and find the tweet.

def test_attribution_with_a_linked_handle_next_to_an_embed_is_found() -> None:
    """The text pass is skipped only when the bytes show no more author shapes than the claimed embeds;
    a handle inside a link still counts as one."""
    page = _page(EMBED + '<p>Power is out across the valley tonight</p><p>&mdash; Bob Roe (<a href="https://twitter.com/'
                 'bobroe">@bobroe</a>) January 6, 2017</p>')
    tweets = tweetparse.extract(page)
    assert {t.handle for t in tweets} == {"jane", "bobroe"}


def test_blockquote_in_a_javascript_string_is_found() -> None:
    """A raw "<blockquote" the parser did not make an element of (it sits in a script) runs ScriptJson."""
    page = _page("<p>Story.</p><script>var embed = '" + EMBED.replace("'", "\\'") + "';</script>")
    (tweet,) = tweetparse.extract(page)
    assert (tweet.id, tweet.form, tweet.hidden) == ("816996473455656960", "script-json", True)


def test_screenshot_linking_an_x_com_status_is_found() -> None:
    x_status = STATUS.replace("twitter.com", "x.com")
    page = _page(f'<p>She wrote:</p><a href="{x_status}"><img src="shot.png" width="500" '
                 'alt="X post by @jane: Snow!"></a>')
    (tweet,) = tweetparse.extract(page)
    assert (tweet.id, tweet.form) == ("816996473455656960", "image-fallback")


def test_wrapper_whose_class_says_twitter_in_capitals_is_found() -> None:
    page = _page('<div class="social-embed Twitter" data-embed-id="816996473455656960"></div><p>twitter</p>')
    (tweet,) = tweetparse.extract(page)
    assert (tweet.id, tweet.form) == ("816996473455656960", "cms-wrapper")


@pytest.mark.parametrize(
    "markup",
    [
        f'<a href="{STATUS}">January 5, 2017</a>',
        '<iframe src="https://proxy.example/show?url=https%3A%2F%2Ftwitter.com%2Fjane%2Fstatus%2F816996473455656960">',
        '<script>var e = {"url": "https:\\/\\/x.com\\/jane\\/status\\/816996473455656960"};</script>',
        '<script>var e = "\\u002fjane\\u002fstatuses\\u002f816996473455656960";</script>',
        '<div class="embed" data-tweet-id="816996473455656960"></div>',
        '<iframe src="https://platform.twitter.com/embed/Tweet.html?id=816996473455656960"></iframe>',
        "<p>[tweet 816996473455656960]</p>",
        "<p>Snow! &mdash; Jane (@jane) January 5, 2017</p>",
        "<p>Jane @jane 5h</p><p>Snow!</p>",
    ],
)
def test_a_page_with_tweet_evidence_is_parsed(markup: str) -> None:
    page = _page(markup).lower()
    assert S.holds_tweet_evidence(page, S.scan(page))


@pytest.mark.parametrize(
    "markup",
    [
        '<a href="https://twitter.com/intent/tweet?text=Read%20this&url=https%3A%2F%2Fnews.example%2Fa">Tweet</a>',
        '<a href="https://twitter.com/harbourherald">Follow us on Twitter</a> <a href="https://x.com/share">Post</a>',
        '<meta name="twitter:card" content="summary"><meta name="twitter:site" content="@harbourherald">',
        "<p>The status of 2,000 tweets is unclear, the council said.</p>",
    ],
)
def test_a_page_naming_twitter_only_in_chrome_needs_no_parse(markup: str) -> None:
    page = _page(markup).lower()
    assert not S.holds_tweet_evidence(page, S.scan(page))


def test_pages_answered_without_a_parse_hold_no_tweet(monkeypatch: pytest.MonkeyPatch,
                                                     html_pages: dict[Path, bytes]) -> None:
    """The evidence check only spares parses: with it, every fixture and corpus page gives the same
    records as when every page is parsed, and it did spare some."""
    pages = html_pages
    checked = {path: [t.to_dict() for t in tweetparse.extract(data)] for path, data in pages.items()}
    spared = sum(1 for data in pages.values() if not S.holds_tweet_evidence(data.lower(), S.scan(data.lower())))
    monkeypatch.setattr(S, "holds_tweet_evidence", lambda page, signals: True)
    assert {path: [t.to_dict() for t in tweetparse.extract(data)] for path, data in pages.items()} == checked
    assert spared >= 5
