#!/usr/bin/env python3
"""Where an extract's time goes, stage by stage, as a share of a bare lxml parse of the same pages.

    python bench/bench_stages.py [--repeat 7] [--without] [--match SUBSTRING] [CORPUS_DIR ...]

Runs the stages of ``tweetparse.extract`` one by one on each page that holds tweets (``--without``:
on the pages that hold none): the byte pre-filter, the byte scan, the parse, each HTML extractor,
the text pass and the merge. Each stage's time is the fastest of ``--repeat`` runs (CPU time) per
page, summed over the pages; ratios are to ``lxml.html.document_fromstring`` timed in the same
loop. The stages' fastest runs need not add up to the fastest whole extract (the first row).
Pages that the scan leaves to the parse path (encodings it does not read) count only in the rows
of the stages they reach.
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import lxml.html

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from tweetparse.html.base import reading

import tweetparse
from bench import load_pages
from tweetparse.build import Context
from tweetparse.core import _scan_html_bytes, may_hold_tweets
from tweetparse.html import REGISTRY, Page, _isolated, _unclaimed
from tweetparse.html.text_pass import find_in_paragraphs
from tweetparse.loader import load
from tweetparse.merge import merge
from tweetparse.pagemeta import published_time

CLOCK = time.process_time


def stage_times(data: bytes) -> dict[str, float]:
    """One run of every stage on one page: {stage: seconds}."""
    times: dict[str, float] = defaultdict(float)

    def timed(name: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        start = CLOCK()
        result = fn(*args, **kwargs)
        times[name] += CLOCK() - start
        return result

    timed("lxml.html.document_fromstring", lxml.html.document_fromstring, data)
    timed("extract (whole)", tweetparse.extract, data)
    timed("pre-filter", may_hold_tweets, data)
    scanned = timed("scan (bytes)", _scan_html_bytes, data, "auto")
    if scanned is None or not scanned.evidence:
        return times
    root = timed("parse", load, data, "auto", detected=scanned.detected).root
    page = Page(root, scanned.lowered, scanned.signals)
    ctx = Context(published_loader=lambda: published_time(root))
    claimed: set[Any] = set()
    enclosing: set[Any] = set()
    found: list[Any] = []
    with reading(page):
        for extractor in REGISTRY:
            name = type(extractor).__name__
            if page.holds(extractor.needles):
                found.extend(_unclaimed(timed(name, _isolated, extractor.find, root, ctx, name), claimed, enclosing))
        found.extend(_unclaimed(timed("text pass", _isolated, lambda r, c: find_in_paragraphs(r, c, claimed, page),
                                      root, ctx, "text pass"), claimed, enclosing))
    timed("merge", merge, [f.tweet for f in found])
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpora", nargs="*", type=Path, default=[ROOT.parent / "shared" / "corpus" / "html"])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--without", action="store_true", help="time the pages without tweets")
    parser.add_argument("--match", default="", help="only pages whose path holds this")
    args = parser.parse_args()
    pages = [data for path, data, holds in load_pages(args.corpora)
             if holds != args.without and args.match in path]
    totals: dict[str, float] = defaultdict(float)
    for data in pages:
        fastest: dict[str, float] = {}
        for _ in range(args.repeat):
            for name, seconds in stage_times(data).items():
                fastest[name] = min(fastest.get(name, seconds), seconds)
        for name, seconds in fastest.items():
            totals[name] += seconds
    base = totals["lxml.html.document_fromstring"]
    print(f"{len(pages)} pages, fastest of {args.repeat} CPU-time runs per page and stage")
    for name, seconds in sorted(totals.items(), key=lambda item: -item[1]):
        print(f"{name:32s} {seconds * 1000:8.1f} ms {seconds / base:6.3f}x")


if __name__ == "__main__":
    main()
