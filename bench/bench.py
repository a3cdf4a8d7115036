#!/usr/bin/env python3
"""Speed of tweetparse.extract as a ratio to a bare lxml parse of the same pages, in one run.

    python bench/bench.py [--repeat 5] [--cpu] [CORPUS_DIR ...]     (default: ../shared/corpus/html)

For each page the fastest of --repeat runs is taken (the slower ones are the same work plus whatever
else the machine did meanwhile: on a shared machine medians moved by 10-40 % from run to run, the
fastest by a few); the table sums those times over the pages
that hold tweets, the pages that hold none, and all of them, and gives each as a ratio to
``lxml.html.document_fromstring`` on the same bytes, timed just before in the same block. A last column times the pages without tweets
with every needle masked out (synthetic: the words twitter/tweet/x.com/ and each "@" overwritten
byte for byte), the case the byte pre-filter answers without a parse. Peers (BeautifulSoup find_all with lxml,
trafilatura.extract, tweetfinder) are timed too when installed, and their versions printed. A page
on which a contender raises is timed up to the raise and named under the table. ``--cpu`` times the
process's CPU time instead of the wall clock: on a machine that other jobs share, a preempted run
then costs nothing extra.
"""
from __future__ import annotations

import argparse
import json
import platform
import re
import sys
import time
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

import lxml
import lxml.html

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import tweetparse


def fastest_time(fn: Callable[[], object], repeat: int, clock: Callable[[], float] = time.perf_counter) -> float:
    runs = []
    for _ in range(repeat):
        t0 = clock()
        fn()
        runs.append(clock() - t0)
    return min(runs)


def load_pages(corpora: list[Path]) -> list[tuple[str, bytes, bool]]:
    pages = []
    for folder in corpora:
        labels = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
        for article in labels["articles"]:
            data = (folder / article["path"]).read_bytes()
            pages.append((article["path"], data, bool(article["tweets"])))
    return pages


# The pre-filter's needles, any case, and every "@" (attributions and timeline headers start there).
_NEEDLES = re.compile(rb"(?i)twitter|tweet|x\.com/|@|instagr|bsky|tiktok|facebook|threads\.|mastodon|reddit")


def masked(data: bytes) -> bytes:
    """The page with every needle overwritten by as many filler bytes."""
    return _NEEDLES.sub(lambda m: b"q" * len(m.group()), data)


def peers() -> tuple[dict[str, Callable[[bytes], object]], dict[str, str]]:
    """The peers that are installed, and the version of each one's distribution.

    tweetfinder's ``Article`` downloads its ``url`` argument; given ``html`` (a str) instead it works
    offline, and its constructor does all the work: a BeautifulSoup parse, readability's summary
    and a second parse of it, the embeds, and the English mention phrases after a py3langid guess
    (no switch leaves those out). The pages are bytes, so they are decoded as UTF-8 with
    errors="replace", inside the timing; a page in another charset has its non-ASCII text garbled,
    which leaves the markup and twitter.com links it looks for as they were.
    """
    found: dict[str, Callable[[bytes], object]] = {}
    versions: dict[str, str] = {}
    try:
        from bs4 import BeautifulSoup

        found["bs4 find_all (lxml)"] = lambda data: BeautifulSoup(data, "lxml").find_all(
            "blockquote", class_="twitter-tweet")
        versions["bs4"] = version("beautifulsoup4")
    except ImportError:
        pass
    try:
        import trafilatura

        found["trafilatura.extract"] = lambda data: trafilatura.extract(data)
        versions["trafilatura"] = version("trafilatura")
    except ImportError:
        pass
    try:
        from tweetfinder import Article

        found["tweetfinder Article(html=...)"] = lambda data: Article(
            html=data.decode("utf-8", errors="replace")).list_embedded_tweets()
        versions["tweetfinder"] = version("tweetfinder")
    except ImportError:
        pass
    return found, versions


def _hyperscan_state() -> str:
    from importlib.metadata import PackageNotFoundError, version

    from tweetparse.search import ACCELERATED

    try:
        return f"hyperscan {version('hyperscan')}" + ("" if ACCELERATED else ", unused: TWEETPARSE_NO_HYPERSCAN")
    except PackageNotFoundError:
        return "without hyperscan"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpora", nargs="*", type=Path, default=[ROOT.parent / "shared" / "corpus" / "html"])
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--cpu", action="store_true", help="time CPU time, not the wall clock")
    parser.add_argument("--no-peers", action="store_true", help="time only lxml and tweetparse")
    args = parser.parse_args()
    clock = time.process_time if args.cpu else time.perf_counter
    pages = load_pages(args.corpora)
    peer_fns, peer_versions = peers() if not args.no_peers else ({}, {})
    contenders: dict[str, Callable[[bytes], object]] = {
        "lxml.html.document_fromstring": lxml.html.document_fromstring,
        "tweetparse.extract": tweetparse.extract,
        **peer_fns,
    }
    failures: dict[str, dict[str, str]] = {name: {} for name in contenders}

    def timed(name: str, data: bytes, page: str) -> float:
        fn = contenders[name]

        def call() -> None:
            try:  # one peer's bug on one page must not cost the whole table
                fn(data)
            except Exception as exc:  # noqa: BLE001
                failures[name][page] = f"{type(exc).__name__}: {exc}"

        return fastest_time(call, args.repeat, clock)

    # One contender over all the pages, then the next (a peer run between two calls of another would
    # leave its garbage in the heap and the caches: tweetfinder and trafilatura make plenty), each page
    # parsed by lxml right before, in the same block: the ratio then compares times taken under the
    # same load, however much the machine's load drifts between blocks.
    baseline = "lxml.html.document_fromstring"
    blanks = {path: masked(data) for path, data, has_tweets in pages if not has_tweets}
    totals: dict[str, dict[str, float]] = {}
    bases: dict[str, dict[str, float]] = {}
    for name in contenders:
        totals[name] = {"with": 0.0, "without": 0.0, "masked": 0.0}
        bases[name] = {"with": 0.0, "without": 0.0, "masked": 0.0}
        for path, data, has_tweets in pages:
            key = "with" if has_tweets else "without"
            bases[name][key] += timed(baseline, data, path)
            totals[name][key] += timed(name, data, path)
            if not has_tweets:
                bases[name]["masked"] += timed(baseline, blanks[path], f"{path} (masked)")
                totals[name]["masked"] += timed(name, blanks[path], f"{path} (masked)")
    n_with = sum(1 for p in pages if p[2])
    print(f"{len(pages)} pages ({n_with} with tweets, {len(pages) - n_with} without), "
          f"{sum(len(p[1]) for p in pages) / 1e6:.1f} MB; fastest of {args.repeat} runs per page "
          f"({'CPU time' if args.cpu else 'wall clock'}); "
          f"Python {platform.python_version()}, lxml {lxml.__version__}, tweetparse {tweetparse.__version__} "
          f"({_hyperscan_state()})"
          + "".join(f", {name} {v}" for name, v in peer_versions.items()))
    print("| | pages with tweets | pages without | all pages | pages without, needles masked |")
    print("|---|---|---|---|---|")
    for name, t in totals.items():
        base = bases[name]
        cells = []
        for key in ("with", "without", "all", "masked"):
            value = t["with"] + t["without"] if key == "all" else t[key]
            ref = base["with"] + base["without"] if key == "all" else base[key]
            cells.append(f"{value * 1000:.0f} ms ({value / ref:.2f}x)")
        print(f"| {name} | " + " | ".join(cells) + " |")
    for name, pages_failed in failures.items():
        for page, error in pages_failed.items():
            print(f"{name} raised on {page}: {error}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
