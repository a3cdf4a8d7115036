"""Run extraction on a Dask cluster: inputs (local or fsspec URLs) as partitions, records as a bag, a dataframe or Parquet.

Needs the ``dask`` extra (``pip install 'tweetparse[dask]'``); importing :mod:`tweetparse` never
imports this module. A partition is one WARC/ARC file, or a group of small files listed in input
order; its task reads the files through fsspec on the worker (under ``Options.max_bytes``), so
``s3://``, ``gs://`` and ``https://`` inputs are never downloaded by the client, and extracts them
as the local run does (:func:`tweetparse.batch.run`: in a child process of the Dask worker when
there is a time limit). Tasks are pure (the same partition gives the same records), so a partition
whose worker died is simply run again: the client takes each partition's result once and a Parquet
part is written under a fixed name, so nothing is duplicated. The client never waits on the cluster
without a timeout: a cluster left with no worker for :data:`NO_WORKERS_S` fails what is left.

>>> bag = to_bag(["s3://bucket/crawl/"], globs=("*.warc.gz",))     # doctest: +SKIP
>>> bag.take(1)                                                     # doctest: +SKIP
>>> to_dataframe(["pages/"]).groupby("handle").size().compute()     # doctest: +SKIP
"""
from __future__ import annotations

import concurrent.futures
import contextlib
import fnmatch
import math
import os
import posixpath
import queue
import time
import uuid
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from . import batch
from .batch import WORKER_DIED, Options, Result, default_jobs
from .inputs import (
    DEFAULT_MAX_BYTES,
    Document,
    InputError,
    archive_documents,
    is_archive,
    log_skipped,
    read_content,
    skip_reason,
    special_file,
    walk_entries,
)
from .output import FLAT_COLUMNS, flat_row, record_from_row

if TYPE_CHECKING:  # pragma: no cover
    import dask.bag
    import dask.dataframe
    import pyarrow
    from distributed import Client, Future

    from .core import Kind
    from .record import Platform

__all__ = ["DASK_MISSING", "PARQUET_COLUMNS", "ClusterError", "Entry", "Part", "extract_part", "list_entries",
           "parquet_schema", "partition", "record_from_row", "results_bag", "run", "to_bag", "to_dataframe",
           "write_part"]

DASK_MISSING = "--engine dask needs the dask extra: pip install 'tweetparse[dask]'"
# A partition of small files holds at most this many: at about 1 ms a document that is a task of
# about a second, long next to Dask's few milliseconds of overhead per task, short enough that a
# retried partition costs little and the workers end together.
FILES_PER_PARTITION = 1000
# ...and at most this many bytes, so a partition of large pages stays a few seconds of work too.
BYTES_PER_PARTITION = 64 << 20
# The command line splits a batch into at least this many partitions per worker thread (when it has
# enough files), so a small batch still keeps every worker busy.
PARTITIONS_PER_THREAD = 4
# Partitions submitted but not yet written out, per worker thread: keeps the workers busy while the
# client writes, and bounds what finished results wait in the workers' memory.
IN_FLIGHT_PER_THREAD = 3
# Times the scheduler reruns a partition whose task raised (a flaky read of a remote file); a dead
# worker's partitions are rerun by the scheduler anyway, up to its allowed-failures setting.
RETRIES = 2
# The client's waits on the cluster last at most this long before it looks whether workers are left.
POLL_S = 1.0
# A cluster with no worker for this long has lost them for good: a nanny restarts a dead worker in
# seconds and an adaptive cluster scales up from none in a minute or two; the rest of the batch fails.
NO_WORKERS_S = 180.0
# Connecting to a scheduler, asking it about its workers, and closing the client and cluster.
CONNECT_TIMEOUT_S = 30.0
CLOSE_TIMEOUT_S = 30.0

# The Parquet columns: a record's flat row (output.FLAT_COLUMNS), and its place among its article's records.
_PARQUET_TYPES = {"string": "string", "json": "string", "strings": "list<string>", "bool": "bool", "int": "int64"}
PARQUET_COLUMNS: tuple[tuple[str, str], ...] = (
    *((name, _PARQUET_TYPES[kind]) for name, kind in FLAT_COLUMNS),
    ("position", "int32"),  # the post's place among its article's records, from 0
)


class ClusterError(Exception):
    """The Dask cluster cannot be used: the scheduler cannot be reached, or a local one started."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One input file: ``name`` as it appears in ``source.article`` (the path as given, or the
    URL), ``url`` to open it with fsspec, and its fingerprint (as :class:`~tweetparse.inputs.Document`)."""

    name: str
    url: str
    fingerprint: str = ""
    size: int = 0
    error: str | None = None


@dataclass(frozen=True, slots=True)
class Part:
    """The files one task reads: a single WARC/ARC file, or a group of small files. ``piece`` numbers
    the files of a part that was split up after it killed its workers."""

    index: int
    entries: tuple[Entry, ...]
    piece: int | None = None

    def file_name(self) -> str:
        """Its Parquet file's name: ``part-00042.parquet``, or ``part-00042-00003.parquet`` for a piece."""
        piece = "" if self.piece is None else f"-{self.piece:05d}"
        return f"part-{self.index:05d}{piece}.parquet"


# ---------------------------------------------------------------- listing and partitioning (client)

def _is_remote(path: str) -> bool:
    return "://" in path and not path.startswith("file://")


def list_entries(inputs: Iterable[str], *, globs: tuple[str, ...] = (),
                 storage_options: dict[str, Any] | None = None,
                 on_skip: Callable[[str, str], None] | None = None) -> Iterator[Entry]:
    """Every file the inputs name, in the order the local run reads them: local paths walked as
    :func:`tweetparse.inputs.iter_documents` walks them (same names; a FIFO or device in a folder
    skipped, ``on_skip`` told), URLs listed through fsspec."""
    for item in inputs:
        if item == "-":
            raise ValueError("standard input cannot be sent to a Dask cluster: save it to a file")
        if _is_remote(item):
            yield from _remote_entries(item, globs, storage_options or {})
        elif os.path.isdir(item):
            for path, error in walk_entries(item, globs):
                if error is not None:
                    yield Entry(name=path, url=path, error=error)
                else:
                    yield from _local_entry(path, on_skip or log_skipped)
        else:
            yield from _local_entry(item, None)


def _local_entry(path: str, on_skip: Callable[[str, str], None] | None) -> Iterator[Entry]:
    """A local file's entry. A FIFO, socket or device is skipped when met in a folder (``on_skip``
    set) and fails when named: a worker, maybe on another machine, reads only regular files."""
    try:
        st = os.stat(path)
    except OSError as exc:
        yield Entry(name=path, url=path, error=exc.strerror or str(exc))
        return
    kind = special_file(st.st_mode)
    if kind is None:
        yield Entry(name=path, url=path, fingerprint=f"{st.st_size}:{st.st_mtime_ns}", size=st.st_size)
    elif on_skip is not None:
        on_skip(path, skip_reason(kind))
    else:
        yield Entry(name=path, url=path, error=f"{kind}, not a regular file: --engine dask reads files and URLs "
                                               "(read it with the local engine)")


def _remote_entries(url: str, globs: tuple[str, ...], storage_options: dict[str, Any]) -> Iterator[Entry]:
    from fsspec.core import url_to_fs

    try:
        fs, root = url_to_fs(url, **storage_options)
        if not fs.isdir(root):
            yield _remote_entry(url, fs.info(root))
            return
        found = fs.find(root, detail=True)
    except (OSError, ValueError) as exc:
        yield Entry(name=url, url=url, error=getattr(exc, "strerror", None) or str(exc) or type(exc).__name__)
        return
    # Sorted by path parts, so a folder's own files come before its subfolders', as in walk().
    for path in sorted(found, key=lambda p: _walk_order(posixpath.relpath(p, root))):
        relative = posixpath.relpath(path, root)
        name = posixpath.basename(path)
        if any(part.startswith(".") for part in relative.split("/")):
            continue
        if globs and not any(fnmatch.fnmatch(name, pattern) for pattern in globs):
            continue
        yield _remote_entry(fs.unstrip_protocol(path), found[path])


def _walk_order(relative: str) -> tuple[tuple[int, str], ...]:
    parts = relative.split("/")
    return tuple((1, p) for p in parts[:-1]) + ((0, parts[-1]),)


def _remote_entry(url: str, info: dict[str, Any]) -> Entry:
    size = int(info.get("size") or 0)
    version = next((str(info[k]) for k in ("ETag", "etag", "md5", "mtime", "LastModified", "last_modified",
                                           "updated", "created") if info.get(k)), "")
    return Entry(name=url, url=url, fingerprint=f"{size}:{version}", size=size)


def partition(entries: Iterable[Entry], *, files_per_partition: int = FILES_PER_PARTITION,
              bytes_per_partition: int = BYTES_PER_PARTITION) -> list[Part]:
    """Group entries, in order, into parts: each WARC/ARC file alone, runs of other files up to
    ``files_per_partition`` files or ``bytes_per_partition`` bytes."""
    parts: list[Part] = []
    group: list[Entry] = []
    size = 0

    def close() -> None:
        nonlocal group, size
        if group:
            parts.append(Part(len(parts), tuple(group)))
            group, size = [], 0

    for entry in entries:
        if is_archive(entry.name):
            close()
            group = [entry]
            close()
            continue
        if group and (len(group) >= files_per_partition or size + entry.size > bytes_per_partition):
            close()
        group.append(entry)
        size += entry.size
    close()
    return parts


# ---------------------------------------------------------------- the tasks (workers)

def _documents(part: Part, storage_options: dict[str, Any], max_bytes: int | None = DEFAULT_MAX_BYTES
               ) -> Iterator[Document]:
    """The part's documents, read through fsspec, in order, each under ``max_bytes``; a file that
    cannot be read is one failed document, as in the local run."""
    import fsspec

    for entry in part.entries:
        if entry.error is not None:
            yield Document(name=entry.name, error=entry.error)
            continue
        try:
            with fsspec.open(entry.url, "rb", **storage_options) as stream:
                if is_archive(entry.name):
                    yield from archive_documents(stream, entry.name, entry.fingerprint, max_bytes=max_bytes)
                    continue
                data = read_content(stream, max_bytes=max_bytes)
        except InputError as exc:
            yield Document(name=entry.name, fingerprint=entry.fingerprint, error=str(exc))
            continue
        except OSError as exc:
            yield Document(name=entry.name, fingerprint=entry.fingerprint, error=exc.strerror or str(exc))
            continue
        yield Document(name=entry.name, fingerprint=entry.fingerprint, data=data)


def extract_part(part: Part, options: Options, storage_options: dict[str, Any] | None = None) -> list[Result]:
    """Every document of a part, extracted: one :class:`~tweetparse.batch.Result` each, in order.
    Pure: a retried part gives the same results. Documents are extracted as the local run does
    (:func:`tweetparse.batch.run`, one job): with ``options.timeout``, in a child process of the
    worker (kept for its next task), replaced when a document runs out of time or kills it."""
    docs = _documents(part, storage_options or {}, options.max_bytes)
    return list(batch.run(docs, options, jobs=1, keep_workers=True))


def write_part(part: Part, options: Options, folder: str, storage_options: dict[str, Any] | None = None
               ) -> list[tuple[Result, int]]:
    """Extract a part into ``folder/`` :meth:`Part.file_name` (written even when empty, so every part has
    its file); returns each document's result without its records, and how many it wrote."""
    import pyarrow.parquet as pq
    from fsspec.core import url_to_fs

    results = extract_part(part, options, storage_options)
    rows = [{**flat_row(record), "position": position} for result in results
            for position, record in enumerate(result.records)]
    table = _table(rows)
    fs, root = url_to_fs(folder, **(storage_options or {}))
    final = posixpath.join(root, part.file_name())
    # Written under a hidden name, then renamed: a dead worker's half-written file is never taken for
    # a part, and the name is unique per attempt, so a retry never writes into a dying attempt's file.
    temporary = posixpath.join(root, f".{part.file_name()}.{uuid.uuid4().hex}.tmp")
    with fs.open(temporary, "wb") as f:
        pq.write_table(table, f)
    fs.mv(temporary, final)
    return [(replace(result, records=()), len(result.records)) for result in results]


# ---------------------------------------------------------------- flat rows and Parquet

def parquet_schema() -> pyarrow.Schema:
    """:data:`PARQUET_COLUMNS` as an Arrow schema (the same for every part, even an empty one)."""
    import pyarrow as pa

    types = {"string": pa.string(), "bool": pa.bool_(), "int64": pa.int64(), "int32": pa.int32(),
             "list<string>": pa.list_(pa.string())}
    return pa.schema([(name, types[kind]) for name, kind in PARQUET_COLUMNS])


def _table(rows: list[dict[str, Any]]) -> pyarrow.Table:
    import pyarrow as pa

    return pa.Table.from_pylist(rows, schema=parquet_schema())


def _pandas(table: pyarrow.Table) -> Any:
    """A pandas frame with Arrow-backed columns: lists stay lists (Dask would turn an object column
    into strings) and integer columns with nulls stay integers."""
    import pandas

    return table.to_pandas(types_mapper=pandas.ArrowDtype)


def _frame(part: Part, options: Options, storage_options: dict[str, Any] | None) -> Any:
    results = extract_part(part, options, storage_options)
    rows = [{**flat_row(record), "position": position} for result in results
            for position, record in enumerate(result.records)]
    return _pandas(_table(rows))


# ---------------------------------------------------------------- library entry points

def _parts(paths: str | Sequence[str], globs: tuple[str, ...], files_per_partition: int,
           bytes_per_partition: int, storage_options: dict[str, Any] | None) -> list[Part]:
    names = [paths] if isinstance(paths, str) else list(paths)
    entries = list_entries(names, globs=globs, storage_options=storage_options)
    return partition(entries, files_per_partition=files_per_partition, bytes_per_partition=bytes_per_partition)


def results_bag(paths: str | Sequence[str], *, globs: tuple[str, ...] = (), kind: Kind = "auto",
                reference_time: str | None = None, files_per_partition: int = FILES_PER_PARTITION,
                bytes_per_partition: int = BYTES_PER_PARTITION, storage_options: dict[str, Any] | None = None,
                max_bytes: int | None = DEFAULT_MAX_BYTES, timeout: float | None = batch.DEFAULT_TIMEOUT_S,
                platforms: tuple[Platform, ...] | None = None) -> dask.bag.Bag:
    """A bag of one :class:`~tweetparse.batch.Result` per document (records and failures), one
    partition per :class:`Part`; ``max_bytes`` and ``timeout`` bound each document as
    :class:`~tweetparse.batch.Options` says; ``platforms`` keeps only those networks' posts."""
    import dask
    import dask.bag

    options = Options(kind=kind, reference_time=reference_time, max_bytes=max_bytes, timeout=timeout,
                      platforms=platforms)
    parts = _parts(paths, globs, files_per_partition, bytes_per_partition, storage_options)
    extract = dask.delayed(extract_part, pure=True)
    return dask.bag.from_delayed([extract(part, options, storage_options) for part in parts])


def to_bag(paths: str | Sequence[str], **options: Any) -> dask.bag.Bag:
    """A Dask bag of records (``Tweet.to_dict()``), one partition per WARC/ARC file or group of
    small files, in input order. ``paths``: files, folders, URLs of any fsspec filesystem
    (``storage_options`` goes to it); other options as :func:`results_bag`. Failed documents are
    left out; use :func:`results_bag` to see them.

    >>> to_bag(["crawl/"], globs=("*.warc.gz",)).count().compute()      # doctest: +SKIP
    """
    return results_bag(paths, **options).map(lambda result: result.records).flatten()


def to_dataframe(paths: str | Sequence[str], *, globs: tuple[str, ...] = (), kind: Kind = "auto",
                 reference_time: str | None = None, files_per_partition: int = FILES_PER_PARTITION,
                 bytes_per_partition: int = BYTES_PER_PARTITION, storage_options: dict[str, Any] | None = None,
                 max_bytes: int | None = DEFAULT_MAX_BYTES, timeout: float | None = batch.DEFAULT_TIMEOUT_S,
                 platforms: tuple[Platform, ...] | None = None) -> dask.dataframe.DataFrame:
    """A Dask dataframe of records with the flat :data:`PARQUET_COLUMNS`, one partition per part
    (documents bounded as in :func:`results_bag`).

    >>> to_dataframe(["pages/"]).to_parquet("tweets/")                   # doctest: +SKIP
    """
    import dask.dataframe

    options = Options(kind=kind, reference_time=reference_time, max_bytes=max_bytes, timeout=timeout,
                      platforms=platforms)
    parts = _parts(paths, globs, files_per_partition, bytes_per_partition, storage_options)
    meta = _pandas(_table([]))
    return dask.dataframe.from_map(_frame, parts, options=options, storage_options=storage_options,
                                   meta=meta, enforce_metadata=False)


# ---------------------------------------------------------------- the command line's runner

def client_for(scheduler: str | None, workers: int | None) -> tuple[Client, Callable[[], None]]:
    """A client of the scheduler at ``scheduler``, or of a new LocalCluster on this machine
    (``workers`` processes, default the cores, one thread each: extraction holds the GIL); and
    how to close what was opened."""
    import logging

    from distributed import Client, LocalCluster

    if scheduler is not None:
        try:
            client = Client(scheduler, set_as_default=False, timeout=CONNECT_TIMEOUT_S)
        except (OSError, TimeoutError) as exc:
            raise ClusterError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc
        return client, lambda: client.close(timeout=CLOSE_TIMEOUT_S)
    try:
        cluster = LocalCluster(n_workers=workers or default_jobs(), threads_per_worker=1, processes=True,
                               dashboard_address=":0", silence_logs=logging.ERROR)
    except Exception as exc:  # a nanny that cannot start raises RuntimeError; a taken port, OSError
        raise ClusterError(f"cannot start a local Dask cluster: {exc}") from exc
    client = Client(cluster, set_as_default=False, timeout=CONNECT_TIMEOUT_S)

    def close() -> None:
        client.close(timeout=CLOSE_TIMEOUT_S)
        cluster.close(timeout=CLOSE_TIMEOUT_S)

    return client, close


def run(inputs: Iterable[str], options: Options, *, globs: tuple[str, ...] = (), scheduler: str | None = None,
        workers: int | None = None, ordered: bool = True, parquet: str | None = None,
        skip: Callable[[Document], bool] | None = None, storage_options: dict[str, Any] | None = None,
        on_skip: Callable[[str, str], None] | None = None, no_workers_s: float | None = None
        ) -> Generator[tuple[Result, int], None, None]:
    """Each document's result and its tweet count, from a Dask cluster: in input order, or as
    partitions finish when ``ordered`` is false. With ``parquet`` the workers write the records
    there (one file per part) and results come back without them. Files that ``skip`` says are done
    are not read (archives are always read again; writing them is idempotent); ``on_skip`` hears of
    special files left out of folders.

    Raises :class:`ClusterError` when the scheduler cannot be reached. When the cluster has had no
    worker for ``no_workers_s`` seconds (default :data:`NO_WORKERS_S`), each document not done yet
    fails (named by its file) and the run ends."""
    entries = list(list_entries(inputs, globs=globs, storage_options=storage_options, on_skip=on_skip))
    if skip is not None:
        entries = [e for e in entries if is_archive(e.name) or e.error is not None
                   or not skip(Document(name=e.name, fingerprint=e.fingerprint))]
    client, close = client_for(scheduler, workers)
    try:
        threads = max(1, _threads(client))
        # Enough parts to spread a small batch over every worker, never more files per part than the cap.
        per_part = max(1, min(FILES_PER_PARTITION, math.ceil(len(entries) / (threads * PARTITIONS_PER_THREAD))))
        parts = partition(entries, files_per_partition=per_part)
        if parquet is not None:
            from fsspec.core import url_to_fs

            fs, root = url_to_fs(parquet, **(storage_options or {}))
            fs.makedirs(root, exist_ok=True)
        yield from _stream(client, parts, options, threads * IN_FLIGHT_PER_THREAD, ordered, parquet,
                           storage_options, NO_WORKERS_S if no_workers_s is None else no_workers_s)
    finally:
        close()


def _submit(client: Client, part: Part, options: Options, parquet: str | None,
            storage_options: dict[str, Any] | None) -> Future:
    if parquet is not None:
        return client.submit(write_part, part, options, parquet, storage_options, pure=True, retries=RETRIES)
    return client.submit(extract_part, part, options, storage_options, pure=True, retries=RETRIES)


def _threads(client: Client) -> int:
    """The worker threads of the cluster now; 0 when the scheduler does not answer in time."""
    try:
        return sum(client.nthreads(callback_timeout=CONNECT_TIMEOUT_S).values())
    except (OSError, TimeoutError):
        return 0


class _ClusterLost(Exception):
    """The cluster has had no worker for too long, or dropped the client's work."""


def _wait_until(client: Client, ready: Callable[[], bool], finished: queue.SimpleQueue[Future],
                no_workers_s: float) -> None:
    """Return once ``ready()`` (a future it watches is finished: done, failed or cancelled), woken by
    ``finished`` (where futures put themselves when they finish) and every :data:`POLL_S` to look
    whether the cluster still has workers; raises :class:`_ClusterLost` when it has had none for
    ``no_workers_s`` seconds (the scheduler would wait for one forever)."""
    alone_since: float | None = None
    while not ready():
        with contextlib.suppress(queue.Empty):
            finished.get(timeout=POLL_S)
            continue
        if _threads(client):
            alone_since = None
        elif alone_since is None:
            alone_since = time.monotonic()
        elif time.monotonic() - alone_since > no_workers_s:
            raise _ClusterLost(f"the Dask cluster has had no worker for {no_workers_s:g} s")


def _stream(client: Client, parts: list[Part], options: Options, limit: int, ordered: bool, parquet: str | None,
            storage_options: dict[str, Any] | None, no_workers_s: float
            ) -> Iterator[tuple[Result, int]]:
    waiting = deque(parts)
    pending: deque[tuple[Future, Part]] = deque()
    finished: queue.SimpleQueue[Future] = queue.SimpleQueue()
    try:
        while True:
            while waiting and len(pending) < limit:
                part = waiting.popleft()
                future = _submit(client, part, options, parquet, storage_options)
                future.add_done_callback(finished.put)
                pending.append((future, part))
            if not pending:
                return
            written: set[str] = set()  # the files of the part at hand already given out
            current: Part | None = None
            try:
                if ordered:
                    _wait_until(client, pending[0][0].done, finished, no_workers_s)
                else:
                    _wait_until(client, lambda: any(f.done() for f, _ in pending), finished, no_workers_s)
                index = next(i for i, (f, _) in enumerate(pending) if f.done())
                future, current = pending[index]
                for outcome in _outcome(client, future, current, options, parquet, storage_options, finished,
                                        no_workers_s):
                    written.add(outcome[0].name)
                    yield outcome
            except _ClusterLost as exc:
                # Nothing will finish now: every document not given out yet fails, in order.
                for lost in [p for _, p in pending] + list(waiting):
                    yield from _failed(lost, str(exc), written if lost is current else set())
                return
            del pending[index]
            future.release()
    finally:
        for future, _ in pending:
            future.release()  # the scheduler drops what no client wants; unlike cancel(), never blocks


def _failed(part: Part, reason: str, written: set[str]) -> Iterator[tuple[Result, int]]:
    for entry in part.entries:
        if entry.name not in written:
            yield Result(entry.name, None, entry.fingerprint, error=reason), 0


def _outcome(client: Client, future: Future, part: Part, options: Options, parquet: str | None,
             storage_options: dict[str, Any] | None, finished: queue.SimpleQueue[Future], no_workers_s: float
             ) -> Iterator[tuple[Result, int]]:
    from distributed import KilledWorker

    try:
        value = future.result(timeout=POLL_S)
    except KilledWorker:
        # The part killed every worker it was given (a crash in native code, memory): as in the
        # local run, each file is tried alone so only the one that kills again fails.
        if len(part.entries) == 1:
            entry = part.entries[0]
            yield Result(entry.name, None, entry.fingerprint, error=WORKER_DIED), 0
            return
        for i, entry in enumerate(part.entries):
            alone = Part(part.index, (entry,), piece=i)
            single = _submit(client, alone, options, parquet, storage_options)
            single.add_done_callback(finished.put)
            _wait_until(client, single.done, finished, no_workers_s)
            yield from _outcome(client, single, alone, options, parquet, storage_options, finished, no_workers_s)
        return
    except concurrent.futures.CancelledError as exc:
        raise _ClusterLost(f"the Dask scheduler dropped this partition ({exc})") from exc
    if parquet is not None:
        yield from value
    else:
        for result in value:
            yield result, len(result.records)
