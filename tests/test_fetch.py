"""Fetching articles by URL: politeness, failures, WARC recording and resuming, against local servers only."""
from __future__ import annotations

import gzip
import io
import itertools
import json
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("urllib3")
pytest.importorskip("protego")
pytest.importorskip("warcio")

from localserver import (
    Request,
    Server,
    chunked,
    corpus_routes,
    endless,
    gzipped,
    page,
    redirect,
    robots,
    serving,
    stall,
    trickle,
)

from tweetparse.fetch import (
    DEFAULT_USER_AGENT,
    DocumentStream,
    FetchConfig,
    Fetcher,
    FetchError,
    extract_url,
)
from tweetparse.inputs import Document, iter_documents

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "html"
CORPUS = ROOT.parent / "shared" / "corpus" / "html"
STATUS = "1633054123456789504"
ARTICLE = ("<!DOCTYPE html><html><head><title>Storm closes harbour</title></head><body><article>"
           "<h1>Storm closes harbour</h1><p>Ferries stayed in port on Tuesday as gusts reached 90 km/h.</p>"
           '<blockquote class="twitter-tweet"><p lang="en" dir="ltr">All sailings cancelled until Thursday. '
           "Stay safe, everyone.</p>&mdash; Port Elling Harbour (@PortEllingHbr) "
           f'<a href="https://twitter.com/PortEllingHbr/status/{STATUS}">March 7, 2023</a></blockquote>'
           "</article></body></html>").encode()
TWEET_TEXT = "All sailings cancelled until Thursday. Stay safe, everyone."


def fast(**settings: Any) -> FetchConfig:
    """Politeness kept, patience cut to what a test on loopback needs."""
    values: dict[str, Any] = {"delay": 0.0, "backoff": 0.05, "connect_timeout": 2.0, "read_timeout": 2.0,
                              "total_timeout": 5.0}
    values.update(settings)
    return FetchConfig(**values)


def fetch_all(urls: list[str], config: FetchConfig, **options: Any) -> list[Document]:
    return list(DocumentStream(urls, config=config, **options))


def errors(docs: list[Document]) -> dict[str, str | None]:
    return {doc.name: doc.error for doc in docs}


# --- robots.txt ---------------------------------------------------------------------------------


def test_a_disallowed_url_is_never_requested_and_robots_txt_is_read_once() -> None:
    rules = ("User-agent: *\nDisallow: /\n\n"  # the catch-all group does not apply to tweetparse...
             "User-agent: tweetparse\nDisallow: /private/\nDisallow: /*.pdf$\nAllow: /private/open.html\n")
    routes = {"/robots.txt": robots(rules), "/news/a.html": page(ARTICLE), "/news/b.html": page(ARTICLE),
              "/private/secret.html": page(ARTICLE), "/private/open.html": page(ARTICLE),
              "/files/report.pdf": page(b"%PDF", "application/pdf")}
    with serving(routes) as server:
        names = ["/news/a.html", "/private/secret.html", "/files/report.pdf", "/private/open.html", "/news/b.html"]
        docs = fetch_all([server.url(n) for n in names], fast())
        assert errors(docs) == {server.url("/news/a.html"): None, server.url("/private/open.html"): None,
                                server.url("/news/b.html"): None,
                                server.url("/private/secret.html"): "disallowed by robots.txt",
                                server.url("/files/report.pdf"): "disallowed by robots.txt"}
        assert "/private/secret.html" not in server.paths() and "/files/report.pdf" not in server.paths()
        assert server.paths().count("/robots.txt") == 1
        assert server.paths()[0] == "/robots.txt"  # asked before anything else of the host
        assert all(h["user-agent"] == DEFAULT_USER_AGENT for _, _, h in server.log)
        assert DEFAULT_USER_AGENT.startswith("tweetparse/") and "(+http" in DEFAULT_USER_AGENT


def test_the_user_agent_is_configurable_and_picks_its_robots_group() -> None:
    routes = {"/robots.txt": robots("User-agent: LabCrawler\nDisallow: /news/\n"), "/news/a.html": page(ARTICLE)}
    with serving(routes) as server:
        docs = fetch_all([server.url("/news/a.html")], fast(user_agent="LabCrawler/2.0 (+mailto:lab@example.org)"))
        assert errors(docs) == {server.url("/news/a.html"): "disallowed by robots.txt"}
        assert [h["user-agent"] for _, _, h in server.log] == ["LabCrawler/2.0 (+mailto:lab@example.org)"]


def test_robots_txt_missing_allows_everything_and_unreachable_disallows_everything() -> None:
    with serving({"/a.html": page(ARTICLE)}) as server:  # robots.txt answers 404
        assert errors(fetch_all([server.url("/a.html")], fast())) == {server.url("/a.html"): None}
    routes = {"/robots.txt": page(b"down", "text/plain", status=503), "/a.html": page(ARTICLE)}
    with serving(routes) as server:
        docs = fetch_all([server.url("/a.html")], fast(retries=1))
        assert "robots.txt could not be fetched (HTTP 503 Service Unavailable)" in (docs[0].error or "")
        assert server.paths() == ["/robots.txt", "/robots.txt"]  # retried once, the page never asked for
    routes = {"/robots.txt": page(b"slow down", "text/plain", status=429), "/a.html": page(ARTICLE)}
    with serving(routes) as server:  # a 429 is no "unavailable" 4xx: the site asks us to stay away
        docs = fetch_all([server.url("/a.html")], fast(retries=0))
        assert "robots.txt could not be fetched (HTTP 429 Too Many Requests)" in (docs[0].error or "")
        assert server.paths() == ["/robots.txt"]


def test_crawl_delay_and_the_configured_delay_space_requests_to_a_host() -> None:
    routes = {"/robots.txt": robots("User-agent: *\nCrawl-delay: 0.3\n"),
              **{f"/p{i}.html": page(ARTICLE) for i in range(3)}}
    with serving(routes) as server:
        fetch_all([server.url(f"/p{i}.html") for i in range(3)], fast(delay=0.05, concurrency=4))
        starts = [when for when, path, _ in server.log if path.startswith("/p")]
        assert len(starts) == 3
        assert all(b - a >= 0.28 for a, b in itertools.pairwise(starts))
    with serving({f"/p{i}.html": page(ARTICLE) for i in range(3)}) as server:
        fetch_all([server.url(f"/p{i}.html") for i in range(3)], fast(delay=0.2, concurrency=4))
        starts = [when for when, path, _ in server.log if path.startswith("/p")]
        assert all(b - a >= 0.18 for a, b in itertools.pairwise(starts))


def slow_page(seconds: float) -> Any:
    def handle(r: Request) -> None:
        r.wait(seconds)
        r.send(200, ARTICLE, {"Content-Type": "text/html"})
    return handle


def test_per_host_and_global_concurrency() -> None:
    routes = {f"/p{i}.html": slow_page(0.15) for i in range(6)}
    with serving(routes) as one, serving(routes, host="127.0.0.2") as two:
        urls = [s.url(f"/p{i}.html") for i in range(6) for s in (one, two)]
        docs = fetch_all(urls, fast(per_host=2, concurrency=3))
        assert all(d.error is None for d in docs)
        assert one.peak <= 2 and two.peak <= 2  # per host
        assert one.peak + two.peak >= 3  # the hosts were fetched side by side...
        overlaps = _most_at_once([*_spans(one), *_spans(two)])
        assert overlaps <= 3  # ...never more than the global limit at once


def _spans(server: Server) -> list[float]:
    return [when for when, path, _ in server.log if path.startswith("/p")]


def _most_at_once(starts: list[float], length: float = 0.15) -> int:
    starts = sorted(starts)
    return max(sum(1 for s in starts if t <= s < t + length * 0.9) for t in starts)


# --- failures and retries -----------------------------------------------------------------------


def test_429_with_retry_after_is_honoured() -> None:
    def limited(r: Request) -> None:
        if r.count == 1:
            r.send(429, b"slow down", {"Retry-After": "1", "Content-Type": "text/plain"})
        else:
            r.send(200, ARTICLE, {"Content-Type": "text/html"})

    with serving({"/a.html": limited}) as server:
        docs = fetch_all([server.url("/a.html")], fast())
        assert errors(docs) == {server.url("/a.html"): None}
        first, second = server.times("/a.html")
        assert second - first >= 0.95


def test_a_retry_after_beyond_the_longest_wait_fails_at_once() -> None:
    routes = {"/a.html": lambda r: r.send(429, b"", {"Retry-After": "3600"})}
    with serving(routes) as server:
        docs = fetch_all([server.url("/a.html")], fast(max_wait=5))
        assert docs[0].error == "HTTP 429 Too Many Requests: asked to wait 3600 s, more than the 5 s allowed"
        assert server.paths().count("/a.html") == 1


def test_5xx_is_retried_with_backoff_and_404_never() -> None:
    def flaky(r: Request) -> None:
        r.send(503 if r.count < 3 else 200, ARTICLE, {"Content-Type": "text/html"})

    with serving({"/flaky.html": flaky}) as server:
        docs = fetch_all([server.url("/flaky.html"), server.url("/gone.html")], fast(backoff=0.1))
        assert errors(docs) == {server.url("/flaky.html"): None, server.url("/gone.html"): "HTTP 404 Not Found"}
        assert server.paths().count("/gone.html") == 1
        tries = server.times("/flaky.html")
        assert len(tries) == 3
        assert tries[1] - tries[0] >= 0.09 and tries[2] - tries[1] >= 0.19  # 0.1 s, then twice that


def test_a_5xx_that_stays_fails_after_the_retries() -> None:
    with serving({"/down.html": page(b"", status=502)}) as server:
        docs = fetch_all([server.url("/down.html")], fast(retries=2))
        assert docs[0].error == "HTTP 502 Bad Gateway"
        assert server.paths().count("/down.html") == 3


def test_a_trickling_response_hits_the_total_timeout() -> None:
    with serving({"/slow.html": trickle(ARTICLE, every=0.1)}) as server:
        started = time.monotonic()
        docs = fetch_all([server.url("/slow.html")], fast(total_timeout=0.6, read_timeout=2, retries=0))
        assert docs[0].error == "timed out: the response took more than 0.6 s"
        assert time.monotonic() - started < 2.0


def test_a_stalled_response_hits_the_read_timeout_and_is_retried() -> None:
    with serving({"/stalled.html": stall(b"<html><body>", 5)}) as server:
        started = time.monotonic()
        docs = fetch_all([server.url("/stalled.html")], fast(read_timeout=0.3, retries=1))
        assert docs[0].error == "timed out: the body stalled for 0.3 s"
        assert server.paths().count("/stalled.html") == 2
        assert time.monotonic() - started < 3.0


def test_a_reset_connection_is_reported_and_retried() -> None:
    def reset(r: Request) -> None:
        r.handler.rfile.read(0)
        r.reset()

    with serving({"/reset.html": reset}) as server:
        docs = fetch_all([server.url("/reset.html")], fast(retries=1))
        assert (docs[0].error or "").startswith("connection reset before a response")
        assert server.paths().count("/reset.html") == 2


def test_a_refused_connection_fails_alone() -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with serving({"/a.html": page(ARTICLE)}) as server:
        docs = fetch_all([f"http://127.0.0.1:{port}/a.html", server.url("/a.html")], fast())
        assert (docs[0].error or "").startswith("connection refused")
        assert docs[1].error is None and docs[1].data == ARTICLE


def test_redirects_are_followed_loops_and_long_chains_fail() -> None:
    routes = {"/old.html": redirect("/new.html"), "/new.html": page(ARTICLE),
              "/loop-a": redirect("/loop-b", 302), "/loop-b": redirect("/loop-a", 307),
              **{f"/hop{i}": redirect(f"/hop{i + 1}") for i in range(5)}, "/hop5": page(ARTICLE)}
    with serving(routes) as server:
        with Fetcher(fast(max_redirects=3)) as fetcher:
            moved = fetcher.fetch(server.url("/old.html"))
            loop = fetcher.fetch(server.url("/loop-a"))
            chain = fetcher.fetch(server.url("/hop0"))
        assert (moved.url, moved.status, moved.error) == (server.url("/new.html"), 200, None)
        assert loop.error == (f"redirect loop: {server.url('/loop-a')} -> {server.url('/loop-b')} -> "
                              f"{server.url('/loop-a')}")
        assert chain.error == "too many redirects: more than 3"
        assert server.paths().count("/loop-a") == 1 and "/hop4" not in server.paths()


def test_a_redirect_into_a_disallowed_path_is_not_followed() -> None:
    routes = {"/robots.txt": robots("User-agent: *\nDisallow: /private/\n"),
              "/a.html": redirect("/private/b.html"), "/private/b.html": page(ARTICLE)}
    with serving(routes) as server:
        docs = fetch_all([server.url("/a.html")], fast())
        assert docs[0].error == "disallowed by robots.txt"
        assert "/private/b.html" not in server.paths()


def test_huge_bodies_stop_at_the_limit() -> None:
    bomb = gzip.compress(b"<p>" + b"a" * 3_000_000, mtime=0)
    routes = {"/declared.html": lambda r: r.send(200, b"", {"Content-Length": "900000000"}),
              "/endless.html": endless(),
              "/bomb.html": lambda r: r.send(200, bomb, {"Content-Type": "text/html", "Content-Encoding": "gzip"})}
    with serving(routes) as server:
        started = time.monotonic()
        docs = fetch_all([server.url("/declared.html"), server.url("/endless.html"), server.url("/bomb.html")],
                         fast(max_bytes=1_000_000))
        assert [d.error for d in docs] == [
            "too large: Content-Length is 900000000 bytes, more than the 1000000 allowed",
            "too large: more than the 1000000 bytes allowed",
            "too large: more than the 1000000 bytes allowed once decompressed",
        ]
        assert time.monotonic() - started < 3.0


def test_not_html_is_reported_and_compressed_or_chunked_html_is_read() -> None:
    routes = {"/report.pdf": page(b"%PDF-1.7 ...", "application/pdf"), "/gz.html": gzipped(ARTICLE),
              "/chunked.html": chunked(ARTICLE)}
    with serving(routes) as server:
        docs = fetch_all([server.url(p) for p in routes], fast())
        assert [d.error for d in docs] == ["not HTML: application/pdf", None, None]
        assert docs[1].data == ARTICLE and docs[2].data == ARTICLE
        assert server.log[1][2]["accept-encoding"] == "gzip, deflate"


def test_the_http_charset_reaches_decoding(tmp_path: Path) -> None:
    russian = ARTICLE.decode().replace("All sailings cancelled until Thursday. Stay safe, everyone.",
                                       "Паромы не ходят до четверга. Берегите себя.")
    routes = {"/ru.html": page(russian.encode("cp1251"), "text/html; charset=windows-1251"),
              "/bogus.html": page(russian.replace("<head>", '<head><meta charset="windows-1251">')
                                  .encode("cp1251"), "text/html; charset=x-no-such-thing"),
              "/wrong.html": page(russian.encode("cp1251"), "text/html; charset=koi8-r")}
    with serving(routes) as server, Fetcher(fast()) as fetcher:
        right = extract_url(server.url("/ru.html"), fetcher=fetcher)
        bogus = extract_url(server.url("/bogus.html"), fetcher=fetcher)  # an unknown label: the meta decides
        wrong = extract_url(server.url("/wrong.html"), fetcher=fetcher)  # followed, as browsers follow it
    assert [t.text for t in right.tweets] == ["Паромы не ходят до четверга. Берегите себя."]
    assert [t.text for t in bogus.tweets] == ["Паромы не ходят до четверга. Берегите себя."]
    assert [t.text for t in wrong.tweets] != ["Паромы не ходят до четверга. Берегите себя."]


def test_extract_url_gives_the_final_url_and_the_time_of_the_fetch() -> None:
    routes = {"/short": redirect("/news/storm.html"), "/news/storm.html": page(ARTICLE)}
    with serving(routes) as server:
        before = time.time()
        with Fetcher(fast()) as fetcher:
            article = extract_url(server.url("/short"), fetcher=fetcher)
        with pytest.raises(FetchError, match="HTTP 404 Not Found"):
            extract_url(server.url("/nothing"))  # the defaults: robots.txt, then a second's pause
        assert server.paths()[-2:] == ["/robots.txt", "/nothing"]
    assert article.url == server.url("/news/storm.html") and article.requested_url == server.url("/short")
    assert before - 1 <= article.fetched_at.timestamp() <= time.time() and article.fetched_at.tzinfo is not None
    assert [(t.id, t.text, t.source.url, t.source.article) for t in article.tweets] == [
        (STATUS, TWEET_TEXT, server.url("/news/storm.html"), server.url("/short"))]


# --- WARC ---------------------------------------------------------------------------------------


def test_the_warc_holds_every_request_and_response_and_reads_back(tmp_path: Path) -> None:
    from warcio.archiveiterator import ArchiveIterator

    warc = tmp_path / "run.warc.gz"
    routes = {"/robots.txt": robots("User-agent: *\nAllow: /\n"), "/old.html": redirect("/gz.html"),
              "/gz.html": gzipped(ARTICLE), "/chunked.html": chunked(ARTICLE), "/gone.html": page(b"", status=404)}
    with serving(routes) as server:
        urls = [server.url(p) for p in ("/old.html", "/chunked.html", "/gone.html")]
        fetch_all(urls, fast(), warc=str(warc))
        with open(warc, "rb") as f:
            records = [(r.rec_type, r.rec_headers.get_header("WARC-Target-URI"),
                        r.http_headers.get_statuscode() if r.http_headers and r.rec_type == "response" else None,
                        r.content_stream().read() if r.rec_type == "response" else b"")
                       for r in ArchiveIterator(f)]
        base = server.url("")
    assert records[0][0] == "warcinfo"
    pairs = [(kind, uri.removeprefix(base), status) for kind, uri, status, _ in records[1:]]
    assert pairs == [("response", "/robots.txt", "200"), ("request", "/robots.txt", None),
                     ("response", "/old.html", "301"), ("request", "/old.html", None),
                     ("response", "/gz.html", "200"), ("request", "/gz.html", None),
                     ("response", "/chunked.html", "200"), ("request", "/chunked.html", None),
                     ("response", "/gone.html", "404"), ("request", "/gone.html", None)]
    bodies = {uri.removeprefix(base): body for kind, uri, _, body in records[1:] if kind == "response"}
    assert bodies["/gz.html"] == ARTICLE and bodies["/chunked.html"] == ARTICLE  # coding undone by the reader
    # Read back as inputs: the pages only (robots.txt, the redirect and the 404 are no articles).
    docs = list(iter_documents([str(warc)]))
    assert [(d.url.removeprefix(base), d.error) for d in docs if d.url] == [("/gz.html", None), ("/chunked.html", None)]


def test_a_body_cut_short_is_marked_truncated_in_the_warc(tmp_path: Path) -> None:
    warc = tmp_path / "cut.warc"
    with serving({"/big.html": endless()}) as server:
        docs = fetch_all([server.url("/big.html")], fast(max_bytes=100_000), warc=str(warc))
        assert docs[0].error == "too large: more than the 100000 bytes allowed"
    again = list(iter_documents([str(warc)]))
    assert [d.error for d in again] == ["truncated WARC record: the crawler stopped reading it (length)"]


# --- the command line ---------------------------------------------------------------------------


def tweetparse(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "tweetparse", *args], input=stdin, capture_output=True,
                          timeout=120, check=False)


def records(stdout: bytes) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stdout.decode().splitlines()]


def without(record: dict[str, Any], *keys: str) -> dict[str, Any]:
    record = dict(record)
    record["source"] = {k: v for k, v in record["source"].items() if k not in keys}
    return record


@pytest.mark.parametrize("folder", [FIXTURES, CORPUS], ids=["fixtures", "corpus"])
def test_urls_give_the_tweets_of_the_files_and_the_warc_gives_them_again(folder: Path, tmp_path: Path) -> None:
    """The issue's check: the pages served locally, fetched with --urls and --warc, give the tweets
    the same files give; a 404 and a robots-disallowed URL fail alone (exit 1, never requested);
    the recorded WARC gives the same records again."""
    if not folder.is_dir():
        pytest.skip(f"{folder} is not here")
    routes = corpus_routes(folder)
    pages = sorted(routes)
    routes["/robots.txt"] = robots("User-agent: *\nDisallow: /private/\n")
    routes["/private/kept-out.html"] = page(ARTICLE)
    files = [str(folder / path.lstrip("/")) for path in pages]
    from urllib.parse import unquote

    files = [unquote(f) for f in files]
    by_file = tweetparse("extract", "-q", "-j", "2", *files)
    assert by_file.returncode == 0, by_file.stderr
    warc = tmp_path / "crawl.warc.gz"
    with serving(routes) as server:
        urls = [server.url(p) for p in pages]
        listing = tmp_path / "urls.txt"
        listing.write_text("# the corpus\n\n" + "\n".join([*urls[:3], server.url("/missing.html"),
                                                         server.url("/private/kept-out.html"), *urls[3:]]) + "\n")
        by_url = tweetparse("extract", "--urls", str(listing), "--warc", str(warc), "--delay", "0",
                            "--per-host", "2", "-j", "2")
        requested = server.paths()
    assert by_url.returncode == 1
    stderr = by_url.stderr.decode()
    assert f"{server.url('/missing.html')}: HTTP 404 Not Found\n" in stderr
    assert f"{server.url('/private/kept-out.html')}: disallowed by robots.txt\n" in stderr
    assert "/private/kept-out.html" not in requested
    assert f"tweetparse: {len(pages) + 2} documents" in stderr and " 2 failed" in stderr
    fetched, expected = records(by_url.stdout), records(by_file.stdout)
    assert len(expected) > 0
    assert [without(r, "article", "url") for r in fetched] == [without(r, "article", "url") for r in expected]
    path_of = dict(zip(files, urls, strict=True))
    assert [r["source"]["url"] for r in fetched] == [path_of[r["source"]["article"]] for r in expected]
    assert [r["source"]["article"] for r in fetched] == [r["source"]["url"] for r in fetched]  # no redirects here
    again = tweetparse("extract", "-q", str(warc))
    assert again.returncode == 0, again.stderr
    # The WARC holds the pages in the order they came (two at a time here), the run wrote them in input order.
    assert _sorted(without(r, "article") for r in records(again.stdout)) == _sorted(
        without(r, "article") for r in fetched)


def _sorted(items: Any) -> list[str]:
    return sorted(json.dumps(item, sort_keys=True) for item in items)


def test_urls_on_the_command_line_and_from_standard_input() -> None:
    routes = {"/a.html": page(ARTICLE), "/b.html": gzipped(ARTICLE), "/old": redirect("/a.html")}
    with serving(routes) as server:
        direct = tweetparse("extract", "-q", "--delay", "0", server.url("/old"))
        listed = tweetparse("extract", "--delay", "0", "--urls", "-",
                            stdin=f"# list\n{server.url('/b.html')}\n\nftp://example.org/x\n".encode())
    assert direct.returncode == 0, direct.stderr
    assert [(r["text"], r["source"]["url"], r["source"]["article"]) for r in records(direct.stdout)] == [
        (TWEET_TEXT, server.url("/a.html"), server.url("/old"))]
    assert listed.returncode == 1
    assert [r["source"]["url"] for r in records(listed.stdout)] == [server.url("/b.html")]
    assert "ftp://example.org/x: not an http(s) URL\n" in listed.stderr.decode()


def test_feed_reads_urls_too() -> None:
    with serving({"/a.html": page(ARTICLE)}) as server:
        run = tweetparse("feed", "-q", "--format", "jsonl", "--delay", "0", server.url("/a.html"))
    assert run.returncode == 0, run.stderr
    assert [(r["id"], [a["url"] for a in r["articles"]]) for r in records(run.stdout)] == [
        (STATUS, [server.url("/a.html")])]


def test_db_resumes_a_url_run(tmp_path: Path) -> None:
    state = {"up": False}

    def sometimes(r: Request) -> None:
        r.send(200 if state["up"] else 503, ARTICLE, {"Content-Type": "text/html"})

    db = tmp_path / "tweets.sqlite"
    routes = {"/a.html": page(ARTICLE), "/b.html": sometimes, "/c.html": page(ARTICLE.replace(b"PortEllingHbr", b"X"))}
    with serving(routes) as server:
        urls = [server.url(p) for p in ("/a.html", "/b.html", "/c.html")]
        listing = tmp_path / "urls.txt"
        listing.write_text("\n".join(urls))
        first = tweetparse("extract", "--db", str(db), "--urls", str(listing), "--delay", "0", "--retries", "0")
        assert first.returncode == 1
        assert f"{urls[1]}: HTTP 503 Service Unavailable" in first.stderr.decode()
        with sqlite3.connect(db) as con:
            rows = con.execute("SELECT article, url, status, error IS NULL, fetched_at IS NOT NULL, tweets "
                               "FROM articles ORDER BY article").fetchall()
        assert rows == [(urls[0], urls[0], 200, 1, 1, 1), (urls[1], urls[1], 503, 0, 1, 0),
                        (urls[2], urls[2], 200, 1, 1, 1)]
        state["up"] = True
        done_before = len(server.log)
        second = tweetparse("extract", "--db", str(db), "--urls", str(listing), "--delay", "0")
        assert second.returncode == 0, second.stderr
        assert [p for _, p, _ in server.log[done_before:]] == ["/robots.txt", "/b.html"]  # done ones skipped
        assert "2 skipped (already in the database)" in second.stderr.decode()
        with sqlite3.connect(db) as con:
            assert con.execute("SELECT status, error FROM articles WHERE article=?", (urls[1],)).fetchone() == (200, None)
            assert con.execute("SELECT COUNT(*) FROM citations").fetchone() == (3,)


def test_fetch_options_that_cannot_work_are_usage_errors(tmp_path: Path) -> None:
    listing = tmp_path / "urls.txt"
    listing.write_text("http://127.0.0.1:9/a\n")
    assert tweetparse("extract", "--urls", "-", "-").returncode == 2
    assert tweetparse("extract", "--urls", str(listing), "--engine", "dask").returncode == 2
    assert tweetparse("extract", "--urls", str(tmp_path / "missing.txt")).returncode == 2


def test_a_stream_of_files_and_urls_keeps_input_order(tmp_path: Path) -> None:
    saved = tmp_path / "saved.html"
    saved.write_bytes(ARTICLE)
    with serving({"/slow.html": slow_page(0.3), "/fast.html": page(ARTICLE)}) as server:
        names = [server.url("/slow.html"), str(saved), server.url("/fast.html")]
        docs = fetch_all(names, fast(per_host=2))
        unordered = fetch_all(names, fast(per_host=2), ordered=False)
    assert [d.name for d in docs] == names
    assert [d.name for d in unordered][-1] == server.url("/slow.html")  # it came last, and was passed on so
    assert docs[1].path == str(saved) and docs[0].data == ARTICLE


def test_stdin_paths_may_name_urls(tmp_path: Path) -> None:
    saved = tmp_path / "saved.html"
    saved.write_bytes(ARTICLE)
    with serving({"/a.html": page(ARTICLE)}) as server:
        run = tweetparse("extract", "-q", "--delay", "0", "--stdin-paths",
                         stdin=f"{saved}\n{server.url('/a.html')}\n".encode())
    assert run.returncode == 0, run.stderr
    assert [r["source"]["article"] for r in records(run.stdout)] == [str(saved), server.url("/a.html")]


def test_a_listed_url_text_reads_comments_and_blank_lines() -> None:
    from tweetparse.fetch import url_lines

    lines = list(url_lines(io.BytesIO(b"# header\n\n  https://a.example/x  \r\nhttp://b.example/y\n#end\n")))
    assert lines == ["https://a.example/x", "http://b.example/y"]
    huge = b"http://a.example/" + b"x" * 100_000 + b"\nhttp://b.example/z"
    lines = list(url_lines(io.BytesIO(huge)))
    assert [len(line) for line in lines] == [8193, 18] and lines[1] == "http://b.example/z"
    docs = fetch_all(lines[:1], fast())
    assert [d.error for d in docs] == ["URL longer than 8192 characters"]
