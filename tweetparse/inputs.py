"""Turn what the command line names (files, folders, ``-``, lists of paths, gzip, WARC/ARC) into documents.

A :class:`Document` is small until it is read: a file is only named here and read by whoever
processes it (a worker process, in parallel), so walking a million inputs costs no memory.
Stdin, FIFOs and devices named explicitly, and WARC records are already in memory when they are
yielded, because only this process can read them. An input that fails before it can be read is
yielded as a document that carries its ``error``, so it fails alone, in its place in the input order.

Every read is bounded: no document bigger than ``max_bytes`` (after gzip, chunked or content
coding is undone; :data:`DEFAULT_MAX_BYTES`, ``None`` for no limit) is ever held whole. Reading
stops as soon as the limit is passed and the document fails with ``larger than N bytes``
(:class:`TooLarge`). :func:`read_limited` and :func:`read_content` are the bounded reads, for any
binary stream (a fetched body too).

>>> docs = list(iter_documents(["examples"], globs=("*.txt",)))      # doctest: +SKIP
>>> read_bytes(docs[0], max_bytes=8 << 20)[:20]                       # doctest: +SKIP
"""
from __future__ import annotations

import contextlib
import fnmatch
import gzip
import hashlib
import importlib.util
import io
import logging
import os
import re
import stat
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any, Protocol

__all__ = [
    "DEFAULT_MAX_BYTES",
    "WARC_MISSING",
    "Document",
    "InputError",
    "TooLarge",
    "archive_documents",
    "content_type_charset",
    "gunzip",
    "is_archive",
    "iter_documents",
    "log_skipped",
    "paths_from_lines",
    "read_bytes",
    "read_content",
    "read_limited",
    "skip_reason",
    "special_file",
    "walk",
    "walk_entries",
]

LOGGER = logging.getLogger("tweetparse")

STDIN = "-"
GZIP_MAGIC = b"\x1f\x8b"
# Names read as web archives rather than as one page: WARC (ISO 28500) and its predecessor ARC.
ARCHIVE_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
WARC_MISSING = "reading WARC/ARC files needs the warc extra: pip install 'tweetparse[warc]'"
# HTTP content types of WARC payloads worth parsing; a record that declares none is read too,
# since the extractor's own sniffing tells HTML from junk cheaply.
HTML_CONTENT_TYPES = ("html", "xml")
# A reader's error can quote a whole binary line of the archive; a reason stays one readable line.
REASON_CHARS = 160
# The largest document read, after decompression: news pages weigh well under 5 MB (the labelled
# corpus' largest is 1.6 MB) and extraction costs about ten times a page's bytes in memory, so 64 MB
# keeps every real page and stops a decompression bomb or an endless stream before it hurts.
DEFAULT_MAX_BYTES = 64 << 20
# Bounded reads go this many bytes at a time: a rejected document costs at most the limit plus this.
READ_CHUNK = 1 << 20
# The longest WARC/ARC header line read: warcio grows a line by concatenation until its line break, so
# junk without one cost time quadratic in its length (32 MB: 40 s) and as much memory. Real header
# lines (a URL, a cookie) stay under 64 kB.
MAX_HEADER_LINE = 1 << 20
# The longest line read from a list of paths (--stdin-paths): file systems take paths of 4 kB, URLs
# stay well under this; a stream without line breaks is then read a line at a time, never whole.
MAX_PATH_LINE = 64 << 10
# What is not a regular file, by the name a user knows it by (the note given when a folder holds one).
_SPECIAL_FILES = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
                  (stat.S_ISBLK, "a block device"))


class InputError(Exception):
    """An input that cannot be read; the message is the reason shown after ``path:``."""


class TooLarge(InputError):
    """A document over the size limit (``larger than N bytes``); reading stopped there."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(f"larger than {max_bytes} bytes")
        self.max_bytes = max_bytes


class _Readable(Protocol):
    def read(self, size: int = ..., /) -> bytes: ...


@dataclass(frozen=True, slots=True)
class Document:
    """One article to extract from.

    ``name`` becomes ``source.article``; ``url`` becomes ``source.url``. Exactly one of ``data``
    (already read) and ``path`` (read it with :func:`read_bytes`) is set, unless ``error`` says why
    the input could not be read at all. ``fingerprint`` identifies this version of the input, so a
    resumed run can skip what it already did: size and modification time for files, a content hash
    for standard input. ``encoding`` is the charset the transport declared (a WARC record's or a
    fetched response's HTTP ``Content-Type``), which decoding takes over a ``<meta>`` one.
    """

    name: str
    url: str | None = None
    data: bytes | None = None
    path: str | None = None
    fingerprint: str = ""
    error: str | None = None
    encoding: str | None = None


def is_archive(path: str) -> bool:
    """Whether a path names a WARC or ARC file (compressed or not)."""
    return path.lower().endswith(ARCHIVE_SUFFIXES)


def iter_documents(inputs: Iterable[str], *, globs: tuple[str, ...] = (), stdin: IO[bytes] | None = None,
                   max_bytes: int | None = DEFAULT_MAX_BYTES,
                   on_skip: Callable[[str, str], None] | None = None) -> Iterator[Document]:
    """Every document the inputs name, in order: files as given, folders walked recursively in
    sorted order (only names matching one of ``globs``, when given; hidden files skipped), ``-``
    as one document read from ``stdin``, WARC/ARC files as one document per HTML response.

    What is read here (stdin, WARC records, a FIFO or device named explicitly) is read under
    ``max_bytes``; files are read later by :func:`read_bytes`. A FIFO, socket or device met in a
    folder is skipped: ``on_skip(path, reason)`` is told (by default a warning is logged).
    """
    for item in inputs:
        if item == STDIN:
            yield _stream_document(STDIN, stdin, max_bytes)
        elif os.path.isdir(item):
            for path, error in walk_entries(item, globs):
                if error is not None:
                    yield Document(name=path, error=error)
                else:
                    yield from _path_documents(path, max_bytes, on_skip=on_skip or log_skipped)
        else:
            yield from _path_documents(item, max_bytes)


def paths_from_lines(stream: IO[bytes]) -> Iterator[str]:
    """The paths listed in a stream, one a line (blank lines skipped), read as they arrive; a line
    longer than :data:`MAX_PATH_LINE` is cut there (what follows counts as another line)."""
    for raw in iter(lambda: stream.readline(MAX_PATH_LINE), b""):
        line = os.fsdecode(raw.rstrip(b"\r\n"))
        if line.strip():
            yield line


def read_bytes(doc: Document, *, max_bytes: int | None = DEFAULT_MAX_BYTES) -> bytes:
    """A document's content, gzip undone, at most ``max_bytes`` of it; raises :class:`InputError`
    with the reason it can't be read (:class:`TooLarge` over the limit)."""
    if doc.error is not None:
        raise InputError(doc.error)
    if doc.data is not None:
        if max_bytes is not None and len(doc.data) > max_bytes:
            raise TooLarge(max_bytes)
        return doc.data
    assert doc.path is not None
    try:
        with open(doc.path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            if max_bytes is not None and size > max_bytes and f.peek(2)[:2] != GZIP_MAGIC:
                raise TooLarge(max_bytes)  # known from the file's size, without reading it
            return read_content(f, max_bytes=max_bytes)
    except OSError as exc:
        raise InputError(exc.strerror or str(exc)) from exc


def read_limited(stream: _Readable, *, max_bytes: int | None = DEFAULT_MAX_BYTES) -> bytes:
    """Everything left in a binary stream, read a chunk at a time; raises :class:`TooLarge` as soon
    as more than ``max_bytes`` came (never holding more than the limit plus one chunk).

    >>> read_limited(io.BytesIO(b"<html>"), max_bytes=100)
    b'<html>'
    """
    first = stream.read(_wanted(0, max_bytes))
    if not first:
        return b""
    _check_size(len(first), max_bytes)
    more = stream.read(_wanted(len(first), max_bytes))
    if not more:
        return first  # the usual page: one read, no copy
    buffer = io.BytesIO()
    buffer.write(first)
    del first  # each chunk is let go once copied: only one is ever held beside the buffer
    while more:
        buffer.write(more)
        del more
        _check_size(buffer.tell(), max_bytes)
        more = stream.read(_wanted(buffer.tell(), max_bytes))
    return buffer.getvalue()  # BytesIO hands its buffer over without a copy


def read_content(stream: _Readable, *, max_bytes: int | None = DEFAULT_MAX_BYTES) -> bytes:
    """A document from a binary stream: gzip undone by its magic bytes (every member, decompressed
    a chunk at a time), at most ``max_bytes`` after decompression; raises :class:`InputError`.

    >>> read_content(io.BytesIO(gzip.compress(b"<p>hi</p>")))
    b'<p>hi</p>'
    """
    head = _read_exactly(stream, len(GZIP_MAGIC))
    rejoined = _Rejoined(head, stream)
    if head != GZIP_MAGIC:
        return read_limited(rejoined, max_bytes=max_bytes)
    try:
        with gzip.GzipFile(fileobj=rejoined, mode="rb") as unzipped:
            return read_limited(unzipped, max_bytes=max_bytes)
    except EOFError as exc:
        raise InputError(f"truncated gzip: {exc}") from exc
    except (gzip.BadGzipFile, zlib.error) as exc:
        raise InputError(f"corrupt gzip: {exc}") from exc


def gunzip(data: bytes, *, max_bytes: int | None = DEFAULT_MAX_BYTES) -> bytes:
    """Undo gzip (by its magic bytes, whatever the name says), naming what is wrong with a broken
    file; at most ``max_bytes`` of output (:class:`TooLarge` past it)."""
    return read_content(io.BytesIO(data), max_bytes=max_bytes)


def walk(folder: str, globs: tuple[str, ...] = ()) -> Iterator[str]:
    """The files of a folder, recursively: its own files in sorted order, then its subfolders';
    hidden names skipped, only names matching one of ``globs`` when given (unreadable folders left out:
    :func:`walk_entries` names them)."""
    return (path for path, error in walk_entries(folder, globs) if error is None)


def walk_entries(folder: str, globs: tuple[str, ...] = ()) -> Iterator[tuple[str, str | None]]:
    """``(path, None)`` for each file :func:`walk` gives, and ``(folder, reason)`` in its place for a
    folder that cannot be listed, so that a batch reports it instead of silently reading less."""
    failed: list[OSError] = []
    for parent, dirs, files in os.walk(folder, onerror=failed.append):
        yield from _unlisted(failed)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith("."):
                continue
            if globs and not any(fnmatch.fnmatch(name, pattern) for pattern in globs):
                continue
            yield os.path.join(parent, name), None
    yield from _unlisted(failed)


def _unlisted(failed: list[OSError]) -> Iterator[tuple[str, str | None]]:
    """The folders os.walk could not list since the last call (it reports them before going on)."""
    while failed:
        exc = failed.pop(0)
        yield os.fsdecode(exc.filename or "?"), exc.strerror or str(exc)


def special_file(mode: int) -> str | None:
    """What a file that is not a regular one is ("a FIFO", "a socket", ...), from its ``st_mode``;
    None for a regular file or a folder."""
    return next((kind for test, kind in _SPECIAL_FILES if test(mode)), None)


def skip_reason(kind: str) -> str:
    """The note for a special file met in a folder (such a file never ends, or blocks, when read)."""
    return f"skipped: {kind}, not a regular file (name it explicitly to read it)"


def log_skipped(path: str, reason: str) -> None:
    """What is done by default with a file left out of a folder's walk: a warning logged."""
    LOGGER.warning("%s: %s", path, reason)


def _wanted(have: int, max_bytes: int | None) -> int:
    return READ_CHUNK if max_bytes is None else max(1, min(READ_CHUNK, max_bytes + 1 - have))


def _check_size(size: int, max_bytes: int | None) -> None:
    if max_bytes is not None and size > max_bytes:
        raise TooLarge(max_bytes)


def _read_exactly(stream: _Readable, count: int) -> bytes:
    """``count`` bytes, fewer only at the end: a pipe or socket may hand over less per read."""
    data = b""
    while len(data) < count:
        more = stream.read(count - len(data))
        if not more:
            break
        data += more
    return data


class _Rejoined:
    """A stream whose first bytes were already read to sniff it, read as if they never were."""

    def __init__(self, head: bytes, rest: _Readable) -> None:
        self.head, self.rest = head, rest

    def read(self, size: int = -1, /) -> bytes:
        if not self.head:
            return self.rest.read(size)
        if size < 0:
            data, self.head = self.head + self.rest.read(), b""
            return data
        data, self.head = self.head[:size], self.head[size:]
        return data

    def seek(self, offset: int, /) -> int:
        raise io.UnsupportedOperation("the stream is read once, forwards")  # gzip only seeks to rewind


def _stream_document(name: str, stream: _Readable | None, max_bytes: int | None) -> Document:
    """Standard input, or a FIFO or device named explicitly: read here, whole, under the limit."""
    try:
        data = read_content(stream, max_bytes=max_bytes) if stream is not None else b""
    except InputError as exc:
        return Document(name=name, error=str(exc))
    except OSError as exc:
        return Document(name=name, error=exc.strerror or str(exc))
    return Document(name=name, data=data, fingerprint="sha256:" + hashlib.sha256(data).hexdigest())


def _path_documents(path: str, max_bytes: int | None, *, on_skip: Callable[[str, str], None] | None = None
                    ) -> Iterator[Document]:
    """The documents a path gives; ``on_skip`` set when it was found in a folder, where only
    regular files are read."""
    try:
        st = os.stat(path)
    except OSError as exc:
        yield Document(name=path, error=exc.strerror or str(exc))
        return
    kind = special_file(st.st_mode)
    if kind is not None:
        if on_skip is not None:
            on_skip(path, skip_reason(kind))
            return
        yield _special_document(path, max_bytes)
        return
    fingerprint = f"{st.st_size}:{st.st_mtime_ns}"
    if is_archive(path):
        yield from _archive_documents(path, fingerprint, max_bytes)
    else:
        yield Document(name=path, path=path, fingerprint=fingerprint)


def _special_document(path: str, max_bytes: int | None) -> Document:
    try:
        stream = open(path, "rb")  # noqa: SIM115 - closed by the with below, after the open's own error
    except OSError as exc:
        return Document(name=path, error=exc.strerror or str(exc))
    with stream:
        return _stream_document(path, stream, max_bytes)


def _archive_documents(path: str, fingerprint: str, max_bytes: int | None) -> Iterator[Document]:
    """One document per HTML ``response`` record; a broken record is a failed document named
    ``path#offset``, and reading goes on when the reader can find the next record."""
    if importlib.util.find_spec("warcio") is None:
        yield Document(name=path, error=WARC_MISSING)
        return
    try:
        stream = open(path, "rb")  # noqa: SIM115 - closed by the with below, after the open's own error
    except OSError as exc:
        yield Document(name=path, error=exc.strerror or str(exc))
        return
    with stream:
        yield from archive_documents(stream, path, fingerprint, max_bytes=max_bytes)


def archive_documents(stream: IO[bytes], path: str, fingerprint: str, *,
                      max_bytes: int | None = DEFAULT_MAX_BYTES) -> Iterator[Document]:
    """The documents of a WARC/ARC file already open as ``stream`` (a local file, or an fsspec one
    for remote archives), named ``path#offset``; a record's payload over ``max_bytes`` is a failed
    document. Needs warcio."""
    from warcio.archiveiterator import ArchiveIterator

    records = ArchiveIterator(stream, arc2warc=True)
    _bound_header_lines(records)
    while True:
        # warcio prints its own warnings about suspicious records to stderr; the failures that
        # matter are reported as documents, in the "path: reason" form.
        with contextlib.redirect_stderr(io.StringIO()):
            try:
                record = next(records)
            except StopIteration:
                return
            except Exception as exc:  # noqa: BLE001 - warcio raises several types; after any, the rest is unreadable
                yield Document(name=f"{path}#{_offset(records)}", fingerprint=fingerprint,
                               error=f"broken WARC record: {_one_line(exc)}")
                return
            # The start of the record just yielded (get_record_offset() would consume its body).
            doc = _record_document(record, f"{path}#{_offset(records)}", fingerprint, max_bytes)
        if doc is not None:
            yield doc


def _bound_header_lines(records: Any) -> None:
    """Have the archive reader read a header line :data:`MAX_HEADER_LINE` bytes at most: a longer one
    is junk, which the reader then reports as a broken record."""
    reader: Any = getattr(records, "reader", None)
    readline = getattr(reader, "readline", None)
    if readline is None:
        return

    def bounded(length: int | None = None) -> bytes:
        return readline(MAX_HEADER_LINE if not length or length > MAX_HEADER_LINE else length)

    reader.readline = bounded


def _record_document(record: Any, name: str, fingerprint: str, max_bytes: int | None) -> Document | None:
    if record.rec_type != "response":
        return None
    url = record.rec_headers.get_header("WARC-Target-URI")
    if not url:
        return Document(name=name, fingerprint=fingerprint, error="broken WARC record: no WARC-Target-URI")
    http = record.http_headers
    if http is not None:
        content_type = (http.get_header("Content-Type") or "").lower()
        if content_type and not any(t in content_type for t in HTML_CONTENT_TYPES):
            return None
        if not _succeeded(http):
            return None  # a redirect's or an error's page is not the article
    truncated = record.rec_headers.get_header("WARC-Truncated")
    if truncated:
        # The crawler stopped reading this body (too large, too slow, cut off): the page is incomplete.
        return Document(name=name, url=url, fingerprint=fingerprint,
                        error=f"truncated WARC record: the crawler stopped reading it ({truncated.strip()[:40]})")
    try:
        # The payload as served (chunking and content coding undone), never more than the limit.
        data = read_limited(record.content_stream(), max_bytes=max_bytes)
    except TooLarge as exc:
        # The rest of the record is skipped a chunk at a time (the reader would go 16 kB at a time).
        while record.raw_stream.read(READ_CHUNK):
            pass
        return Document(name=name, url=url, fingerprint=fingerprint, error=str(exc))
    except Exception as exc:  # noqa: BLE001 - a bad chunked/gzip body, in whatever type the reader raises
        reason = f"broken WARC record: {_one_line(exc)}"
        return Document(name=name, url=url, fingerprint=fingerprint, error=reason)
    declared = _declared_length(http)
    if declared is not None and len(data) < declared:
        # The archive ended inside this record (an interrupted crawl): the page is incomplete.
        return Document(name=name, url=url, fingerprint=fingerprint,
                        error=f"truncated WARC record: {len(data)} of {declared} bytes")
    charset = content_type_charset(http.get_header("Content-Type")) if http is not None else None
    return Document(name=name, url=url, data=data, fingerprint=fingerprint, encoding=charset)


_CHARSET = re.compile(r"""charset\s*=\s*["']?([^"';,\s]+)""", re.IGNORECASE)


def content_type_charset(content_type: str | None) -> str | None:
    """The charset of an HTTP ``Content-Type`` value, as a Python codec name; None when it names
    none, or one that is no known text encoding (then the page's own declaration is read instead).

    >>> content_type_charset('text/html; charset="Windows-1251"')
    'cp1251'
    """
    from .loader import encoding_for_label

    m = _CHARSET.search(content_type or "")
    return encoding_for_label(m.group(1)) if m else None


def _succeeded(http: Any) -> bool:
    """Whether an HTTP response's status is 2xx (an ARC record's, with no status line, counts as one)."""
    status = http.get_statuscode() or ""
    return not status.isdigit() or status.startswith("2")


def _declared_length(http: Any) -> int | None:
    """The HTTP Content-Length, when it counts the stored bytes (no transfer or content coding)."""
    if http is None or http.get_header("Transfer-Encoding") or http.get_header("Content-Encoding"):
        return None
    try:
        return int(http.get_header("Content-Length") or "")
    except ValueError:
        return None


def _offset(records: Any) -> str:
    offset = getattr(records, "offset", None)
    return str(offset) if isinstance(offset, int) else "?"


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    if len(text) > REASON_CHARS:
        text = text[: REASON_CHARS - 1] + "…"
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
