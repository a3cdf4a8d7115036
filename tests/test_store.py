"""--db: tweets, articles and citations in SQLite; idempotent, order-independent, consistent after kill -9, resumable."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from pages import article_html, write_corpus

from tweetparse.batch import CHUNK_DOCS
from tweetparse.cli import main

TABLES = ("articles", "tweets", "citations")
# Several chunks, so that parallel runs really go through the worker pool.
CORPUS = 3 * CHUNK_DOCS
# The interruption test kills its run once this many documents are in, well before the end.
KILL_AFTER = 20
KILL_BATCH = 200
# Seconds the killed run's documents each take (a sleep): makes "mid-run" certain, not a race.
SLOW_DOC_S = 0.02
# How long the test waits for the run it will kill to get going; generous for a loaded machine.
START_TIMEOUT_S = 60


def rows(db: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(db) as conn:
        return {t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in TABLES}


def extract_into(db: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["extract", "--db", str(db), *args])
    return result.exit_code, result.stdout + result.stderr


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    write_corpus(folder, CORPUS)
    return folder


def test_tables_hold_tweets_articles_and_citations(tmp_path: Path) -> None:
    a, b = tmp_path / "a.html", tmp_path / "b.html"
    a.write_text(article_html(2), encoding="utf-8")
    b.write_text(article_html(2).replace("<title>", "<title>Republished: "), encoding="utf-8")
    text = tmp_path / "c.txt"
    text.write_text("Ferry cancelled again, third time this week\n— Mo Ostby (@moostby) May 2, 2020\n",
                    encoding="utf-8")
    code, out = extract_into(tmp_path / "t.sqlite", str(a), str(b), str(text))
    assert code == 0, out
    assert out.startswith("tweetparse: 3 documents, 5 tweets, 0 failed")  # nothing on stdout with --db
    with sqlite3.connect(tmp_path / "t.sqlite") as db:
        assert db.execute("SELECT article, tweets FROM articles ORDER BY article").fetchall() == [
            (str(a), 2), (str(b), 2), (str(text), 1)]
        ids = [k for (k,) in db.execute("SELECT key FROM tweets WHERE id IS NOT NULL ORDER BY key")]
        assert len(ids) == 2 and all(k.startswith("twitter:") and k[len("twitter:"):].isdigit() for k in ids)
        # The same two tweets in both articles: one row each, cited twice.
        assert db.execute("SELECT tweet_key, count(*) FROM citations GROUP BY tweet_key "
                          "HAVING count(*) = 2").fetchall() == [(k, 2) for k in ids]
        (key, handle, text_of), = db.execute("SELECT key, handle, text FROM tweets WHERE id IS NULL").fetchall()
        assert key.startswith("h:") and handle == "moostby" and text_of.startswith("Ferry cancelled")


def test_running_twice_gives_the_same_rows_and_skips_everything(corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "t.sqlite"
    assert extract_into(db, "--jobs", "1", str(corpus))[0] == 0
    first = rows(db)
    code, out = extract_into(db, "--jobs", "1", str(corpus))
    assert code == 0 and f"0 documents, 0 tweets, 0 failed, {CORPUS} skipped" in out
    assert rows(db) == first
    assert len(first["articles"]) == CORPUS and len(first["tweets"]) == sum(i % 4 for i in range(CORPUS))


def test_parallel_unordered_gives_the_same_rows(corpus: Path, tmp_path: Path) -> None:
    extract_into(tmp_path / "one.sqlite", "--jobs", "1", str(corpus))
    assert extract_into(tmp_path / "two.sqlite", "--jobs", "2", "--unordered", str(corpus))[0] == 0
    assert rows(tmp_path / "two.sqlite") == rows(tmp_path / "one.sqlite")


def test_a_changed_document_is_redone_and_its_old_tweets_go(tmp_path: Path) -> None:
    page = tmp_path / "live.html"
    page.write_text(article_html(3), encoding="utf-8")
    db = tmp_path / "t.sqlite"
    extract_into(db, str(page))
    assert len(rows(db)["tweets"]) == 3
    page.write_text(article_html(3, tweets=1), encoding="utf-8")  # the page was edited: two embeds removed
    os.utime(page, ns=(time.time_ns(), time.time_ns() + 1_000_000))
    code, out = extract_into(db, str(page))
    assert code == 0 and "1 documents, 1 tweets" in out
    after = rows(db)
    assert len(after["tweets"]) == 1 and len(after["citations"]) == 1 and after["articles"][0][3] == 1


def test_failed_documents_are_not_marked_done(tmp_path: Path) -> None:
    page, gone = tmp_path / "page.html", tmp_path / "gone.html"
    page.write_text(article_html(1), encoding="utf-8")
    db = tmp_path / "t.sqlite"
    assert extract_into(db, str(page), str(gone))[0] == 1
    gone.write_text(article_html(2), encoding="utf-8")
    code, out = extract_into(db, str(page), str(gone))
    assert code == 0 and "1 documents, 2 tweets, 0 failed, 1 skipped" in out
    assert [r[0] for r in rows(db)["articles"]] == [str(gone), str(page)]


# Runs the CLI with every document slowed down, so the test can kill it part-way.
_SLOW_RUN = f"""
import sys, time
from tweetparse import batch
_process = batch.process
def slow(doc, options):
    time.sleep({SLOW_DOC_S})
    return _process(doc, options)
batch.process = slow
from tweetparse.cli import main
main(sys.argv[1:])
"""


def test_kill_9_mid_run_leaves_a_consistent_database_and_resume_completes_it(tmp_path: Path) -> None:
    corpus = tmp_path / "crawl"
    write_corpus(corpus, KILL_BATCH)
    reference = tmp_path / "reference.sqlite"
    assert extract_into(reference, "--jobs", "1", str(corpus))[0] == 0

    db = tmp_path / "killed.sqlite"
    proc = subprocess.Popen([sys.executable, "-c", _SLOW_RUN, "extract", "-q", "--jobs", "1", "--db", str(db),
                             str(corpus)], start_new_session=True)
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while _done(db) < KILL_AFTER:
            assert proc.poll() is None, "the run ended before it could be interrupted"
            assert time.monotonic() < deadline, "the run did not get going"
            time.sleep(0.01)
        os.killpg(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
    assert proc.returncode == -signal.SIGKILL

    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        done = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        # One transaction per document: every article holds exactly the citations it counts.
        assert conn.execute("SELECT count(*) FROM articles a WHERE tweets != "
                            "(SELECT count(*) FROM citations c WHERE c.article = a.article)").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM citations c LEFT JOIN tweets t ON t.key = c.tweet_key "
                            "WHERE t.key IS NULL").fetchone() == (0,)
    assert KILL_AFTER <= done < KILL_BATCH

    code, out = extract_into(db, "--jobs", "2", str(corpus))
    assert code == 0
    assert f"{KILL_BATCH - done} documents" in out and f"{done} skipped" in out
    assert rows(db) == rows(reference)


def _done(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=1) as conn:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:  # the schema is not there yet
        return 0
