"""Every record, of the fixtures and of the real corpus, and every JSON Feed item, fits the shipped schema."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

import tweetparse
from tweetparse.feed import build_feed, to_json_feed

jsonschema = pytest.importorskip("jsonschema")

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "tweetparse" / "schema" / "post.json").read_text())
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
CORPUS = ROOT.parent / "shared" / "corpus"


def corpus_files() -> list[Path]:
    files = []
    for labels in sorted(CORPUS.glob("*/labels.json")):
        for article in json.loads(labels.read_text(encoding="utf-8"))["articles"]:
            files.append(labels.parent / article["path"])
    return files


def test_schema_is_valid() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_the_schema_rejects_a_broken_record() -> None:
    (tweet,) = tweetparse.extract("Hi\n— Jo (@jo) May 1, 2017", kind="text")
    record = tweet.to_dict()
    assert VALIDATOR.is_valid(record)
    assert not VALIDATOR.is_valid(dict(record, handle="@jo"))
    assert not VALIDATOR.is_valid(dict(record, created_at="May 1, 2017"))


def test_example_and_fixture_records_fit_the_schema() -> None:
    paths = sorted((ROOT / "examples").glob("*.*")) + sorted((ROOT / "fixtures").rglob("*.html")) \
        + sorted((ROOT / "fixtures").rglob("*.txt"))
    records = [t.to_dict() for p in paths for t in tweetparse.extract(p.read_bytes(), article=str(p))]
    assert records
    for record in records:
        VALIDATOR.validate(record)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus absent")
def test_every_corpus_record_and_json_feed_item_fits_the_schema() -> None:
    tweets = [t for path in corpus_files() for t in tweetparse.extract(path.read_bytes(), article=str(path))]
    assert len(tweets) > 300
    errors = [f"{t.source.article}: {e.message}" for t in tweets for e in VALIDATOR.iter_errors(t.to_dict())]
    assert not errors, "\n".join(errors[:20])
    feed = to_json_feed(build_feed(tweets), "corpus")
    for item in feed["items"]:
        VALIDATOR.validate(item["_tweetparse"])
        assert {"id", "content_text", "authors"} <= set(item)
