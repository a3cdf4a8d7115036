"""The labelled plain-text corpora, scored with score.py's own matching, must stay above their floors."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import tweetparse

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
CORPUS = SHARED / "corpus"
SCORE = SHARED / "eval" / "score.py"

# (corpus, F1 floor, field-accuracy floor): the bars issue 3 sets for the plain-text stage.
FLOORS = (("seed", 1.0, 1.0), ("text", 0.95, 0.90), ("extractor-outputs", 0.90, 0.90))


def _score_module() -> ModuleType:
    if not SCORE.exists() or not CORPUS.exists():
        pytest.skip("../shared/corpus is not here")
    spec = importlib.util.spec_from_file_location("tweetparse_score", SCORE)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _evaluate(score: ModuleType, folder: Path) -> dict[str, Any]:
    labels = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
    tp = fp = fn = right = total = dirty_negatives = 0
    for article in labels["articles"]:
        gold_all = article["tweets"]
        preds = [t.to_dict() for t in tweetparse.extract((folder / article["path"]).read_bytes())]
        pairs, missed, extra = score.match(gold_all, preds)
        pairs = [(g, p) for g, p in pairs if not g.get("optional")]
        missed = [g for g in missed if not g.get("optional")]
        tp, fn, fp = tp + len(pairs), fn + len(missed), fp + len(extra)
        if not any(not g.get("optional") for g in gold_all):
            dirty_negatives += bool(extra)
        for g, p in pairs:
            for field in score.FIELDS:
                ok = score.field_ok(field, g, p)
                if ok is not None:
                    total += 1
                    right += ok
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"f1": f1, "fields": right / total if total else 0.0, "dirty_negatives": dirty_negatives}


@pytest.mark.parametrize("name,min_f1,min_fields", FLOORS, ids=[f[0] for f in FLOORS])
def test_corpus_floor(name: str, min_f1: float, min_fields: float) -> None:
    score = _score_module()
    folder = CORPUS / name
    if not (folder / "labels.json").exists():
        pytest.skip(f"{folder} is not here")
    result = _evaluate(score, folder)
    assert result["f1"] >= min_f1, result
    assert result["fields"] >= min_fields, result
    assert result["dirty_negatives"] == 0, result
