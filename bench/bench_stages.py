#!/usr/bin/env python3
"""Where an extract's time goes, stage by stage, as a share of a bare lxml parse of the same pages.

    python bench/bench_stages.py [--repeat 7] [--without] [--match SUBSTRING] [CORPUS_DIR ...]

Runs the stages of ``tweetparse.extract`` one by one on each page that holds tweets (``--without``:
on the pages that hold none): the needle search, the parse, each HTML extractor of the registry (the
first one's time includes the page's candidate walk), building the records and merging them. Each
stage's time is the fastest of ``--repeat`` runs (CPU time) per page, summed over the pages; ratios are
to ``lxml.html.document_fromstring`` timed in the same loop. The stages' fastest runs need not add up to
the fastest whole extract (the first row). Pages whose bytes hold no needle end after the search.
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

import tweetparse
from bench import load_pages
from tweetparse.build import Context, build
from tweetparse.html import REGISTRY, Page, _isolated, _unclaimed, search_needles
from tweetparse.loader import detect_encoding, parse_document
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
    hits = timed("needle search", search_needles, data)
    if not hits:
        return times
    encoding, skip = detect_encoding(data)
    root = timed("parse", parse_document, data, encoding, skip)
    page = Page(root, hits)
    ctx = Context(published_loader=lambda: published_time(root))
    found: list[Any] = []
    for extractor in REGISTRY:
        if page.holds(extractor.needles):
            found.extend(_unclaimed(timed(type(extractor).__name__, _isolated, extractor, page, ctx), page))
    posts = timed("build", lambda: [build(f.draft, ctx, element=page.path(f.element)) for f in found])
    timed("merge", merge, posts)
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
