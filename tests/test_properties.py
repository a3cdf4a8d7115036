"""Properties of ``extract()`` checked with hypothesis: it never raises on arbitrary input, it is
deterministic, every record lies inside its input, and generated tweet-shaped texts are found."""
from __future__ import annotations

import re
from datetime import date
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tweetparse
from tweetparse.record import Tweet
from tweetparse.text import clean_markdown

# Bounded so the file costs a few seconds of CI; the first example warms dateutil, so no deadline.
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

KINDS = ("auto", "html", "text")

# Pieces of the shapes extract() looks for, so random documents reach deep into the extractors
# instead of stopping at the byte pre-filter.
SHAPES = [
    "(@", "(@jane)", "@jane", " — ", "—", "--", " - ", "\n", "\n\n", "> ", "[", "](", "]", ")", "#tag", "&amp;",
    "&mdash;", "January 5, 2017", "5h", "13. Dezember 2016", "2016年12月13日", "https://twitter.com/jane/status/",
    "816996473455656960", "https://t.co/abc", "pic.twitter.com/x", "<blockquote class=\"twitter-tweet\">",
    "</blockquote>", "<p>", "</p>", "<a href=\"https://twitter.com/jane/status/816996473455656960\">", "</a>",
    "<script>", "</script>", "<noscript>", "\\u003Cblockquote", "data-tweet-id=\"", "\"", "<", ">", " ", "\t", "\x00",
]
shaped_text = st.lists(st.one_of(st.sampled_from(SHAPES), st.text(max_size=8)), max_size=40).map("".join)
any_text = st.one_of(st.text(max_size=400), shaped_text)
any_bytes = st.one_of(st.binary(max_size=400), shaped_text.map(lambda s: s.encode("utf-8")),
                      shaped_text.map(lambda s: s.encode("utf-16")))


def _records(tweets: list[Tweet]) -> list[dict[str, Any]]:
    return [t.to_dict() for t in tweets]


@FAST
@given(source=any_bytes, kind=st.sampled_from(KINDS))
def test_never_raises_on_bytes_and_is_deterministic(source: bytes, kind: str) -> None:
    first = tweetparse.extract(source, kind=kind, errors="strict")
    assert _records(first) == _records(tweetparse.extract(source, kind=kind, errors="strict"))


@FAST
@given(source=any_text, kind=st.sampled_from(KINDS))
def test_never_raises_on_str_and_is_deterministic(source: str, kind: str) -> None:
    first = tweetparse.extract(source, kind=kind, errors="strict")
    assert _records(first) == _records(tweetparse.extract(source, kind=kind, errors="strict"))


_WORD = re.compile(r"\w+")


def words_inside(tweet_text: str, span: str) -> list[str]:
    """The words of a record's text that its input span does not show.

    A record's text is its span's text with flattening debris removed: markdown link targets and
    quote markers, HTML tags and entities (so "&amp;" becomes "&" and "foo<b>bar" the word "foobar"),
    whitespace folded. So each of its words, case-folded, must appear in the span as written or in
    the span cleaned the same way (clean_markdown). Comparing words as substrings rather than as
    tokens keeps the property true where a cleanup joins two pieces into one word.
    """
    raw = span.casefold()
    cleaned = clean_markdown(span).casefold()
    return [w for w in _WORD.findall(tweet_text.casefold()) if w not in raw and w not in cleaned]


@FAST
@given(source=any_text)
def test_text_records_lie_inside_their_input(source: str) -> None:
    for tweet in tweetparse.extract(source, kind="text", errors="strict"):
        start, end = tweet.source.start, tweet.source.end
        assert start is not None and end is not None
        assert 0 <= start <= end <= len(source)
        assert words_inside(tweet.text, source[start:end]) == []
        assert tweet.handle is None or f"@{tweet.handle}".casefold() in source[start:end].casefold()


# --- generated tweets in the attribution shape ------------------------------------------------------

# How each language shows a date: (format, month names by month). "{d}", "{m}", "{y}" are filled in.
DATE_FORMATS: list[tuple[str, tuple[str, ...]]] = [
    ("{m} {d}, {y}", ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                      "October", "November", "December")),
    ("{d}. {m} {y}", ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
                      "Oktober", "November", "Dezember")),
    ("{d} de {m} de {y}", ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
                           "septiembre", "octubre", "noviembre", "diciembre")),
    ("{d} {m} {y}", ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
                     "octobre", "novembre", "décembre")),
    ("{d} {m} {y}", ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
                     "октября", "ноября", "декабря")),
    ("{y}年{n}月{d}日", ("",) * 12),
]

names = st.lists(
    st.text(alphabet=st.characters(whitelist_categories=("Lu", "Ll")), min_size=2, max_size=10)
    .map(str.capitalize),
    min_size=1, max_size=3,
).map(" ".join)
handles = st.from_regex(r"[A-Za-z][A-Za-z0-9_]{0,14}", fullmatch=True)
days = st.dates(min_value=date(2010, 1, 1), max_value=date(2024, 12, 31))
plain_words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=9)
tweet_tokens = st.one_of(
    plain_words, plain_words, plain_words,
    plain_words.map(lambda w: "#" + w),
    st.from_regex(r"[a-z][a-z0-9_]{0,9}", fullmatch=True).map(lambda h: "@" + h),
    st.from_regex(r"[A-Za-z0-9]{6,10}", fullmatch=True).map(lambda s: "https://t.co/" + s),
)
tweet_bodies = st.lists(tweet_tokens, min_size=1, max_size=15).map(" ".join).filter(lambda t: len(t) <= 130)


def shown(day: date, fmt: str, months: tuple[str, ...]) -> str:
    return fmt.format(d=day.day, m=months[day.month - 1], n=day.month, y=day.year)


@FAST
@given(body=tweet_bodies, name=names, handle=handles, day=days, fmt=st.sampled_from(DATE_FORMATS),
       dash=st.sampled_from(["—", "--", "-", "–"]), prose=st.booleans())
def test_generated_attributed_tweets_are_found(body: str, name: str, handle: str, day: date,
                                               fmt: tuple[str, tuple[str, ...]], dash: str, prose: bool) -> None:
    lead = "The storm reached the coast on Monday night.\n\n" if prose else ""
    tail = "\n\nOfficials said more rain was expected." if prose else ""
    text = f"{lead}{body}\n{dash} {name} (@{handle}) {shown(day, *fmt)}{tail}"
    tweets = tweetparse.extract(text, kind="text", errors="strict")
    assert [(t.handle, t.created_at, t.name) for t in tweets] == [(handle, day.isoformat(), name)]
    assert tweets[0].text == body
    assert tweets[0].hashtags == tuple(dict.fromkeys(w[1:] for w in body.split() if w.startswith("#")))
