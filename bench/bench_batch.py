"""Batch speed and memory of the command line: --jobs 1 vs --jobs 2, start-up, peak RSS, WARC readers.

Every number is measured in this run on generated articles (tests/pages.py), as a ratio where a
ratio is what matters; runs alternate between the variants so a busy machine slows both alike.

    python bench/bench_batch.py                 # 5k-document throughput, start-up, RSS at 1k/10k/20k
    python bench/bench_batch.py --quick         # smaller, for a first look
"""
from __future__ import annotations

import argparse
import gzip
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from pages import article_html, warc_record, write_corpus

THROUGHPUT_DOCS = 5000
RSS_SIZES = (1000, 10_000, 20_000)
REPEATS = 5
PARTS = ("throughput", "startup", "rss", "warc")
STARTUP_REPEATS = 15


def cli() -> list[str]:
    """The console script installed beside this Python, as users run it (a version manager's shim on
    PATH would add its own start-up); else the module."""
    script = Path(sys.executable).parent / "tweetparse"
    if script.exists():
        return [str(script)]
    found = shutil.which("tweetparse")
    return [found] if found else [sys.executable, "-m", "tweetparse.cli"]


def timed_run(args: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (kB, the largest of the process and its workers) of one run."""
    seconds, rss, _ = measured_run(args)
    return seconds, rss


def measured_run(args: list[str]) -> tuple[float, int, float]:
    """Wall seconds, peak RSS (kB) and CPU seconds (the process and its workers) of one run."""
    started = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    stderr = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode not in (0,):
        raise SystemExit(f"{' '.join(args)} failed ({proc.returncode}): {stderr}")
    return seconds, usage.ru_maxrss, usage.ru_utime + usage.ru_stime


# Before each pair of timed runs, wait (up to IDLE_WAIT_S) until other processes use less than this
# share of the machine's CPU: on a shared machine, a wall-clock speed-up means nothing otherwise.
IDLE_BUSY_MAX = 0.10
IDLE_WAIT_S = 300


def busy_share(seconds: float = 1.0) -> float:
    """The share of all cores' time spent busy over the next ``seconds`` (Linux /proc/stat)."""
    def sample() -> tuple[int, int]:
        with open("/proc/stat") as f:
            values = [int(v) for v in f.readline().split()[1:]]
        idle = values[3] + values[4]  # idle + iowait
        return sum(values) - idle, sum(values)

    busy0, total0 = sample()
    time.sleep(seconds)
    busy1, total1 = sample()
    return (busy1 - busy0) / max(total1 - total0, 1)


def wait_for_idle() -> float:
    """Wait for a quiet machine; returns the busy share seen last (report it next to the numbers)."""
    if not os.path.exists("/proc/stat"):
        return float("nan")
    deadline = time.monotonic() + IDLE_WAIT_S
    share = busy_share()
    while share > IDLE_BUSY_MAX and time.monotonic() < deadline:
        share = busy_share()
    return share


def throughput(folder: Path, docs: int, repeats: int) -> dict[str, float]:
    """Medians of alternating --jobs 1 / --jobs 2 runs: wall time, and CPU time (which load from
    other processes barely changes, so ``cpu_bound_speedup`` says what an idle machine would give:
    two cores doing the CPU work of --jobs 2 vs one core doing that of --jobs 1)."""
    walls: dict[str, list[float]] = {"1": [], "2": []}
    cpus: dict[str, list[float]] = {"1": [], "2": []}
    busy = []
    for _ in range(repeats):
        busy.append(wait_for_idle())
        for jobs, runs in walls.items():  # alternate, so load from elsewhere hits both
            wall, _, cpu = measured_run([*cli(), "extract", "-q", "--jobs", jobs, str(folder)])
            runs.append(wall)
            cpus[jobs].append(cpu)
    one, two = statistics.median(walls["1"]), statistics.median(walls["2"])
    cpu1, cpu2 = statistics.median(cpus["1"]), statistics.median(cpus["2"])
    return {"jobs1_s": one, "jobs2_s": two, "jobs1_dps": docs / one, "jobs2_dps": docs / two,
            "speedup": one / two,
            "jobs1_cpu": cpu1, "jobs2_cpu": cpu2, "cpu_bound_speedup": 2 * cpu1 / cpu2,
            "busy_before": max(busy)}


def startup(repeats: int) -> dict[str, float]:
    ours, lxml = [], []
    for _ in range(repeats):
        ours.append(timed_run([*cli(), "--help"])[0])
        lxml.append(timed_run([sys.executable, "-c", "import lxml.html"])[0])
    return {"help_s": statistics.median(ours), "lxml_s": statistics.median(lxml),
            "ratio": statistics.median(ours) / statistics.median(lxml)}


def peak_rss(base: Path, sizes: tuple[int, ...]) -> list[tuple[int, float, int]]:
    """(documents, seconds, peak RSS kB) of --jobs 2 runs on growing batches, written to SQLite too."""
    out = []
    made = 0
    folder = base / "rss"
    for size in sizes:
        write_corpus(folder, size - made, start=made)
        made = size
        db = base / f"rss-{size}.sqlite"
        seconds, rss = timed_run([*cli(), "extract", "-q", "--jobs", "2", "--db", str(db), str(folder)])
        out.append((size, seconds, rss))
    return out


def warc_readers(base: Path, docs: int) -> dict[str, float]:
    """Seconds to read every HTML payload of a gzip-per-record WARC, per reader that is installed."""
    warc = base / "crawl.warc.gz"
    with open(warc, "wb") as f:
        f.writelines(gzip.compress(warc_record(f"https://courier.example/{i}", article_html(i).encode(),
                                              record_id=i), 6, mtime=0) for i in range(docs))
    times: dict[str, float] = {}
    try:
        from warcio.archiveiterator import ArchiveIterator as WarcioIterator

        def read_warcio() -> int:
            total = 0
            with open(warc, "rb") as stream:
                for record in WarcioIterator(stream):
                    if record.rec_type == "response":
                        total += len(record.content_stream().read())
            return total

        times["warcio"] = min(_time(read_warcio) for _ in range(REPEATS))
    except ImportError:
        pass
    try:
        from fastwarc.warc import ArchiveIterator as FastIterator
        from fastwarc.warc import WarcRecordType

        def read_fastwarc() -> int:
            total = 0
            with open(warc, "rb") as stream:
                for record in FastIterator(stream, record_types=WarcRecordType.response, parse_http=True):
                    total += len(record.reader.read())
            return total

        times["fastwarc"] = min(_time(read_fastwarc) for _ in range(REPEATS))
    except ImportError:
        pass
    times["extract_via_cli_jobs1"] = timed_run([*cli(), "extract", "-q", "--jobs", "1", str(warc)])[0]
    return times


def _time(fn: object) -> float:
    started = time.perf_counter()
    fn()  # type: ignore[operator]
    return time.perf_counter() - started


# How far --raise-priority lifts the benchmark (the range is -20..19; lower runs first).
RAISED_NICE = -15


def raise_priority() -> None:
    """Nice alone does not help against other sessions: Linux shares the CPU between session
    groups (autogroups) first, so the group's own nice value is raised too."""
    os.setsid()
    with open("/proc/self/autogroup", "w") as f:
        f.write(str(RAISED_NICE))
    os.nice(RAISED_NICE)


def versions() -> str:
    import lxml.etree

    import tweetparse

    parts = [f"tweetparse {tweetparse.__version__}", f"Python {platform.python_version()}",
             f"lxml {'.'.join(map(str, lxml.etree.LXML_VERSION))}"]
    for name in ("warcio", "fastwarc"):
        try:
            from importlib.metadata import PackageNotFoundError, version

            parts.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            pass
    return ", ".join(parts)


def report_throughput(corpus: Path, docs: int) -> None:
    t = throughput(corpus, docs, REPEATS)
    print(f"throughput on {docs} documents ({sum(i % 4 for i in range(docs))} tweets), median of {REPEATS}:")
    print(f"  --jobs 1: {t['jobs1_s']:.2f} s ({t['jobs1_dps']:.0f} docs/s)")
    print(f"  --jobs 2: {t['jobs2_s']:.2f} s ({t['jobs2_dps']:.0f} docs/s)  speed-up {t['speedup']:.2f}x")
    print(f"  CPU time: --jobs 1 {t['jobs1_cpu']:.2f} s, --jobs 2 {t['jobs2_cpu']:.2f} s (all processes): "
          f"on two idle cores --jobs 2 could reach {t['cpu_bound_speedup']:.2f}x")
    print(f"  machine busy before the runs (others' load): up to {t['busy_before']:.0%}; "
          f"load average after: {os.getloadavg()[0]:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="500 documents, RSS up to 2k")
    parser.add_argument("--only", choices=PARTS, action="append", help="run only these parts (repeatable)")
    parser.add_argument("--no-wait", action="store_true", help="don't wait for a quiet machine")
    parser.add_argument("--raise-priority", action="store_true",
                        help="(root, Linux) run at a raised priority in a scheduling group of its own, so a "
                             "machine shared with other busy sessions still lends this benchmark its cores")
    args = parser.parse_args()
    parts = set(args.only or PARTS)
    if args.no_wait or args.raise_priority:
        global IDLE_WAIT_S
        IDLE_WAIT_S = 0
    if args.raise_priority:
        raise_priority()
    docs = 500 if args.quick else THROUGHPUT_DOCS
    sizes = (500, 2000) if args.quick else RSS_SIZES
    print(f"# {date.today()} on {os.cpu_count()} cores; {versions()}")
    with tempfile.TemporaryDirectory(prefix="tweetparse-bench-") as tmp:
        base = Path(tmp)
        corpus = base / "corpus"
        write_corpus(corpus, docs)
        if "throughput" in parts:
            report_throughput(corpus, docs)
        if "startup" in parts:
            s = startup(STARTUP_REPEATS)
            print(f"start-up, median of {STARTUP_REPEATS}: tweetparse --help {s['help_s'] * 1000:.0f} ms, "
                  f"python -c 'import lxml.html' {s['lxml_s'] * 1000:.0f} ms, ratio {s['ratio']:.2f}x")
        if "rss" in parts:
            print("peak RSS, --jobs 2 --db (largest single process):")
            for size, seconds, rss in peak_rss(base, sizes):
                print(f"  {size:>6} documents: {rss / 1024:.0f} MB, {seconds:.1f} s")
        if "warc" in parts:
            w = warc_readers(base, docs)
            print(f"WARC readers, {docs} gzip-per-record responses, best of {REPEATS}:")
            for name, seconds in w.items():
                print(f"  {name}: {seconds:.3f} s ({seconds / docs * 1e6:.0f} us/record)")


if __name__ == "__main__":
    main()
