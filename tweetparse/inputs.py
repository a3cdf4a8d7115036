"""Turn what the command line names (files, folders, ``-``, lists of paths, gzip, WARC/ARC) into documents.

A :class:`Document` is small until it is read: a file is only named here and read by whoever
processes it (a worker process, in parallel), so walking a million inputs costs no memory.
Stdin and WARC records are already in memory when they are yielded, because only this process
can read them. An input that fails before it can be read is yielded as a document that carries
its ``error``, so it fails alone, in its place in the input order.

>>> docs = list(iter_documents(["examples"], globs=("*.txt",)))      # doctest: +SKIP
>>> read_bytes(docs[0])[:20]                                          # doctest: +SKIP
"""
from __future__ import annotations

import contextlib
import fnmatch
import gzip
import hashlib
import importlib.util
import io
import os
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

__all__ = [
    "WARC_MISSING",
    "Document",
    "InputError",
    "archive_documents",
    "content_type_charset",
    "gunzip",
    "is_archive",
    "iter_documents",
    "read_bytes",
    "walk",
    "walk_entries",
]

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


class InputError(Exception):
    """An input that cannot be read; the message is the reason shown after ``path:``."""


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


def iter_documents(inputs: Iterable[str], *, globs: tuple[str, ...] = (), stdin: IO[bytes] | None = None
                   ) -> Iterator[Document]:
    """Every document the inputs name, in order: files as given, folders walked recursively in
    sorted order (only names matching one of ``globs``, when given; hidden files skipped), ``-``
    as one document read from ``stdin``, WARC/ARC files as one document per HTML response."""
    for item in inputs:
        if item == STDIN:
            yield _stdin_document(stdin)
        elif os.path.isdir(item):
            for path, error in walk_entries(item, globs):
                if error is not None:
                    yield Document(name=path, error=error)
                else:
                    yield from _path_documents(path)
        else:
            yield from _path_documents(item)


def paths_from_lines(stream: IO[bytes]) -> Iterator[str]:
    """The paths listed in a stream, one a line (blank lines skipped), read as they arrive."""
    for raw in stream:
        line = os.fsdecode(raw.rstrip(b"\r\n"))
        if line.strip():
            yield line


def read_bytes(doc: Document) -> bytes:
    """A document's content, gzip undone; raises :class:`InputError` with the reason it can't be read."""
    if doc.error is not None:
        raise InputError(doc.error)
    if doc.data is not None:
        return doc.data
    assert doc.path is not None
    try:
        with open(doc.path, "rb") as f:
            data = f.read()
    except OSError as exc:
        raise InputError(exc.strerror or str(exc)) from exc
    return gunzip(data) if data.startswith(GZIP_MAGIC) else data


def gunzip(data: bytes) -> bytes:
    """Undo gzip (by its magic bytes, whatever the name says), naming what is wrong with a broken file."""
    try:
        return gzip.decompress(data)
    except EOFError as exc:
        raise InputError(f"truncated gzip: {exc}") from exc
    except (gzip.BadGzipFile, zlib.error) as exc:
        raise InputError(f"corrupt gzip: {exc}") from exc


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


def _stdin_document(stdin: IO[bytes] | None) -> Document:
    try:
        data = stdin.read() if stdin is not None else b""
    except OSError as exc:
        return Document(name=STDIN, error=exc.strerror or str(exc))
    if data.startswith(GZIP_MAGIC):
        try:
            data = gunzip(data)
        except InputError as exc:
            return Document(name=STDIN, error=str(exc))
    return Document(name=STDIN, data=data, fingerprint="sha256:" + hashlib.sha256(data).hexdigest())


def _path_documents(path: str) -> Iterator[Document]:
    try:
        st = os.stat(path)
    except OSError as exc:
        yield Document(name=path, error=exc.strerror or str(exc))
        return
    fingerprint = f"{st.st_size}:{st.st_mtime_ns}"
    if is_archive(path):
        yield from _archive_documents(path, fingerprint)
    else:
        yield Document(name=path, path=path, fingerprint=fingerprint)


def _archive_documents(path: str, fingerprint: str) -> Iterator[Document]:
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
        yield from archive_documents(stream, path, fingerprint)


def archive_documents(stream: IO[bytes], path: str, fingerprint: str) -> Iterator[Document]:
    """The documents of a WARC/ARC file already open as ``stream`` (a local file, or an fsspec one
    for remote archives), named ``path#offset``; needs warcio."""
    from warcio.archiveiterator import ArchiveIterator

    records = ArchiveIterator(stream, arc2warc=True)
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
            doc = _record_document(record, f"{path}#{_offset(records)}", fingerprint)
        if doc is not None:
            yield doc


def _record_document(record: Any, name: str, fingerprint: str) -> Document | None:
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
        data = record.content_stream().read()
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
