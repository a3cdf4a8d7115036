"""Fetch articles by URL as a careful crawler does, recording every exchange in a WARC file.

>>> article = extract_url("https://example.com/news/storm")        # doctest: +SKIP
>>> article.url, article.fetched_at, [t.handle for t in article.tweets]   # doctest: +SKIP
"""
from __future__ import annotations

import contextlib
import email.utils
import hashlib
import io
import queue
import re
import socket
import threading
import time
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import IO, TYPE_CHECKING, Any, Self
from urllib.parse import urljoin, urlsplit

from . import __version__
from .inputs import DEFAULT_MAX_BYTES, Document, content_type_charset, iter_documents
from .record import Tweet

if TYPE_CHECKING:  # pragma: no cover
    from .core import Errors, Kind

__all__ = [
    "DEFAULT_USER_AGENT",
    "Article",
    "DocumentStream",
    "FetchConfig",
    "FetchError",
    "FetchStatus",
    "Fetched",
    "Fetcher",
    "ListedUrl",
    "extract_url",
    "is_url",
    "url_lines",
]

# Where a site's operator reads what this crawler is and who to ask (the User-Agent names it).
HOME_PAGE = "https://pypi.org/project/tweetparse/"
DEFAULT_USER_AGENT = f"tweetparse/{__version__} (+{HOME_PAGE})"
FETCH_MISSING = "fetching URLs needs the fetch extra: pip install 'tweetparse[fetch]'"
WARC_MISSING = "writing a WARC file needs the fetch extra (warcio): pip install 'tweetparse[fetch]'"

# A host that does not accept a connection in this time is down or far too busy for us.
CONNECT_TIMEOUT_S = 10.0
# Longest silence between two reads of one response (a stalled server).
READ_TIMEOUT_S = 30.0
# Longest a whole response may take, however steadily it trickles in.
TOTAL_TIMEOUT_S = 60.0
# Pause between two requests to one host: one page a second is the common courtesy of research
# crawlers; robots.txt's Crawl-delay and a Retry-After lengthen it, never shorten it.
DELAY_S = 1.0
# Requests to one host at once.
PER_HOST = 1
# Requests in flight at once, over all hosts (the command line takes --jobs).
CONCURRENCY = 4
# Biggest body read: the limit of every document (--max-bytes); past it a page is a failure ("too
# large"), not a truncated article.
MAX_BYTES = DEFAULT_MAX_BYTES
# Redirect hops followed for one URL (browsers stop at 20; news URLs take two or three).
MAX_REDIRECTS = 10
# Tries after the first for a 5xx, a 429, a timeout or a reset, waiting BACKOFF_S, then twice as long...
RETRIES = 3
BACKOFF_S = 1.0
# Longest wait honoured for a Retry-After or a Crawl-delay; a site asking for more fails its URLs
# with that reason instead of stalling the run.
MAX_WAIT_S = 120.0
# RFC 9309: a crawler must parse at least 500 KiB of robots.txt, follow at least five redirects
# for it, and should not use a copy older than 24 hours.
ROBOTS_MAX_BYTES = 512 << 10
ROBOTS_MAX_REDIRECTS = 5
ROBOTS_TTL_S = 24 * 3600.0
# Bytes asked of the socket per read: big enough to be cheap, small enough to check the clock often.
READ_CHUNK = 64 << 10
# URLs read ahead of the ones being fetched, so that hosts further down the list are fetched in
# parallel instead of waiting behind one host's delay. Only the URLs are held.
LOOKAHEAD = 1000
# URLs fetched but not yet handed on, in input order: what may pile up behind one slow page.
WINDOW = 64
# Longest the scheduler sleeps without looking again: for room freed by the consumer, and for a stop.
POLL_S = 0.1
# Statuses worth asking again later; 501 and 505 say the server never will.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504, 507, 508, 509, 520, 521, 522, 523, 524})
# Content types read as pages (the WARC reader takes the same ones); others are failures.
HTML_CONTENT_TYPES = ("html", "xml")
ACCEPT_PAGE = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"
ACCEPT_ROBOTS = "text/plain,*/*;q=0.1"
# Only the codings the standard library undoes; a server sending another is reported.
ACCEPT_ENCODING = "gzip, deflate"


@dataclass(frozen=True, slots=True, kw_only=True)
class FetchConfig:
    """How politely and how patiently to fetch; every default is explained in docs/fetching.md."""

    user_agent: str = DEFAULT_USER_AGENT
    concurrency: int = CONCURRENCY
    per_host: int = PER_HOST
    delay: float = DELAY_S
    connect_timeout: float = CONNECT_TIMEOUT_S
    read_timeout: float = READ_TIMEOUT_S
    total_timeout: float = TOTAL_TIMEOUT_S
    max_bytes: int = MAX_BYTES
    max_redirects: int = MAX_REDIRECTS
    retries: int = RETRIES
    backoff: float = BACKOFF_S
    max_wait: float = MAX_WAIT_S

    def __post_init__(self) -> None:
        if self.concurrency < 1 or self.per_host < 1:
            raise ValueError("concurrency and per_host must be at least 1")
        if min(self.delay, self.backoff, self.retries, self.max_redirects) < 0:
            raise ValueError("delay, backoff, retries and max_redirects cannot be negative")
        if min(self.connect_timeout, self.read_timeout, self.total_timeout, self.max_bytes) <= 0:
            raise ValueError("timeouts and max_bytes must be positive")

    @property
    def robots_token(self) -> str:
        """The product token robots.txt groups are matched against: the User-Agent's first word."""
        return re.split(r"[/\s]", self.user_agent.strip(), maxsplit=1)[0] or "tweetparse"


class FetchError(Exception):
    """A URL that could not be fetched; the message is the reason."""

    def __init__(self, url: str, reason: str, status: int | None = None) -> None:
        super().__init__(f"{url}: {reason}")
        self.url, self.reason, self.status = url, reason, status


@dataclass(frozen=True, slots=True)
class Fetched:
    """What fetching one URL gave: the page (content coding undone) or why there is none."""

    requested: str
    url: str | None  # the final URL, after redirects; None when no response came
    status: int | None
    fetched_at: datetime | None
    data: bytes | None = None
    encoding: str | None = None  # the charset of the HTTP Content-Type, as a Python codec
    error: str | None = None


@dataclass(frozen=True, slots=True)
class Article:
    """The tweets of one fetched article, with where and when it was read."""

    requested_url: str
    url: str
    fetched_at: datetime
    status: int
    tweets: tuple[Tweet, ...]


@dataclass(frozen=True, slots=True)
class FetchStatus:
    """How a URL of a run went, for the database's ``articles`` table."""

    url: str | None
    status: int | None
    fetched_at: str | None


def is_url(name: str) -> bool:
    """Whether an input names an http(s) URL rather than a path."""
    return name[:8].lower().startswith(("http://", "https://"))


class ListedUrl(str):
    """A line of a ``--urls`` list: fetched as a URL whatever it looks like (a bad one fails alone)."""

    __slots__ = ()


# The longest URL taken: servers and CDNs refuse longer request lines (8 KiB is Apache's limit).
MAX_URL_CHARS = 8192


def url_lines(stream: IO[bytes]) -> Iterator[str]:
    """The URLs of a list, one a line, read as they arrive; blank lines and ``#`` comments skipped.
    A line is read at most ``MAX_URL_CHARS`` at a time, so a list without line breaks is never held
    whole (a longer line fails as too long)."""
    while raw := stream.readline(MAX_URL_CHARS + 1):
        if len(raw) > MAX_URL_CHARS and not raw.endswith(b"\n"):
            while (rest := stream.readline(MAX_URL_CHARS)) and not rest.endswith(b"\n"):
                pass  # the rest of an over-long line
        line = raw.decode("utf-8", errors="replace").strip()
        if line and not line.startswith("#"):
            yield ListedUrl(line)


# --- one HTTP exchange --------------------------------------------------------------------------


@dataclass(slots=True)
class _Exchange:
    """One request and what came back, as the WARC file records it."""

    url: str
    started: datetime
    request_line: str
    request_headers: list[tuple[str, str]]
    status: int | None = None
    reason: str = ""
    headers: list[tuple[str, str]] = field(default_factory=list)
    raw: bytes = b""  # the body as received (content coding kept, transfer coding undone)
    body: bytes | None = None  # the body with its content coding undone
    truncated: str | None = None  # WARC-Truncated: length, time, disconnect or unspecified
    error: str | None = None
    retryable: bool = False
    retry_after: float | None = None
    peer: str | None = None

    def header(self, name: str) -> str | None:
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), None)


class _Client:
    """urllib3 pools, one request at a time per call; safe to call from several threads."""

    def __init__(self, config: FetchConfig) -> None:
        import urllib3

        self.config = config
        self.urllib3 = urllib3
        # One pool per host, as many connections as requests to it may run at once; nothing of
        # urllib3's own retrying or redirecting: the scheduler does both, hop by hop.
        self.pools = urllib3.PoolManager(num_pools=max(10, config.concurrency * 2), maxsize=config.per_host,
                                         block=False, retries=False)

    def close(self) -> None:
        self.pools.clear()

    def exchange(self, url: str, *, robots: bool) -> _Exchange:
        """GET ``url`` once; never raises: a failure is the exchange's ``error``."""
        config = self.config
        deadline = time.monotonic() + config.total_timeout
        parts = urlsplit(url)
        headers = {"User-Agent": config.user_agent, "Accept": ACCEPT_ROBOTS if robots else ACCEPT_PAGE,
                   "Accept-Encoding": ACCEPT_ENCODING}
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        sent = [("Host", parts.netloc), *headers.items()]
        ex = _Exchange(url=url, started=_now(), request_line=f"GET {target} HTTP/1.1", request_headers=sent)
        max_bytes = ROBOTS_MAX_BYTES if robots else config.max_bytes
        try:
            timeout = self.urllib3.Timeout(connect=config.connect_timeout, read=config.read_timeout)
            response = self.pools.request("GET", url, headers=headers, preload_content=False, decode_content=False,
                                          redirect=False, retries=False, timeout=timeout)
        except Exception as exc:  # noqa: BLE001 - urllib3 and the socket layer raise many types
            ex.error, ex.retryable = _connection_failure(exc, config)
            return ex
        try:
            ex.status, ex.reason = response.status, response.reason or ""
            ex.headers = list(response.headers.items())
            ex.peer = _peer(response)
            self._read_body(response, ex, robots=robots, max_bytes=max_bytes, deadline=deadline)
        finally:
            response.release_conn()
        return ex

    def _read_body(self, response: Any, ex: _Exchange, *, robots: bool, max_bytes: int, deadline: float) -> None:
        config = self.config
        status = ex.status or 0
        if status in RETRY_STATUSES:
            ex.retryable = True
            ex.retry_after = _retry_after(ex.header("Retry-After"))
        content_type = (ex.header("Content-Type") or "").lower()
        if (not robots and 200 <= status < 300 and content_type
                and not any(t in content_type for t in HTML_CONTENT_TYPES)):
            ex.error = f"not HTML: {content_type.split(';')[0].strip()}"
            ex.truncated = "unspecified"  # the body was not wanted, so not read
            response.close()
            return
        declared = _int(ex.header("Content-Length"))
        if declared is not None and declared > max_bytes and not robots:
            ex.error = f"too large: Content-Length is {declared} bytes, more than the {max_bytes} allowed"
            ex.truncated = "length"
            response.close()
            return
        chunks: list[bytes] = []
        size = 0
        whole = False
        by_deadline = False  # whether the read in progress waits for the deadline, not the read timeout
        try:
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    ex.error = f"timed out: the response took more than {config.total_timeout:g} s"
                    ex.truncated, ex.retryable = "time", True
                    break
                by_deadline = remaining < config.read_timeout
                _set_read_timeout(response, min(config.read_timeout, remaining))
                chunk = response.read1(READ_CHUNK)
                if not chunk:
                    whole = True
                    break
                chunks.append(chunk)
                size += len(chunk)
                if size > max_bytes:
                    if robots:  # RFC 9309: parse what fits, ignore the rest
                        break
                    ex.error = f"too large: more than the {max_bytes} bytes allowed"
                    ex.truncated = "length"
                    break
        except Exception as exc:  # noqa: BLE001
            ex.error, ex.retryable = _read_failure(exc, config)
            ex.truncated = "time" if ex.error.startswith("timed out") else "disconnect"
            if by_deadline and ex.truncated == "time":
                ex.error = f"timed out: the response took more than {config.total_timeout:g} s"
        ex.raw = b"".join(chunks)
        if not whole:
            response.close()  # the rest is not wanted: the connection cannot be reused
        if ex.error is not None:
            return
        try:
            ex.body = _undo_content_coding(ex.raw, ex.header("Content-Encoding"), max_bytes)
        except ValueError as exc:
            ex.error = str(exc)


def _now() -> datetime:
    return datetime.now(UTC)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _peer(response: Any) -> str | None:
    with contextlib.suppress(Exception):
        return str(response.connection.sock.getpeername()[0])
    return None


def _set_read_timeout(response: Any, seconds: float) -> None:
    # The deadline of the whole response shortens the wait of each read; urllib3 fixes a read
    # timeout per request, so the socket is told directly.
    with contextlib.suppress(Exception):
        response.connection.sock.settimeout(max(seconds, 0.001))


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait, from a Retry-After of seconds or of an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    with contextlib.suppress(TypeError, ValueError):
        when = email.utils.parsedate_to_datetime(value)
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return max(0.0, (when - _now()).total_seconds())
    return None


def _connection_failure(exc: BaseException, config: FetchConfig) -> tuple[str, bool]:
    """The reason a request got no response, and whether trying again may help."""
    from urllib3 import exceptions as e

    if isinstance(exc, e.MaxRetryError) and exc.reason is not None:
        exc = exc.reason
    # urllib3's NewConnectionError is a ConnectTimeoutError too (for compatibility): asked first.
    if isinstance(exc, e.NameResolutionError):
        return "DNS lookup failed: the host name does not resolve", False
    if isinstance(exc, e.NewConnectionError):
        return f"connection refused or unreachable: {_cause(exc)}", False
    if isinstance(exc, e.ConnectTimeoutError):
        return f"timed out: no connection within {config.connect_timeout:g} s", True
    if isinstance(exc, e.SSLError):
        return f"TLS failed: {_cause(exc)}", False
    if isinstance(exc, (e.ReadTimeoutError, socket.timeout, TimeoutError)):
        return f"timed out: no response within {config.read_timeout:g} s", True
    if isinstance(exc, (e.ProtocolError, ConnectionError)):
        return f"connection reset before a response: {_cause(exc)}", True
    if isinstance(exc, (e.LocationParseError, e.LocationValueError, ValueError)):
        return f"not a URL that can be fetched: {_cause(exc)}", False
    return f"request failed: {type(exc).__name__}: {_cause(exc)}", False


def _read_failure(exc: BaseException, config: FetchConfig) -> tuple[str, bool]:
    from urllib3 import exceptions as e

    if isinstance(exc, (e.ReadTimeoutError, socket.timeout, TimeoutError)):
        return f"timed out: the body stalled for {config.read_timeout:g} s", True
    return f"connection reset while reading the body: {_cause(exc)}", True


def _cause(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text[:160] or type(exc).__name__


def _undo_content_coding(raw: bytes, coding: str | None, max_bytes: int) -> bytes:
    """The body with gzip or deflate undone, never more than ``max_bytes`` (a compression bomb stops
    there); ValueError names what is wrong."""
    coding = (coding or "identity").strip().lower()
    if coding in ("identity", ""):
        return raw
    if coding in ("gzip", "x-gzip"):
        decoders = [zlib.decompressobj(16 + zlib.MAX_WBITS)]
    elif coding == "deflate":  # zlib-wrapped as the RFC says, or raw as some servers send it
        decoders = [zlib.decompressobj(zlib.MAX_WBITS), zlib.decompressobj(-zlib.MAX_WBITS)]
    else:
        raise ValueError(f"unsupported Content-Encoding: {coding}")
    for decoder in decoders:
        try:
            out = decoder.decompress(raw, max_bytes + 1)
        except zlib.error:
            continue
        if len(out) > max_bytes:
            raise ValueError(f"too large: more than the {max_bytes} bytes allowed once decompressed")
        if not decoder.eof:
            raise ValueError(f"corrupt {coding} body: it ends before its end marker")
        return out
    raise ValueError(f"corrupt {coding} body")


# --- WARC recording -----------------------------------------------------------------------------


class _WarcRecorder:
    """Appends each exchange to a WARC file as a response record and the request record that led to it."""

    def __init__(self, path: str, config: FetchConfig) -> None:
        from warcio.warcwriter import WARCWriter

        self.file = open(path, "ab")  # noqa: SIM115 - closed by close(); appended to, so a resumed run adds on
        self.writer = WARCWriter(self.file, gzip=path.lower().endswith(".gz"))
        info = {"software": f"tweetparse/{__version__}", "format": "WARC File Format 1.0",
                "http-header-user-agent": config.user_agent, "robots": "obey",
                "description": "articles fetched by tweetparse extract --warc"}
        self.writer.write_record(self.writer.create_warcinfo_record(path.rsplit("/", 1)[-1], info))
        self.file.flush()

    def record(self, ex: _Exchange) -> None:
        if ex.status is None:
            return  # nothing came back (no connection, no response): there is nothing to archive
        from warcio.statusandheaders import StatusAndHeaders

        # http.client has undone any chunking: the stored body is not chunked, so its header must go.
        headers = [(k, v) for k, v in ex.headers if k.lower() != "transfer-encoding"]
        date = ex.started.strftime("%Y-%m-%dT%H:%M:%SZ")
        warc_headers = {"WARC-Date": date}
        if ex.peer:
            warc_headers["WARC-IP-Address"] = ex.peer
        if ex.truncated:
            warc_headers["WARC-Truncated"] = ex.truncated
        response = self.writer.create_warc_record(
            ex.url, "response", payload=io.BytesIO(ex.raw), warc_headers_dict=warc_headers,
            http_headers=StatusAndHeaders(f"{ex.status} {ex.reason}".strip(), headers, protocol="HTTP/1.1"))
        request = self.writer.create_warc_record(
            ex.url, "request", payload=io.BytesIO(b""),
            warc_headers_dict={"WARC-Date": date,
                               "WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID")},
            http_headers=StatusAndHeaders(ex.request_line, ex.request_headers, is_http_request=True))
        self.writer.write_record(response)
        self.writer.write_record(request)
        self.file.flush()

    def close(self) -> None:
        self.file.close()


# --- the scheduler ------------------------------------------------------------------------------


@dataclass(slots=True)
class _Task:
    """A URL on its way: the hop to request next, and what it took so far."""

    key: int
    requested: str
    url: str
    hops: int = 0
    attempts: int = 0
    seen: tuple[str, ...] = ()
    robots_of: str | None = None  # set for a robots.txt request: the origin it is for


@dataclass(slots=True)
class _Host:
    queue: deque[_Task] = field(default_factory=deque)
    active: int = 0
    next_start: float = 0.0
    delay: float = 0.0


@dataclass(slots=True)
class _Robots:
    fetching: bool = True
    rules: Any = None  # a protego.Protego, or None: everything allowed
    refusal: str | None = None  # set when everything is disallowed, with the reason
    delay: float = 0.0
    fetched: float = 0.0


def _in_thread(function: Callable[..., _Exchange], *args: Any, **kwargs: Any) -> Future[_Exchange]:
    """Run one request in a daemon thread of its own. A pool's threads would be joined when the
    process exits, so a run stopped early (Ctrl-C, --errors strict) would wait out a stalled
    server's timeouts; the scheduler already bounds how many run at once."""
    future: Future[_Exchange] = Future()

    def run() -> None:
        if not future.set_running_or_notify_cancel():
            return
        try:
            future.set_result(function(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - handed to the scheduler through the future
            future.set_exception(exc)

    threading.Thread(target=run, daemon=True, name="tweetparse-fetch").start()
    return future


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


class _Crawler:
    """The politeness rules and their state (hosts, robots.txt), shared by every crawl it runs.

    Each request runs in a thread of its own; this scheduler decides which may start: a site's
    robots.txt first, at most ``per_host`` requests to a host at once with its pause between them
    (``delay``, lengthened by Crawl-delay and Retry-After), at most ``concurrency`` in all.
    Redirects and retries come back here as tasks, so every hop obeys the same rules. Why urllib3,
    and every default: docs/fetching.md.
    """

    def __init__(self, config: FetchConfig, *, warc: str | None = None) -> None:
        try:
            import protego  # noqa: F401
            import urllib3  # noqa: F401
        except ImportError as exc:
            raise ImportError(f"{FETCH_MISSING} ({exc})") from exc
        if warc is not None:
            try:
                import warcio  # noqa: F401
            except ImportError as exc:
                raise ImportError(WARC_MISSING) from exc
        self.config = config
        self.client = _Client(config)
        self.hosts: dict[str, _Host] = {}
        self.robots: dict[str, _Robots] = {}
        self.warc = _WarcRecorder(warc, config) if warc is not None else None

    def close(self) -> None:
        self.client.close()
        if self.warc is not None:
            self.warc.close()

    def crawl(self, items: Iterator[tuple[int, str]], *, may_pull: Callable[[], bool] = lambda: True,
              give_back: Callable[[], None] = lambda: None, stop: threading.Event | None = None
              ) -> Iterator[tuple[int, Fetched]]:
        """Fetch ``(key, url)`` items; yield ``(key, Fetched)`` as each URL is done. ``may_pull`` is
        asked before each new item is taken (``give_back`` when there was none after all)."""
        inflight: dict[Future[_Exchange], _Task] = {}
        waiting = 0
        exhausted = False
        while stop is None or not stop.is_set():
            done: list[tuple[int, Fetched]] = []
            while not exhausted and waiting < LOOKAHEAD and may_pull():
                item = next(items, None)
                if item is None:
                    give_back()
                    exhausted = True
                    break
                failure = self._admit(*item)
                if failure is not None:
                    done.append((item[0], failure))
                else:
                    waiting += 1
            wake, started = self._start(inflight, done)
            waiting -= started
            yield from done
            if not inflight and not waiting and exhausted:
                return
            timeout = POLL_S if wake is None else min(POLL_S, max(0.0, wake - time.monotonic()))
            finished, _ = wait(inflight, timeout=timeout, return_when=FIRST_COMPLETED)
            done = []
            for future in finished:
                task = inflight.pop(future)
                waiting += self._finish(task, future.result(), done)
            yield from done

    def _admit(self, key: int, url: str) -> Fetched | None:
        if len(url) > MAX_URL_CHARS:
            return Fetched(url[:100] + "...", None, None, None, error=f"URL longer than {MAX_URL_CHARS} characters")
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            return Fetched(url, None, None, None, error="not an http(s) URL")
        self._queue(_Task(key=key, requested=url, url=url, seen=(url,)))
        return None

    def _queue(self, task: _Task, *, first: bool = False) -> None:
        host = self.hosts.setdefault(_host(task.url), _Host(delay=self.config.delay))
        if first:
            host.queue.appendleft(task)
        else:
            host.queue.append(task)

    def _start(self, inflight: dict[Future[_Exchange], _Task], done: list[tuple[int, Fetched]]
               ) -> tuple[float | None, int]:
        """Start every task that may start now; returns when the next one may, and how many left
        the queues (started, or failed without a request)."""
        now = time.monotonic()
        wake: float | None = None
        left = 0
        for name, host in list(self.hosts.items()):
            while host.queue and len(inflight) < self.config.concurrency and host.active < self.config.per_host:
                if host.next_start > now:
                    wake = host.next_start if wake is None else min(wake, host.next_start)
                    break
                task = host.queue[0]
                if task.robots_of is None:
                    verdict = self._robots_verdict(task, host)
                    if verdict == "wait":
                        break
                    if verdict == "robots":
                        continue  # a robots.txt task now heads this queue
                    if verdict is not None:
                        host.queue.popleft()
                        left += 1
                        done.append((task.key, Fetched(task.requested, None, None, None, error=verdict)))
                        continue
                host.queue.popleft()
                left += task.robots_of is None
                host.active += 1
                host.next_start = now + host.delay
                inflight[_in_thread(self.client.exchange, task.url, robots=task.robots_of is not None)] = task
            if not host.queue and not host.active and host.next_start <= now:
                del self.hosts[name]  # forgotten once idle; its delay comes back from robots.txt
        return wake, left

    def _robots_verdict(self, task: _Task, host: _Host) -> str | None:
        """None when the task may go; "wait" while its robots.txt is being fetched; "robots" when
        that fetch was just queued; else the reason it may never go."""
        origin = _origin(task.url)
        robots = self.robots.get(origin)
        if robots is None or (not robots.fetching and time.monotonic() - robots.fetched > ROBOTS_TTL_S):
            self.robots[origin] = _Robots()
            url = origin + "/robots.txt"
            host.queue.appendleft(_Task(key=-1, requested=url, url=url, seen=(url,), robots_of=origin))
            return "robots"
        if robots.fetching:
            return "wait"
        if robots.refusal is not None:
            return robots.refusal
        if robots.delay > self.config.max_wait:
            return (f"robots.txt asks for {robots.delay:g} s between requests, more than the "
                    f"{self.config.max_wait:g} s allowed")
        host.delay = max(host.delay, robots.delay)
        if robots.rules is not None and not robots.rules.can_fetch(task.url, self.config.robots_token):
            return "disallowed by robots.txt"
        return None

    def _finish(self, task: _Task, ex: _Exchange, done: list[tuple[int, Fetched]]) -> int:
        """Act on a finished request; returns how many tasks went back into the queues."""
        if self.warc is not None:
            self.warc.record(ex)
        host = self.hosts.setdefault(_host(task.url), _Host(delay=self.config.delay))
        host.active -= 1
        now = time.monotonic()
        host.next_start = max(host.next_start, now + host.delay)
        config = self.config
        if (ex.retryable or (ex.status or 0) in RETRY_STATUSES) and task.attempts < config.retries:
            pause = ex.retry_after if ex.retry_after is not None else config.backoff * 2 ** task.attempts
            if pause <= config.max_wait:
                host.next_start = max(host.next_start, now + pause)
                task.attempts += 1
                host.queue.appendleft(task)
                return task.robots_of is None
            ex.error = (f"HTTP {ex.status} {ex.reason}: asked to wait {pause:g} s, more than the "
                        f"{config.max_wait:g} s allowed").replace("HTTP None ", "")
        location = ex.header("Location") if ex.status is not None and 300 <= ex.status < 400 else None
        if task.robots_of is not None:
            return self._finish_robots(task, ex, location)
        if location is not None:
            return self._redirect(task, ex, location, done)
        if ex.error is None and ex.status is not None and ex.status >= 300:
            ex.error = f"HTTP {ex.status} {ex.reason}".strip()
        fetched_at = ex.started if ex.status is not None else None
        if ex.error is not None:
            final = ex.url if ex.status is not None else None
            done.append((task.key, Fetched(task.requested, final, ex.status, fetched_at, error=ex.error)))
        else:
            done.append((task.key, Fetched(task.requested, ex.url, ex.status, fetched_at, data=ex.body,
                                           encoding=content_type_charset(ex.header("Content-Type")))))
        return 0

    def _redirect(self, task: _Task, ex: _Exchange, location: str, done: list[tuple[int, Fetched]]) -> int:
        target = urljoin(ex.url, location.strip())
        problem = None
        if task.hops >= self.config.max_redirects:
            problem = f"too many redirects: more than {self.config.max_redirects}"
        elif target in task.seen:
            problem = "redirect loop: " + " -> ".join((*task.seen[task.seen.index(target):], target))
        elif urlsplit(target).scheme.lower() not in ("http", "https"):
            problem = f"redirected to a URL that is not http(s): {target[:100]}"
        if problem is not None:
            done.append((task.key, Fetched(task.requested, ex.url, ex.status, ex.started, error=problem)))
            return 0
        self._queue(replace(task, url=target, hops=task.hops + 1, attempts=0, seen=(*task.seen, target)), first=True)
        return 1

    def _finish_robots(self, task: _Task, ex: _Exchange, location: str | None) -> int:
        assert task.robots_of is not None
        robots = self.robots[task.robots_of]
        if location is not None and task.hops < ROBOTS_MAX_REDIRECTS:
            target = urljoin(ex.url, location.strip())
            if target not in task.seen and urlsplit(target).scheme.lower() in ("http", "https"):
                self._queue(replace(task, url=target, hops=task.hops + 1, attempts=0, seen=(*task.seen, target)),
                            first=True)
                return 0
        robots.fetching = False
        robots.fetched = time.monotonic()
        status = ex.status or 0
        if ex.body is not None and 200 <= status < 300:
            from protego import Protego

            rules = Protego.parse(ex.body.decode("utf-8", errors="replace"))
            token = self.config.robots_token
            rate = rules.request_rate(token)
            robots.rules = rules
            robots.delay = max(float(rules.crawl_delay(token) or 0),
                               rate.seconds / rate.requests if rate and rate.requests else 0.0)
        elif (400 <= status < 500 and status != 429) or location is not None:
            pass  # RFC 9309: unavailable (or redirected too often): everything may be fetched
        elif ex.status is None and ex.error is not None:
            robots.refusal = ex.error  # the site is unreachable: its pages would fail the same way
        else:
            why = ex.error or f"HTTP {ex.status} {ex.reason}".strip()
            robots.refusal = f"robots.txt could not be fetched ({why}): nothing fetched from this site (RFC 9309)"
        return 0


# --- the library's front door -------------------------------------------------------------------


class Fetcher:
    """Fetches URLs one call at a time, keeping robots.txt and each host's pace between calls.

    >>> with Fetcher(FetchConfig(delay=2.0)) as fetcher:                    # doctest: +SKIP
    ...     page = fetcher.fetch("https://example.com/news/storm")
    """

    def __init__(self, config: FetchConfig | None = None, *, warc: str | None = None) -> None:
        self.config = config or FetchConfig()
        self._crawler = _Crawler(self.config, warc=warc)

    def fetch(self, url: str) -> Fetched:
        """The page at ``url`` (redirects followed, robots.txt obeyed, retried as the config says)."""
        for _, fetched in self._crawler.crawl(iter([(0, url)])):
            return fetched
        raise AssertionError("a crawl of one URL yields one result")  # pragma: no cover

    def close(self) -> None:
        self._crawler.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def extract_url(url: str, *, fetcher: Fetcher | None = None, kind: Kind = "auto",
                reference_time: datetime | str | None = None, errors: Errors = "log") -> Article:
    """Fetch one article and extract its tweets; raises :class:`FetchError` when it can't be fetched.

    Records carry the final URL (after redirects) in ``source.url`` and the requested one in
    ``source.article``. Pass a :class:`Fetcher` to fetch many URLs with one robots.txt cache and pace.

    >>> article = extract_url("https://example.com/news/storm")        # doctest: +SKIP
    >>> article.url, article.fetched_at.isoformat(), len(article.tweets)  # doctest: +SKIP
    """
    from .core import extract

    own = fetcher is None
    active = fetcher if fetcher is not None else Fetcher()
    try:
        fetched = active.fetch(url)
    finally:
        if own:
            active.close()
    if fetched.error is not None or fetched.data is None or fetched.url is None or fetched.fetched_at is None:
        raise FetchError(url, fetched.error or "no page", fetched.status)
    tweets = extract(fetched.data, url=fetched.url, article=url, kind=kind, reference_time=reference_time,
                     errors=errors, encoding=fetched.encoding)
    return Article(requested_url=url, url=fetched.url, fetched_at=fetched.fetched_at, status=fetched.status or 0,
                   tweets=tuple(tweets))


# --- the command line's stream of documents -----------------------------------------------------

_DONE = object()


class DocumentStream:
    """The documents a run's inputs name, in input order (or as they come, unordered): files as
    :func:`inputs.iter_documents` gives them, URLs fetched by a crawler in a background thread.

    ``done`` holds URLs a resumed run skips; ``statuses`` maps each URL handed on to how its fetch
    went (taken out by whoever writes the results).
    """

    def __init__(self, names: Iterable[str], *, globs: tuple[str, ...] = (), stdin: IO[bytes] | None = None,
                 config: FetchConfig | None = None, warc: str | None = None, done: frozenset[str] = frozenset(),
                 ordered: bool = True, on_skip: Callable[[], None] = lambda: None) -> None:
        self.names, self.globs, self.stdin = names, globs, stdin
        self.config = config or FetchConfig()
        self.warc, self.done, self.ordered, self.on_skip = warc, done, ordered, on_skip
        self.statuses: dict[str, FetchStatus] = {}
        self.crawler: _Crawler | None = None

    def __iter__(self) -> Iterator[Document]:
        out: queue.Queue[Any] = queue.Queue()
        room = threading.Semaphore(WINDOW)
        stop = threading.Event()
        worker = threading.Thread(target=self._produce, args=(out, room, stop), daemon=True,
                                  name="tweetparse-crawl")
        worker.start()
        waiting: dict[int, Document] = {}
        next_key = 0
        try:
            while True:
                item = out.get()
                if item is _DONE:
                    break
                if isinstance(item, BaseException):
                    raise item
                if item is None:
                    self.on_skip()
                    continue
                key, doc, fetched = item
                if fetched is not None:
                    room.release()
                    self.statuses[doc.name] = FetchStatus(
                        fetched.url, fetched.status,
                        fetched.fetched_at.strftime("%Y-%m-%dT%H:%M:%SZ") if fetched.fetched_at else None)
                if not self.ordered:
                    yield doc
                    continue
                waiting[key] = doc
                while next_key in waiting:
                    yield waiting.pop(next_key)
                    next_key += 1
        finally:
            stop.set()
            worker.join(timeout=1.0)

    def _produce(self, out: queue.Queue[Any], room: threading.Semaphore, stop: threading.Event) -> None:
        counter = iter(range(1 << 62))

        def urls() -> Iterator[tuple[int, str]]:
            for name in self.names:
                if stop.is_set():
                    return
                if isinstance(name, ListedUrl) or is_url(name):
                    if name in self.done:
                        out.put(None)
                        continue
                    yield next(counter), str(name)
                else:
                    for doc in iter_documents([name], globs=self.globs, stdin=self.stdin):
                        out.put((next(counter), doc, None))

        try:
            items = urls()
            first = next(items, None)  # files only: no crawler, no fetch extra needed
            if first is None:
                return
            room.acquire()
            try:
                self.crawler = _Crawler(self.config, warc=self.warc)
            except ImportError as exc:
                self._fail_all(out, first, items, str(exc))
                return
            try:
                pulled = _chain_one(first, items)
                for key, fetched in self.crawler.crawl(pulled, may_pull=lambda: room.acquire(timeout=0.05),
                                                       give_back=room.release, stop=stop):
                    out.put((key, _document(fetched), fetched))
            finally:
                self.crawler.close()
        except BaseException as exc:  # noqa: BLE001 - handed to the consuming thread, which raises it
            out.put(exc)
        finally:
            out.put(_DONE)

    def _fail_all(self, out: queue.Queue[Any], first: tuple[int, str], rest: Iterator[tuple[int, str]],
                  reason: str) -> None:
        for key, url in _chain_one(first, rest):
            out.put((key, Document(name=url, error=reason), Fetched(url, None, None, None, error=reason)))


def _chain_one(first: tuple[int, str], rest: Iterator[tuple[int, str]]) -> Iterator[tuple[int, str]]:
    yield first
    yield from rest


def _document(fetched: Fetched) -> Document:
    if fetched.error is not None or fetched.data is None:
        return Document(name=fetched.requested, url=fetched.url, error=fetched.error or "no page")
    return Document(name=fetched.requested, url=fetched.url, data=fetched.data, encoding=fetched.encoding,
                    fingerprint="sha256:" + hashlib.sha256(fetched.data).hexdigest())
