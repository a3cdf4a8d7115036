#!/usr/bin/env python3
"""Quality gate: score tweetparse on the labelled corpus and fail when a score drops below its pinned floor.

The floors live in ``bench/baseline.json`` with the sha256 of each corpus' labels and inputs, so a
floor is only compared with a score on the very data it was pinned on. Scoring uses the matching
and field rules of ``../shared/eval/score.py`` itself (imported, not re-implemented).

    python bench/gate.py                 # score every corpus, compare with the floors
    python bench/gate.py --update        # raise floors to the current scores (never lowers them)
    python bench/gate.py --update --allow-lower   # re-pin, lowering floors (say why in the commit)
"""
from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
SCORE_SCRIPT = SHARED / "eval" / "score.py"
BASELINE = Path(__file__).resolve().parent / "baseline.json"
CORPORA = ("seed", "text", "extractor-outputs", "html", "platforms")
# Scores are rounded before comparison so float noise never fails the gate.
DIGITS = 4


def load_scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("tweetparse_score", SCORE_SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def corpus_hash(folder: Path) -> str:
    """sha256 over labels.json and every input it names, in label order."""
    digest = hashlib.sha256()
    labels_path = folder / "labels.json"
    digest.update(labels_path.read_bytes())
    for article in json.loads(labels_path.read_text(encoding="utf-8"))["articles"]:
        digest.update(article["path"].encode())
        digest.update((folder / article["path"]).read_bytes())
    return digest.hexdigest()


def score_corpus(folder: Path, scorer: ModuleType) -> dict[str, Any]:
    """F1, precision, recall, field accuracy and clean negatives, as score.py computes them."""
    import tweetparse

    labels = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
    tp = fp = fn = right = total = 0
    negatives = clean = 0
    for article in labels["articles"]:
        data = (folder / article["path"]).read_bytes()
        preds = [t.to_dict() for t in tweetparse.extract(data)]
        if "posts" in article:  # a corpus of several networks: every record is scored, against its network's
            gold_all = article["posts"]
        else:  # a corpus of tweets: other networks' records are left out, as score.py leaves them
            gold_all = article["tweets"]
            preds = [p for p in preds if scorer.platform_of(p) == "twitter"]
        pairs, missed, extra = scorer.match(gold_all, preds)
        pairs = [(g, p) for g, p in pairs if not g.get("optional")]
        missed = [g for g in missed if not g.get("optional")]
        tp, fn, fp = tp + len(pairs), fn + len(missed), fp + len(extra)
        if not [g for g in gold_all if not g.get("optional")]:
            negatives += 1
            clean += not extra
        for g, p in pairs:
            for field in scorer.FIELDS:
                ok = scorer.field_ok(field, g, p)
                if ok is not None:
                    total += 1
                    right += ok
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "f1": round(f1, DIGITS),
        "precision": round(precision, DIGITS),
        "recall": round(recall, DIGITS),
        "fields": round(right / total if total else 0.0, DIGITS),
        "negatives_clean": round(clean / negatives if negatives else 1.0, DIGITS),
    }


def check(baseline: dict[str, Any], scorer: ModuleType) -> tuple[list[str], list[str], dict[str, Any]]:
    """(failures, skipped notes, current scores) for every pinned corpus present on this machine."""
    failures, skipped, current = [], [], {}
    for name, pinned in baseline.get("corpora", {}).items():
        folder = CORPUS / name
        if not (folder / "labels.json").exists():
            skipped.append(f"{name}: corpus absent")
            continue
        if corpus_hash(folder) != pinned["sha256"]:
            skipped.append(f"{name}: corpus changed since its floors were pinned (re-pin with --update)")
            continue
        scores = current[name] = score_corpus(folder, scorer)
        for metric, floor in pinned["floors"].items():
            if scores[metric] < floor:
                failures.append(f"{name}: {metric} {scores[metric]:.4f} < floor {floor:.4f}")
    return failures, skipped, current


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--update", action="store_true", help="raise the floors to the current scores")
    parser.add_argument("--allow-lower", action="store_true", help="with --update: floors may go down")
    args = parser.parse_args()
    if not SCORE_SCRIPT.exists():
        print(f"skipped: {SCORE_SCRIPT} absent")
        return 0
    scorer = load_scorer()
    baseline = json.loads(BASELINE.read_text()) if BASELINE.exists() else {"corpora": {}}
    if args.update:
        for name in CORPORA:
            folder = CORPUS / name
            if not (folder / "labels.json").exists():
                continue
            scores = score_corpus(folder, scorer)
            old = baseline["corpora"].get(name, {})
            same_data = old.get("sha256") == corpus_hash(folder)
            floors = {}
            for metric, value in scores.items():
                before = old.get("floors", {}).get(metric)
                floors[metric] = value if (args.allow_lower or not same_data or before is None) else max(before, value)
            baseline["corpora"][name] = {"sha256": corpus_hash(folder), "floors": floors}
            print(f"{name:18} {json.dumps(floors)}")
        BASELINE.write_text(json.dumps(baseline, indent=2, sort_keys=True) + "\n")
        return 0
    failures, skipped, current = check(baseline, scorer)
    for name, scores in current.items():
        print(f"{name:18} " + "  ".join(f"{k} {v:.4f}" for k, v in scores.items()))
    for note in skipped:
        print(f"skipped: {note}")
    for failure in failures:
        print(f"FAIL {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main())
