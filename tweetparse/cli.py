"""The ``tweetparse`` command: extract the tweets of article files into JSONL, JSON or CSV."""
from __future__ import annotations

import sys
from typing import IO, Any, Iterator

import click

__all__ = ["main"]

FORMATS = ("jsonl", "json", "csv")

EXTRACT_EXAMPLES = """
\b
Examples:
  tweetparse extract article.html                  # JSONL, one tweet a line
  tweetparse extract --format csv -o tweets.csv pages/*.html
  cat article.txt | tweetparse extract --kind text -
  tweetparse extract --reference-time 2016-12-15T12:00Z article.txt
\b
Exit status: 0 all inputs read, 1 some inputs failed (each is named on
stderr as "path: reason"; every other result is still written), 2 usage error.
"""


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="tweetparse")
def main() -> None:
    """Find the tweets embedded in news articles (HTML or flattened text)."""


def _check_reference_time(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from dateutil.parser import isoparse

    if value is None:
        return None
    try:
        isoparse(value)
    except ValueError as exc:
        raise click.BadParameter(f"not an ISO 8601 time: {value!r}", param_hint="--reference-time") from exc
    return value


def _input_options(command: Any) -> Any:
    """The options every command that reads articles shares."""
    for option in reversed((
        click.argument("inputs", nargs=-1, required=True),
        click.option("--kind", type=click.Choice(("auto", "html", "text")), default="auto", show_default=True,
                     help="Treat inputs as HTML or text instead of sniffing."),
        click.option("--reference-time", metavar="ISO", callback=_check_reference_time,
                     help="Resolve relative times (5h) and year-less dates against this instant."),
        click.option("--errors", type=click.Choice(("log", "strict")), default="log", show_default=True,
                     help="log: report a failing input and go on; strict: stop at the first failure."),
        click.option("-o", "--output", type=click.File("w", encoding="utf-8", lazy=True), default="-",
                     help="Write here instead of standard output."),
    )):
        command = option(command)
    return command


class _Batch:
    """Reads the inputs one by one; a failing input is named on stderr and skipped, and counted."""

    def __init__(self, inputs: tuple[str, ...], kind: str, reference_time: str | None, errors: str) -> None:
        self.inputs, self.kind, self.reference_time, self.errors = inputs, kind, reference_time, errors
        self.failures = 0

    def __iter__(self) -> Iterator[Any]:
        from .core import extract

        for path in _expand(self.inputs):
            try:
                data = sys.stdin.buffer.read() if path == "-" else _read(path)
                tweets = extract(data, kind=self.kind, reference_time=self.reference_time, article=path,
                                 errors=self.errors)
            except Exception as exc:  # one bad input must not lose the others
                self.failures += 1
                click.echo(f"{path}: {_reason(exc)}", err=True)
                if self.errors == "strict":
                    return
                continue
            yield from tweets

    def exit(self) -> None:
        if self.failures:
            sys.exit(1)


@main.command("extract", epilog=EXTRACT_EXAMPLES)
@_input_options
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="jsonl", show_default=True,
              help="Output format.")
def extract_command(inputs: tuple[str, ...], fmt: str, output: IO[str], kind: str,
                    reference_time: str | None, errors: str) -> None:
    """Extract the tweets of INPUTS (files, folders, or - for standard input)."""
    batch = _Batch(inputs, kind, reference_time, errors)
    writer = _writer(fmt, output)
    next(writer)
    for tweet in batch:
        writer.send(tweet.to_dict())
    writer.close()
    output.flush()
    batch.exit()


FEED_EXAMPLES = """
\b
Examples:
  tweetparse feed --format json-feed -o feed.json articles/
  tweetparse feed --format atom -o feed.xml a.html b.html
  tweetparse feed --format html -o tweets.html articles/
\b
One item per tweet (same status id, or same handle and text), listing every
article that embedded it, newest first. Exit status as for extract.
"""


@main.command("feed", epilog=FEED_EXAMPLES)
@_input_options
@click.option("--format", "fmt", type=click.Choice(("json-feed", "atom", "jsonl", "csv", "html")),
              default="json-feed", show_default=True, help="Feed format.")
@click.option("--title", default="Tweets cited in articles", show_default=True, help="The feed's title.")
def feed_command(inputs: tuple[str, ...], fmt: str, output: IO[str], kind: str,
                 reference_time: str | None, errors: str, title: str) -> None:
    """Merge the tweets of INPUTS into one deduplicated feed."""
    from .feed import build_feed, render_feed

    batch = _Batch(inputs, kind, reference_time, errors)
    rendered = render_feed(build_feed(batch), fmt, title)
    output.write(rendered.decode("utf-8") if isinstance(rendered, bytes) else rendered)
    output.flush()
    batch.exit()


def _read(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read()


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return f"{type(exc).__name__}: {exc}"


def _expand(inputs: tuple[str, ...]) -> Iterator[str]:
    """Files as given; folders walked recursively in sorted order."""
    import os

    for item in inputs:
        if item != "-" and os.path.isdir(item):
            for folder, dirs, files in os.walk(item):
                dirs.sort()
                for name in sorted(files):
                    if not name.startswith("."):
                        yield os.path.join(folder, name)
        else:
            yield item


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
