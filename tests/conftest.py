"""Inputs shared by several test modules, and how the property tests draw their examples."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

try:
    from hypothesis import settings
except ImportError:  # pragma: no cover - hypothesis is in the test extra
    pass
else:
    # The property tests draw the same examples on every run, so that a run (CI's above all) is never red by
    # chance; HYPOTHESIS_PROFILE=explore draws new ones, to look for cases the fixed draw does not reach.
    settings.register_profile("fixed", derandomize=True)
    settings.register_profile("explore", derandomize=False)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fixed"))


@pytest.fixture(scope="session")
def html_pages() -> dict[Path, bytes]:
    """Every HTML page at hand: the fixtures, and the labelled corpus beside the project when present."""
    paths = sorted((ROOT / "fixtures").rglob("*.html"))
    corpus = ROOT.parent / "shared" / "corpus" / "html"
    if corpus.is_dir():
        paths += sorted(corpus.rglob("*.html"))
    return {path: path.read_bytes() for path in paths}
