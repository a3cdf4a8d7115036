"""The ``tweetparse`` command: extract the posts (tweets first) of article files into JSONL, JSON, CSV, SQLite or a feed."""
from __future__ import annotations

import functools
import itertools
import sys
from collections.abc import Generator, Iterable, Iterator
from typing import IO, TYPE_CHECKING, Any, NamedTuple, cast

import click

if TYPE_CHECKING:  # pragma: no cover
    from .core import Kind
    from .record import Platform

__all__ = ["main"]

FORMATS = ("jsonl", "json", "csv", "parquet")
# The networks --platform names, as record.PLATFORMS lists them (written out: importing the record module
# would slow every command's start-up; tests/test_cli.py checks the two agree).
PLATFORM_NAMES = ("twitter", "bluesky", "mastodon", "truthsocial", "threads", "instagram", "facebook", "tiktok",
                  "reddit")

EXTRACT_EXAMPLES = """
\b
Examples:
  tweetparse extract article.html                  # JSONL, one tweet a line
  tweetparse extract --format csv -o tweets.csv pages/*.html
  cat article.txt | tweetparse extract --kind text -
  tweetparse extract --reference-time 2016-12-15T12:00Z article.txt
  tweetparse extract --glob '*.html' --glob '*.html.gz' -j 4 crawl/
  tweetparse extract --db tweets.sqlite crawl/*.warc.gz   # resumable
  find crawl -name '*.htm' | tweetparse extract --stdin-paths --unordered
  tweetparse extract https://example.com/news/storm    # fetched politely (pip install 'tweetparse[fetch]')
  tweetparse extract --urls urls.txt --warc crawl.warc.gz --db tweets.sqlite
  tweetparse extract --engine dask crawl/              # a LocalCluster, one worker a core
  tweetparse extract --engine dask --scheduler tcp://head:8786 \\
      --format parquet -o s3://bucket/tweets/ s3://bucket/crawl/
\b
Gzip files are read transparently; WARC/ARC files (pip install
'tweetparse[warc]') give one document per HTML response record, named
path#offset, with the record's URI as source.url. http(s) URLs are fetched
(robots.txt obeyed, one request a second per host, retries; see
docs/fetching.md), named by the URL given, with the final URL as source.url.
\b
Exit status: 0 all inputs read, 1 some inputs failed (each is named on
stderr as "path: reason"; every other result is still written), 2 usage error.
A summary line (documents, posts found as "tweets", failures, seconds) ends standard error.
"""


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="tweetparse")
def main() -> None:
    """Find the tweets and other social posts embedded in news articles (HTML or flattened text)."""


def _check_reference_time(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from dateutil.parser import isoparse

    if value is None:
        return None
    try:
        isoparse(value)
    except ValueError as exc:
        raise click.BadParameter(f"not an ISO 8601 time: {value!r}", param_hint="--reference-time") from exc
    return value


# --max-bytes suffixes: powers of 1024, as file sizes are usually read.
_SIZE_UNITS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}


def _check_max_bytes(ctx: click.Context, param: click.Parameter, value: str) -> int | None:
    """--max-bytes: a byte count, or with a K, M or G suffix; 0 lifts the limit."""
    text = value.strip().upper().removesuffix("B")
    number, unit = (text[:-1], text[-1]) if text[-1:] in _SIZE_UNITS else (text, "")
    try:
        size = int(float(number) * _SIZE_UNITS[unit])
    except ValueError:
        size = -1
    if size < 0:
        raise click.BadParameter(f"not a size: {value!r} (bytes, or e.g. 64M)", param_hint="--max-bytes")
    return size or None


def _input_options(command: Any) -> Any:
    """The options every command that reads articles shares."""
    for option in reversed((
        click.argument("inputs", nargs=-1),
        click.option("--glob", "globs", multiple=True, metavar="PATTERN",
                     help="In folders, read only files whose name matches (repeatable), e.g. '*.html'."),
        click.option("--stdin-paths", is_flag=True,
                     help="Read the paths (or URLs) of the inputs from standard input, one a line."),
        click.option("--kind", type=click.Choice(("auto", "html", "text")), default="auto", show_default=True,
                     help="Treat inputs as HTML or text instead of sniffing."),
        click.option("--reference-time", metavar="ISO", callback=_check_reference_time,
                     help="Resolve relative times (5h) and year-less dates against this instant."),
        click.option("--platform", "platforms", multiple=True, type=click.Choice(PLATFORM_NAMES),
                     help="Keep only this network's posts (repeatable)  [default: every network's]."),
        click.option("--errors", type=click.Choice(("log", "strict")), default="log", show_default=True,
                     help="log: report a failing input and go on; strict: stop at the first failure."),
        click.option("-j", "--jobs", type=click.IntRange(min=1), default=None,
                     help="Worker processes, and requests in flight when fetching URLs  [default: the number of "
                          "cores]."),
        click.option("--max-bytes", metavar="SIZE", default="64M", show_default=True, callback=_check_max_bytes,
                     help="Skip (and report) a document larger than this after decompression: bytes, or "
                          "with K, M or G; 0 for no limit."),
        click.option("--timeout", metavar="SECONDS", type=click.FloatRange(min=0), default=60, show_default=True,
                     help="Skip (and report) a document whose reading and extraction take longer, stopping "
                          "its worker process; 0 for no limit."),
        click.option("-o", "--output", type=click.File("w", encoding="utf-8", lazy=True), default=None,
                     help="Write here instead of standard output."),
        click.option("-q", "--quiet", is_flag=True,
                     help="No progress and no summary line on standard error."),
        click.option("--engine", type=click.Choice(("local", "dask")), default="local", show_default=True,
                     help="local: worker processes on this machine; dask: a Dask cluster (pip install "
                          "'tweetparse[dask]'), inputs may be fsspec URLs (s3://, gs://, https://)."),
        click.option("--scheduler", metavar="ADDRESS",
                     help="With --engine dask: the scheduler to use, e.g. tcp://host:8786  [default: a "
                          "LocalCluster of --jobs worker processes]."),
    )):
        command = option(command)
    return command


class _FetchArgs(NamedTuple):
    """The fetching options of a command, gathered into one argument."""

    urls: tuple[str, ...]
    warc: str | None
    user_agent: str | None
    delay: float
    per_host: int
    fetch_timeout: float
    retries: int

    def config(self, jobs: int, max_bytes: int | None) -> Any:
        """The fetcher's settings; ``max_bytes`` is the batch's document size limit (None: no limit)."""
        from .fetch import FetchConfig

        settings: dict[str, Any] = {"concurrency": jobs, "per_host": self.per_host, "delay": self.delay,
                                    "total_timeout": self.fetch_timeout, "retries": self.retries}
        if self.user_agent:
            settings["user_agent"] = self.user_agent
        if max_bytes is not None:
            settings["max_bytes"] = max_bytes
        return FetchConfig(**settings)


def _fetch_options(command: Any) -> Any:
    """The options of commands that fetch URLs; the command gets them as one ``fetch`` argument."""
    names = ("urls", "warc", "user_agent", "delay", "per_host", "fetch_timeout", "retries")

    @functools.wraps(command)
    def gathered(*args: Any, **kwargs: Any) -> Any:
        kwargs["fetch"] = _FetchArgs(*(kwargs.pop(name) for name in names))
        return command(*args, **kwargs)

    for option in reversed((
        click.option("--urls", multiple=True, type=click.Path(exists=True, dir_okay=False, allow_dash=True),
                     metavar="FILE", help="Fetch the URLs listed in FILE, one a line (- for standard input; "
                                          "blank lines and # comments skipped). Repeatable."),
        click.option("--warc", type=click.Path(dir_okay=False), metavar="FILE.warc.gz",
                     help="Record every request and response of the URLs fetched in this WARC file "
                          "(appended to). Extracting it again gives the same records."),
        click.option("--user-agent", metavar="TEXT",
                     help="The User-Agent sent, and whose robots.txt rules apply (its first word)  "
                          "[default: tweetparse/VERSION (+home page)]."),
        click.option("--delay", type=click.FloatRange(min=0), default=1.0, show_default=True, metavar="SECONDS",
                     help="Pause between two requests to one host (robots.txt's Crawl-delay can lengthen it)."),
        click.option("--per-host", type=click.IntRange(min=1), default=1, show_default=True, metavar="N",
                     help="Requests to one host at once (--jobs bounds them over all hosts)."),
        click.option("--fetch-timeout", type=click.FloatRange(min=0, min_open=True), default=60.0, show_default=True,
                     metavar="SECONDS", help="Longest a response may take in all (--max-bytes bounds its size)."),
        click.option("--retries", type=click.IntRange(min=0), default=3, show_default=True, metavar="N",
                     help="Tries again after a 5xx, a 429, a timeout or a reset, waiting 1 s, 2 s, 4 s... "
                          "(or what Retry-After says)."),
    )):
        gathered = option(gathered)
    return gathered


class _Batch:
    """Runs the inputs through the batch runner; a failing input is named on stderr as "path: reason"
    and counted, and the closing summary goes to stderr."""

    def __init__(self, inputs: tuple[str, ...], *, globs: tuple[str, ...], stdin_paths: bool, kind: str,
                 reference_time: str | None, errors: str, jobs: int | None, quiet: bool, ordered: bool = True,
                 db: str | None = None, engine: str = "local", scheduler: str | None = None,
                 parquet: str | None = None, fetch: _FetchArgs | None = None, max_bytes: int | None = None,
                 timeout: float = 0, platforms: tuple[str, ...] = ()) -> None:
        from .batch import Progress

        if fetch is not None and (fetch.urls or fetch.warc):
            if engine == "dask":
                raise click.UsageError("--urls and --warc fetch with the local engine: leave out --engine dask")
            if "-" in fetch.urls and ("-" in inputs or stdin_paths):
                raise click.UsageError("--urls - reads standard input, as - and --stdin-paths do: give one of them")
        self.fetch = fetch
        if not inputs and not stdin_paths and not (fetch is not None and fetch.urls):
            raise click.UsageError("name at least one input (a file, a folder, or - for standard input), "
                                   "or give --stdin-paths")
        if stdin_paths and "-" in inputs:
            raise click.UsageError("- and --stdin-paths both read standard input: give one of them")
        if engine == "dask":
            _check_dask(inputs, scheduler=scheduler, jobs=jobs, parquet=parquet)
        elif scheduler is not None:
            raise click.UsageError("--scheduler needs --engine dask")
        elif parquet is not None:
            raise click.UsageError("--format parquet needs --engine dask")
        self.store = _open_store(db) if db is not None else None
        self.engine, self.scheduler, self.parquet = engine, scheduler, parquet
        self.inputs, self.globs, self.stdin_paths = inputs, globs, stdin_paths
        self.kind, self.reference_time, self.strict = kind, reference_time, errors == "strict"
        self.jobs, self.ordered, self.db = jobs, ordered, db
        self.quiet = quiet
        self.max_bytes, self.timeout = max_bytes, timeout or None
        self.platforms = tuple(dict.fromkeys(platforms)) or None
        self.progress = Progress(live=False if quiet else None)

    def __iter__(self) -> Iterator[Any]:
        """Every record, in input order unless the batch is unordered."""
        for result in self.results():
            yield from result.records

    def results(self) -> Iterator[Any]:
        """Each document's result, written to the database when there is one, failures reported."""
        from .batch import CHUNK_DOCS, Options, default_jobs, run
        from .inputs import iter_documents, paths_from_lines

        names: Iterable[str] = self.inputs
        if self.stdin_paths:
            names = itertools.chain(self.inputs, paths_from_lines(sys.stdin.buffer))
        store = self.store
        options = Options(kind=cast("Kind", self.kind), reference_time=self.reference_time, strict=self.strict,
                          max_bytes=self.max_bytes, timeout=self.timeout,
                          platforms=cast("tuple[Platform, ...] | None", self.platforms))
        note = self._note
        fetching = None
        if self.engine == "dask":
            from . import distributed

            results = _cluster_errors(distributed.run(
                names, options, globs=self.globs, scheduler=self.scheduler, workers=self.jobs, ordered=self.ordered,
                parquet=self.parquet, skip=None if store is None else self._skip(store), on_skip=note))
        else:
            jobs = self.jobs or default_jobs()
            fetching = self._fetching(names, jobs, store)
            docs: Iterable[Any] = fetching if fetching is not None else iter_documents(
                names, globs=self.globs, stdin=sys.stdin.buffer, max_bytes=self.max_bytes, on_skip=note)
            if store is not None:
                docs = self._not_done(docs, store)
            # Fetched pages arrive one by one: each goes to a worker as it comes.
            results = _with_counts(run(docs, options, jobs=jobs, ordered=self.ordered,
                                       chunk_docs=1 if fetching is not None else CHUNK_DOCS))
        statuses = fetching.statuses if fetching is not None else {}
        try:
            for result, tweets in results:
                self.progress.add(result, tweets)
                if store is not None:
                    store.write(result, statuses.pop(result.name, None))
                if result.error is not None:
                    self.progress.message(f"{result.name}: {result.error}")
                    if self.strict:
                        return
                yield result
        finally:
            results.close()
            if store is not None:
                store.close()

    def _fetching(self, names: Iterable[str], jobs: int, store: Any) -> Any:
        """A stream that fetches the URLs among the inputs (files pass through), or None when no
        input can be a URL."""
        from .fetch import MAX_BYTES, DocumentStream, FetchConfig, is_url, url_lines

        fetch = self.fetch
        lists = fetch.urls if fetch is not None else ()
        if not lists and not self.stdin_paths and not any(is_url(name) for name in self.inputs):
            return None
        listed = (url for path in lists for url in _listed_urls(path, url_lines))
        try:
            config = (fetch.config(jobs, self.max_bytes) if fetch is not None
                      else FetchConfig(concurrency=jobs, max_bytes=self.max_bytes or MAX_BYTES))
        except ValueError as exc:
            raise click.UsageError(str(exc)) from exc
        done = store.fetched_urls() if store is not None else frozenset()

        def skipped() -> None:
            self.progress.skipped += 1

        return DocumentStream(itertools.chain(names, listed), globs=self.globs, stdin=sys.stdin.buffer, config=config,
                              warc=fetch.warc if fetch is not None else None, done=done, ordered=self.ordered,
                              on_skip=skipped)

    def _note(self, path: str, reason: str) -> None:
        """A file left out on purpose (a FIFO in a folder): said, not counted as a failure."""
        self.progress.message(f"{path}: {reason}")

    def _skip(self, store: Any) -> Any:
        def done(doc: Any) -> bool:
            if store.is_done(doc):
                self.progress.skipped += 1
                return True
            return False

        return done

    def _not_done(self, docs: Iterable[Any], store: Any) -> Iterator[Any]:
        for doc in docs:
            if store.is_done(doc):
                self.progress.skipped += 1
            else:
                yield doc

    def exit(self) -> None:
        self.progress.clear()
        if not self.quiet:
            click.echo(self.progress.summary(), err=True)
        if self.progress.failures:
            sys.exit(1)


def _open_store(path: str) -> Any:
    """The --db store, or a usage error naming the path and why it cannot be opened (before any input)."""
    import os
    import sqlite3

    from .store import Store

    parent = os.path.dirname(path) or "."
    if not os.path.isdir(parent):
        raise click.BadParameter(f"{path}: no such folder: {parent}", param_hint="'--db'")
    try:
        return Store(path)
    except sqlite3.DatabaseError as exc:
        # "file is not a database" / "unable to open database file" / a locked or read-only file
        raise click.BadParameter(f"{path}: cannot be opened as a SQLite database ({exc})",
                                 param_hint="'--db'") from exc
    except ValueError as exc:  # a database of another tweetparse version
        raise click.BadParameter(str(exc), param_hint="'--db'") from exc


def _listed_urls(path: str, url_lines: Any) -> Iterator[str]:
    """The URLs of a --urls file (- for standard input), read as they are needed."""
    if path == "-":
        yield from url_lines(sys.stdin.buffer)
        return
    with open(path, "rb") as stream:
        yield from url_lines(stream)


def _with_counts(results: Generator[Any, None, None]) -> Generator[tuple[Any, int], None, None]:
    try:
        for result in results:
            yield result, len(result.records)
    finally:
        results.close()  # stops the local workers when the batch stops early (--errors strict)


def _cluster_errors(results: Generator[Any, None, None]) -> Generator[Any, None, None]:
    """A cluster that cannot be used (no scheduler) is one error line and exit status 1, not a traceback."""
    from .distributed import ClusterError

    try:
        yield from results
    except ClusterError as exc:
        raise click.ClickException(str(exc)) from exc


def _check_dask(inputs: tuple[str, ...], *, scheduler: str | None, jobs: int | None, parquet: str | None) -> None:
    """Usage errors of --engine dask, before anything starts: the extra missing, standard input, options
    that contradict each other."""
    try:
        import distributed  # noqa: F401
        import fsspec  # noqa: F401
        if parquet is not None:
            import pyarrow  # noqa: F401
    except ImportError as exc:
        from .distributed import DASK_MISSING

        raise click.UsageError(f"{DASK_MISSING} ({exc})") from exc
    if "-" in inputs:
        raise click.UsageError("--engine dask reads files and URLs, not standard input: save it to a file")
    if scheduler is not None and jobs is not None:
        raise click.UsageError("--jobs sets the workers of a LocalCluster: leave it out with --scheduler")


@main.command("extract", epilog=EXTRACT_EXAMPLES)
@_input_options
@_fetch_options
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="jsonl", show_default=True,
              help="Output format; parquet only with --engine dask, into the folder -o names.")
@click.option("--unordered", is_flag=True, help="Write each document's records as soon as it is done.")
@click.option("--db", type=click.Path(dir_okay=False), metavar="FILE.sqlite",
              help="Write the records into this SQLite database (resumes: documents already there are "
                   "skipped); then nothing goes to standard output unless -o is given.")
def extract_command(inputs: tuple[str, ...], fmt: str, output: IO[str] | None, unordered: bool,
                    db: str | None, **options: Any) -> None:
    """Extract the posts of INPUTS (files, folders, .gz, WARC/ARC, or - for standard input)."""
    if fmt == "parquet":
        if options.get("engine") != "dask":
            raise click.UsageError("--format parquet needs --engine dask (pip install 'tweetparse[dask]'); "
                                   "the local engine writes jsonl, json or csv")
        _parquet(inputs, output, unordered, db, options)
        return
    batch = _Batch(inputs, ordered=not unordered, db=db, **options)
    if output is None and db is None:
        output = click.open_file("-", "w", encoding="utf-8")
    writer = _writer(fmt, output) if output is not None else None
    if writer is not None:
        next(writer)
    for record in batch:
        if writer is not None:
            writer.send(record)
    if writer is not None:
        writer.close()
    if output is not None:
        output.flush()
    batch.exit()


def _parquet(inputs: tuple[str, ...], output: IO[str] | None, unordered: bool, db: str | None,
             options: dict[str, Any]) -> None:
    """--format parquet: the workers write one file per partition into the folder -o names."""
    folder = getattr(output, "name", None)
    if output is None or folder in (None, "-", "<stdout>"):
        raise click.UsageError("--format parquet writes a folder: name it with -o DIR")
    if db is not None:
        raise click.UsageError("--format parquet and --db are two outputs: give one of them")
    batch = _Batch(inputs, ordered=not unordered, parquet=str(folder), **options)
    _check_parquet_folder(str(folder))
    for _ in batch.results():
        pass
    batch.exit()


def _check_parquet_folder(folder: str) -> None:
    """A folder with parts of an earlier run would mix them with this run's: refuse it."""
    from fsspec.core import url_to_fs

    fs, root = url_to_fs(folder)
    if fs.exists(root) and not fs.isdir(root):
        raise click.UsageError(f"-o {folder}: not a folder")
    if fs.exists(root) and fs.ls(root, detail=False):
        raise click.UsageError(f"-o {folder}: the folder is not empty (Parquet parts of another run would mix in)")


FEED_EXAMPLES = """
\b
Examples:
  tweetparse feed --format json-feed -o feed.json articles/
  tweetparse feed --format atom -o feed.xml a.html b.html
  tweetparse feed --format html -o report.html articles/   # counts, chart, cards
  tweetparse feed --format html --glob '*.html' --glob '*.txt' -o r.html corpus/
\b
One item per tweet (same status id, or same handle and text), listing every
article that embedded it, newest first. Folders are read whole: --glob picks
the names to read. Exit status as for extract.
"""


@main.command("feed", epilog=FEED_EXAMPLES)
@_input_options
@_fetch_options
@click.option("--format", "fmt", type=click.Choice(("json-feed", "atom", "jsonl", "csv", "html")),
              default="json-feed", show_default=True, help="Feed format.")
@click.option("--title", default="Tweets cited in articles", show_default=True, help="The feed's title.")
def feed_command(inputs: tuple[str, ...], fmt: str, output: IO[str] | None, title: str,
                 **options: Any) -> None:
    """Merge the posts of INPUTS into one deduplicated feed."""
    from .feed import build_feed, render_feed
    from .record import Tweet

    batch = _Batch(inputs, **options)
    output = output if output is not None else click.open_file("-", "w", encoding="utf-8")
    output.write(render_feed(build_feed(Tweet.from_dict(r) for r in batch), fmt, title))
    output.flush()
    batch.exit()


def _writer(fmt: str, output: IO[str]) -> Any:
    """A coroutine that writes each record it is sent, and closes the document when closed."""
    import json

    if fmt == "jsonl":
        try:
            while True:
                output.write(json.dumps((yield), ensure_ascii=False) + "\n")
        except GeneratorExit:
            return
    if fmt == "json":
        first = True
        output.write("[")
        try:
            while True:
                record = yield
                output.write(("\n" if first else ",\n") + json.dumps(record, ensure_ascii=False))
                first = False
        except GeneratorExit:
            output.write("\n]\n" if not first else "]\n")
            return
    import csv

    from .output import CSV_COLUMNS, csv_row

    table = csv.writer(output)
    table.writerow(CSV_COLUMNS)
    try:
        while True:
            table.writerow(csv_row((yield)))
    except GeneratorExit:
        return


if __name__ == "__main__":  # pragma: no cover
    main()
