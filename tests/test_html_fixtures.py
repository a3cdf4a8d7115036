"""Every HTML fixture: fixtures/html/<form>/<case>.html gives the records in <case>.json; negatives give none."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import tweetparse

ROOT = Path(__file__).resolve().parent.parent / "fixtures"
POSITIVE = sorted((ROOT / "html").rglob("*.html"))
NEGATIVE = sorted((ROOT / "negative" / "html").rglob("*.html"))


def _id(path: Path) -> str:
    return str(path.relative_to(ROOT))


def _expected(path: Path) -> list[dict[str, Any]]:
    expected_file = path.with_suffix(".json")
    if path.is_relative_to(ROOT / "negative"):
        return []
    return json.loads(expected_file.read_text(encoding="utf-8"))


def test_fixtures_exist() -> None:
    assert POSITIVE and NEGATIVE


@pytest.mark.parametrize("path", POSITIVE, ids=[_id(p) for p in POSITIVE])
def test_positive_fixture_has_expectations(path: Path) -> None:
    expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    assert expected, "a positive fixture expects at least one record"
    assert all("id" in record or "handle" in record for record in expected)


@pytest.mark.parametrize("path", POSITIVE + NEGATIVE, ids=[_id(p) for p in POSITIVE + NEGATIVE])
def test_html_fixture(path: Path) -> None:
    got = [tweet.to_dict() for tweet in tweetparse.extract(path.read_bytes(), kind="html")]
    expected = _expected(path)
    assert [g["id"] for g in got] == [e.get("id", g["id"]) for e, g in zip(expected, got)] and len(got) == len(
        expected
    ), [(g["id"], g["form"], g["text"][:40]) for g in got]
    for want, have in zip(expected, got):
        assert _as_expected(have, want) == want


def _as_expected(have: Any, want: Any) -> Any:
    """``have`` cut to the keys ``want`` names, nested records (``quoted``) too: an expectation names the fields
    it pins."""
    if isinstance(want, dict) and isinstance(have, dict):
        return {key: _as_expected(have.get(key), value) for key, value in want.items()}
    return have
