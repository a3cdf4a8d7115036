"""Time and peak memory of extract() on each hostile document, at the issue's full sizes.

Each document runs in its own child process, so its peak RSS (getrusage) is its own; tracemalloc's
peak counts the Python-side allocations (lxml's C tree is outside it). A document still running
after --timeout seconds is reported as a hang.

    python bench/bench_hostile.py                 # every document, full sizes
    python bench/bench_hostile.py --only nul-flood --timeout 60
"""
from __future__ import annotations

import argparse
import json
import platform
import random
import subprocess
import sys
import time
from collections.abc import Callable

M = 1_000_000
_STATUS = "https://twitter.com/jane/status/816996473455656960"
_EMBED = ('<blockquote class="twitter-tweet"><p lang="en">Snow! #cold</p>&mdash; Jane (@jane) '
          f'<a href="{_STATUS}">January 5, 2017</a></blockquote>')
_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(f' <!ENTITY lol{i} "{(f"&lol{i - 1};" if i > 1 else "&lol;") * 10}">\n' for i in range(1, 10))
    + ']>\n<html><body><p>twitter &lol9;</p>' + _EMBED + "</body></html>"
)
_ARTICLE = ("<p>" + "Council members debated the harbour budget (@cityhall) late into the night. " * 12
            + "</p>\n" + _EMBED + "\n")

# The hostile documents at full size: name -> (builder, extract() keyword arguments).
DOCUMENTS: dict[str, tuple[Callable[[], bytes | str], dict[str, str]]] = {
    "NUL flood, 100 MB": (lambda: b"\x00" * (100 * M), {}),
    "random binary, 100 MB": (lambda: random.Random(7).randbytes(100 * M), {}),
    "article page, 100 MB": (lambda: ("<html><body>" + _ARTICLE * (100 * M // len(_ARTICLE))).encode(), {}),
    "200k-deep nesting": (lambda: "<html><body>" + "<div>" * 200_000 + "twitter" + "</div>" * 200_000, {}),
    "'(@' x 1M, text": (lambda: "(@" * M, {}),
    "'(@a) ' x 1M, text": (lambda: "(@a) " * M, {}),
    "'(@' x 1M in a <p>": (lambda: "<html><body><p>" + "(@" * M + "</p></body></html>", {}),
    "billion laughs": (lambda: _LAUGHS, {}),
    "20 MB attribute": (lambda: '<html><body><div class="twitter" data-tweet-id="' + "1" * (20 * M) + '">x</div>'
                        + _EMBED + "</body></html>", {}),
    "10 MB single line, text": (lambda: "— Jane (@jane) January 5, 2017 " + "word " * (2 * M), {}),
    "10 MB single line, html": (lambda: "<html><body><p>— Jane (@jane) " + "word " * (2 * M) + "</p></body></html>", {}),
    "100k nested blockquotes": (lambda: "<html><body>" + '<blockquote class="twitter-tweet"><p>x</p>' * 100_000
                                + _EMBED + "</blockquote>" * 100_000, {}),
    "1M status links, text": (lambda: "(@a) " + f"{_STATUS} " * M, {}),
    "1M status links, html": (lambda: "<html><body>" + f'<p><a href="{_STATUS}">January 5, 2017</a></p>' * M, {}),
    "'[' x 1M": (lambda: "— Jane (@jane) January 5, 2017\n" + "[" * M, {}),
    "'](' x 1M": (lambda: "](" * M + "\n— Jane (@jane) January 5, 2017", {}),
    "100k attributed tweets, text": (lambda: "Snow again #cold\n— Jane (@jane) January 5, 2017\n" * 100_000, {}),
}


def _child(name: str) -> None:
    import resource
    import tracemalloc

    import tweetparse

    build, options = DOCUMENTS[name]
    document = build()
    tracemalloc.start()
    started = time.perf_counter()
    tweets = tweetparse.extract(document, **options)
    seconds = time.perf_counter() - started
    _, traced = tracemalloc.get_traced_memory()
    print(json.dumps({"size": len(document), "tweets": len(tweets), "seconds": seconds,
                      "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "traced_mb": traced / M}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", help="run only this document (repeatable)")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds before a document counts as a hang")
    args = parser.parse_args()
    import lxml.etree

    import tweetparse

    print(f"tweetparse {tweetparse.__version__}, lxml {'.'.join(map(str, lxml.etree.LXML_VERSION[:3]))} "
          f"(libxml2 {'.'.join(map(str, lxml.etree.LIBXML_VERSION))}), Python {platform.python_version()}, "
          f"{time.strftime('%Y-%m-%d')}")
    print()
    print("| document | size | tweets | seconds | peak RSS (MB) | Python peak (MB) |")
    print("|---|---:|---:|---:|---:|---:|")
    for name in args.only or DOCUMENTS:
        try:
            proc = subprocess.run([sys.executable, __file__, "--child", name], capture_output=True, text=True,
                                  timeout=args.timeout, check=False)
        except subprocess.TimeoutExpired:
            print(f"| {name} | | | HANG (> {args.timeout:.0f} s) | | |", flush=True)
            continue
        if proc.returncode != 0:
            print(f"| {name} | | | ERROR: {proc.stderr.strip().splitlines()[-1:]} | | |", flush=True)
            continue
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        print(f"| {name} | {r['size'] / M:.1f} M | {r['tweets']} | {r['seconds']:.2f} | {r['rss_mb']:.0f} "
              f"| {r['traced_mb']:.0f} |", flush=True)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        _child(sys.argv[2])
    else:
        main()
