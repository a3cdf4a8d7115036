"""Keep a batch's records in SQLite: tweets, articles and which article cites which tweet, resumable.

Each document is written in one transaction (WAL journal), so a run killed at any moment leaves
every document either fully written or absent, and the next run skips the ones that are done.

>>> store = Store("tweets.sqlite")                     # doctest: +SKIP
>>> store.is_done(doc) or store.write(result)          # doctest: +SKIP
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
from typing import TYPE_CHECKING, Any

from .batch import Result
from .inputs import Document

if TYPE_CHECKING:
    from .fetch import FetchStatus
from .merge import tweet_key
from .record import Tweet

__all__ = ["Store", "tweet_row_key"]

SCHEMA_VERSION = 2
# Columns added since version 1, and their types: an older database gets them on open.
ADDED_ARTICLE_COLUMNS = (("status", "INTEGER"), ("fetched_at", "TEXT"))
SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    article     TEXT PRIMARY KEY,   -- the input's name: a path, path#offset for a WARC record, - for stdin
    url         TEXT,
    fingerprint TEXT NOT NULL,      -- size:mtime_ns of the file, or sha256 of stdin: a changed one is redone
    tweets      INTEGER NOT NULL,
    error       TEXT,               -- set when it failed (fetch or extractor): redone next time
    status      INTEGER,            -- a fetched URL's final HTTP status (NULL for files)
    fetched_at  TEXT                -- when a URL was fetched, ISO 8601 UTC (NULL for files)
);
CREATE TABLE IF NOT EXISTS tweets (
    key        TEXT PRIMARY KEY,    -- the status id, or h: and a hash of the handle and the folded text
    id         TEXT,
    url        TEXT,
    handle     TEXT,
    name       TEXT,
    created_at TEXT,
    created_at_precision TEXT,
    text       TEXT NOT NULL,
    lang       TEXT,
    record     TEXT NOT NULL,       -- the full record (Tweet.to_dict() as JSON) of the best copy
    rank       INTEGER NOT NULL,    -- how good that copy is; see _rank
    best_article TEXT NOT NULL      -- the article the copy is from (breaks ties, so any order gives one row)
);
CREATE TABLE IF NOT EXISTS citations (
    tweet_key  TEXT NOT NULL REFERENCES tweets(key) DEFERRABLE INITIALLY DEFERRED,
    article    TEXT NOT NULL REFERENCES articles(article) DEFERRABLE INITIALLY DEFERRED,
    position   INTEGER NOT NULL,    -- order of the tweet in the article
    form       TEXT,
    hidden     INTEGER NOT NULL,
    record     TEXT NOT NULL,       -- the record as found in this article, with its source
    PRIMARY KEY (tweet_key, article)
);
CREATE INDEX IF NOT EXISTS citations_by_article ON citations(article);
"""
# Which time is the better one to keep, when copies of a tweet disagree.
_PRECISION_RANK = {"millisecond": 5, "second": 4, "minute": 3, "hour": 2, "day": 1}
_FILLED = ("handle", "name", "created_at", "text", "lang", "links")
# Below SQLite's default synchronous=FULL: with WAL, NORMAL still survives a killed process
# (only a power cut can lose the last transactions, never consistency) and is much faster.
PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=ON")


def tweet_row_key(record: dict[str, Any]) -> str:
    """The tweets table's key for a record: the status id, else a hash of what merge() folds copies by."""
    if record.get("id"):
        return str(record["id"])
    folded = tweet_key(Tweet(handle=record.get("handle"), text=record.get("text") or ""))[1]
    return "h:" + hashlib.sha256(folded.encode("utf-8")).hexdigest()[:32]


def _rank(record: dict[str, Any]) -> int:
    """Live over hidden, then the more exact time, then the more fields filled."""
    filled = sum(1 for name in _FILLED if record.get(name))
    precision = _PRECISION_RANK.get(record.get("created_at_precision") or "", 0)
    return (0 if record.get("hidden") else 1000) + precision * 100 + filled


def _json(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=False, separators=(",", ":"))


class Store:
    """A SQLite file of tweets, articles and citations, written one document per transaction."""

    def __init__(self, path: str) -> None:
        # isolation_level=None: transactions are begun and committed explicitly, one per document.
        self.db = sqlite3.connect(path, isolation_level=None)
        for pragma in PRAGMAS:
            self.db.execute(pragma)
        self.db.executescript(SCHEMA)
        present = {row[1] for row in self.db.execute("PRAGMA table_info(articles)")}
        for column, kind in ADDED_ARTICLE_COLUMNS:
            if column not in present:
                self.db.execute(f"ALTER TABLE articles ADD COLUMN {column} {kind}")
        self.db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    def is_done(self, doc: Document) -> bool:
        """Whether this version of the document was written, without a failure, by an earlier run."""
        if doc.error is not None or not doc.fingerprint:
            return False
        row = self.db.execute("SELECT fingerprint, error FROM articles WHERE article=?",
                              (doc.name,)).fetchone()
        return row is not None and row[0] == doc.fingerprint and row[1] is None

    def fetched_urls(self) -> frozenset[str]:
        """The URLs an earlier run fetched and extracted without a failure: a resumed run skips them."""
        return frozenset(article for (article,) in self.db.execute(
            "SELECT article FROM articles WHERE error IS NULL AND status IS NOT NULL"))

    def write(self, result: Result, fetch: FetchStatus | None = None) -> None:
        """Replace what the database holds for this document by the result, in one transaction.

        A failed document that gave no tweet leaves the database as it was (the next run tries it
        again), except that a URL's failure is noted with its ``fetch`` status; one whose extractor
        failed after others found tweets is recorded with those tweets and its error, so it is
        redone next time too.
        """
        status, fetched_at = (fetch.status, fetch.fetched_at) if fetch is not None else (None, None)
        if result.error is not None and not result.records:
            if fetch is not None:
                self._note_failure(result, status, fetched_at)
            return
        db = self.db
        db.execute("BEGIN IMMEDIATE")
        try:
            stale = [key for (key,) in db.execute("SELECT tweet_key FROM citations WHERE article=?",
                                                  (result.name,))]
            db.execute("DELETE FROM citations WHERE article=?", (result.name,))
            db.execute("INSERT OR REPLACE INTO articles(article, url, fingerprint, tweets, error, status, fetched_at) "
                       "VALUES (?,?,?,?,?,?,?)",
                       (result.name, result.url, result.fingerprint, len(result.records), result.error, status,
                        fetched_at))
            fresh = set()
            for position, record in enumerate(result.records):
                key = tweet_row_key(record)
                if key in fresh:  # merge() folded copies already; a hash collision must not fail the document
                    continue
                fresh.add(key)
                db.execute("INSERT INTO citations(tweet_key, article, position, form, hidden, record) "
                           "VALUES (?,?,?,?,?,?)",
                           (key, result.name, position, record.get("form"), int(bool(record.get("hidden"))),
                            _json(record)))
                self._offer(key, record, result.name)
            # A tweet this document cited before may have had its row from the old copy.
            for key in stale:
                self._repick(key)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def close(self) -> None:
        self.db.close()

    def _note_failure(self, result: Result, status: int | None, fetched_at: str | None) -> None:
        """A URL that could not be fetched: its row says why (tweets an earlier run found stay)."""
        self.db.execute(
            "INSERT INTO articles(article, url, fingerprint, tweets, error, status, fetched_at) "
            "VALUES (?,?,'',0,?,?,?) ON CONFLICT(article) DO UPDATE SET url=excluded.url, error=excluded.error, "
            "status=excluded.status, fetched_at=excluded.fetched_at",
            (result.name, result.url, result.error, status, fetched_at))

    def _offer(self, key: str, record: dict[str, Any], article: str) -> None:
        """Make this copy the tweet's row when it is better than the one stored (ties: the smaller
        article name), so the row does not depend on the order documents finish in."""
        canonical = dict(record)
        canonical.pop("source", None)
        self.db.execute(
            "INSERT INTO tweets(key, id, url, handle, name, created_at, created_at_precision, text, lang, "
            "record, rank, best_article) VALUES (?,?,?,?,?,?,?,?,?,?,?,?) "
            "ON CONFLICT(key) DO UPDATE SET id=excluded.id, url=excluded.url, handle=excluded.handle, "
            "name=excluded.name, created_at=excluded.created_at, "
            "created_at_precision=excluded.created_at_precision, text=excluded.text, lang=excluded.lang, "
            "record=excluded.record, rank=excluded.rank, best_article=excluded.best_article "
            "WHERE excluded.rank > tweets.rank OR (excluded.rank = tweets.rank AND "
            "(excluded.best_article < tweets.best_article OR excluded.best_article = tweets.best_article))",
            (key, record.get("id"), record.get("url"), record.get("handle"), record.get("name"),
             record.get("created_at"), record.get("created_at_precision"), record.get("text") or "",
             record.get("lang"), _json(canonical), _rank(record), article),
        )

    def _repick(self, key: str) -> None:
        """A document no longer cites this tweet: drop it, or take its best remaining copy."""
        self.db.execute("DELETE FROM tweets WHERE key=?", (key,))
        for article, record_json in self.db.execute(
            "SELECT article, record FROM citations WHERE tweet_key=?", (key,)
        ).fetchall():
            self._offer(key, json.loads(record_json), article)
