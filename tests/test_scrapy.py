"""The Scrapy spider of docs/scrapy.md, run by Scrapy's own crawler against a local server."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest

pytest.importorskip("scrapy")

from localserver import corpus_routes, page, robots, serving

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures" / "html"


def spider_source() -> str:
    """The spider exactly as the documentation shows it."""
    text = (ROOT / "docs" / "scrapy.md").read_text(encoding="utf-8")
    return re.search(r"```python\n(.*?)```", text, re.DOTALL).group(1)  # type: ignore[union-attr]


def _key(record: dict[str, Any]) -> str:
    record = dict(record)
    record["source"] = {k: v for k, v in record["source"].items() if k not in ("article", "url")}
    return json.dumps(record, sort_keys=True)


def test_the_documented_spider_yields_what_tweetparse_extract_gives(tmp_path: Path) -> None:
    routes = corpus_routes(FIXTURES)
    pages = sorted(routes)
    routes["/robots.txt"] = robots("User-agent: *\nDisallow: /private/\n")
    routes["/private/kept-out.html"] = page((FIXTURES / unquote(pages[0]).lstrip("/")).read_bytes())
    files = [str(FIXTURES / unquote(p).lstrip("/")) for p in pages]
    expected = subprocess.run([sys.executable, "-m", "tweetparse", "extract", "-q", *files], capture_output=True,
                              check=True, timeout=120).stdout.decode().splitlines()
    spider = tmp_path / "tweets_spider.py"
    spider.write_text(spider_source(), encoding="utf-8")
    items = tmp_path / "tweets.jsonl"
    with serving(routes) as server:
        listing = tmp_path / "urls.txt"
        listing.write_text("# articles\n" + "\n".join(server.url(p) for p in [*pages, "/private/kept-out.html"]))
        run = subprocess.run([sys.executable, "-m", "scrapy", "runspider", str(spider), "-a", f"urls={listing}",
                              "-O", str(items), "-s", "DOWNLOAD_DELAY=0", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=4",
                              "-s", "LOG_LEVEL=WARNING", "-s", "TELNETCONSOLE_ENABLED=False"],
                             capture_output=True, timeout=120, check=False, cwd=tmp_path)
        requested = server.paths()
    assert run.returncode == 0, run.stderr.decode()[-3000:]
    got = [json.loads(line) for line in items.read_text(encoding="utf-8").splitlines()]
    want = [json.loads(line) for line in expected]
    assert len(want) > 10
    assert sorted(map(_key, got)) == sorted(map(_key, want))  # Scrapy's order is the order pages came
    assert "/robots.txt" in requested and "/private/kept-out.html" not in requested
    by_path = {str(FIXTURES / unquote(p).lstrip("/")): server.url(p) for p in pages}
    assert sorted(r["source"]["url"] for r in got) == sorted(by_path[r["source"]["article"]] for r in want)
