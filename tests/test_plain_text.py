"""Text is plain text, always (issue 14, family 4): every extractor's records on every fixture and corpus page,
and every way a page stores a tweet as HTML, give what a reader sees: no tags, no undecoded entities."""
from __future__ import annotations

import html
import json
import re
from html.entities import html5
from pathlib import Path
from urllib.parse import quote

import pytest

import tweetparse
from tweetparse import core
from tweetparse.record import Post

# The elements of HTML a page's markup uses: a record showing one of them as a tag holds markup. Text that
# merely looks like a tag ("Google "<noun>.js"") is what a reader saw, and stays.
_ELEMENTS = ("a|abbr|article|aside|b|blockquote|br|button|cite|code|dd|del|div|dl|dt|em|figcaption|figure|footer|"
             "h[1-6]|header|hr|i|iframe|img|ins|li|main|mark|nav|noscript|ol|p|picture|pre|q|s|script|section|small|"
             "source|span|strong|style|sub|sup|svg|table|tbody|td|template|th|time|tr|u|ul|video")
_TAG = re.compile(rf"</?(?:{_ELEMENTS})(?:\s[^<>]*)?/?>", re.IGNORECASE)
# An entity reference: a named one of HTML5's table (with its semicolon), or a numeric one.
_NAMED = "|".join(sorted((re.escape(name[:-1]) for name in html5 if name.endswith(";")), key=len, reverse=True))
_ENTITY = re.compile(rf"&(?:{_NAMED});|&#[0-9]{{1,7}};|&#[xX][0-9a-fA-F]{{1,6}};")


def markup_in(value: str | None) -> list[str]:
    """The tags and entity references a reader would not see in ``value``."""
    if not value:
        return []
    return [m.group() for m in _TAG.finditer(value)] + [m.group() for m in _ENTITY.finditer(value)]


def _shown_fields(post: Post) -> dict[str, str | None]:
    fields = {"text": post.text, "name": post.name}
    if post.quoted is not None:
        fields |= {"quoted.text": post.quoted.text, "quoted.name": post.quoted.name}
    return fields


def test_the_check_sees_markup_and_spares_text() -> None:
    assert markup_in('Snow <a href="https://t.co/x">#Oslo</a>') == ['<a href="https://t.co/x">', "</a>"]
    assert markup_in("Tom &amp; Jerry &#8217;s &#x1F30A;") == ["&amp;", "&#8217;", "&#x1F30A;"]
    assert markup_in('Google "<noun>.js", 2 < 3 & 5 > 4, I <3 this, AT&T; R&D') == []


def test_every_record_of_every_extractor_is_plain_text(monkeypatch: pytest.MonkeyPatch,
                                                       html_pages: dict[Path, bytes]) -> None:
    """Every record each extractor reads on every fixture and corpus page, before copies are merged."""
    monkeypatch.setattr(core, "merge", lambda records: list(records))
    read = 0
    problems = []
    for path, data in html_pages.items():
        for post in tweetparse.extract(data, kind="html", errors="strict"):
            read += 1
            for field, value in _shown_fields(post).items():
                if markup_in(value):
                    problems.append(f"{path.name}: {post.form} {post.id} {field}: {markup_in(value)}")
    assert read > 50 and not problems, problems


TWEET = "1494780112233445376"
BLOCKQUOTE = ('<blockquote class="twitter-tweet"><p lang="en">Ferries &amp; buses <b>resume</b> at 6&nbsp;am '
              '<a href="https://t.co/Qz9">#Update</a><br>Thanks all &#128674;</p>&mdash; Island &lt;Ferries&gt; '
              f'(@IslandFerries) <a href="https://twitter.com/IslandFerries/status/{TWEET}">February 18, 2022</a>'
              "</blockquote>")
TEXT = "Ferries & buses resume at 6 am #Update\nThanks all \U0001f6a2"
JSON_TEXT = 'Ferries &amp; buses <b>resume</b> at 6&nbsp;am <a href="https://t.co/Qz9">#Update</a><br>Thanks all &#128674;'


def _escaped_for_script(markup: str) -> str:
    return json.dumps(markup)[1:-1].replace("<", "\\u003c").replace(">", "\\u003e").replace("/", "\\/")


@pytest.mark.parametrize("body", [
    # embed markup in a script: JSON-escaped, JS hex-escaped, percent-encoded
    '<script>window.__STATE__ = {"html": "' + _escaped_for_script(BLOCKQUOTE) + '"};</script>',
    "<script>var e = '" + BLOCKQUOTE.replace("<", "\\x3c").replace(">", "\\x3e").replace("'", "\\'") + "';</script>",
    '<script>var e = {"embed": "' + quote(BLOCKQUOTE, safe="") + '"};</script>',
    # entity-escaped in an attribute
    f'<div class="embed" data-embed="{html.escape(BLOCKQUOTE)}"></div>',
    # parked for consent
    f'<script type="text/template">{html.escape(BLOCKQUOTE)}</script>',
    # an embed object whose text field is HTML with entities (Substack, API-like JSON)
    ('<div class="tweet" data-attrs="' + html.escape(json.dumps({
        "url": f"https://twitter.com/IslandFerries/status/{TWEET}", "full_text": JSON_TEXT,
        "username": "IslandFerries", "name": "Island &lt;Ferries&gt;"})) + '"></div>'),
    ('<script type="application/json">' + json.dumps({"story": {"headline": "Ferries", "body": [
        {"type": "tweet", "id": TWEET, "text": JSON_TEXT, "user": {"screen_name": "IslandFerries",
                                                                   "name": "Island &lt;Ferries&gt;"}}]}}) + "</script>"),
])
def test_html_stored_as_text_comes_out_as_a_reader_sees_it(body: str) -> None:
    page = f"<!DOCTYPE html><html><head><title>Ferries</title></head><body><h1>Ferries</h1>{body}</body></html>"
    (post,) = tweetparse.extract(page.encode(), kind="html", errors="strict")
    assert (post.id, post.handle) == (TWEET, "IslandFerries")
    assert post.text.replace("\n\n", "\n") == TEXT
    assert post.name == "Island <Ferries>"
    assert not markup_in(post.text) and not markup_in(post.name)
