"""Dask runs on this machine: LocalCluster of 1 vs 2 workers, and the projected cost of a month of a news crawl.

Every number is measured in this run on generated articles (tests/pages.py), as HTML files and as
gzip-per-record WARCs; runs alternate between the two clusters so load from elsewhere hits both.
CPU time is taken from the workers themselves (getrusage), so the per-document cost holds even when
other processes share the cores; the projection scales it by the cost of real pages (the labelled
corpus in ../shared/corpus/html, when present) over the generated ones, both timed in this process.

    python bench/bench_dask.py                       # 4,000 documents, 3 alternating pairs
    python bench/bench_dask.py --docs 1000 --repeats 1 --no-wait
"""
from __future__ import annotations

import argparse
import gzip
import math
import os
import resource
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from bench_batch import busy_share, cli, measured_run, raise_priority, versions, wait_for_idle
from pages import article_html, warc_record, write_corpus

REAL_PAGES = ROOT.parent / "shared" / "corpus" / "html"
WARCS = 4
# Assumptions of the projection (each a flag): a month of Common Crawl's news crawl as WARC files.
MONTH_WARCS = 450
RECORDS_PER_WARC = 40_000
HTML_SHARE = 0.9
NODE_CORES = 16


def _worker_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def make_inputs(base: Path, docs: int) -> tuple[list[str], list[str]]:
    """The documents as files in folders, and the same documents as WARC files."""
    write_corpus(base / "pages", docs)
    warcs = []
    for w in range(WARCS):
        path = base / f"crawl-{w}.warc.gz"
        with open(path, "wb") as f:
            f.writelines(gzip.compress(warc_record(f"https://courier.example/{i}", article_html(i).encode(),
                                                  record_id=i), 6, mtime=0) for i in range(w, docs, WARCS))
        warcs.append(str(path))
    return [str(base / "pages")], warcs


def one_run(client: Any, inputs: list[str]) -> dict[str, float]:
    """Wall seconds, documents, tweets, and the CPU seconds of the workers and of this process
    (client and, for a LocalCluster, the scheduler) of one ``--engine dask`` run."""
    from tweetparse import distributed
    from tweetparse.batch import Options

    workers_before = client.run(_worker_cpu)
    here_before = _worker_cpu()
    started = time.perf_counter()
    documents = tweets = 0
    for result, count in distributed.run(inputs, Options(), scheduler=client.scheduler.address):
        documents += 1
        tweets += count
        assert result.error is None, result
    wall = time.perf_counter() - started
    workers_after = client.run(_worker_cpu)
    return {"wall": wall, "documents": documents, "tweets": tweets,
            "worker_cpu": sum(workers_after[w] - workers_before[w] for w in workers_after),
            "client_cpu": _worker_cpu() - here_before}


def scaling(inputs: dict[str, list[str]], repeats: int, wait: bool) -> dict[str, Any]:
    import logging

    from distributed import Client, LocalCluster

    clusters: dict[int, tuple[Any, Any]] = {}
    startup: dict[int, float] = {}
    for workers in (1, 2):
        started = time.perf_counter()
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0",
                               silence_logs=logging.ERROR)
        client = Client(cluster, set_as_default=False)
        client.run(lambda: __import__("tweetparse.core"))  # what the first task would pay
        startup[workers] = time.perf_counter() - started
        clusters[workers] = (cluster, client)
    runs: dict[tuple[str, int], list[dict[str, float]]] = {}
    busy = []
    try:
        for kind, paths in inputs.items():
            for workers in (1, 2):  # warm-up: each worker imports and parses once
                one_run(clusters[workers][1], paths)
            for _ in range(repeats):
                busy.append(wait_for_idle() if wait else busy_share())
                for workers in (1, 2):
                    runs.setdefault((kind, workers), []).append(one_run(clusters[workers][1], paths))
                    # The local engine on the same input, for the cost of going through Dask.
                    wall, _, cpu = measured_run([*cli(), "extract", "-q", "--jobs", str(workers), *paths])
                    runs.setdefault((f"{kind}, local engine", workers), []).append(
                        {"wall": wall, "documents": runs[(kind, workers)][-1]["documents"], "tweets": 0,
                         "worker_cpu": cpu, "client_cpu": float("nan")})
    finally:
        for cluster, client in clusters.values():
            client.close()
            cluster.close()
    medians = {key: {name: statistics.median(r[name] for r in values) for name in values[0]}
               for key, values in runs.items()}
    return {"runs": medians, "startup": startup, "busy": max(busy) if busy else float("nan")}


def in_process_cost(pages: list[bytes]) -> float:
    """CPU seconds per page of tweetparse.extract in this process (median of 3 passes)."""
    import tweetparse

    times = []
    for _ in range(3):
        started = time.process_time()
        for page in pages:
            tweetparse.extract(page)
        times.append((time.process_time() - started) / len(pages))
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=4000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-wait", action="store_true", help="don't wait for a quiet machine")
    parser.add_argument("--raise-priority", action="store_true", help="see bench_batch.py")
    parser.add_argument("--month-warcs", type=int, default=MONTH_WARCS)
    parser.add_argument("--records-per-warc", type=int, default=RECORDS_PER_WARC)
    parser.add_argument("--html-share", type=float, default=HTML_SHARE)
    parser.add_argument("--node-cores", type=int, default=NODE_CORES)
    args = parser.parse_args()
    if args.raise_priority:
        raise_priority()
    import logging

    import dask
    import distributed

    # The LocalClusters' scheduler runs in this process and logs every client at INFO level (set
    # after importing distributed, which sets up its own logging).
    logging.getLogger(distributed.__name__).setLevel(logging.ERROR)

    print(f"{date.today()}, {versions()}, dask {dask.__version__}, {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        files, warcs = make_inputs(Path(tmp), args.docs)
        result = scaling({"HTML files": files, "WARC records": warcs}, args.repeats, not args.no_wait)
    tweets = sum(i % 4 for i in range(args.docs))
    print(f"\n{args.docs} generated documents (~6 kB, {tweets} tweets), median of {args.repeats} alternating runs; "
          f"machine busy before the runs: up to {result['busy']:.0%}")
    print(f"cluster start-up (1 / 2 workers): {result['startup'][1]:.1f} s / {result['startup'][2]:.1f} s")
    print("| input | workers (--jobs) | wall | documents/s | speed-up | worker CPU per document "
          "(local engine: all processes) | client+scheduler CPU |")
    print("|---|---|---|---|---|---|---|")
    per_doc_cpu = {}
    for (kind, workers), r in result["runs"].items():
        base = result["runs"][(kind, 1)]["wall"]
        per_doc_cpu[(kind, workers)] = r["worker_cpu"] / r["documents"]
        print(f"| {kind} | {workers} | {r['wall']:.2f} s | {r['documents'] / r['wall']:.0f} | {base / r['wall']:.2f}x "
              f"| {1e6 * r['worker_cpu'] / r['documents']:.0f} µs | {r['client_cpu']:.2f} s |")

    synthetic = in_process_cost([article_html(i).encode() for i in range(300)])
    real_pages = sorted(p for p in REAL_PAGES.rglob("*.html")) if REAL_PAGES.is_dir() else []
    real = in_process_cost([p.read_bytes() for p in real_pages]) if real_pages else None
    warc_cpu = per_doc_cpu[("WARC records", 2)]
    print(f"\nin-process extract: generated pages {1e3 * synthetic:.2f} ms/page", end="")
    if real is not None:
        size = sum(p.stat().st_size for p in real_pages) / len(real_pages)
        print(f", real pages ({len(real_pages)}, mean {size / 1024:.0f} kB) {1e3 * real:.2f} ms/page")
        # A real record costs what the worker spent per generated record, scaled by real/generated.
        per_record = warc_cpu * real / synthetic
    else:
        print(" (no real pages found: projection from generated pages only, an underestimate)")
        per_record = warc_cpu
    records = args.month_warcs * args.records_per_warc * args.html_share
    core_hours = records * per_record / 3600
    print(f"\nprojection: {args.month_warcs} WARCs x {args.records_per_warc:,} records x {args.html_share:.0%} HTML "
          f"= {records / 1e6:.1f} M documents at {1e3 * per_record:.1f} ms of CPU each")
    print(f"  {core_hours:,.0f} core-hours; wall time on N nodes of {args.node_cores} cores "
          f"(one worker a core, CPU-bound, reading not included):")
    for nodes in (1, 4, 16):
        hours = core_hours / (nodes * args.node_cores)
        print(f"  {nodes:>3} nodes: {hours:5.1f} h  (WARCs per worker: {math.ceil(args.month_warcs / (nodes * args.node_cores))})")


if __name__ == "__main__":
    main()
