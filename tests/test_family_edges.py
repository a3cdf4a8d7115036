"""Edges of the embed families found by review: each case a page a publisher could write, and what it must give."""
from __future__ import annotations

import base64
import html

import lxml.html
import pytest

import tweetparse
from tweetparse.build import Context, build
from tweetparse.html.cards import MAX_CARD_ELEMENTS
from tweetparse.html.page import Page
from tweetparse.html.social_quotes import FacebookPlaceholder

BLOCKQUOTE = ('<blockquote class="twitter-tweet"><p>Ferries cancelled tonight</p>&mdash; Port Elling (@PortEllingHbr) '
              '<a href="https://twitter.com/PortEllingHbr/status/1633054123456789504">March 7, 2023</a></blockquote>')


def _page(body: str) -> bytes:
    return f"<!DOCTYPE html><html><head><title>Harbour</title></head><body><article><p>Story.</p>{body}</article>" \
           f"</body></html>".encode()


def _posts(body: str) -> list[tuple[str, str | None, str]]:
    return [(post.form, post.id, post.text) for post in tweetparse.extract(_page(body), errors="strict")]


@pytest.mark.parametrize("status_id", ["29700000000000000", "297000000000000", "1633054123456789504"])
def test_an_embed_object_in_state_is_read_whatever_the_length_of_its_snowflake_id(status_id: str) -> None:
    """Ids of late 2010 to mid 2011 have 15 to 17 digits: an embed object naming one is read, not taken for
    a copy of a post the page shows (it shows none)."""
    state = '{"content_elements": [{"type": "tweet", "id": "' + status_id + '"}]}'
    assert [(form, id_) for form, id_, _ in _posts(f"<script>window.__STATE__ = {state};</script>")] == [
        ("script-json", status_id)]


@pytest.mark.parametrize("attribute", [
    base64.b64encode(BLOCKQUOTE.encode()).decode(),  # base64, as consent tools park an embed
    html.escape(BLOCKQUOTE.replace("blockquote", "BLOCKQUOTE")),  # an upper-case tag, entity-escaped
    html.escape(BLOCKQUOTE),
])
def test_markup_parked_in_an_attribute_is_read_in_every_spelling(attribute: str) -> None:
    posts = _posts(f'<div class="consent" data-embed="{attribute}">Blocked until you accept</div>')
    assert posts == [("script-json", "1633054123456789504", "Ferries cancelled tonight")]


def test_a_wrapper_naming_one_post_in_two_spellings_is_that_post() -> None:
    body = ('<div class="embed-wrapper" data-url="https://www.instagram.com/p/C1a2b3c4d5e/" '
            'data-embed-url="https://www.instagram.com/portelling/p/C1a2b3c4d5e/">Instagram post</div>')
    assert [(form, id_) for form, id_, _ in _posts(body)] == [("cms-wrapper", "C1a2b3c4d5e")]


@pytest.mark.parametrize("kind", ["fb-post", "fb-video"])
def test_the_sdk_fallback_inside_a_facebook_placeholder_is_read_once(kind: str) -> None:
    url = "https://www.facebook.com/PortElling/posts/1234567890123456"
    root = lxml.html.document_fromstring(
        f'<html><body><div class="{kind}" data-href="{url}"><blockquote cite="{url}" class="fb-xfbml-parse-ignore">'
        f'<p>Ferries run again.</p>Posted by <a href="https://www.facebook.com/PortElling">Port Elling</a> on '
        f'<a href="{url}">Tuesday, 7 March 2023</a></blockquote></div></body></html>')
    page = Page(root)
    finds = list(FacebookPlaceholder().find(page, Context()))
    assert [found.element.tag for found in finds] == ["div"]
    assert build(finds[0].draft, Context()).text == "Ferries run again."


def test_placeholders_named_in_two_ways_on_one_page_are_both_read() -> None:
    body = ('<div class="social-embed" data-tweet-id="1633054123456789504"></div>'
            '<div class="social-embed" data-embed-tweetid="1633058000000000000"></div>')
    assert [id_ for _, id_, _ in _posts(body)] == ["1633054123456789504", "1633058000000000000"]


@pytest.mark.parametrize("host", ["x.com", "www.x.com", "mobile.twitter.com"])
def test_an_unmarked_element_pointing_at_a_status_page_is_a_link_on_every_host(host: str) -> None:
    body = f'<div data-src="https://{host}/PortEllingHbr/status/1633054123456789504">Photo: Port Elling</div>'
    assert _posts(body) == []


def test_a_region_of_more_elements_than_a_card_holds_is_no_card() -> None:
    card = ('<div><span>Port Elling</span> <span>@PortEllingHbr</span><p>Ferries cancelled tonight</p>'
            '<a href="https://x.com/PortEllingHbr/status/1633054123456789504">Mar 7, 2023</a>{}</div>')
    assert [form for form, _, _ in _posts(card.format(""))] == ["card"]
    padding = "<span></span>" * MAX_CARD_ELEMENTS
    assert [form for form, _, _ in _posts(card.format(padding))] != ["card"]


def test_an_instagram_caption_is_kept_when_the_byline_is_a_bare_link() -> None:
    permalink = "https://www.instagram.com/p/C1a2b3c4d5e/"
    body = (f'<blockquote class="instagram-media" data-instgrm-permalink="{permalink}" data-instgrm-version="14">'
            f'<div><a href="{permalink}">View this post on Instagram</a></div>'
            f'<p>Ferries run again at dawn.</p>'
            f'<a href="{permalink}">A post shared by Port Elling (@portelling)</a></blockquote>')
    posts = tweetparse.extract(_page(body), errors="strict")
    assert [(post.platform, post.handle, post.text) for post in posts] == [
        ("instagram", "portelling", "Ferries run again at dawn.")]
