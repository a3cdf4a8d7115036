"""Batches: parallel runs give the same records, failures stay alone, memory is bounded, progress and summary."""
from __future__ import annotations

import io
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pages import article_html, write_corpus

from tweetparse import batch
from tweetparse.batch import CHUNK_DOCS, IN_FLIGHT_PER_JOB, Options, Progress, Result, run
from tweetparse.cli import main
from tweetparse.html.blockquote import TweetBlockquote
from tweetparse.inputs import Document

# Enough articles for several chunks per worker, so a run with --jobs 2 really goes through the pool.
BATCH = 5 * CHUNK_DOCS
SUMMARY = re.compile(r"^tweetparse: (\d+) documents, (\d+) tweets, (\d+) failed, \d+\.\d s$")


def run_cli(*args: str, stdin: bytes | None = None) -> tuple[int, list[dict], str]:
    result = CliRunner().invoke(main, list(args), input=stdin)
    return result.exit_code, [json.loads(line) for line in result.stdout.splitlines()], result.stderr


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    write_corpus(folder, BATCH)
    return folder


def test_two_jobs_give_the_same_records_in_the_same_order(corpus: Path) -> None:
    code1, one, _ = run_cli("extract", "-q", "--jobs", "1", str(corpus))
    code2, two, _ = run_cli("extract", "-q", "--jobs", "2", str(corpus))
    assert code1 == code2 == 0
    assert len(one) == sum(i % 4 for i in range(BATCH))
    assert two == one


def test_unordered_gives_the_same_set(corpus: Path) -> None:
    _, ordered, _ = run_cli("extract", "-q", "--jobs", "1", str(corpus))
    code, unordered, _ = run_cli("extract", "-q", "--jobs", "2", "--unordered", str(corpus))
    assert code == 0
    key = lambda r: json.dumps(r, sort_keys=True)
    assert sorted(map(key, unordered)) == sorted(map(key, ordered))


def _crash_on_marker(self: Any, page: Any, ctx: Any) -> Iterator[Any]:
    if "CRASH-ME" in (page.root.findtext(".//title") or ""):
        raise RuntimeError("extractor bug triggered")
    yield from _ORIGINAL_FIND(self, page, ctx)


_ORIGINAL_FIND = TweetBlockquote.find


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_crashing_extractor_fails_only_its_document(corpus: Path, tmp_path: Path, jobs: str,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(TweetBlockquote, "find", _crash_on_marker)
    bad = tmp_path / "bad.html"
    bad.write_text(article_html(3).replace("<title>", "<title>CRASH-ME "), encoding="utf-8")
    _, expected, _ = run_cli("extract", "-q", "--jobs", "1", str(corpus))
    code, records, err = run_cli("extract", "-q", "--jobs", jobs, str(corpus), str(bad), str(corpus))
    assert code == 1
    # "an extractor failed" when the library isolates the stage, "extraction failed" when it raises.
    assert re.fullmatch(rf"{re.escape(str(bad))}: (an extractor|extraction) failed: "
                        r"RuntimeError: extractor bug triggered\n", err)
    # The failing extractor loses only its own finds: what the other stages found in the bad
    # document is still written, and every other document's records are all there, in order.
    assert [r for r in records if r["source"]["article"] != str(bad)] == expected + expected


def test_strict_stops_at_the_first_failure(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(TweetBlockquote, "find", _crash_on_marker)
    bad = tmp_path / "bad.html"
    bad.write_text(article_html(3).replace("<title>", "<title>CRASH-ME "), encoding="utf-8")
    first = sorted(corpus.rglob("*.html"))[:3]
    code, records, err = run_cli("extract", "-q", "--errors", "strict", "--jobs", "2",
                                 *map(str, first), str(bad), str(corpus))
    assert code == 1
    assert err.startswith(f"{bad}: extraction failed: RuntimeError")
    assert {r["source"]["article"] for r in records} == {str(p) for p in first if int(p.stem[-6:]) % 4}


def _die_on_marker(self: Any, page: Any, ctx: Any) -> Iterator[Any]:
    if "KILL-WORKER" in (page.root.findtext(".//title") or ""):
        os._exit(70)  # what a segfault in native code or the OOM killer does to a worker
    yield from _ORIGINAL_FIND(self, page, ctx)


def test_a_document_that_kills_its_worker_fails_alone(corpus: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(TweetBlockquote, "find", _die_on_marker)
    deadly = tmp_path / "deadly.html"
    deadly.write_text(article_html(3).replace("<title>", "<title>KILL-WORKER "), encoding="utf-8")
    _, expected, _ = run_cli("extract", "-q", "--jobs", "1", str(corpus))
    code, records, err = run_cli("extract", "-q", "--jobs", "2", str(corpus), str(deadly), str(corpus))
    assert code == 1
    assert err.splitlines() == [f"{deadly}: {batch.WORKER_DIED}"]
    assert records == expected + expected


def test_in_flight_work_is_bounded_however_long_the_input() -> None:
    pulled = 0
    page = article_html(2).encode()

    def endless() -> Iterator[Document]:
        nonlocal pulled
        for i in range(100_000):
            pulled += 1
            yield Document(name=f"doc{i}", data=page, fingerprint=str(i))

    results = run(endless(), Options(), jobs=2)
    first = next(results)
    results.close()
    assert first.name == "doc0" and len(first.records) == 2
    assert pulled <= (2 * IN_FLIGHT_PER_JOB + 1) * CHUNK_DOCS


def test_summary_line_and_no_progress_when_stderr_is_not_a_terminal(corpus: Path, tmp_path: Path) -> None:
    code, records, err = run_cli("extract", "--jobs", "2", str(corpus), str(tmp_path / "gone.html"))
    assert code == 1
    lines = err.splitlines()
    assert lines[0] == f"{tmp_path / 'gone.html'}: No such file or directory"
    m = SUMMARY.match(lines[1])
    assert m and len(lines) == 2 and "\r" not in err
    assert (int(m[1]), int(m[2]), int(m[3])) == (BATCH + 1, len(records), 1)


def test_quiet_prints_failures_only(tmp_path: Path) -> None:
    code, _, err = run_cli("extract", "-q", str(tmp_path / "gone.html"))
    assert code == 1 and err == f"{tmp_path / 'gone.html'}: No such file or directory\n"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_drawn_on_a_terminal_and_cleared_for_messages() -> None:
    screen = _Terminal()
    progress = Progress(screen)
    progress.add(Result("a.html", None, "", records=({"id": "1"},)))
    assert screen.getvalue().startswith("\r1 documents, 1 tweets, 0 failed")
    progress.message("b.html: No such file or directory")
    tail = screen.getvalue().rsplit("\r", 1)[1]
    assert tail == "b.html: No such file or directory\n"
    assert Progress(io.StringIO()).live is False


@pytest.mark.parametrize("args", [
    ["extract"],                                  # no input at all
    ["extract", "--jobs", "0", "a.html"],
    ["extract", "--stdin-paths", "-"],            # both read standard input
    ["extract", "--db", "."],                     # a folder is no database file
    ["feed"],
])
def test_usage_errors_exit_2(args: list[str]) -> None:
    assert CliRunner().invoke(main, args).exit_code == 2


def test_feed_reads_the_same_inputs_in_parallel(corpus: Path, tmp_path: Path) -> None:
    import gzip

    zipped = tmp_path / "extra.html.gz"
    zipped.write_bytes(gzip.compress(article_html(3).encode()))
    one = CliRunner().invoke(main, ["feed", "-q", "--format", "jsonl", "--jobs", "1", str(corpus), str(zipped)])
    two = CliRunner().invoke(main, ["feed", "-q", "--format", "jsonl", "--jobs", "2", str(corpus), str(zipped)])
    assert one.exit_code == two.exit_code == 0
    items = [json.loads(line) for line in two.stdout.splitlines()]
    assert two.stdout == one.stdout
    # The extra article repeats article 3's tweets: those items cite both articles.
    cited_twice = [i for i in items if len(i["articles"]) == 2]
    assert len(cited_twice) == 3 and all(i["articles"][1]["article"] == str(zipped) for i in cited_twice)
