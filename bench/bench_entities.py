"""Time tweetparse.entities.extract_entities on tweet-sized text and on 1 MB adversarial strings.

Run: python bench/bench_entities.py [--size N] [--repeat R]. Prints medians in seconds and, for the
adversarial rows, microseconds per input character, so a super-linear regression stands out when
--size is doubled (the per-character figure should stay flat).
"""
from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tweetparse.entities import extract_entities

TWEET = (
    "RT @NASA: Liftoff! #Artemis II is on its way to the Moon 🚀 $BA https://t.co/AbC123xyz "
    "https://x.com/NASA/status/1790000000000000000 pic.twitter.com/Q1w2E3r4 — مرحبا #العربية"
)


def adversarial(n: int) -> dict[str, str]:
    return {
        "(@ * N": "(@" * (n // 2),
        "# * N": "#" * n,
        "#1111...": "#" + "1" * n,
        "http:// * N": "http://" * (n // 7),
        "long label": "a" * n + ".com",
        "a.a.a.a...": "a." * (n // 2),
        "あ.あ.あ...": "あ." * (n // 2),
        "(((( path": "http://x.com/" + "(" * n,
        ".... path": "http://x.com/a" + "." * n,
        "a.co a.co ...": "a.co " * (n // 5),
    }


def median_time(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000, help="adversarial input length (characters)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    extract_entities("#warm-up builds the Unicode tables")
    print(f"Python {platform.python_version()}, size {args.size:,}, median of {args.repeat}")
    per_tweet = median_time(lambda: [extract_entities(TWEET) for _ in range(1000)], args.repeat) / 1000
    print(f"{'tweet-sized text':18s} {per_tweet * 1e6:10.1f} us per tweet")
    for name, text in adversarial(args.size).items():
        seconds = median_time(lambda text=text: extract_entities(text), args.repeat)
        print(f"{name:18s} {seconds:10.3f} s   {seconds / len(text) * 1e6:6.2f} us/char")


if __name__ == "__main__":
    main()
