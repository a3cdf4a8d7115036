"""Inputs shared by several test modules."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def html_pages() -> dict[Path, bytes]:
    """Every HTML page at hand: the fixtures, and the labelled corpus beside the project when present."""
    paths = sorted((ROOT / "fixtures").rglob("*.html"))
    corpus = ROOT.parent / "shared" / "corpus" / "html"
    if corpus.is_dir():
        paths += sorted(corpus.rglob("*.html"))
    return {path: path.read_bytes() for path in paths}
