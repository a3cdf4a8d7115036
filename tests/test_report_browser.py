"""The HTML report as Chromium lays it out, at a phone's width and a desktop's (skipped without chromium)."""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import lxml.html
import pytest

import tweetparse
from tweetparse.feed import build_feed, render_feed
from tweetparse.record import Source, Tweet

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
CHROMIUM = next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)
pytestmark = pytest.mark.skipif(CHROMIUM is None,
                                reason="no chromium on PATH (Debian: apt-get install chromium)")
# Headless Chromium as root on a machine without a network or a GPU; file pages may read each other
# so that the harness can measure the report inside its frame.
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--allow-file-access-from-files")
# Headless windows are at least 500 px wide, so a phone's width is given to a frame instead.
PHONE, DESKTOP = 390, 1280
BROWSER_SECONDS = 120
# The harness's script (the report has none): every element's right edge against the frame's width,
# each text's computed direction, the chart's drawn width, and the DOM as Chromium built it.
HARNESS = """<!DOCTYPE html><html><body style="margin:0">
<iframe id="f" src="report.html" scrolling="no" onload="measure()"
  style="width:{width}px;height:4000px;border:0"></iframe>
<pre id="measure"></pre><pre id="dom"></pre>
<script>
function measure() {{
  var d = document.getElementById("f").contentDocument, w = d.documentElement.clientWidth, wide = [];
  d.querySelectorAll("body *").forEach(function (e) {{
    var r = e.getBoundingClientRect();
    if (r.right > w + 0.5) wide.push(e.tagName + "." + e.className + ": " + e.textContent.slice(0, 40));
  }});
  var texts = Array.prototype.map.call(d.querySelectorAll(".text"), function (e) {{
    return [e.getAttribute("lang"), getComputedStyle(e).direction, e.getBoundingClientRect().width];
  }});
  var svg = d.querySelector(".chart svg");
  document.getElementById("measure").textContent = JSON.stringify({{
    width: w, scrollWidth: d.documentElement.scrollWidth, wide: wide, texts: texts,
    chart: svg ? svg.getBoundingClientRect().width : 0}});
  document.getElementById("dom").textContent = d.documentElement.outerHTML;
}}
</script></body></html>"""

LONG_PATH = "archive/" + "very-long-folder-name-without-any-spaces-" * 6 + "article.html"
EXTRA = [
    Tweet(id="1", url="https://twitter.com/arab_news/status/1", handle="arab_news", name="أخبار الميناء",
          text="العبّارات متوقفة حتى إشعار آخر @PortEllingHbr", lang="ar", created_at="2023-03-01",
          source=Source(article=LONG_PATH)),
    Tweet(id="2", url="javascript:alert(1)", handle="il_news", text="המעבורות מושבתות עד להודעה חדשה",
          lang="he", created_at="2023-01-15T09:00:00Z",
          source=Source(article="x.html", url="javascript:alert(2)")),
    Tweet(handle="longurl", text="https://example.com/" + "a" * 300 + " #PortEllingStorm", lang="en",
          source=Source(article="data:text/html,<b>x</b>", url="data:text/html,<b>x</b>")),
]


def report(with_corpus: bool) -> str:
    tweets = [t for p in sorted((ROOT / "examples").iterdir())
              for t in tweetparse.extract(p.read_bytes(), article=str(p))] + EXTRA
    if with_corpus:
        for folder, pattern in (("html", "*.html"), ("text", "*.txt")):
            for path in sorted((CORPUS / folder).rglob(pattern)):
                tweets += tweetparse.extract(path.read_bytes(), article=str(path))
    return render_feed(build_feed(tweets), "html", "Harbour storm")


def render(tmp_path: Path, page: str, width: int) -> tuple[dict[str, Any], Any]:
    (tmp_path / "report.html").write_text(page, "utf-8")
    (tmp_path / "harness.html").write_text(HARNESS.format(width=width), "utf-8")
    profile = tmp_path / "profile"
    command = [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--window-size=1280,900", "--dump-dom",
               (tmp_path / "harness.html").as_uri()]
    done = subprocess.run(command, capture_output=True, text=True, timeout=BROWSER_SECONDS, check=False)
    harness = lxml.html.fromstring(done.stdout or "<html></html>")
    measured = harness.xpath("//pre[@id='measure']/text()")
    assert done.returncode == 0 and measured, done.stderr[-2000:]
    return json.loads(measured[0]), lxml.html.fromstring(harness.xpath("//pre[@id='dom']/text()")[0])


CASES = [pytest.param(False, id="examples"),
         pytest.param(True, id="corpus", marks=pytest.mark.skipif(not (CORPUS / "html").is_dir(),
                                                                 reason="../shared/corpus absent"))]


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
@pytest.mark.parametrize("with_corpus", CASES)
def test_nothing_runs_past_the_edge_and_rtl_texts_run_right_to_left(tmp_path: Path, width: int,
                                                                     with_corpus: bool) -> None:
    measured, _ = render(tmp_path, report(with_corpus), width)
    assert measured["width"] == width
    assert measured["scrollWidth"] <= width and not measured["wide"], measured["wide"][:5]
    directions = {lang: direction for lang, direction, _ in measured["texts"]}
    assert directions["ar"] == directions["he"] == "rtl" and directions["en"] == "ltr"
    assert all(0 < text_width <= width for _, _, text_width in measured["texts"])
    assert 0.8 * min(width, 736) - 40 < measured["chart"] <= width


def test_the_dom_chromium_builds_holds_the_report(tmp_path: Path) -> None:
    _, page = render(tmp_path, report(False), PHONE)
    stats = [" ".join(li.text_content().split()) for li in page.xpath("//ul[@class='stats']/li")]
    n = len(page.xpath("//article[@class='post']"))
    assert stats[0] == f"{n} tweets" and stats[1].endswith("accounts") and stats[2].endswith("articles")
    assert stats[3].startswith("15 Jan 2023 – 7 Mar 2023")
    assert page.xpath("//section[contains(@class,'chart')]/svg//rect")
    assert page.xpath("//div[@class='text'][@lang='ar'][@dir='auto']")
    assert page.xpath("//div[@class='text'][@lang='he'][@dir='auto']")
    hrefs = page.xpath("//a/@href")
    assert hrefs and all(h.startswith(("https://", "http://", "file:///")) for h in hrefs), hrefs
    assert not any("javascript:" in h or h.startswith("data:") for h in hrefs)
    assert "https://twitter.com/PortEllingHbr" in page.xpath("//div[@class='text']/a/@href")
    assert "https://twitter.com/hashtag/PortEllingStorm" in page.xpath("//div[@class='text']/a/@href")
    assert page.xpath("//p[@class='empty']/a[text()='open on X']")
