"""Time and peak memory of the byte pre-filter, and of the bounded read, on giant documents.

A batch hands extract() documents up to the size limit (--max-bytes, 64 MiB by default), and its
pre-filter is the first thing that reads them: the registry's needle search over the bytes of an
HTML page (tweetparse.html.search_needles), a look for an "@" in a text. On a giant document with
no post it decides alone: the extract() rows are documents it rejects, so their time is the
pre-filter's; the search row is a page it lets through, where only the search is timed (the parse
that would follow is bench_hostile.py's). Each case runs in its own child process. "peak" is the
child's peak RSS during the case (Linux: the high-water mark reset once the document is built,
/proc/self/clear_refs), "added" that peak over the RSS before the case. The read rows time
tweetparse.inputs.read_content up to the limit on a file that holds more.

    python bench/bench_prefilter.py                   # every case, at the default limit
    python bench/bench_prefilter.py --only "NUL flood" --mib 16
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import resource
import statistics
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable

MIB = 1 << 20
_WORDS = (b"council harbour said residents should expect further delays while engineers inspect the "
          b"structure and crews work through the night ")
_PAGE = (b"<div class=\"story\"><p>" + _WORDS * 6 + b"</p><p>Write to desk@courier.example or call us.</p>"
         b"<style>@media (max-width: 600px) { .story { margin: 0 } }</style></div>\n")


def _fill(unit: bytes, size: int, tail: bytes = b"") -> bytes:
    body = unit * ((size - len(tail)) // len(unit) + 1)
    return body[: size - len(tail)] + tail


# name -> how to build a document of ``size`` bytes, and what is timed: extract() or the needle search.
DOCUMENTS: dict[str, tuple[Callable[[int], bytes], str]] = {
    "NUL flood": (lambda size: b"\x00" * size, "extract"),  # written, as a read document is
    "text, no '@'": (lambda size: _fill(_WORDS, size), "extract"),
    "HTML, '@' in e-mails and CSS, no needle": (lambda size: _fill(_PAGE, size, b"</body></html>"), "extract"),
    "HTML, a status link in its last bytes": (
        lambda size: _fill(_PAGE, size, b'<a href="https://twitter.com/a/status/20">x</a></body></html>'), "search"),
}
REPEATS = 3


def _bomb(path: str, expanded_mib: int) -> None:
    """A gzip file of ``expanded_mib`` MiB of zeros in one member (see tests/test_bounds.py)."""
    zeros = bytes(MIB)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    segment = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(expanded_mib):
        crc = zlib.crc32(zeros, crc)
    with open(path, "wb") as f:
        f.write(b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff" + segment * expanded_mib)
        f.write(zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS).flush())
        f.write(struct.pack("<II", crc, (expanded_mib * MIB) & 0xFFFFFFFF))


def _status_mb(field: str) -> float:
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith(field + ":")) / 1024


def _start_peak() -> float:
    """Forget the peak so far (what building the document took); the RSS now."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return _status_mb("VmRSS")
    except OSError:  # not Linux: the peak since the process started
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _peak() -> float:
    try:
        return _status_mb("VmHWM")
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _prefilter_child(name: str, size: int) -> None:
    import tweetparse
    from tweetparse.html import search_needles

    build, what = DOCUMENTS[name]
    document = build(size)
    tweetparse.extract(b"<html>twitter @a</html>")  # first-use setup (pattern databases) outside the timing
    before = _start_peak()
    times, answer = [], ""
    for _ in range(REPEATS):
        started = time.perf_counter()
        if what == "extract":
            answer = f"extract(): {len(tweetparse.extract(document))} posts"
        else:
            answer = f"search: {len(search_needles(document))} needles"
        times.append(time.perf_counter() - started)
    print(json.dumps({"seconds": statistics.median(times), "answer": answer, "peak_mb": _peak(),
                      "added_mb": _peak() - before}))


def _read_child(path: str, limit: int) -> None:
    from tweetparse.inputs import InputError, read_content

    before = _start_peak()
    started = time.perf_counter()
    with open(path, "rb") as f:
        try:
            outcome = f"{len(read_content(f, max_bytes=limit)) / MIB:.0f} MiB read"
        except InputError as exc:
            outcome = str(exc)
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "answer": outcome, "peak_mb": _peak(), "added_mb": _peak() - before}))


def _run(args: list[str], timeout: float) -> dict[str, object] | str:
    try:
        proc = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, timeout=timeout,
                              check=False)
    except subprocess.TimeoutExpired:
        return f"HANG (> {timeout:.0f} s)"
    if proc.returncode != 0:
        return f"ERROR: {proc.stderr.strip().splitlines()[-1:]}"
    result: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", help="run only this pre-filter case (repeatable)")
    parser.add_argument("--mib", type=int, default=64, help="document size in MiB (default: the size limit)")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds before a case counts as a hang")
    args = parser.parse_args()
    import tweetparse
    from tweetparse.search import ACCELERATED

    size = args.mib * MIB
    print(f"tweetparse {tweetparse.__version__}, Python {platform.python_version()}, "
          f"hyperscan {'on' if ACCELERATED else 'off'}, {os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}; "
          f"documents of {args.mib} MiB, median of {REPEATS}")
    print()
    print("| case | answer | seconds | MiB/s | peak RSS (MB) | added by the case (MB) |")
    print("|---|---|---:|---:|---:|---:|")
    for name in args.only or DOCUMENTS:
        r = _run(["--prefilter", name, str(size)], args.timeout)
        _row(f"pre-filter: {name}", r, size)
    if args.only:
        return
    with tempfile.TemporaryDirectory() as folder:
        bomb, plain = os.path.join(folder, "bomb.html.gz"), os.path.join(folder, "big.html")
        _bomb(bomb, 2048)
        with open(plain, "wb") as f:
            f.write(_fill(_PAGE, 2 * size))
        with open(plain, "rb") as f, gzip.open(os.path.join(folder, "big.html.gz"), "wb", compresslevel=6) as g:
            g.write(f.read())
        for label, path in (("2 GiB gzip bomb (2 MB)", bomb), (f"{2 * args.mib} MiB page, gzip", plain + ".gz"),
                            (f"{2 * args.mib} MiB page, plain file", plain)):
            _row(f"read to the limit: {label}", _run(["--read", path, str(size)], args.timeout), size)


def _row(label: str, r: dict[str, object] | str, size: int) -> None:
    if isinstance(r, str):
        print(f"| {label} | | {r} | | | |", flush=True)
        return
    seconds = float(str(r["seconds"]))
    print(f"| {label} | {r['answer']} | {seconds:.3f} | {size / MIB / seconds:,.0f} | {float(str(r['peak_mb'])):.0f} "
          f"| {float(str(r['added_mb'])):.0f} |", flush=True)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--prefilter":
        _prefilter_child(sys.argv[2], int(sys.argv[3]))
    elif len(sys.argv) == 4 and sys.argv[1] == "--read":
        _read_child(sys.argv[2], int(sys.argv[3]))
    else:
        main()
