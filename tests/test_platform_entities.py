"""Entities by the rules of each network other than Twitter (Twitter's own are test_entities/test_conformance)."""
from __future__ import annotations

import pytest

from tweetparse.entities import Entities, extract_entities


def _found(text: str, platform: str) -> tuple[list[str], list[str], list[str]]:
    """(mentions, hashtags, urls) as the text writes them, checking each span against the entity."""
    e = extract_entities(text, platform=platform)
    assert e.cashtags == ()
    for m in e.mentions:
        assert text[m.start:m.end].endswith(m.username)
    for h in e.hashtags:
        assert text[h.start:h.end] in ("#" + h.tag, "\uff03" + h.tag)
    for u in e.urls:
        assert text[u.start:u.end] == u.url
    return [m.username for m in e.mentions], [h.tag for h in e.hashtags], [u.url for u in e.urls]


# Bluesky: atproto's rich-text facet detection.
@pytest.mark.parametrize(("text", "mentions", "hashtags", "urls"), [
    ("Thanks @alice.bsky.social and @example.com!", ["alice.bsky.social", "example.com"], [], []),
    ("(@bob.test) and @nohandle and @carol.notatld", ["bob.test"], [], []),  # a handle needs a TID or .test
    ("mail me@alice.bsky.social", [], [], []),  # an @ inside a word is no mention
    ("@bob.foo_bar", [], [], []),  # the closing \b gives back to "bob.", which has no TLD
    ("@dan.bsky.social.", ["dan.bsky.social"], [], []),
    ("#Bluesky_rocks! #123 #a1. #🦋 #___", [], ["Bluesky_rocks", "a1", "🦋"], []),
    ("one#two #a#b", [], ["a#b"], []),  # only after a space; a tag runs to the next space
    ("#️⃣ keycap", [], [], []),
    ("#" + "t" * 64 + " #" + "u" * 65, [], ["t" * 64], []),  # at most 64 characters
    ("see example.com/page. and (x.org) or https://bsky.app/x, my-site.com", [],
     [], ["example.com/page", "x.org", "https://bsky.app/x"]),  # bare domains without a hyphen, with a TLD
    ("file.notatld and foo.bar.baz", [], [], []),
    ("(https://en.wikipedia.org/wiki/Foo_(bar))", [], [], ["https://en.wikipedia.org/wiki/Foo_(bar))"]),
])
def test_bluesky(text: str, mentions: list[str], hashtags: list[str], urls: list[str]) -> None:
    assert _found(text, "bluesky") == (mentions, hashtags, urls)


# Mastodon: app/lib/extractor.rb with Account::MENTION_RE and Tag::HASHTAG_RE; URLs by twitter-text, scheme only.
@pytest.mark.parametrize(("text", "mentions", "hashtags", "urls"), [
    ("@Gargron@mastodon.social and @alice hi", ["Gargron@mastodon.social", "alice"], [], []),
    ("@user.name@social.example-news.de.", ["user.name@social.example-news.de"], [], []),
    ("a=@x b/@y c@z (@ok)", ["ok"], [], []),  # not after "=", "/" or a word character
    ("@aliceìn @bob@", [], [], []),  # twitter-text's end_mention_match rejects these
    ("#Fediverse #Fediverse·Tag #tag_ #2024 #a1", [], ["Fediverse", "Fediverse·Tag", "tag_", "a1"], []),
    ("x#nope (#nope) #ok", [], ["ok"], []),  # only at the start or after a space
    ("#tagshttps://example.com", [], ["tags"], []),
    ("https://joinmastodon.org and example.com", [], [], ["https://joinmastodon.org"]),  # no bare domains
    ("$TSLA", [], [], []),  # no cashtags
])
def test_mastodon(text: str, mentions: list[str], hashtags: list[str], urls: list[str]) -> None:
    assert _found(text, "mastodon") == (mentions, hashtags, urls)
    assert _found(text, "truthsocial") == (mentions, hashtags, urls)


# Instagram, Threads, TikTok: usernames of letters, digits, "_" and "."; hashtags of word characters.
@pytest.mark.parametrize(("text", "mentions", "hashtags"), [
    ("Sunset with @jane.doe. #beach #2019 #sommer_2019", ["jane.doe"], ["beach", "sommer_2019"]),
    ("@jane..doe @.jane @" + "a" * 31 + " me@mail.com @ok_1", ["ok_1"], []),
    ("a#b #ok #über", [], ["ok", "über"]),
    ("&#35;entity #tag", [], ["tag"]),
])
def test_apps(text: str, mentions: list[str], hashtags: list[str]) -> None:
    for platform in ("instagram", "threads", "tiktok"):
        found_mentions, found_tags, _ = _found(text, platform)
        assert (found_mentions, found_tags) == (mentions, hashtags)


def test_instagram_and_tiktok_captions_have_no_links_threads_has() -> None:
    text = "Link in bio: https://example.com #shop"
    assert _found(text, "instagram")[2] == [] and _found(text, "tiktok")[2] == []
    assert _found(text, "threads")[2] == ["https://example.com"]


def test_facebook_and_reddit() -> None:
    assert _found("#News https://example.com @Jane Doe", "facebook") == ([], ["News"], ["https://example.com"])
    assert _found("ask u/spez or /u/kn0thing in r/news", "reddit") == (["spez", "kn0thing"], [], [])


def test_twitter_is_the_default_and_unchanged() -> None:
    text = "RT @nasa: #Artemis $BA https://t.co/abc @alice.bsky.social"
    assert extract_entities(text) == extract_entities(text, platform="twitter")
    assert [m.username for m in extract_entities(text).mentions] == ["nasa", "alice"]
    assert [m.username for m in extract_entities(text, platform="bluesky").mentions] == ["alice.bsky.social"]


def test_unknown_platform() -> None:
    with pytest.raises(ValueError, match="myspace"):
        extract_entities("hi", platform="myspace")
    assert extract_entities("", platform="bluesky") == Entities()


def test_linear_on_long_input() -> None:
    """The per-character loops and patterns stay linear on a long hostile line (one '#' and '@' run)."""
    text = "#_" + "\u00b7" * 200_000 + " @" + "a." * 100_000 + " #" + "1" * 200_000
    for platform in ("bluesky", "mastodon", "instagram", "reddit"):
        assert isinstance(extract_entities(text, platform=platform), Entities)
