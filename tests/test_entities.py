"""Entity extraction cases twitter-text's suite lacks, the record shapes, and adversarial inputs."""
from __future__ import annotations

import dataclasses

import pytest

from tweetparse.entities import Entities, UrlEntity, extract_entities

ADVERSARIAL_SIZE = 1_000_000  # characters: a long article body, far beyond any tweet


def urls(text: str, *, strict: bool = False) -> list[tuple[str, int, int, bool]]:
    return [(u.url, u.start, u.end, u.media) for u in extract_entities(text, strict=strict).urls]


# --- media links ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Look pic.twitter.com/AbC123xyz", [("pic.twitter.com/AbC123xyz", 5, 30, True)]),
        ("Look pic.x.com/AbC123xyz", [("pic.x.com/AbC123xyz", 5, 24, True)]),
        ("Look https://pic.x.com/AbC123xyz.", [("https://pic.x.com/AbC123xyz", 5, 32, True)]),
        ("— Agency (@agency) May 1, 2024 pic.twitter.com/Q1w2E3", [("pic.twitter.com/Q1w2E3", 31, 53, True)]),
        ("see twitter.com/pic and epic.x.com", [("twitter.com/pic", 4, 19, False), ("epic.x.com", 24, 34, False)]),
    ],
)
def test_media_links(text: str, expected: list[tuple[str, int, int, bool]]) -> None:
    assert urls(text) == expected


def test_media_property_lists_only_media() -> None:
    e = extract_entities("https://t.co/abc pic.twitter.com/xyz")
    assert [u.url for u in e.media] == ["pic.twitter.com/xyz"]


# --- x.com status links and t.co ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,expected",
    [
        ("https://x.com/NASA/status/1790000000000000000?s=20",
         ["https://x.com/NASA/status/1790000000000000000?s=20"]),
        ("via x.com/NASA/status/1790000000000000000.", ["x.com/NASA/status/1790000000000000000"]),
        ("https://twitter.com/i/web/status/123/photo/1", ["https://twitter.com/i/web/status/123/photo/1"]),
        ("(https://mobile.x.com/a_b/status/42)", ["https://mobile.x.com/a_b/status/42"]),
    ],
)
def test_status_links(text: str, expected: list[str]) -> None:
    assert [u.url for u in extract_entities(text).urls] == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("read https://t.co/AbCdE12345", [("https://t.co/AbCdE12345", 5, 28, False)]),
        ("read http://t.co/AbCdE12345's", [("http://t.co/AbCdE12345", 5, 27, False)]),
        ("read t.co/AbCdE12345", [("t.co/AbCdE12345", 5, 20, False)]),
        ("read t.co/AbCdE12345…", [("t.co/AbCdE12345", 5, 20, False)]),
        ("read HTTPS://T.CO/AbC", [("HTTPS://T.CO/AbC", 5, 21, False)]),
    ],
)
def test_tco_with_and_without_scheme(text: str, expected: list[tuple[str, int, int, bool]]) -> None:
    assert urls(text) == expected


# --- URLs glued to the word before (flattened HTML) -------------------------------------------------------


def test_scheme_glued_to_word_is_found_by_default() -> None:
    assert urls("statement from the FBIhttps://t.co/Xy12Ab") == [("https://t.co/Xy12Ab", 22, 41, False)]


def test_scheme_glued_to_word_is_skipped_when_strict() -> None:
    assert urls("statement from the FBIhttps://t.co/Xy12Ab", strict=True) == []


def test_media_link_glued_to_word() -> None:
    assert urls("the FBIpic.twitter.com/Xy12Ab") == [("pic.twitter.com/Xy12Ab", 7, 29, True)]
    assert urls("the FBIpic.twitter.com/Xy12Ab", strict=True) == [("FBIpic.twitter.com/Xy12Ab", 4, 29, False)]


def test_glued_scheme_still_needs_a_word_not_a_sigil() -> None:
    assert urls("$https://t.co/abc @https://t.co/abc #https://t.co/abc") == []


# --- hashtags: emoji and offsets -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,expected",
    [
        ("✌️#peace", [("peace", 2, 8)]),
        ("🇺🇦#Ukraine", [("Ukraine", 2, 10)]),  # astral flag: offsets are code points, not UTF-16
        ("😀 #tag", [("tag", 2, 6)]),
        ("#️⃣ keycap", []),
        ("#🎉 party", []),  # an emoji is not a letter
        ("#café☕", [("café", 0, 5)]),
        ("&#39;quoted", []),  # an HTML entity, not a hashtag
    ],
)
def test_emoji_hashtags(text: str, expected: list[tuple[str, int, int]]) -> None:
    tags = extract_entities(text).hashtags
    assert [(h.tag, h.start, h.end) for h in tags] == expected
    for h in tags:
        assert text[h.start : h.end] in ("#" + h.tag, "＃" + h.tag)


# --- right-to-left text --------------------------------------------------------------------------------------


def test_rtl_arabic() -> None:
    text = "عاجل: #غزة بيان @UN_News على الرابط https://t.co/AbC123 \u200f"
    e = extract_entities(text)
    assert [(h.tag, text[h.start : h.end]) for h in e.hashtags] == [("غزة", "#غزة")]
    assert [(m.username, text[m.start : m.end]) for m in e.mentions] == [("UN_News", "@UN_News")]
    assert [text[u.start : u.end] for u in e.urls] == ["https://t.co/AbC123"]


def test_rtl_hebrew_with_isolates() -> None:
    text = "\u2067שלום\u2069 \u2066@idf\u2069 #ישראל ynet.co.il/a"
    e = extract_entities(text)
    assert [m.username for m in e.mentions] == ["idf"]
    assert [h.tag for h in e.hashtags] == ["ישראל"]
    assert [u.url for u in e.urls] == ["ynet.co.il/a"]


# --- mentions, cashtags, overlaps ----------------------------------------------------------------------------


def test_list_is_not_a_mention() -> None:
    assert extract_entities("see @nasa/astronauts and @esa").mentions[0].username == "esa"


def test_entities_inside_urls_are_dropped() -> None:
    e = extract_entities("https://example.com/@user/#tag/$ABC x")
    assert (e.mentions, e.hashtags, e.cashtags) == ((), (), ())
    assert [u.url for u in e.urls] == ["https://example.com/@user/#tag/$ABC"]


def test_to_dict_shapes() -> None:
    e = extract_entities("RT @nasa: #Artemis $BA t.co/x")
    assert e.to_dict() == {
        "hashtags": [{"start": 10, "end": 18, "tag": "Artemis"}],
        "cashtags": [{"start": 19, "end": 22, "tag": "BA"}],
        "mentions": [{"start": 3, "end": 8, "username": "nasa"}],
        "urls": [{"start": 23, "end": 29, "url": "t.co/x", "media": False}],
    }
    link = dataclasses.replace(e.urls[0], display_url="example.com/a", expanded_url="https://example.com/a")
    assert list(link.to_dict()) == ["start", "end", "url", "display_url", "expanded_url", "media"]


def test_records_are_frozen_and_slotted() -> None:
    e = extract_entities("#a")
    with pytest.raises(dataclasses.FrozenInstanceError):
        e.hashtags = ()  # type: ignore[misc]
    assert not hasattr(e, "__dict__") and not hasattr(UrlEntity(start=0, end=1, url="x"), "__dict__")
    assert extract_entities("") == Entities()


# --- adversarial inputs: the answer must come back (linear time), and be right -------------------------------

N = ADVERSARIAL_SIZE


@pytest.mark.parametrize(
    "name,text,counts",
    [
        ("(@", "(@" * (N // 2), (0, 0, 0, 0)),
        ("#", "#" * N, (0, 0, 0, 0)),
        ("#digits", "#" + "1" * N, (0, 0, 0, 0)),
        ("#a", "#a " * (N // 3), (N // 3, 0, 0, 0)),
        ("@a", "@a" * (N // 2), (0, 0, 0, 0)),  # each is glued to the one before
        ("$", "$A " * (N // 3), (0, N // 3, 0, 0)),
        ("http://", "http://" * (N // 7), (0, 0, 0, 0)),
        ("https://x", "https://x" * (N // 9), (0, 0, 0, 0)),
        ("long label", "a" * N + ".com", (0, 0, 0, 0)),  # label longer than 63
        ("long host", "a." * (N // 2) + "com", (0, 0, 0, 0)),  # longer than 4096
        ("dots", "." * N, (0, 0, 0, 0)),
        ("labels", "a." * (N // 2), (0, 0, 0, 0)),
        ("cjk labels", "あ." * (N // 2), (0, 0, 0, 0)),
        ("hyphens", "a-" * (N // 2) + ".com", (0, 0, 0, 0)),
        ("underscores", "a_." * (N // 3) + "com", (0, 0, 0, 0)),
        ("parens", "http://x.com/" + "(" * N, (0, 0, 0, 1)),
        ("nested parens", "http://x.com/" + "(a" * (N // 2), (0, 0, 0, 1)),
        ("periods", "http://x.com/a" + "." * N, (0, 0, 0, 1)),
        ("query", "http://x.com/?" + "!" * N, (0, 0, 0, 1)),
        ("many urls", "a.co " * (N // 50), (0, 0, 0, N // 50)),
    ],
    ids=lambda v: v if isinstance(v, str) and len(v) < 20 else "",
)
def test_adversarial_megabyte(name: str, text: str, counts: tuple[int, int, int, int]) -> None:
    e = extract_entities(text)
    assert (len(e.hashtags), len(e.cashtags), len(e.mentions), len(e.urls)) == counts
    assert len(e.to_dict()["urls"]) == counts[3]


def test_adversarial_results_are_exact() -> None:
    assert urls("http://x.com/a" + "." * N) == [("http://x.com/a", 0, 14, False)]
    assert urls("http://x.com/" + "(" * N) == [("http://x.com/", 0, 13, False)]
    assert urls("x " + "a" * 63 + ".com") == [("a" * 63 + ".com", 2, 69, False)]
