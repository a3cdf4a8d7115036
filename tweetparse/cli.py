"""The ``tweetparse`` command: extract the tweets of article files into JSONL, JSON or CSV."""
from __future__ import annotations

import sys
from typing import IO, Any, Iterator

import click

__all__ = ["main"]

FORMATS = ("jsonl", "json", "csv")
CSV_COLUMNS = ("id", "url", "handle", "name", "created_at", "created_at_precision", "text", "lang", "links",
               "hashtags", "mentions", "form", "hidden", "article", "start", "end", "element", "warnings")

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


@main.command("extract", epilog=EXTRACT_EXAMPLES)
@click.argument("inputs", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="jsonl", show_default=True,
              help="Output format.")
@click.option("-o", "--output", type=click.File("w", encoding="utf-8", lazy=True), default="-",
              help="Write here instead of standard output.")
@click.option("--kind", type=click.Choice(("auto", "html", "text")), default="auto", show_default=True,
              help="Treat inputs as HTML or text instead of sniffing.")
@click.option("--reference-time", metavar="ISO",
              help="Resolve relative times (5h) and year-less dates against this instant.")
@click.option("--errors", type=click.Choice(("log", "strict")), default="log", show_default=True,
              help="log: report a failing input and go on; strict: stop at the first failure.")
def extract_command(inputs: tuple[str, ...], fmt: str, output: IO[str], kind: str,
                    reference_time: str | None, errors: str) -> None:
    """Extract the tweets of INPUTS (files, folders, or - for standard input)."""
    from .core import extract

    if reference_time is not None:
        reference_time = _check_reference_time(reference_time)
    failures = 0
    writer = _writer(fmt, output)
    next(writer)
    for path in _expand(inputs):
        try:
            data = sys.stdin.buffer.read() if path == "-" else _read(path)
            tweets = extract(data, kind=kind, reference_time=reference_time, article=path,
                             errors="strict" if errors == "strict" else "log")
        except Exception as exc:  # one bad input must not lose the others
            failures += 1
            click.echo(f"{path}: {_reason(exc)}", err=True)
            if errors == "strict":
                break
            continue
        for tweet in tweets:
            writer.send(tweet.to_dict())
    writer.close()
    output.flush()
    if failures:
        sys.exit(1)


def _check_reference_time(value: str) -> str:
    from dateutil.parser import isoparse

    try:
        isoparse(value)
    except ValueError as exc:
        raise click.BadParameter(f"not an ISO 8601 time: {value!r}", param_hint="--reference-time") from exc
    return value


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

    table = csv.writer(output)
    table.writerow(CSV_COLUMNS)
    try:
        while True:
            table.writerow(_csv_row((yield)))
    except GeneratorExit:
        return


def _csv_row(record: dict[str, Any]) -> list[Any]:
    source = record.get("source") or {}
    flat = dict(record, article=source.get("article"), start=source.get("start"), end=source.get("end"),
                element=source.get("element"))
    flat["links"] = " ".join(link["url"] for link in record.get("links") or ())
    for key in ("hashtags", "mentions", "warnings"):
        flat[key] = " ".join(record.get(key) or ())
    return ["" if flat.get(col) is None else flat[col] for col in CSV_COLUMNS]


if __name__ == "__main__":  # pragma: no cover
    main()
