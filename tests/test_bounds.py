"""Bounded resources: every document is limited in bytes (decompression bombs, endless streams, giant
lines and WARC records) and in time (a runaway document in a worker), memory stays flat, and each
document over a limit fails alone while the rest of the batch is written."""
from __future__ import annotations

import gzip
import io
import json
import os
import re
import struct
import subprocess
import sys
import threading
import time
import tracemalloc
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pages import article_html, warc_record, write_corpus, write_warc

from tweetparse import batch, core
from tweetparse.batch import CHUNK_DOCS, DEFAULT_TIMEOUT_S, Options, Result, run
from tweetparse.cli import main
from tweetparse.inputs import (
    DEFAULT_MAX_BYTES,
    READ_CHUNK,
    Document,
    InputError,
    TooLarge,
    gunzip,
    iter_documents,
    read_content,
    read_limited,
)

MIB = 1 << 20
ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "corpus" / "seed" / "aleppo-evacuation.txt"
# The bounds for a 2 MB gzip that expands to 2 GB in a batch, and for /dev/zero.
BOMB_SECONDS, BOMB_PEAK_MB = 5.0, 300.0
DEV_ZERO_SECONDS = 10.0
TOO_LARGE = f"larger than {DEFAULT_MAX_BYTES} bytes"


# ---------------------------------------------------------------------------------------------------
# Inputs written for these tests.


def gzip_bomb(expanded_mib: int) -> bytes:
    """A valid gzip file of one member that expands to ``expanded_mib`` MiB of zeros, about a
    thousandth of that in size. Built from one compressed MiB ended by a full flush (byte-aligned,
    no reference before it), repeated: compressing the whole would take seconds."""
    zeros = bytes(MIB)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    segment = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    last_block = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS).flush()
    crc = 0
    for _ in range(expanded_mib):
        crc = zlib.crc32(zeros, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    return header + segment * expanded_mib + last_block + struct.pack("<II", crc, (expanded_mib * MIB) & 0xFFFFFFFF)


def http_record(uri: str, body: bytes, *, headers: str = "", record_id: int = 0,
                declared: int | None = None, http_declared: int | None = None) -> bytes:
    """A WARC response record with extra HTTP ``headers``; ``declared`` and ``http_declared`` override
    the WARC and the HTTP Content-Length."""
    length = len(body) if http_declared is None else http_declared
    http = (f"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n{headers}Content-Length: {length}\r\n\r\n"
            ).encode() + body
    head = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-{record_id:012d}>\r\n"
            f"WARC-Date: 2020-05-01T10:00:00Z\r\nWARC-Target-URI: {uri}\r\nContent-Type: application/http; "
            f"msgtype=response\r\nContent-Length: {len(http) if declared is None else declared}\r\n\r\n").encode()
    return head + http + b"\r\n\r\n"


def giant_record_member(uri: str, payload_mib: int) -> bytes:
    """One gzip member holding a WARC record whose page is ``payload_mib`` MiB of zeros (a giant
    record of a gzip-per-record WARC), built like :func:`gzip_bomb`."""
    http = f"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {payload_mib * MIB}\r\n\r\n".encode()
    head = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-000000000777>\r\n"
            f"WARC-Date: 2020-05-01T10:00:00Z\r\nWARC-Target-URI: {uri}\r\nContent-Type: application/http; "
            f"msgtype=response\r\nContent-Length: {len(http) + payload_mib * MIB}\r\n\r\n").encode()
    zeros, tail = bytes(MIB), b"\r\n\r\n"
    deflate = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    start = deflate.compress(head + http) + deflate.flush(zlib.Z_FULL_FLUSH)
    deflate = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    segment = deflate.compress(zeros) + deflate.flush(zlib.Z_FULL_FLUSH)
    end = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    finish = end.compress(tail) + end.flush()
    crc = zlib.crc32(head + http)
    for _ in range(payload_mib):
        crc = zlib.crc32(zeros, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + len(http) + payload_mib * MIB + len(tail)
    return (b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff" + start + segment * payload_mib + finish
            + struct.pack("<II", crc, size & 0xFFFFFFFF))


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Good articles: one with five embedded tweets, then a few more."""
    folder = tmp_path_factory.mktemp("pages")
    five = folder / "five-tweets.html"
    five.write_text(article_html(5, tweets=5), encoding="utf-8")
    return [five, *write_corpus(folder / "more", 6, start=1)]


@pytest.fixture(scope="module")
def bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The issue's bomb: about 2 MB of gzip that expands to 2 GiB."""
    path = tmp_path_factory.mktemp("bomb") / "page.html.gz"
    path.write_bytes(gzip_bomb(2048))
    return path


def cli(*args: str, stdin: bytes | None = None) -> tuple[int, list[dict[str, Any]], str]:
    result = CliRunner().invoke(main, ["extract", "-q", *args], input=stdin)
    return result.exit_code, [json.loads(line) for line in result.stdout.splitlines()], result.stderr


def articles(records: list[dict[str, Any]]) -> list[str]:
    return list(dict.fromkeys(r["source"]["article"] for r in records))


@dataclass
class Measured:
    code: int
    out: str
    err: str
    seconds: float
    largest_mb: float  # the peak RSS of the largest process of the run (getrusage)
    total_mb: float  # the peak of the whole process tree's proportional set size, sampled


# Runs a command as a grandchild, so that getrusage(RUSAGE_CHILDREN) sees only its processes (this
# test process has had bigger children), and samples the tree's memory meanwhile (shared pages counted
# once: PSS, from smaps_rollup where the kernel has it, else RSS).
_MEASURE = r"""
import json, resource, subprocess, sys, threading, time

def tree_mb(pid):
    total, pids = 0, [pid]
    for p in pids:
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                total += sum(int(l.split()[1]) for l in f if l.startswith("Pss:"))
        except OSError:
            try:
                with open(f"/proc/{p}/status") as f:
                    total += sum(int(l.split()[1]) for l in f if l.startswith("VmRSS:"))
            except OSError:
                pass
        try:
            with open(f"/proc/{p}/task/{p}/children") as f:
                pids += [int(c) for c in f.read().split()]
        except OSError:
            pass
    return total / 1024

started = time.monotonic()
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
streams = {}
readers = [threading.Thread(target=lambda n=n, f=f: streams.__setitem__(n, f.read()))
           for n, f in (("out", proc.stdout), ("err", proc.stderr))]
for r in readers:
    r.start()
peak = 0.0
while proc.poll() is None:
    peak = max(peak, tree_mb(proc.pid))
    time.sleep(0.005)
for r in readers:
    r.join()
print(json.dumps({"code": proc.returncode, "seconds": time.monotonic() - started,
                  "largest_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
                  "total_mb": peak, "out": streams["out"].decode(), "err": streams["err"].decode()}))
"""


def measured(*args: str) -> Measured:
    """``tweetparse extract -q ARGS`` in a child process: its outcome, time and peak memory."""
    command = [sys.executable, "-c", _MEASURE, sys.executable, "-m", "tweetparse", "extract", "-q", *args]
    report = json.loads(subprocess.run(command, capture_output=True, text=True, check=True, timeout=120).stdout)
    return Measured(**report)


needs_proc = pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="memory is read from /proc")


# ---------------------------------------------------------------------------------------------------
# The checks: a 2 GB gzip bomb in a batch, /dev/zero.


@needs_proc
@pytest.mark.parametrize("good", ["own page", "seed article"])
def test_a_gzip_bomb_fails_alone_fast_and_in_little_memory(good: str, pages: list[Path], bomb: Path) -> None:
    if good == "seed article" and not SEED.exists():
        pytest.skip("the seed article is not beside the project (../shared/corpus/seed)")
    page = SEED if good == "seed article" else pages[0]
    assert bomb.stat().st_size < 2.2e6
    _, expected, _ = cli(str(page))
    run = measured(str(bomb), str(page))
    assert run.code == 1
    assert run.err == f"{bomb}: {TOO_LARGE}\n"
    assert [json.loads(line) for line in run.out.splitlines()] == expected and len(expected) == 5
    assert run.seconds < BOMB_SECONDS
    assert run.largest_mb < BOMB_PEAK_MB and run.total_mb < BOMB_PEAK_MB


@needs_proc
def test_peak_memory_does_not_depend_on_the_size_of_a_rejected_document(tmp_path: Path, bomb: Path,
                                                                       pages: list[Path]) -> None:
    small = tmp_path / "small-bomb.html.gz"
    small.write_bytes(gzip_bomb(128))
    peaks = {}
    for path in (small, bomb):  # 128 MiB and 2 GiB once decompressed
        run = measured("-j", "1", str(path), str(pages[0]))
        assert run.code == 1 and run.err == f"{path}: {TOO_LARGE}\n"
        peaks[path] = run.largest_mb
    # Both are read to the limit and no further: what one more chunk or the allocator's mood gives.
    assert abs(peaks[bomb] - peaks[small]) < 2 * READ_CHUNK / MIB + 8


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_dev_zero_ends_in_seconds_with_a_clear_error() -> None:
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "tweetparse", "extract", "/dev/zero"], capture_output=True,
                          text=True, timeout=60, check=False)
    assert time.monotonic() - started < DEV_ZERO_SECONDS
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr.splitlines()[0] == f"/dev/zero: {TOO_LARGE}"


# ---------------------------------------------------------------------------------------------------
# Bombs, streams, giant lines and lying WARC records, each in a batch with good files.


def test_bombs_inside_warc_records_fail_alone(tmp_path: Path, pages: list[Path]) -> None:
    good = [warc_record(f"https://courier.example/{i}", article_html(i).encode(), record_id=i) for i in (1, 2, 3)]
    # A page served gzipped (Content-Encoding) that expands to 2 GiB, between two good records...
    served = http_record("https://courier.example/bomb", gzip_bomb(2048), headers="Content-Encoding: gzip\r\n",
                         record_id=9)
    warc = tmp_path / "served.warc.gz"
    offsets = write_warc(warc, [good[0], served, good[1]], compress=True)
    # ...and a gzip-per-record WARC whose record member itself expands to 256 MiB.
    giant = tmp_path / "giant.warc.gz"
    first, member, last = gzip.compress(good[0], mtime=0), giant_record_member("https://courier.example/big", 256), \
        gzip.compress(good[2], mtime=0)
    giant.write_bytes(first + member + last)
    code, records, err = cli("-j", "2", str(warc), str(pages[0]), str(giant), str(pages[1]))
    assert code == 1
    assert err.splitlines() == [f"{warc}#{offsets[1]}: {TOO_LARGE}", f"{giant}#{len(first)}: {TOO_LARGE}"]
    assert articles(records) == [f"{warc}#{offsets[0]}", f"{warc}#{offsets[2]}", str(pages[0]),
                                 f"{giant}#0", f"{giant}#{len(first) + len(member)}", str(pages[1])]
    assert len(records) == 1 + 2 + 5 + 1 + 3 + 1


def test_concatenated_gzip_members_are_all_read_and_bounded_together(tmp_path: Path, pages: list[Path]) -> None:
    # 2048 members of 1 MiB of zeros each: no member is big, together they are 2 GiB.
    one_mib = gzip.compress(bytes(MIB), compresslevel=9, mtime=0)
    members = tmp_path / "members.html.gz"
    members.write_bytes(one_mib * 2048)
    # 200,000 empty members before the page: read through, member by member, in linear time.
    page = article_html(3).encode()
    padded = tmp_path / "padded.html.gz"
    padded.write_bytes(gzip.compress(b"", mtime=0) * 200_000 + gzip.compress(page, mtime=0))
    started = time.monotonic()
    code, records, err = cli("-j", "1", str(members), str(padded), str(pages[0]))
    assert time.monotonic() - started < 30
    assert code == 1
    assert err == f"{members}: {TOO_LARGE}\n"
    assert articles(records) == [str(padded), str(pages[0])] and len(records) == 3 + 5


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_an_endless_stream_named_explicitly_is_read_to_the_limit(tmp_path: Path, pages: list[Path]) -> None:
    fifo = tmp_path / "endless"
    os.mkfifo(fifo)
    written = 0

    def endless_writer() -> None:
        nonlocal written
        chunk = b"<p>the feed never ends " * 4000
        try:
            with open(fifo, "wb") as f:
                while True:
                    f.write(chunk)
                    written += len(chunk)
        except BrokenPipeError:
            pass  # the reader stopped at the limit and closed its end

    writer = threading.Thread(target=endless_writer, daemon=True)
    writer.start()
    code, records, err = cli("--max-bytes", "2M", str(pages[0]), str(fifo), str(pages[1]))
    writer.join(timeout=10)
    assert not writer.is_alive()
    assert code == 1
    assert err == f"{fifo}: larger than {2 * MIB} bytes\n"
    assert articles(records) == [str(pages[0]), str(pages[1])]
    assert written < 2 * MIB + 4 * READ_CHUNK  # stopped soon after the limit: pipe buffers, one chunk


def test_an_endless_standard_input_is_read_to_the_limit(pages: list[Path]) -> None:
    proc = subprocess.Popen([sys.executable, "-m", "tweetparse", "extract", "-q", "--max-bytes", "1M", str(pages[0]),
                             "-", str(pages[1])], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    assert proc.stdin is not None
    chunk = b"word " * 20_000
    with pytest.raises(BrokenPipeError):
        while True:  # a writer that never stops: only the reader's end closing stops it
            proc.stdin.write(chunk)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert err.decode() == f"-: larger than {MIB} bytes\n"
    assert articles([json.loads(line) for line in out.splitlines()]) == [str(pages[0]), str(pages[1])]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_in_a_folder_is_skipped_with_a_note(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_corpus(site, 4)
    os.mkfifo(site / "batch000" / "pipe.html")  # nobody writes to it: opening it would block forever
    expected = cli("--timeout", "0", "-j", "1", str(site / "batch000" / "article000001.html"),
                   str(site / "batch000" / "article000002.html"), str(site / "batch000" / "article000003.html"))[1]
    code, records, err = cli(str(site))
    assert code == 0
    assert err == f"{site / 'batch000' / 'pipe.html'}: skipped: a FIFO, not a regular file (name it explicitly to " \
                  "read it)\n"
    assert records == expected


def test_a_list_of_paths_without_line_breaks_is_read_a_bounded_line_at_a_time(pages: list[Path]) -> None:
    listing = f"{pages[0]}\n".encode() + b"x" * (200 * 1024) + f"\n{pages[1]}\n".encode()
    code, records, err = cli("--stdin-paths", stdin=listing)
    assert code == 1
    # The 200 kB "path" is read in pieces of MAX_PATH_LINE, each a name no file system takes.
    assert err.splitlines() == ["x" * 65536 + ": File name too long"] * 3 + ["x" * (200 * 1024 - 3 * 65536) + ": "
                                                                             "File name too long"]
    assert articles(records) == [str(pages[0]), str(pages[1])]


def test_a_huge_single_line_text_fails_alone(tmp_path: Path, pages: list[Path]) -> None:
    line = b"Jane Doe (@janedoe) said the harbour is closed " * 350_000  # 16.8 MB, no newline
    huge = tmp_path / "one-line.txt"
    huge.write_bytes(line)
    code, records, err = cli("--max-bytes", "4M", str(pages[0]), str(huge), "-", str(pages[1]), stdin=line)
    assert code == 1
    assert err.splitlines() == [f"{huge}: larger than {4 * MIB} bytes", f"-: larger than {4 * MIB} bytes"]
    assert articles(records) == [str(pages[0]), str(pages[1])]


def test_warc_records_whose_declared_length_lies(tmp_path: Path, pages: list[Path]) -> None:
    good = warc_record("https://courier.example/1", article_html(1).encode(), record_id=1)
    # The HTTP header claims a terabyte the record does not hold.
    short = http_record("https://courier.example/short", article_html(2).encode(), record_id=2,
                        http_declared=10**12)
    # The WARC header claims a terabyte, and 3 MB of junk without a single line break follow.
    endless = http_record("https://courier.example/endless", b"<p>" + b"x" * (3 * MIB), record_id=3,
                          declared=1 << 40)
    warc = tmp_path / "lies.warc"
    offsets = write_warc(warc, [good, short, endless], compress=False)
    code, records, err = cli("--max-bytes", "1M", str(warc), str(pages[0]))
    assert code == 1
    assert err.splitlines() == [
        f"{warc}#{offsets[1]}: truncated WARC record: {len(article_html(2).encode())} of 1000000000000 bytes",
        f"{warc}#{offsets[2]}: larger than {MIB} bytes"]
    assert articles(records) == [f"{warc}#{offsets[0]}", str(pages[0])]


def test_a_warc_of_junk_without_line_breaks_stops_that_file_quickly(tmp_path: Path, pages: list[Path]) -> None:
    good = warc_record("https://courier.example/1", article_html(1).encode(), record_id=1)
    junk = tmp_path / "junk.warc"
    junk.write_bytes(good + b"y" * (32 * MIB))  # where the next header should start: 32 MB, no line break
    started = time.monotonic()
    code, records, err = cli(str(junk), str(pages[0]))
    assert time.monotonic() - started < 20  # it took 40 s (quadratic) before header lines were bounded
    assert code == 1
    assert re.fullmatch(rf"{re.escape(str(junk))}#{len(good)}: broken WARC record: .*\n", err)
    assert articles(records) == [f"{junk}#0", str(pages[0])]


# ---------------------------------------------------------------------------------------------------
# The time limit: a runaway document fails alone, its worker is replaced, nothing else is lost.


def _stalling_extract(source: Any, **options: Any) -> Any:
    if isinstance(source, bytes) and b"STALL-ME" in source:
        time.sleep(600)  # what a runaway stage looks like from outside
    return _EXTRACT(source, **options)


_EXTRACT = core.extract


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("ordered", [True, False], ids=["ordered", "unordered"])
def test_a_document_over_the_time_limit_fails_alone(tmp_path: Path, jobs: str, ordered: bool,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = tmp_path / "corpus"
    write_corpus(corpus, CHUNK_DOCS + 8)  # the stalled page shares its chunk with good ones
    stalled = tmp_path / "stalled.html"
    stalled.write_text(article_html(3).replace("<title>", "<title>STALL-ME "), encoding="utf-8")
    _, expected, _ = cli("--timeout", "0", "-j", "1", str(corpus))
    monkeypatch.setattr(core, "extract", _stalling_extract)
    started = time.monotonic()
    code, records, err = cli("--timeout", "1", "-j", jobs, *([] if ordered else ["--unordered"]),
                             str(corpus / "batch000" / "article000000.html"), str(stalled), str(corpus))
    assert time.monotonic() - started < 60
    assert code == 1
    assert err == f"{stalled}: took longer than 1 s\n"
    first = [r for r in expected if r["source"]["article"].endswith("article000000.html")]
    if ordered:
        assert records == first + expected
    else:
        key = lambda r: json.dumps(r, sort_keys=True)
        assert sorted(map(key, records)) == sorted(map(key, first + expected))


def _slow_text(path: Path) -> Path:
    """A real document that takes seconds: a flattened text of 100k attributed tweets (5 MB; about
    10 s here, see bench_hostile.py), far under the size limit."""
    path.write_text("Snow again #cold\n\u2014 Jane (@jane) January 5, 2017\n" * 100_000, encoding="utf-8")
    return path


def test_a_real_slow_document_is_stopped_at_the_limit(tmp_path: Path, pages: list[Path]) -> None:
    slow = _slow_text(tmp_path / "slow.txt")
    _, expected, _ = cli("--timeout", "0", "-j", "1", str(pages[0]), str(pages[1]))
    started = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "tweetparse", "extract", "-q", "--timeout", "2", str(pages[0]),
                           str(slow), str(pages[1])], capture_output=True, text=True, timeout=120, check=False)
    assert time.monotonic() - started < 30
    assert proc.returncode == 1
    assert proc.stderr == f"{slow}: took longer than 2 s\n"
    assert [json.loads(line) for line in proc.stdout.splitlines()] == expected


def _pid_process(doc: Document, options: Options) -> Result:
    return Result(doc.name, None, str(os.getpid()))


@pytest.mark.parametrize("timeout", [DEFAULT_TIMEOUT_S, None], ids=["limit", "no-limit"])
def test_with_a_time_limit_even_one_document_goes_to_a_worker(timeout: float | None,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    # Only a process can be stopped in the middle of a C call; without a limit, a small batch stays here.
    monkeypatch.setattr(batch, "process", _pid_process)
    [result] = run([Document(name="a", data=b"<p>hi</p>")], Options(timeout=timeout), jobs=1)
    assert (result.fingerprint != str(os.getpid())) is (timeout is not None)


def test_every_document_of_a_chunk_with_a_stalled_one_gets_its_result(monkeypatch: pytest.MonkeyPatch) -> None:
    pages = [Document(name=f"doc{i}", data=article_html(i).encode()) for i in range(CHUNK_DOCS)]
    pages[5] = Document(name="doc5", data=article_html(5).replace("<title>", "<title>STALL-ME ").encode())
    monkeypatch.setattr(core, "extract", _stalling_extract)
    results = list(run(iter(pages), Options(timeout=1), jobs=1))
    assert [r.name for r in results] == [d.name for d in pages]
    assert [r.error for r in results] == [None] * 5 + ["took longer than 1 s"] + [None] * (CHUNK_DOCS - 6)
    assert [len(r.records) for r in results[6:]] == [i % 4 for i in range(6, CHUNK_DOCS)]


# ---------------------------------------------------------------------------------------------------
# The bounded reads, for the library and for other readers (a fetched body).


class _Counting(io.RawIOBase):
    """An endless stream of ``fill`` that counts what was taken from it."""

    def __init__(self, fill: bytes = b"a") -> None:
        self.fill, self.taken = fill, 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1, /) -> bytes:
        size = 1 << 16 if size < 0 else size
        self.taken += size
        return self.fill * size


@pytest.mark.parametrize("limit", [0, 1, READ_CHUNK - 1, READ_CHUNK, 3 * READ_CHUNK + 7])
def test_read_limited_takes_at_most_one_byte_past_the_limit(limit: int) -> None:
    stream = _Counting()
    with pytest.raises(TooLarge, match=f"^larger than {limit} bytes$"):
        read_limited(stream, max_bytes=limit)
    assert stream.taken == limit + 1
    exact = io.BytesIO(b"x" * limit)
    assert read_limited(exact, max_bytes=limit) == b"x" * limit


@pytest.mark.parametrize("compressed", [True, False], ids=["gzip", "plain"])
def test_read_content_never_holds_much_more_than_the_limit(compressed: bool) -> None:
    limit = 8 * MIB
    stream = io.BytesIO(gzip_bomb(512) if compressed else bytes(512 * MIB))
    tracemalloc.start()
    try:
        with pytest.raises(TooLarge):
            read_content(stream, max_bytes=limit)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # The limit and the chunk on its way in; gzip adds its decompressor's output and read buffers.
    assert peak < limit + (3 if compressed else 2) * READ_CHUNK


def test_the_readers_agree_with_the_standard_library_below_the_limit() -> None:
    pages = b"".join(gzip.compress(article_html(i).encode(), mtime=0) for i in range(3))
    assert gunzip(pages) == gzip.decompress(pages)
    assert read_content(io.BytesIO(pages)) == gzip.decompress(pages)
    assert read_content(io.BytesIO(b"\x1f")) == b"\x1f"  # too short to be gzip
    with pytest.raises(TooLarge):
        gunzip(pages, max_bytes=len(gzip.decompress(pages)) - 1)
    assert issubclass(TooLarge, InputError)
    assert gunzip(gzip.compress(b"x" * (3 * MIB)), max_bytes=None) == b"x" * (3 * MIB)


def test_a_document_in_memory_is_held_to_the_limit_too() -> None:
    docs = list(iter_documents(["-"], stdin=io.BytesIO(b"<p>" * 100), max_bytes=299))
    assert docs[0].error == "larger than 299 bytes"
    assert batch.process(Document(name="x", data=b"<p>" * 100), Options(max_bytes=100)).error == \
        "larger than 100 bytes"


def test_the_command_line_defaults_are_the_library_constants() -> None:
    help_text = CliRunner().invoke(main, ["extract", "--help"]).stdout
    assert re.search(r"--max-bytes SIZE .*\[default: 64M\]", " ".join(help_text.split()))
    assert re.search(r"--timeout SECONDS .*\[default: 60", " ".join(help_text.split()))
    assert DEFAULT_MAX_BYTES == 64 * MIB and DEFAULT_TIMEOUT_S == 60


@pytest.mark.parametrize("given, limit", [("64M", 64 * MIB), ("1.5k", 1536), ("2G", 2 << 30), ("1000", 1000),
                                          ("10MB", 10 * MIB), ("0", None)])
def test_max_bytes_takes_sizes(given: str, limit: int | None, tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_bytes(b"<p>" * 700)  # 2100 bytes
    code, _, err = cli("--max-bytes", given, str(page))
    too_large = limit is not None and limit < 2100
    assert (code, err) == ((1, f"{page}: larger than {limit} bytes\n") if too_large else (0, ""))


@pytest.mark.parametrize("given", ["big", "-1", "12Q"])
def test_a_bad_size_is_a_usage_error(given: str) -> None:
    result = CliRunner().invoke(main, ["extract", "--max-bytes", given, "a.html"])
    assert result.exit_code == 2 and "--max-bytes" in result.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_dask_listing_skips_a_fifo_in_a_folder_and_fails_a_named_one(tmp_path: Path) -> None:
    pytest.importorskip("fsspec")
    from tweetparse.distributed import list_entries

    (tmp_path / "a.html").write_text(article_html(1), encoding="utf-8")
    os.mkfifo(tmp_path / "b.html")
    notes: list[tuple[str, str]] = []
    entries = list(list_entries([str(tmp_path), str(tmp_path / "b.html")], on_skip=lambda p, r: notes.append((p, r))))
    assert [e.name for e in entries] == [str(tmp_path / "a.html"), str(tmp_path / "b.html")]
    assert entries[0].error is None and entries[1].error is not None and "--engine dask" in entries[1].error
    assert notes == [(str(tmp_path / "b.html"), "skipped: a FIFO, not a regular file (name it explicitly to read it)")]


def test_the_dask_collections_take_the_bounds(tmp_path: Path) -> None:
    dask = pytest.importorskip("dask")
    pytest.importorskip("distributed")
    from tweetparse.distributed import results_bag

    (tmp_path / "small.html").write_bytes(b"<p>" * 100)
    (tmp_path / "large.html.gz").write_bytes(gzip.compress(article_html(3).encode()))
    with dask.config.set(scheduler="sync"):
        results = results_bag([str(tmp_path)], max_bytes=1000, timeout=None).compute()
    assert [(Path(r.name).name, r.error) for r in results] == [("large.html.gz", "larger than 1000 bytes"),
                                                               ("small.html", None)]
