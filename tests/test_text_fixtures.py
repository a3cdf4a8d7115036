"""Every plain-text fixture: fixtures/text/<shape>/<case>.txt gives the records in <case>.json; negatives give none."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import tweetparse

ROOT = Path(__file__).resolve().parent.parent / "fixtures"
POSITIVE = sorted((ROOT / "text").rglob("*.txt"))
NEGATIVE = sorted((ROOT / "negative" / "text").rglob("*.txt"))


def _id(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_fixtures_exist() -> None:
    assert POSITIVE and NEGATIVE
    assert all(path.with_suffix(".json").exists() for path in POSITIVE)


@pytest.mark.parametrize("path", POSITIVE + NEGATIVE, ids=[_id(p) for p in POSITIVE + NEGATIVE])
def test_text_fixture(path: Path) -> None:
    got = [tweet.to_dict() for tweet in tweetparse.extract(path.read_bytes(), kind="text")]
    expected_file = path.with_suffix(".json")
    expected = json.loads(expected_file.read_text(encoding="utf-8")) if expected_file.exists() else []
    assert len(got) == len(expected), [g["text"] for g in got]
    for want, have in zip(expected, got):
        assert {key: have[key] for key in want} == want


@pytest.mark.parametrize("path", POSITIVE, ids=[_id(p) for p in POSITIVE])
def test_spans_cover_the_attribution(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for tweet in tweetparse.extract(path.read_bytes(), kind="text"):
        start, end = tweet.source.start, tweet.source.end
        assert start is not None and end is not None and 0 <= start < end <= len(text)
        span = text[start:end]
        assert "@" + (tweet.handle or "") in span or "\uff20" + (tweet.handle or "") in span  # "＠": fullwidth
