"""Run extraction over a stream of documents, in worker processes, with bounded memory and each failure alone.

>>> from tweetparse.inputs import iter_documents
>>> for result in run(iter_documents(["a.html", "b.html"]), Options(), jobs=2):   # doctest: +SKIP
...     print(result.name, result.error or len(result.records))
"""
from __future__ import annotations

import logging
import os
import signal
import sys
import time
from collections import deque
from collections.abc import Generator, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, Any

from .inputs import Document, InputError, read_bytes
from .record import Tweet

if TYPE_CHECKING:  # pragma: no cover
    from .core import Kind

__all__ = ["Options", "Progress", "Result", "default_jobs", "process", "run"]

# Documents sent to a worker at once: enough to make the cost of a round trip between processes
# small next to the extraction (measured on 5k articles: the parent's CPU time fell by a third from
# 8 to 32), few enough that results still stream out steadily.
CHUNK_DOCS = 32
# ...and at most this much already-read content (stdin, WARC records) in one chunk.
CHUNK_BYTES = 4 << 20
# Chunks submitted but not yet written out, per worker: keeps every worker busy while one chunk
# is being written, and bounds memory however many inputs there are.
IN_FLIGHT_PER_JOB = 4
WORKER_DIED = "the worker process died while extracting this document"


@dataclass(frozen=True, slots=True)
class Options:
    """The extraction settings every document of a batch gets."""

    kind: Kind = "auto"
    reference_time: str | None = None
    strict: bool = False


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
        data = read_bytes(doc)
    except InputError as exc:
        return Result(doc.name, doc.url, doc.fingerprint, error=str(exc))
    logger = logging.getLogger("tweetparse")
    failures = _StageFailures()
    logger.addHandler(failures)
    try:
        tweets = extract(data, url=doc.url, article=doc.name, kind=options.kind, encoding=doc.encoding,
                         reference_time=options.reference_time, errors="strict" if options.strict else "log")
    except Exception as exc:  # noqa: BLE001 - one document must never take the batch down
        reason = f"extraction failed: {type(exc).__name__}: {exc}"
        return Result(doc.name, doc.url, doc.fingerprint, error=reason)
    finally:
        logger.removeHandler(failures)
    error = f"an extractor failed: {'; '.join(failures.reasons)}" if failures.reasons else None
    return Result(doc.name, doc.url, doc.fingerprint, tuple(t.to_dict() for t in tweets), error)


def _worker_init() -> None:
    # Ctrl-C reaches the whole process group: the main process stops the batch and shuts the pool
    # down in order, so workers leave it to it instead of each printing a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _new_pool(jobs: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=jobs, initializer=_worker_init)


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
        chunk_docs: int = CHUNK_DOCS) -> Generator[Result, None, None]:
    """One result per document: in input order, or as they finish when ``ordered`` is false.

    With ``jobs`` > 1 the documents go to that many worker processes, a few chunks at a time, so
    memory stays flat however long the input is. A batch that fits in one chunk runs here, since
    starting workers would cost more than it saves. Closing the iterator early stops the workers.
    ``chunk_docs``: documents a worker gets at once (1 for documents that arrive slowly, as fetched
    pages do, so that each is extracted as soon as it comes).
    """
    chunks = _chunks(docs, chunk_docs)
    head = list(_take(chunks, 2))
    if jobs <= 1 or len(head) < 2:
        for chunk in head:
            yield from _process_chunk(chunk, options)
        for chunk in chunks:
            yield from _process_chunk(chunk, options)
        return
    yield from _run_pool(_chain(head, chunks), options, jobs, ordered)


def _run_pool(chunks: Iterator[list[Document]], options: Options, jobs: int, ordered: bool
              ) -> Iterator[Result]:
    from . import core  # noqa: F401  (imported once here, so forked workers start with it loaded)

    limit = jobs * IN_FLIGHT_PER_JOB
    pool = _new_pool(jobs)
    pending: deque[tuple[Future[list[Result]], list[Document]]] = deque()
    try:
        exhausted = False
        while True:
            while not exhausted and len(pending) < limit:
                chunk = next(chunks, None)
                if chunk is None:
                    exhausted = True
                    break
                pending.append((pool.submit(_process_chunk, chunk, options), chunk))
            if not pending:
                return
            if ordered:
                done_index = 0
            else:
                wait([f for f, _ in pending], return_when=FIRST_COMPLETED)
                done_index = next(i for i, (f, _) in enumerate(pending) if f.done())
            future, chunk = pending[done_index]
            del pending[done_index]
            try:
                results = future.result()
            except BrokenProcessPool:
                # A document killed its worker (a crash in native code, the OOM killer). Every chunk
                # in flight is lost with the pool: each of their documents is retried alone in a
                # fresh pool, so only the one that kills a worker again fails.
                pool.shutdown(wait=False, cancel_futures=True)
                lost = [chunk] + [c for _, c in pending]
                pending.clear()
                pool = _new_pool(jobs)
                for doc in (d for c in lost for d in c):
                    pool, result = _retry_alone(pool, doc, options, jobs)
                    yield result
                continue
            yield from results
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _retry_alone(pool: ProcessPoolExecutor, doc: Document, options: Options, jobs: int
                 ) -> tuple[ProcessPoolExecutor, Result]:
    try:
        return pool, pool.submit(process, doc, options).result()
    except BrokenProcessPool:
        pool.shutdown(wait=False, cancel_futures=True)
        dead = Result(doc.name, doc.url, doc.fingerprint, error=WORKER_DIED)
        return _new_pool(jobs), dead


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
