"""Finding fixed words and the "@" of author shapes in bytes (search.Words and search.Starts), with and
without Hyperscan: the same answers either way."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tweetparse
from tweetparse import loader, search
from tweetparse.html import scan as S
from tweetparse.search import Words

MODES = [False, pytest.param(True, marks=pytest.mark.skipif(not search.ACCELERATED, reason="hyperscan not installed"))]
WORDS = (b"twitter", b"tweet", b"x.com/", b"<!--", b"-->", b"aa")


def _find_loop(data: bytes, word: bytes) -> list[int]:
    hits, at = [], data.find(word)
    while at >= 0:
        hits.append(at)
        at = data.find(word, at + len(word))
    return hits


@pytest.mark.parametrize("accelerated", MODES)
@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([b"twitter", b"tweet", b"x.com/", b"<!--", b"-->", b"a", b"t", b"-", b" "]), max_size=40)
       .map(b"".join))
def test_words_agree_with_a_find_loop(accelerated: bool, data: bytes) -> None:
    words = Words(WORDS, accelerated=accelerated)
    assert words.positions(data) == [_find_loop(data, word) for word in WORDS]
    assert words.any_in(data) == any(word in data for word in WORDS)


@pytest.mark.parametrize("accelerated", MODES)
def test_words_self_overlap_counts_once(accelerated: bool) -> None:
    # "aaaa" holds "aa" at 0, 1, 2; a find loop takes 0 and 2 (it resumes after each hit).
    assert Words((b"aa",), accelerated=accelerated).positions(b"aaaaa") == [[0, 2]]


def test_words_refuses_an_empty_word() -> None:
    with pytest.raises(ValueError):
        Words((b"tweet", b""))


@pytest.mark.parametrize("accelerated", MODES)
def test_author_candidates_agree_with_the_python_test(accelerated: bool) -> None:
    """The Hyperscan form of the "@" quick test (no look-around) picks the "@" the regex picks."""
    from tweetparse.search import Starts

    starts = Starts(S._AT_CANDIDATES.first, S._CANDIDATE_AT, accelerated=False) if not accelerated else S._AT_CANDIDATES
    page = ("a@b.c (@jane) @media{x} x@example.com @jane5h @janedec 13 @" + "a" * 70 + " @" + "b" * 59 + "1 "
            "\"@type\": @\u00e9lo\u00efse) @x\t@y\x0b@z<").encode("utf-8").lower()
    expected = [at for at in range(len(page)) if page[at:at + 1] == b"@" and S._CANDIDATE_AT.match(page, at)]
    assert starts.starts(page) == expected
    assert len(expected) >= 8  # the page does hold candidates of each kind


def test_a_flattened_tweet_beside_an_escaped_copy_is_still_read() -> None:
    """The escaped copy's script holds author shapes of its own (claimed with it); the paragraph's
    shape, outside every claimed element, still sends the text pass to read it."""
    escaped = ('\\u003Cblockquote class=\\"twitter-tweet\\"\\u003E\\u003Cp\\u003EHello\\u003C/p\\u003E'
               '&mdash; Ann (@ann) \\u003Ca href=\\"https://twitter.com/ann/status/1796813938986471435\\"\\u003E'
               'June 1, 2024\\u003C/a\\u003E\\u003C/blockquote\\u003E')
    page = ("<html><body><script>window.data = {\"html\": \"" + escaped + "\", \"who\": \"(@zed) (@yan)\"};</script>"
            "<p>Bridge closed all morning, crews on site</p><p>\u2014 Harbour Police (@harbourpolice) June 2, 2024</p>"
            "</body></html>").encode()
    handles = [t.handle for t in tweetparse.extract(page)]
    assert "harbourpolice" in handles and "ann" in handles


@pytest.mark.skipif(not search.ACCELERATED, reason="hyperscan not installed")
def test_the_same_records_with_and_without_hyperscan(monkeypatch: pytest.MonkeyPatch,
                                                     html_pages: dict[Path, bytes]) -> None:
    from tweetparse import core

    pages = html_pages
    accelerated = {path: [t.to_dict() for t in tweetparse.extract(data)] for path, data in pages.items()}
    monkeypatch.setattr(S, "_WORDS", Words(S._WORDS.words, accelerated=False))
    monkeypatch.setattr(S, "_AT_CANDIDATES", search.Starts(b"@", S._CANDIDATE_AT, accelerated=False))
    monkeypatch.setattr(core, "_NEEDLE_WORDS", Words(core.HTML_NEEDLES, accelerated=False))
    monkeypatch.setattr(loader, "_ILL_FORMED_UTF8", search.Anywhere((), loader._fails_to_decode, accelerated=False))
    assert {path: [t.to_dict() for t in tweetparse.extract(data)] for path, data in pages.items()} == accelerated
    with_corpus = any("corpus" in path.parts for path in pages)  # the fixtures alone hold some 50 tweets
    assert sum(map(len, accelerated.values())) > (100 if with_corpus else 20)  # the pages did hold tweets


@pytest.mark.skipif(not search.ACCELERATED, reason="hyperscan not installed")
def test_a_cpu_hyperscan_refuses_means_the_plain_search(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hyperscan raises on a CPU without the instructions it needs: tweetparse must then fall back,
    not fail to import."""
    import hyperscan

    def refuse(*_args: object) -> None:
        raise hyperscan.ArchitectureError("this CPU lacks SSSE3")

    monkeypatch.setattr(search._Database, "__init__", refuse)
    assert search._runs_here() is False
