"""Finding fixed words in bytes (search.Words, with and without Hyperscan) and the script data the
HTML scan lets the parse skip: the same records come out whether or not it is skipped."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tweetparse
from tweetparse import search
from tweetparse.html import scan as S
from tweetparse.loader import without_spans
from tweetparse.search import Words

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "html"
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


def _spans(page: bytes) -> list[bytes]:
    """The inert data the scan finds, as the bytes it covers (bounds found by find loops)."""
    lowered = page.lower()
    stems = sorted(hit for stem in S._STEMS for hit in _find_loop(lowered, stem))
    bounds = [_find_loop(lowered, word) for word in S._DATA_BOUNDS]
    return [page[start:end] for start, end in S.inert_spans(lowered, stems, S.data_spans(lowered, bounds))]


FILLER = "var a = b < c && d > e; // " * 40  # over INERT_MIN_BYTES, with "<" and ">" in it


def test_inert_spans_are_script_and_style_data_without_a_stem() -> None:
    page = (
        f"<html><head><script>{FILLER}</script><style>p{{color:red}}{' ' * 600}</style>"
        f'<script type="application/ld+json">{{"datePublished": "2020-05-01", "x": "{FILLER}"}}</script>'
        f"<script>{FILLER} var src = 'platform.twitter.com/widgets.js';</script>"
        f"<SCRIPT async>{FILLER}</SCRIPT ></head><body><p>Hello</p><script>short</script></body></html>"
    ).encode()
    spans = _spans(page)
    assert spans == [FILLER.encode(), b"p{color:red}" + b" " * 600, FILLER.encode()]


@pytest.mark.parametrize(
    "markup",
    [
        f"<!-- <script>{FILLER}</script> -->",  # a start tag inside an open comment
        f'<script data-note="a > b">{FILLER}</script>',  # a quoted ">" in the start tag: the bytes are not trusted
        f"<scripts>{FILLER}</scripts>",  # another tag's name
        f"<script>{FILLER}</scripts>",  # no end tag whose name ends
        f"<script>{FILLER} '\\u003Cblockquote'</script>",  # a stem inside
        "<script>short</script>",
    ],
)
def test_inert_spans_leave_alone(markup: str) -> None:
    assert _spans(f"<html><body>{markup}<p>after</p></body></html>".encode()) == []


def test_a_script_start_tag_inside_script_data_is_data() -> None:
    inner = f"document.write('<style>' + css + '</style>'); {FILLER}"
    page = f"<html><body><script>{inner}</script><style>{' ' * 600}</style></body></html>".encode()
    assert _spans(page) == [inner.encode(), b" " * 600]


def test_without_spans_keeps_the_rest() -> None:
    assert without_spans(b"0123456789", [(1, 3), (5, 6)]) == b"0346789"
    assert without_spans(b"abc", []) == b"abc"


def _pages() -> list[Path]:
    pages = sorted((ROOT / "fixtures").rglob("*.html"))
    if CORPUS.is_dir():
        labels = json.loads((CORPUS / "labels.json").read_text(encoding="utf-8"))
        pages += [CORPUS / article["path"] for article in labels["articles"]]
    return pages


@pytest.mark.skipif(not search.ACCELERATED, reason="script data is skipped only with hyperscan")
def test_skipping_inert_data_changes_no_record(monkeypatch: pytest.MonkeyPatch) -> None:
    pages = {path: path.read_bytes() for path in _pages()}
    skipping = {path: [t.to_dict() for t in tweetparse.extract(data)] for path, data in pages.items()}
    skipped_somewhere = sum(bool(S.scan(data.lower()).inert) for data in pages.values())
    monkeypatch.setattr(S, "inert_spans", lambda *args: ())
    parsing_all = {path: [t.to_dict() for t in tweetparse.extract(data)] for path, data in pages.items()}
    assert skipping == parsing_all
    assert skipped_somewhere > len(pages) // 3  # the comparison did exercise the skip


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


def test_author_shapes_in_script_data_are_not_counted_when_it_is_located() -> None:
    page = b"<p>(@jane)</p><script>var s = '(@bob)';</script><style>/* @carl 5h */</style>"
    lowered = page.lower()
    bounds = [_find_loop(lowered, word) for word in S._DATA_BOUNDS]
    data = tuple((start, end) for start, end, _ in S.data_spans(lowered, bounds))
    assert S.author_shapes(lowered) == 3
    assert S.author_shapes(lowered, data) == 1


@pytest.mark.skipif(not search.ACCELERATED, reason="script data is located only with hyperscan")
def test_a_flattened_tweet_beside_an_escaped_copy_is_still_read() -> None:
    """The escaped copy's script holds author shapes; left out of both counts, the paragraph's shape
    still sends the text pass to read it."""
    escaped = ('\\u003Cblockquote class=\\"twitter-tweet\\"\\u003E\\u003Cp\\u003EHello\\u003C/p\\u003E'
               '&mdash; Ann (@ann) \\u003Ca href=\\"https://twitter.com/ann/status/1796813938986471435\\"\\u003E'
               'June 1, 2024\\u003C/a\\u003E\\u003C/blockquote\\u003E')
    page = ("<html><body><script>window.data = {\"html\": \"" + escaped + "\", \"who\": \"(@zed) (@yan)\"};</script>"
            "<p>Bridge closed all morning, crews on site</p><p>\u2014 Harbour Police (@harbourpolice) June 2, 2024</p>"
            "</body></html>").encode()
    handles = [t.handle for t in tweetparse.extract(page)]
    assert "harbourpolice" in handles and "ann" in handles
