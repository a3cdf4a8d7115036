"""Run extraction over a stream of documents, in worker processes, with bounded memory and each failure alone.

>>> from tweetparse.inputs import iter_documents
>>> for result in run(iter_documents(["a.html", "b.html"]), Options(), jobs=2):   # doctest: +SKIP
...     print(result.name, result.error or len(result.records))
"""
from __future__ import annotations

import contextlib
import functools
import logging
import multiprocessing
import os
import selectors
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import IO, TYPE_CHECKING, Any

from .inputs import DEFAULT_MAX_BYTES, Document, InputError, read_bytes
from .record import Platform, Tweet

if TYPE_CHECKING:  # pragma: no cover
    from .core import Kind

__all__ = ["DEFAULT_TIMEOUT_S", "Options", "Progress", "Result", "default_jobs", "process", "run", "timed_out"]

# Documents sent to a worker at once: enough to make the cost of a round trip between processes
# small next to the extraction (measured on 5k articles: the parent's CPU time fell by a third from
# 8 to 32), few enough that results still stream out steadily.
CHUNK_DOCS = 32
# ...and at most this much already-read content (stdin, WARC records) in one chunk.
CHUNK_BYTES = 4 << 20
# Chunks submitted but not yet written out, per worker: keeps every worker busy while one chunk
# is being written, and bounds memory however many inputs there are.
IN_FLIGHT_PER_JOB = 4
# The time limit of one document, reading included, unless told otherwise: a page takes about a
# millisecond and bench_hostile.py's slow documents under the size limit take seconds (100k attributed
# tweets in 4.8 MB of text: about 10 s), so only a runaway document meets it, even on a loaded machine.
DEFAULT_TIMEOUT_S = 60.0
# A worker told to stop (the batch is over) gets this long to exit before it is killed.
STOP_GRACE_S = 5.0
# A new worker has this long to get ready (started, first-use setup done) before it counts as broken.
START_TIMEOUT_S = 120.0
# What a worker extracts once before it says it is ready, so that first-use setup (imports, pattern
# databases) is not counted against the time limit of its first document.
_WARM_UP = (
    (b'<html><body><blockquote class="twitter-tweet"><p>Hi</p>&mdash; A (@a) <a href="https://twitter.com/a/status/20">'
     b"May 1, 2020</a></blockquote></body></html>"),
    "Hi #there\n\u2014 A (@a) May 1, 2020\n".encode(),
)
WORKER_DIED = "the worker process died while extracting this document"
# prctl(2) option: the signal a process gets when the thread that started it ends.
_PR_SET_PDEATHSIG = 1


def timed_out(seconds: float) -> str:
    """The reason given for a document that ran out of time."""
    return f"took longer than {seconds:g} s"


@dataclass(frozen=True, slots=True)
class Options:
    """The settings every document of a batch gets: how to extract, and its bounds. ``max_bytes``
    is the largest document read (after decompression), ``timeout`` the seconds one document may
    take, reading and extraction, in a worker process; None lifts either limit."""

    kind: Kind = "auto"
    reference_time: str | None = None
    strict: bool = False
    max_bytes: int | None = DEFAULT_MAX_BYTES
    timeout: float | None = DEFAULT_TIMEOUT_S
    platforms: tuple[Platform, ...] | None = None  # keep only these networks' posts (None: every network's)


@dataclass(frozen=True, slots=True)
class Result:
    """What one document gave: its records (``Tweet.to_dict()``), or why it failed (a failing
    extractor keeps what the other stages found, so both can be set).

    Records travel as plain dicts: made in the worker, they cross the process boundary with
    pickle's C code, where frozen dataclasses would be rebuilt field by field in Python by the
    one process that also writes the output (measured: a third of its time went there).
    """

    name: str
    url: str | None
    fingerprint: str
    records: tuple[dict[str, Any], ...] = ()
    error: str | None = None

    def tweets(self) -> list[Tweet]:
        """The records as :class:`Tweet` objects again."""
        return [Tweet.from_dict(r) for r in self.records]


def default_jobs() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class _StageFailures(logging.Handler):
    """Collects what the library logs when an extractor stage fails (``errors="log"``)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.reasons: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        exc = record.exc_info[1] if record.exc_info else None
        self.reasons.append(f"{type(exc).__name__}: {exc}" if exc is not None else record.getMessage())


def process(doc: Document, options: Options) -> Result:
    """Read and extract one document; never raises for anything the document does."""
    from .core import extract

    try:
        data = read_bytes(doc, max_bytes=options.max_bytes)
    except InputError as exc:
        return Result(doc.name, doc.url, doc.fingerprint, error=str(exc))
    logger = logging.getLogger("tweetparse")
    failures = _StageFailures()
    logger.addHandler(failures)
    try:
        tweets = extract(data, url=doc.url, article=doc.name, kind=options.kind, encoding=doc.encoding,
                         reference_time=options.reference_time, errors="strict" if options.strict else "log",
                         platforms=options.platforms)
    except Exception as exc:  # noqa: BLE001 - one document must never take the batch down
        reason = f"extraction failed: {type(exc).__name__}: {exc}"
        return Result(doc.name, doc.url, doc.fingerprint, error=reason)
    finally:
        logger.removeHandler(failures)
    error = f"an extractor failed: {'; '.join(failures.reasons)}" if failures.reasons else None
    return Result(doc.name, doc.url, doc.fingerprint, tuple(t.to_dict() for t in tweets), error)


def _process_chunk(chunk: list[Document], options: Options) -> list[Result]:
    return [process(doc, options) for doc in chunk]


def _chunks(docs: Iterable[Document], chunk_docs: int = CHUNK_DOCS) -> Iterator[list[Document]]:
    chunk: list[Document] = []
    size = 0
    for doc in docs:
        chunk.append(doc)
        size += len(doc.data or b"")
        if len(chunk) >= chunk_docs or size >= CHUNK_BYTES:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def run(docs: Iterable[Document], options: Options, *, jobs: int = 1, ordered: bool = True,
        chunk_docs: int = CHUNK_DOCS, keep_workers: bool = False) -> Generator[Result, None, None]:
    """One result per document: in input order, or as they finish when ``ordered`` is false.

    The documents go to at most ``jobs`` worker processes, a few chunks at a time, so memory stays
    flat however long the input is. A document over ``options.timeout`` fails alone
    (:func:`timed_out`) and its worker is replaced, as is one that kills its worker (retried alone
    once first). Only a process can be stopped in the middle of a C call (the parser, a regex), so
    with a time limit even a single document goes to a worker; without one, a batch that fits in
    one chunk, or ``jobs`` = 1, runs here. Closing the iterator early stops the workers; with
    ``keep_workers`` the idle ones are kept, for the next run in this thread that keeps them (the
    tasks of a Dask worker, which would otherwise each start and warm up a worker of their own).
    ``chunk_docs``: documents a worker gets at once (1 for documents that arrive slowly, as fetched
    pages do, so that each is extracted as soon as it comes).
    """
    chunks = _chunks(docs, chunk_docs)
    head = list(_take(chunks, 2))
    if options.timeout is None and (jobs <= 1 or len(head) < 2):
        for chunk in head:
            yield from _process_chunk(chunk, options)
        for chunk in chunks:
            yield from _process_chunk(chunk, options)
        return
    if keep_workers:
        pool = getattr(_KEPT, "pool", None) or _Pool()
        _KEPT.pool = pool
    else:
        pool = _Pool()
    yield from _run_pool(_chain(head, chunks), options, max(1, jobs), ordered, pool, keep_workers)


# Per thread, the workers kept between runs that ask for it.
_KEPT = threading.local()


def _run_pool(chunks: Iterator[list[Document]], options: Options, jobs: int, ordered: bool, pool: _Pool,
              keep: bool) -> Iterator[Result]:
    limit = jobs * IN_FLIGHT_PER_JOB
    pool.options, pool.jobs = options, jobs
    in_flight: deque[_Chunk] = deque()
    filled: list[tuple[_Chunk, int]] = []
    exhausted = False
    try:
        while True:
            while not exhausted and len(in_flight) < limit:
                docs = next(chunks, None)
                if docs is None:
                    exhausted = True
                    break
                chunk = _Chunk.of(docs)
                in_flight.append(chunk)
                pool.give([(chunk, slot) for slot in range(len(docs))])
            filled += pool.dispatch()
            if ordered:
                while in_flight and not in_flight[0].missing:
                    done = in_flight.popleft()
                    yield from (done.result(slot) for slot in range(len(done.docs)))
            else:
                for chunk, slot in filled:
                    yield chunk.result(slot)
                    if not chunk.missing and chunk in in_flight:
                        in_flight.remove(chunk)
            if not in_flight:
                return
            filled = pool.collect()
    finally:
        if keep:
            pool.release()
        else:
            pool.close()


@dataclass(eq=False, slots=True)
class _Chunk:
    """Documents pulled from the input together, and their results as they come back."""

    docs: list[Document]
    results: list[Result | None]
    missing: int
    retried: set[int] = field(default_factory=set)  # slots whose worker died once already

    @classmethod
    def of(cls, docs: list[Document]) -> _Chunk:
        return cls(docs, [None] * len(docs), len(docs))

    def fill(self, slot: int, result: Result) -> None:
        self.results[slot] = result
        self.missing -= 1

    def fail(self, slot: int, reason: str) -> None:
        doc = self.docs[slot]
        self.fill(slot, Result(doc.name, doc.url, doc.fingerprint, error=reason))

    def result(self, slot: int) -> Result:
        result = self.results[slot]
        assert result is not None, "a slot is read only once filled"
        return result


# What a worker is given at once: documents as (chunk, slot), done in this order, one result each.
_Assignment = list[tuple[_Chunk, int]]


@dataclass(eq=False)
class _Worker:
    process: BaseProcess
    conn: Connection
    doing: deque[tuple[_Chunk, int]] = field(default_factory=deque)  # sent, no result back yet
    since: float = 0.0  # when its current document began (or it was started), as far as the parent can tell
    ready: bool = False  # it said it is ready: until then its documents' clocks do not run


class _Pool:
    """Worker processes, started as work comes, each sent one assignment at a time (so neither side
    ever blocks on a full pipe) and sending one result per document (so the parent always knows which
    document a worker is on, and since when). A document over the time limit is the one its worker is
    on: the worker is killed, the document fails alone, what else it was given goes to another."""

    def __init__(self) -> None:
        _warm_up()  # here first, so that forked workers (or the fork server) start with everything loaded
        self.options, self.jobs = Options(), 1  # set by each run
        self.context = _context()
        self.workers: list[_Worker] = []
        self.waiting: deque[_Assignment] = deque()
        # Every worker's pipe and exit sentinel, watched together: one system call per wake-up.
        self.selector = selectors.DefaultSelector()

    def give(self, assignment: _Assignment) -> None:
        self.waiting.append(assignment)

    def dispatch(self) -> list[tuple[_Chunk, int]]:
        """Send waiting assignments to idle workers, starting workers up to ``jobs``; returns the
        slots filled on the way (a worker found dead)."""
        filled: list[tuple[_Chunk, int]] = []
        while self.waiting:
            worker = next((w for w in self.workers if not w.doing), None)
            if worker is None:
                if len(self.workers) >= self.jobs:
                    break
                worker = self._start()
            assignment = self.waiting.popleft()
            worker.doing.extend(assignment)
            worker.since = time.monotonic()
            try:
                worker.conn.send((self.options, [chunk.docs[slot] for chunk, slot in assignment]))
            except OSError:  # it died while idle
                filled += self._replace(worker, WORKER_DIED)
        return filled

    def collect(self) -> list[tuple[_Chunk, int]]:
        """Wait for a result, a worker's death or the next deadline; returns the slots filled."""
        busy = [w for w in self.workers if w.doing]
        if not busy:
            return []
        deadlines = [d for w in busy if (d := self._deadline(w)) is not None]
        wait_s = max(0.0, min(deadlines) - time.monotonic()) if deadlines else None
        filled: list[tuple[_Chunk, int]] = []
        for key, _ in self.selector.select(wait_s):
            worker = key.data
            if worker not in self.workers:
                continue  # replaced already, on its other file's event
            if key.fileobj is worker.conn and worker.doing:
                try:
                    filled += self._receive(worker)
                    continue
                except (EOFError, OSError):
                    pass
            got = self._drain(worker)  # it died: what it sent before still counts
            filled += got + self._replace(worker, WORKER_DIED)
        for worker in busy:
            deadline = self._deadline(worker)
            if worker.doing and deadline is not None and time.monotonic() > deadline:
                filled += self._stop_overdue(worker)
        return filled

    def release(self) -> None:
        """End a run, keeping the idle workers: busy ones (the run stopped early) are killed."""
        for worker in [w for w in self.workers if w.doing]:
            worker.process.kill()
            self._replace(worker, None)
        self.waiting.clear()

    def close(self) -> None:
        """Stop every worker: idle ones are told to, busy ones killed."""
        for worker in self.workers:
            if worker.doing:
                worker.process.kill()
            else:
                with contextlib.suppress(OSError):
                    worker.conn.send(None)
        deadline = time.monotonic() + STOP_GRACE_S
        for worker in self.workers:
            worker.process.join(max(0.0, deadline - time.monotonic()))
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.conn.close()
        self.workers.clear()
        self.selector.close()

    def _start(self) -> _Worker:
        ours, theirs = self.context.Pipe()
        process = self.context.Process(target=_serve, args=(theirs,), name="tweetparse-worker", daemon=True)
        with _STARTING, _children_allowed():
            process.start()
        theirs.close()
        worker = _Worker(process, ours)
        self.workers.append(worker)
        self.selector.register(ours, selectors.EVENT_READ, worker)
        self.selector.register(process.sentinel, selectors.EVENT_READ, worker)
        return worker

    def _deadline(self, worker: _Worker) -> float | None:
        if not worker.ready:
            return worker.since + START_TIMEOUT_S
        return None if self.options.timeout is None else worker.since + self.options.timeout

    def _receive(self, worker: _Worker) -> list[tuple[_Chunk, int]]:
        """The next message of a worker (its pipe is readable): that it is ready, or a result."""
        message = worker.conn.recv()
        worker.since = time.monotonic()
        if not worker.ready:
            worker.ready = True
            return []
        chunk, slot = worker.doing.popleft()
        chunk.fill(slot, message)
        return [(chunk, slot)]

    def _drain(self, worker: _Worker) -> list[tuple[_Chunk, int]]:
        """The results a worker has sent and the parent not yet read (up to its end of the pipe)."""
        filled: list[tuple[_Chunk, int]] = []
        with contextlib.suppress(EOFError, OSError):
            while worker.doing and worker.conn.poll():
                filled += self._receive(worker)
        return filled

    def _stop_overdue(self, worker: _Worker) -> list[tuple[_Chunk, int]]:
        filled = self._drain(worker)  # what it finished before is no one's fault
        deadline = self._deadline(worker)
        if not worker.doing or deadline is None or time.monotonic() <= deadline:
            return filled
        if not worker.ready:
            worker.process.kill()
            raise RuntimeError(f"a worker process did not get ready in {START_TIMEOUT_S:g} s")
        limit = self.options.timeout
        assert limit is not None
        overdue = worker.doing[0]
        worker.process.kill()
        worker.process.join()
        got = self._drain(worker)  # a result that crossed the kill still counts
        filled += got
        blame = timed_out(limit) if worker.doing and worker.doing[0] is overdue else None
        return filled + self._replace(worker, blame)

    def _replace(self, worker: _Worker, blame: str | None) -> list[tuple[_Chunk, int]]:
        """Drop a worker that died or was killed: the document it was on gets ``blame`` (a death is
        retried alone once first: it may have been another process's fault, the OOM killer's choice),
        the rest of its assignment waits for another worker."""
        self.workers.remove(worker)
        self.selector.unregister(worker.conn)
        self.selector.unregister(worker.process.sentinel)
        if worker.process.is_alive():
            worker.process.kill()
        worker.process.join()
        worker.conn.close()
        doing, worker.doing = list(worker.doing), deque()
        if not doing:
            return []
        if blame is None:
            self.waiting.appendleft(doing)
            return []
        if doing[1:]:
            self.waiting.appendleft(doing[1:])
        chunk, slot = doing[0]
        if blame == WORKER_DIED and slot not in chunk.retried:
            chunk.retried.add(slot)
            self.waiting.appendleft([(chunk, slot)])
            return []
        chunk.fail(slot, blame)
        return [(chunk, slot)]


def _context() -> multiprocessing.context.DefaultContext | multiprocessing.context.ForkServerContext:
    """How workers start: by fork where that is this process's way (the command line on Linux: the
    cheapest, and workers inherit what is loaded); else from a fork server with tweetparse preloaded
    (a Dask worker, whose other threads make a plain fork unsafe, asks for spawn, which would import
    everything again in every worker); the platform's way when there is neither (Windows)."""
    if multiprocessing.get_start_method() == "fork" or "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context()
    context = multiprocessing.get_context("forkserver")
    # The fork server, started on first use, imports what warming up loaded here.
    context.set_forkserver_preload(sorted(m for m in sys.modules if m.partition(".")[0] == __package__))
    return context


@functools.cache
def _warm_up() -> None:
    """Load what extraction needs (modules, pattern databases) by extracting samples, once a process."""
    from .core import extract

    with contextlib.suppress(Exception):  # only saves time: a failure here shows again on a document
        for sample in _WARM_UP:
            extract(sample)


# Starting a process flips this process's daemon flag for a moment (see _children_allowed): one at a time.
_STARTING = threading.Lock()


@contextlib.contextmanager
def _children_allowed() -> Iterator[None]:
    """multiprocessing refuses to start a process from a daemonic one (a Dask worker is one), lest
    the child outlive it; ours end when their pipe closes, and on Linux when their parent dies."""
    current = multiprocessing.current_process()
    daemonic = current.daemon
    if daemonic:
        current.daemon = False
    try:
        yield
    finally:
        if daemonic:
            current.daemon = True


def _serve(conn: Connection) -> None:
    """A worker process: extract each document it is sent, one result a message, until told to stop."""
    # Ctrl-C reaches the whole process group: the main process stops the batch and stops the workers
    # in order, so workers leave it to it instead of each printing a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()
    _warm_up()
    conn.send(True)
    while True:
        try:
            assignment = conn.recv()
        except EOFError:
            return
        if assignment is None:
            return
        options, docs = assignment
        for doc in docs:
            conn.send(process(doc, options))


def _die_with_parent() -> None:
    """On Linux, have the kernel kill this worker when its parent dies (even by SIGKILL), rather than
    let it finish a long document for no one."""
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def _take(items: Iterator[list[Document]], count: int) -> Iterator[list[Document]]:
    for _ in range(count):
        item = next(items, None)
        if item is None:
            return
        yield item


def _chain(head: list[list[Document]], rest: Iterator[list[Document]]) -> Iterator[list[Document]]:
    yield from head
    yield from rest


# The bar is redrawn at most this often: a terminal write per document would cost more than
# extracting small documents does.
PROGRESS_INTERVAL_S = 0.2


class Progress:
    """A one-line live counter on a terminal, and the closing summary line.

    Our own rather than tqdm's or rich's: the total is unknown while inputs stream in, so a bar
    could only show counts and a rate anyway, which takes a few lines, not a dependency.
    """

    def __init__(self, stream: IO[str] | None = None, *, live: bool | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.live = self.stream.isatty() if live is None else live
        self.documents = self.tweets = self.failures = self.skipped = 0
        self.started = time.perf_counter()
        self._drawn_at = 0.0
        self._width = 0

    def add(self, result: Result, tweets: int | None = None) -> None:
        """Count a finished document; ``tweets`` when its records went elsewhere (a Parquet file
        written by a Dask worker) rather than in ``result.records``."""
        self.documents += 1
        self.tweets += len(result.records) if tweets is None else tweets
        self.failures += result.error is not None
        if self.live and time.perf_counter() - self._drawn_at >= PROGRESS_INTERVAL_S:
            self._draw()

    def message(self, text: str) -> None:
        """Print a line (a failure) without tearing the live counter."""
        self.clear()
        print(text, file=self.stream, flush=True)

    def clear(self) -> None:
        if self.live and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
            self._width = 0

    def summary(self) -> str:
        seconds = time.perf_counter() - self.started
        parts = [f"{self.documents} documents", f"{self.tweets} tweets", f"{self.failures} failed"]
        if self.skipped:
            parts.append(f"{self.skipped} skipped (already in the database)")
        return f"tweetparse: {', '.join(parts)}, {seconds:.1f} s"

    def _draw(self) -> None:
        self._drawn_at = now = time.perf_counter()
        rate = self.documents / max(now - self.started, 1e-9)
        line = f"{self.documents} documents, {self.tweets} tweets, {self.failures} failed, {rate:.0f} docs/s"
        self.stream.write("\r" + line.ljust(self._width))
        self.stream.flush()
        self._width = len(line)
