"""The bars the issues set on the real corpus, whatever the pinned floors say.

The gate (test_gate.py) fails when a score drops below the floor pinned for the exact labels and inputs;
it skips when the corpus changed. These absolute bars still hold then.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("tweetparse_gate", ROOT / "bench" / "gate.py")
assert _spec is not None and _spec.loader is not None
gate = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gate)

# (corpus, F1 bar, field-accuracy bar): issue 3 for the text corpora, issue 4 for HTML.
BARS = (("seed", 1.0, 1.0), ("text", 0.95, 0.90), ("extractor-outputs", 0.90, 0.90), ("html", 0.98, 0.97))


@pytest.mark.parametrize("name,min_f1,min_fields", BARS, ids=[b[0] for b in BARS])
def test_corpus_bar(name: str, min_f1: float, min_fields: float) -> None:
    folder = gate.CORPUS / name
    if not gate.SCORE_SCRIPT.exists() or not (folder / "labels.json").exists():
        pytest.skip(f"{folder} is not here")
    scores = gate.score_corpus(folder, gate.load_scorer())
    assert scores["f1"] >= min_f1, scores
    assert scores["fields"] >= min_fields, scores
    assert scores["negatives_clean"] == 1.0, scores  # pages without tweets yield nothing
