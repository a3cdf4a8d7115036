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
from .merge import post_key, rank, text_key
from .output import flat_row
from .record import Post

if TYPE_CHECKING:  # pragma: no cover
    from .fetch import FetchStatus

__all__ = ["Store", "tweet_row_key"]

SCHEMA_VERSION = 2
SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    article     TEXT PRIMARY KEY,   -- the input's name: a path, path#offset for a WARC record, - for stdin
    url         TEXT,
    fingerprint TEXT NOT NULL,      -- size:mtime_ns of the file, or sha256 of stdin: a changed one is redone
    tweets      INTEGER NOT NULL,   -- how many posts it cites
    error       TEXT,               -- set when it failed (fetch or extractor): redone next time
    status      INTEGER,            -- a fetched URL's final HTTP status (NULL for files)
    fetched_at  TEXT                -- when a URL was fetched, ISO 8601 UTC (NULL for files)
);
CREATE TABLE IF NOT EXISTS tweets (
    key        TEXT PRIMARY KEY,    -- platform:id, or h: and a hash of the platform, handle and folded text
    text_key   TEXT,                -- the hash of platform, handle and folded text (merge.text_key), when both are known
    platform   TEXT NOT NULL,
    id         TEXT,
    url        TEXT,
    handle     TEXT,
    name       TEXT,
    created_at TEXT,
    created_at_precision TEXT,
    text       TEXT NOT NULL,
    lang       TEXT,
    record     TEXT NOT NULL,       -- the full record (Post.to_dict() as JSON) of the best copy
    rank       INTEGER NOT NULL,    -- how good that copy is (merge.rank)
    best_article TEXT NOT NULL      -- the article the copy is from (breaks ties, so any order gives one row)
);
CREATE INDEX IF NOT EXISTS tweets_by_text ON tweets(text_key);
CREATE TABLE IF NOT EXISTS citations (
    tweet_key  TEXT NOT NULL REFERENCES tweets(key) DEFERRABLE INITIALLY DEFERRED,
    article    TEXT NOT NULL REFERENCES articles(article) DEFERRABLE INITIALLY DEFERRED,
    position   INTEGER NOT NULL,    -- order of the post in the article
    form       TEXT,
    hidden     INTEGER NOT NULL,
    record     TEXT NOT NULL,       -- the record as found in this article, with its source
    PRIMARY KEY (tweet_key, article)
);
CREATE INDEX IF NOT EXISTS citations_by_article ON citations(article);
"""
# The tweets table's columns that hold a record's flat row (output.flat_row), after key and text_key.
_ROW_COLUMNS = ("platform", "id", "url", "handle", "name", "created_at", "created_at_precision", "text", "lang")
# Below SQLite's default synchronous=FULL: with WAL, NORMAL still survives a killed process
# (only a power cut can lose the last transactions, never consistency) and is much faster.
PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=ON")


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def tweet_row_key(record: dict[str, Any]) -> str:
    """The tweets table's own key for a record: its network and id, else a hash of what identifies an
    id-less copy (see merge.text_key)."""
    post = Post.from_dict(record)
    if post.id:
        return f"{post.platform}:{post.id}"
    return "h:" + _hash(post_key(post))


def _json(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, sort_keys=False, separators=(",", ":"))


class Store:
    """A SQLite file of posts (table ``tweets``), articles and citations, written one document per transaction."""

    def __init__(self, path: str) -> None:
        # isolation_level=None: transactions are begun and committed explicitly, one per document.
        self.db = sqlite3.connect(path, isolation_level=None)
        for pragma in PRAGMAS:
            self.db.execute(pragma)
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version not in (0, SCHEMA_VERSION):
            self.db.close()
            raise ValueError(f"{path} was written by another version of tweetparse (schema {version}, "
                             f"this one writes {SCHEMA_VERSION}): give a new file")
        self.db.executescript(SCHEMA)
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

        A failed document that gave no post leaves the database as it was (the next run tries it
        again), except that a URL's failure is noted with its ``fetch`` status; one whose extractor
        failed after others found posts is recorded with those posts and its error, so it is
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
            repick = {key for (key,) in db.execute("SELECT tweet_key FROM citations WHERE article=?",
                                                   (result.name,))}
            db.execute("DELETE FROM citations WHERE article=?", (result.name,))
            db.execute("INSERT OR REPLACE INTO articles(article, url, fingerprint, tweets, error, status, fetched_at) "
                       "VALUES (?,?,?,?,?,?,?)",
                       (result.name, result.url, result.fingerprint, len(result.records), result.error, status,
                        fetched_at))
            fresh = set()
            for position, record in enumerate(result.records):
                post = Post.from_dict(record)
                key = self._key(post, repick)
                if key in fresh:  # merge() folded copies already; a hash collision must not fail the document
                    continue
                fresh.add(key)
                db.execute("INSERT INTO citations(tweet_key, article, position, form, hidden, record) "
                           "VALUES (?,?,?,?,?,?)",
                           (key, result.name, position, record.get("form"), int(bool(record.get("hidden"))),
                            _json(record)))
                self._offer(key, post, record, result.name)
            # A post this document cited before, or whose copies were just gathered under one key, takes
            # its best remaining copy.
            for key in repick:
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

    def _key(self, post: Post, repick: set[str]) -> str:
        """The row a copy of a post belongs to, by the one rule merge() folds copies by: its id; else the
        row of the same author and text. A copy with an id takes over the rows of id-less copies of it."""
        folded = text_key(post)
        hashed = _hash(folded) if folded is not None else None
        if post.id:
            key = f"{post.platform}:{post.id}"
            if hashed is not None:
                for (old,) in self.db.execute("SELECT key FROM tweets WHERE text_key=? AND id IS NULL",
                                              (hashed,)).fetchall():
                    self.db.execute("UPDATE OR IGNORE citations SET tweet_key=? WHERE tweet_key=?", (key, old))
                    self.db.execute("DELETE FROM citations WHERE tweet_key=?", (old,))
                    self.db.execute("DELETE FROM tweets WHERE key=?", (old,))
                    repick.add(key)
            return key
        if hashed is not None:
            row = self.db.execute("SELECT key FROM tweets WHERE text_key=? ORDER BY id IS NULL, key LIMIT 1",
                                  (hashed,)).fetchone()
            if row is not None:
                return str(row[0])
        return "h:" + _hash(post_key(post))

    def _offer(self, key: str, post: Post, record: dict[str, Any], article: str) -> None:
        """Make this copy the post's row when it is better than the one stored (merge.rank; ties: the
        smaller article name), so the row does not depend on the order documents finish in."""
        canonical = dict(record)
        canonical.pop("source", None)
        row = flat_row(record)
        folded = text_key(post)
        values = (key, _hash(folded) if folded is not None else None, *(row[name] for name in _ROW_COLUMNS),
                  _json(canonical), rank(post), article)
        columns = ("key", "text_key", *_ROW_COLUMNS, "record", "rank", "best_article")
        updates = ", ".join(f"{name}=excluded.{name}" for name in columns[1:])
        self.db.execute(
            f"INSERT INTO tweets({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) "
            f"ON CONFLICT(key) DO UPDATE SET {updates} "
            "WHERE excluded.rank > tweets.rank OR (excluded.rank = tweets.rank AND "
            "excluded.best_article <= tweets.best_article)",
            values,
        )

    def _repick(self, key: str) -> None:
        """Drop a post's row and offer it every copy still cited: the best one stays (none: no row)."""
        self.db.execute("DELETE FROM tweets WHERE key=?", (key,))
        for article, record_json in self.db.execute(
            "SELECT article, record FROM citations WHERE tweet_key=?", (key,)
        ).fetchall():
            record = json.loads(record_json)
            self._offer(key, Post.from_dict(record), record, article)
