"""The quality gate: no corpus score may drop below the floor pinned in bench/baseline.json."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

GATE_PATH = Path(__file__).resolve().parent.parent / "bench" / "gate.py"


def load_gate():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("tweetparse_gate", GATE_PATH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


gate = load_gate()


@pytest.mark.skipif(not gate.SCORE_SCRIPT.exists(), reason="../shared (corpus and score.py) absent")
def test_no_score_drops_below_its_floor() -> None:
    baseline = json.loads(gate.BASELINE.read_text())
    failures, skipped, current = gate.check(baseline, gate.load_scorer())
    if not current:
        pytest.skip("; ".join(skipped) or "no pinned corpus present")
    for name, scores in current.items():
        print(name, scores)
    assert not failures, "\n".join(failures)


def test_corpus_hash_changes_with_any_input(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("one")
    (tmp_path / "labels.json").write_text(json.dumps({"articles": [{"path": "a.txt", "tweets": []}]}))
    before = gate.corpus_hash(tmp_path)
    (tmp_path / "a.txt").write_text("two")
    assert gate.corpus_hash(tmp_path) != before
