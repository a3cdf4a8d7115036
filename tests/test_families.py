"""The family readers (tweetparse.families) on small hand-written snippets: what each reads, and what it must not."""
from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import quote

import lxml.html
import pytest

from tweetparse.families import (
    card_fields,
    embeds_in_json,
    encoded_fragments,
    json_in_script,
    marks_tweet,
    placeholder_ref,
    plain_text,
    status_in_value,
    teaser_path,
    unwrap_markup,
)
from tweetparse.urls import StatusRef

ID = "1633054123456789504"
OLD_ID = "120620074301267968"  # a 2011 snowflake


def el(markup: str) -> Any:
    return lxml.html.fragment_fromstring(markup)


# --- family 1: placeholders --------------------------------------------------------------------------------

@pytest.mark.parametrize(("markup", "expected"), [
    # class + kind attribute + generic id attribute
    (f'<div class="component embed-twitter js-embed-twitter" data-embed-type="twitter" data-embed-id="{ID}"></div>',
     StatusRef(None, ID)),
    # attribute names that say tweet, on an element that says nothing else
    (f'<div class="widget__body" data-tweet-id="{ID}"></div>', StatusRef(None, ID)),
    (f'<span data-tweetid="{OLD_ID}"></span>', StatusRef(None, OLD_ID)),
    (f'<div class="social" data-twitter-id="{ID}"></div>', StatusRef(None, ID)),
    # a status URL in data-url / data-href / cite, every spelling; the handle comes from it
    (f'<div class="embed embed--twitter" data-url="https://x.com/PortHbr/status/{ID}?s=20"></div>',
     StatusRef("PortHbr", ID)),
    (f'<div class="tweet-embed" data-href="https://mobile.twitter.com/PortHbr/status/{ID}/photo/1"></div>',
     StatusRef("PortHbr", ID)),
    (f'<figure class="x-embed" data-src="https://twitter.com/i/web/status/{ID}"></figure>', StatusRef(None, ID)),
    (f'<div class="embed" data-provider="X" data-embed="x" data-url="https://x.com/a_b/status/{ID}"></div>',
     StatusRef("a_b", ID)),
    (f'<div class="twitter-placeholder" data-url="https%3A%2F%2Ftwitter.com%2FPortHbr%2Fstatus%2F{ID}"></div>',
     StatusRef("PortHbr", ID)),
    # ids written into the element id
    (f'<div class="tweet" id="tweet-{ID}"></div>', StatusRef(None, ID)),
    # a data-id inside a wrapper that names twitter, and a handle attribute
    (f'<div class="social-embed" data-provider="twitter" data-id="{ID}" data-screen-name="PortHbr"></div>',
     StatusRef("PortHbr", ID)),
    # custom elements (embetty) whose tag names the tweet; the id in an attribute named "status"
    (f'<embetty-tweet status="{ID}"></embetty-tweet>', StatusRef(None, ID)),
    # iframes: Twitter's embed page by ?id=, and proxies holding the status URL in their query
    (f'<iframe src="https://platform.twitter.com/embed/Tweet.html?dnt=true&amp;id={ID}"></iframe>',
     StatusRef(None, ID)),
    (f'<iframe src="https://cdn.embedly.com/widgets/media.html?src=x&amp;url={quote(f"https://twitter.com/PortHbr/status/{ID}", safe="")}&amp;type=text%2Fhtml"></iframe>',
     StatusRef("PortHbr", ID)),
    (f'<iframe class="media-oembed-content" src="/media/oembed?url=https%3A//twitter.com/PortHbr/status/{ID}&amp;max_width=0"></iframe>',
     StatusRef("PortHbr", ID)),
    # JSON in a data attribute (Substack-like)
    ('<div class="tweet" data-attrs="' + json.dumps({"url": f"https://twitter.com/PortHbr/status/{ID}",
                                                     "full_text": "hi", "username": "PortHbr"})
     .replace('"', "&quot;") + '"></div>', StatusRef("PortHbr", ID)),
    # embed markup in a data attribute: the date link (the last status link) wins over a quoted one
    (('<div class="embed-twitter" data-embed="&lt;blockquote class=&quot;twitter-tweet&quot;&gt;&lt;p&gt;'
     f'see &lt;a href=&quot;https://twitter.com/other/status/{OLD_ID}&quot;&gt;this&lt;/a&gt;&lt;/p&gt;'
     f'&lt;a href=&quot;https://twitter.com/PortHbr/status/{ID}&quot;&gt;March 7, 2023&lt;/a&gt;'
     '&lt;/blockquote&gt;"></div>'), StatusRef("PortHbr", ID)),
    # consent wrapper (Borlabs) naming twitter in its kind attribute, the URL in data-href
    (f'<div data-borlabs-cookie-id="twitter" data-href="https://twitter.com/PortHbr/status/{ID}"></div>',
     StatusRef("PortHbr", ID)),
])
def test_placeholder_ref_reads(markup: str, expected: StatusRef) -> None:
    assert placeholder_ref(el(markup)) == expected


@pytest.mark.parametrize("markup", [
    # share, follow, intent and mention buttons, even when they carry ids or status URLs
    f'<a class="twitter-share-button" href="https://twitter.com/share" data-url="https://x.com/a/status/{ID}">Tweet</a>',
    '<a class="twitter-follow-button" href="https://twitter.com/PortHbr" data-show-count="false">Follow</a>',
    f'<a href="https://twitter.com/intent/retweet?tweet_id={ID}" class="retweet-action">Retweet</a>',
    f'<a class="tweet-intent" href="https://twitter.com/intent/tweet?in_reply_to={ID}">Reply</a>',
    f'<a class="twitter-mention-button" href="https://twitter.com/intent/tweet?screen_name=a" data-id="{ID}">x</a>',
    f'<div class="click-to-tweet" data-url="https://twitter.com/intent/tweet?url=https%3A%2F%2Fx.com%2Fa%2Fstatus%2F{ID}"></div>',
    # timelines, lists, feeds, profiles
    f'<a class="twitter-timeline" href="https://twitter.com/PortHbr" data-widget-id="{ID}" data-tweet-limit="3">Tweets</a>',
    f'<div class="twitter-feed" data-id="{ID}"></div>',
    f'<div class="twitter-profile-card" data-user-id="{ID}"></div>',
    # ids of other things on a wrapper that names twitter: users, media, a CMS post id, too short to be a tweet
    f'<div class="embed-twitter" data-user-id="{ID}"></div>',
    f'<div class="embed-twitter" data-media-id="{ID}"></div>',
    '<div class="embed-twitter" data-id="48213"></div>',
    '<div class="tweet" id="tweet-3"></div>',
    # unmarked elements: a prose link, a credit, a data attribute holding a status page
    f'<a href="https://twitter.com/PortHbr/status/{ID}">said</a>',
    f'<div class="lead-image" data-credit-url="https://twitter.com/PortHbr/status/{ID}/photo/1"></div>',
    f'<div class="story" data-id="{ID}"></div>',
    # data-tweet attributes on unrelated widgets (click-to-tweet text, counters)
    '<button data-tweet="Read this story" data-tweet-via="Harbour">Share</button>',
    '<span class="quote" data-tweet-text="Storm closes port" data-tweet-count="1234567890123"></span>',
    # the head and scripts are never placeholders
    f'<script data-tweet-id="{ID}"></script>',
])
def test_placeholder_ref_rejects(markup: str) -> None:
    assert placeholder_ref(el(markup)) is None


def test_marks_tweet() -> None:
    assert marks_tweet(el('<div class="wp-block-embed is-provider-twitter"></div>'))
    assert marks_tweet(el('<div class="TwitterEmbed"></div>'))
    assert marks_tweet(el('<div data-vendors="twitter"></div>'))
    assert not marks_tweet(el('<div class="retweet-count"></div>'))
    assert not marks_tweet(el('<div class="x-large box"></div>'))  # "x" alone is a size, not the network
    assert not marks_tweet(el('<div class="latest-tweets"></div>'))


@pytest.mark.parametrize(("value", "expected"), [
    (f"https://twitter.com/#!/PortHbr/status/{ID}", StatusRef("PortHbr", ID)),
    (f"//x.com/PortHbr/statuses/{ID}", StatusRef("PortHbr", ID)),
    (f"https://publish.twitter.com/?url=https://twitter.com/PortHbr/status/{ID}", StatusRef("PortHbr", ID)),
    (f"https://platform.twitter.com/embed/index.html?id={ID}", StatusRef(None, ID)),
    (f"https://twitter.com/intent/like?tweet_id={ID}", None),
    (f"https://www.facebook.com/sharer.php?u=https://x.com/a/status/{ID}", None),
    (f"https://example.com/story?id={ID}", None),  # an id= outside an embed page is the site's own
    ("https://twitter.com/PortHbr", None),
])
def test_status_in_value(value: str, expected: StatusRef | None) -> None:
    assert status_in_value(value) == expected


# --- family 2: tweets in page data -------------------------------------------------------------------------

ANS_STORY = {
    "headlines": {"basic": "Storm closes the port"},
    "canonical_url": "/2023/03/07/storm/",
    "content_elements": [
        {"type": "text", "content": "Ferries stopped on Tuesday."},
        {"type": "oembed_response", "subtype": "twitter", "_id": "ABCDEF",
         "raw_oembed": {"url": f"https://twitter.com/PortHbr/status/{ID}", "author_name": "Port Harbour",
                        "author_url": "https://twitter.com/PortHbr", "provider_name": "Twitter",
                        "html": '<blockquote class="twitter-tweet"><p lang="en">All sailings cancelled</p>'
                                f'&mdash; Port Harbour (@PortHbr) <a href="https://twitter.com/PortHbr/status/{ID}">'
                                "March 7, 2023</a></blockquote>"},
         "referent": {"id": f"https://twitter.com/PortHbr/status/{ID}", "provider": "oembed", "type": "twitter"}},
        {"type": "reference", "referent": {"type": "twitter", "service": "oembed",
                                          "id": f"https://x.com/Coastguard/status/{OLD_ID}"}},
    ],
    "related_content": {"basic": [{"headlines": {"basic": "Older storm"}, "canonical_url": "/2022/old/",
                                   "content_elements": [{"type": "oembed_response", "subtype": "twitter",
                                                         "raw_oembed": {"url": "https://twitter.com/x1/status/"
                                                                               "1500000000000000000"}}]}]},
}


def test_embeds_in_json_arc_story_and_teaser() -> None:
    found = list(embeds_in_json(ANS_STORY))
    assert [(e.id, e.handle) for e in found] == [(ID, "PortHbr"), (OLD_ID, "Coastguard"),
                                                 ("1500000000000000000", "x1")]
    own, reference, teaser = found
    assert own.name == "Port Harbour" and "twitter-tweet" in (own.html or "")
    assert own.path == ("content_elements", 1) and own.story_title == "Storm closes the port"
    assert not teaser_path(own.path) and not teaser_path(reference.path)
    assert teaser_path(teaser.path) and teaser.story_url == "/2022/old/"


def test_embeds_in_json_cms_shapes() -> None:
    data = {
        "props": {"pageProps": {"article": {"title": "T", "body": [
            {"blockName": "core/embed", "attrs": {"url": f"https://twitter.com/PortHbr/status/{ID}",
                                                 "providerNameSlug": "twitter", "type": "rich"}},
            {"type": "jsembed", "subtype": "tweet", "metadata": {"tweet-url": f"https://x.com/b/status/{OLD_ID}",
                                                                 "tweet-id": OLD_ID}},
            {"__typename": "TweetBlock", "tweetId": "1500000000000000001"},
            {"type": "tweet", "id": 1500000000000000002, "username": "c", "text": "Tom &amp; Jerry"},
        ]}}},
    }
    found = list(embeds_in_json(data))
    assert [e.id for e in found] == [ID, OLD_ID, "1500000000000000001", "1500000000000000002"]
    assert found[3].text == "Tom & Jerry" and found[3].handle == "c"


def test_embeds_in_json_quoted_and_double_encoded() -> None:
    substack = {"url": f"https://twitter.com/PortHbr/status/{ID}", "full_text": "Look at this",
                "username": "PortHbr", "name": "Port Harbour", "date": "2023-03-07T10:36:58.000Z",
                "quoted_tweet": {"full_text": "Gale warning", "username": "MetCoast", "name": "Met Coast",
                                 "url": f"https://twitter.com/MetCoast/status/{OLD_ID}"}}
    found = list(embeds_in_json({"state": json.dumps({"post": {"blocks": [substack]}})}))
    assert len(found) == 1
    embed = found[0]
    assert (embed.id, embed.handle, embed.text, embed.created_at) == (ID, "PortHbr", "Look at this",
                                                                       "2023-03-07T10:36:58.000Z")
    assert embed.quoted is not None and (embed.quoted.id, embed.quoted.handle) == (OLD_ID, "MetCoast")


@pytest.mark.parametrize("data", [
    # a prose link to a status in article JSON (a text node with a link format)
    {"type": "paragraph", "text": "he said", "formats": [{"type": "link", "url": f"https://twitter.com/a/status/{ID}"}]},
    # social profile links and author objects
    {"type": "twitter", "url": "https://twitter.com/PortHbr"},
    {"author": {"name": "Jo", "social": {"twitter": "PortHbr"}}},
    # a tag or section called Twitter, with a CMS id
    {"id": 123, "name": "Twitter", "slug": "twitter"},
    {"type": "tag", "text": "Twitter", "id": "1234567890123"},
    # an image credited to a status page
    {"type": "image", "credit_url": f"https://twitter.com/a/status/{ID}/photo/1", "id": "1234567890123"},
    # a twitter-typed object whose only number is a user's
    {"type": "twitter", "user_id": ID, "screen_name": "a"},
    # a timeline embed
    {"type": "twitter-timeline", "id": ID},
])
def test_embeds_in_json_rejects(data: dict[str, Any]) -> None:
    assert list(embeds_in_json(data)) == []


def test_embeds_in_json_deep_nesting_is_bounded() -> None:
    deep: Any = {"type": "tweet", "id": ID}
    for _ in range(5000):
        deep = {"a": deep}
    assert list(embeds_in_json(deep)) == []  # deeper than MAX_JSON_DEPTH: not walked, and no RecursionError


def test_json_in_script() -> None:
    assert list(json_in_script('{"a": 1}')) == [{"a": 1}]
    script = ('window.__APOLLO_STATE__ = {"Tweet:1": {"id": "1"}};\nvar f = function(){ return x == "y"; };\n'
              'Fusion.globalContent={"b":[1,2]};\nwindow.__PRELOADED__ = JSON.parse("{\\"c\\": \\"\\\\u003cb\\\\u003e\\"}");')
    assert list(json_in_script(script)) == [{"Tweet:1": {"id": "1"}}, {"b": [1, 2]}, {"c": "<b>"}]
    assert list(json_in_script("var a = {unquoted: 1};")) == []


# --- family 4: markup held as text -------------------------------------------------------------------------

BLOCKQUOTE = (f'<blockquote class="twitter-tweet"><p lang="en">Gusts of 110&nbsp;km/h <a href="https://t.co/AbC">'
              f'#Storm</a></p>&mdash; Port Harbour (@PortHbr) <a href="https://twitter.com/PortHbr/status/{ID}">'
              "March 7, 2023</a></blockquote>")


@pytest.mark.parametrize("encoded", [
    BLOCKQUOTE,
    BLOCKQUOTE.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"),
    json.dumps(BLOCKQUOTE)[1:-1].replace("<", "\\u003c").replace(">", "\\u003e").replace("/", "\\/"),
    BLOCKQUOTE.replace("<", "\\x3c").replace(">", "\\x3e"),
    quote(BLOCKQUOTE, safe=""),
    base64.b64encode(BLOCKQUOTE.encode()).decode(),
])
def test_unwrap_markup_and_plain_text(encoded: str) -> None:
    assert unwrap_markup(encoded) == BLOCKQUOTE
    assert plain_text(encoded) == "Gusts of 110 km/h #Storm\n\n\u2014 Port Harbour (@PortHbr) March 7, 2023"


@pytest.mark.parametrize(("markup", "text"), [
    ("Line one<br>line two", "Line one\nline two"),
    ("<p>One</p><p>Two &amp; three</p>", "One\n\nTwo & three"),
    ('Emoji <img class="emoji" alt="\U0001f30a" src="x.png"> wave', "Emoji \U0001f30a wave"),
    ("no tags, just &lt;3 and &quot;quotes&quot;", 'no tags, just <3 and "quotes"'),
    ("2 < 3 and 5 > 4", "2 < 3 and 5 > 4"),
    ("<p>Hidden<script>var a = 1;</script> text</p>", "Hidden text"),
    ("", ""),
])
def test_plain_text(markup: str, text: str) -> None:
    assert plain_text(markup) == text


def test_unwrap_markup_rejects_plain_strings() -> None:
    assert unwrap_markup("PortHarbour2023") is None
    assert unwrap_markup("hello world") is None
    assert unwrap_markup(base64.b64encode(b"not markup at all").decode()) is None


def test_encoded_fragments() -> None:
    script = ('var a = {"embed": "' + quote(BLOCKQUOTE, safe="") + '", "cb": "'
              + base64.b64encode(BLOCKQUOTE.encode()).decode() + '", "img": "'
              + base64.b64encode(b"<img src=logo.png>").decode() + '"};')
    assert list(encoded_fragments(script)) == [BLOCKQUOTE, BLOCKQUOTE]


# --- family 3: cards ---------------------------------------------------------------------------------------

WIDGET_2014 = f"""<div class="EmbeddedTweet h-entry" data-tweet-id="{ID}">
 <div class="header"><div class="h-card p-author">
  <a class="u-url profile" href="https://twitter.com/intent/user?screen_name=PortHbr">
   <img class="u-photo avatar" src="a.jpg" alt="">
   <span class="full-name"><span class="p-name">Port Harbour</span> <span class="verified"><b>✔</b></span></span>
   <span class="p-nickname" dir="ltr">@<b>PortHbr</b></span></a></div>
  <a class="follow-button" href="https://twitter.com/intent/follow?screen_name=PortHbr">Follow</a></div>
 <div class="e-entry-content"><p class="e-entry-title">All sailings cancelled. Thanks <a href="https://twitter.com/Coastguard">@<b>Coastguard</b></a> <a href="https://twitter.com/hashtag/Storm">#<b>Storm</b></a></p>
  <div class="dateline"><a class="u-url long-permalink" href="https://twitter.com/PortHbr/status/{ID}"
     data-datetime="2023-03-07T10:36:58+0000"><time class="dt-updated" datetime="2023-03-07T10:36:58+0000">10:36 AM - 7 Mar 2023</time></a></div></div>
 <div class="footer"><ul class="tweet-actions">
  <li><a href="https://twitter.com/intent/tweet?in_reply_to={ID}">Reply</a></li>
  <li><a href="https://twitter.com/intent/retweet?tweet_id={ID}">Retweet</a></li></ul>
  <span class="stats">12 Retweets 40 Likes</span></div></div>"""

SCHEMA_CARD = f"""<blockquote class="post-card" itemscope itemtype="https://schema.org/SocialMediaPosting">
 <header itemprop="author" itemscope itemtype="https://schema.org/Person">
  <a href="https://twitter.com/MetCoast"><img src="a.webp" alt=""><div><p itemprop="name">Met Coast ✅</p>
  @MetCoast</div></a></header>
 <section itemprop="articleBody">Gale warning for the coast.<br>Stay ashore.</section>
 <footer><a href="https://twitter.com/MetCoast/status/{ID}" aria-label="3 likes">❤️ 3</a>
  <a href="https://twitter.com/MetCoast/status/{ID}"><time datetime="2023-03-07T10:36:58.000Z">07 Mar 2023</time></a>
 </footer></blockquote>"""

QUOTE_CARD = f"""<div class="card">
 <a class="top" href="https://x.com/PortHbr/status/{ID}"><div class="hd"><span>港湾局 Port</span>
  <span>@PortHbr</span></div></a>
 <div class="body">見て下さい：</div>
 <div class="qt"><div class="qh"><span>Met Coast</span> <span>@MetCoast</span></div>
  <div class="qb">Gale warning</div>
  <a href="https://twitter.com/MetCoast/status/{OLD_ID}">Sep 24, 2011</a></div>
 <div class="ft"><a href="https://x.com/PortHbr/status/{ID}">7 Mar 2023</a></div></div>"""

RTL_CARD = f"""<div dir="rtl"><div><b>هيئة الميناء</b> <span>@PortHbr\u200f</span> · <span>٧ مارس</span></div>
 <p lang="ar">أُلغيت جميع الرحلات</p><a href="https://twitter.com/PortHbr/status/{ID}">٧ مارس ٢٠٢٣</a></div>"""


def test_card_fields_widgets_markup() -> None:
    fields = card_fields(el(WIDGET_2014))
    assert fields is not None
    assert (fields.id, fields.handle, fields.name) == (ID, "PortHbr", "Port Harbour")
    assert fields.text == "All sailings cancelled. Thanks @Coastguard #Storm"
    assert (fields.date_text, fields.datetime) == ("10:36 AM - 7 Mar 2023", "2023-03-07T10:36:58+0000")
    assert fields.quoted is None


def test_card_fields_schema_card() -> None:
    fields = card_fields(el(SCHEMA_CARD))
    assert fields is not None
    assert (fields.id, fields.handle, fields.name) == (ID, "MetCoast", "Met Coast")
    assert fields.text == "Gale warning for the coast.\nStay ashore."
    assert fields.datetime == "2023-03-07T10:36:58.000Z"


def test_card_fields_quoted_tweet() -> None:
    fields = card_fields(el(QUOTE_CARD))
    assert fields is not None
    assert (fields.id, fields.handle, fields.name, fields.text) == (ID, "PortHbr", "港湾局 Port", "見て下さい：")
    assert fields.date_text == "7 Mar 2023"
    assert fields.quoted is not None
    quoted = fields.quoted
    assert (quoted.id, quoted.handle, quoted.name, quoted.text, quoted.date_text) == (
        OLD_ID, "MetCoast", "Met Coast", "Gale warning", "Sep 24, 2011")


def test_card_fields_right_to_left() -> None:
    fields = card_fields(el(RTL_CARD))
    assert fields is not None
    assert (fields.handle, fields.name, fields.text) == ("PortHbr", "هيئة الميناء", "أُلغيت جميع الرحلات")


@pytest.mark.parametrize("markup", [
    # no status link: a profile card, an author box
    ('<div class="author"><span>Jo Reporter</span> <span>@joreports</span><p>Covers the port.</p>'
    '<a href="https://twitter.com/joreports">Follow</a></div>'),
    # a feed of three tweets
    "<ul>" + "".join(f'<li><span>@a{i}</span><p>t{i}</p><a href="https://twitter.com/a{i}/status/15000000000000000{i}0">'
                     f"{i}h</a></li>" for i in range(3)) + "</ul>",
])
def test_card_fields_rejects(markup: str) -> None:
    assert card_fields(el(markup)) is None


def test_card_fields_link_in_text_is_not_a_quote() -> None:
    card = el(f'<div><span>Port</span> <span>@PortHbr</span><p>As we said <a href="https://twitter.com/PortHbr/'
              f'status/{OLD_ID}">before</a>, stay home</p><a href="https://twitter.com/PortHbr/status/{ID}">'
              "Mar 7</a></div>")
    fields = card_fields(card)
    assert fields is not None and fields.id == ID and fields.quoted is None
    assert fields.text == "As we said before, stay home"


def test_card_fields_quote_box_without_id() -> None:
    card = el(f'<div><a href="https://twitter.com/PortHbr/status/{ID}"><span>Port</span><span>@PortHbr</span></a>'
              '<div class="t">Look at this</div><div class="q"><div><span>Met Coast</span> <span>@MetCoast</span></div>'
              f'<div>Gale warning</div></div><a href="https://twitter.com/PortHbr/status/{ID}"><span>Mar 7, 2023</span>'
              "<span>12 Likes</span></a></div>")
    fields = card_fields(card)
    assert fields is not None and (fields.text, fields.date_text) == ("Look at this", "Mar 7, 2023")
    assert fields.quoted is not None
    assert (fields.quoted.id, fields.quoted.handle, fields.quoted.name, fields.quoted.text) == (
        None, "MetCoast", "Met Coast", "Gale warning")
    assert card_fields(el(WIDGET_2014)).quoted is None  # type: ignore[union-attr]
