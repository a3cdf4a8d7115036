"""Time the plain-text stage on ~10 MB of synthetic article text, as a ratio to a plain regex scan.

    python bench/bench_text.py [MEGABYTES]

The text mixes prose, pasted tweets with attribution lines, glued one-liners, markdown quotes,
timeline headers and traps, plus one 10 MB line with no newline at all (the worst case for
line-oriented scanning). Medians over repetitions.
"""
from __future__ import annotations

import re
import statistics
import sys
import time

from tweetparse.text import find_in_text

REPEATS = 3
# One pasted tweet per ~8 KB of prose (a long article with a few embeds); every prose snippet
# still carries the traps ("(@handle)" in prose, dashes, an e-mail address), so the anchor scan
# and the evidence checks run at full density.
TWEET_EVERY = 80
PROSE = (
    "The council met again on Tuesday to discuss the new ferry timetable, and residents filled the hall. ",
    "Officials said the work would finish before the summer season (contact: desk@example.org). ",
    "One reader wrote to say the (@harbourdesk) account had been quiet all week. ",
    "— A spokesperson for the ministry, who declined to be named. ",
)
TWEETS = (
    ("Ferries back on the normal timetable from Monday #harbour https://t.co/AbCdEf1234\n"
     "— Harbour Desk (@harbourdesk) March 3, 2018\n"),
    "Queue at the quay is huge this morning pic.twitter.com/XyZ987 — Jo Bloggs (@jobloggs) May 1, 2017\n",
    ("> Storm warning lifted [https://t.co/q1](https://t.co/q1)\n> -- Met Desk (@metdesk) [December 13,\n"
     "> 2016](https://twitter.com/metdesk/status/808744352311279616)\n"),
    "Coast Rescue @coastrescue 5h5 hours ago\nAll crew safe ashore\n",
)


def synthetic(megabytes: float, newlines: bool = True) -> str:
    parts: list[str] = []
    size = 0
    i = 0
    while size < megabytes * 1_000_000:
        piece = PROSE[i % len(PROSE)] + ("\n\n" if newlines and i % 3 == 0 else "")
        if i % TWEET_EVERY == 0:
            tweet = TWEETS[(i // TWEET_EVERY) % len(TWEETS)]
            piece += tweet if newlines else tweet.replace("\n", " ")
        parts.append(piece)
        size += len(piece)
        i += 1
    return "".join(parts)


def median_seconds(fn: object) -> float:
    times = []
    for _ in range(REPEATS):
        t0 = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


# Adversarial ~1 MB inputs (tests/test_text_units.py asserts their results): every one must stay linear.
ADVERSARIAL = {
    "(@a) x200k": "(@a) " * 200_000,
    "dashes x500k": "— " * 500_000,
    "quote markers x500k": "> " * 500_000,
    "one 1 MB line": "word " * 200_000,
    "tags x170k": "<span>" * 170_000,
    "dated anchors x60k": "(@a) May 1, 2017 " * 60_000,
    "attributions x40k": "Snow — Jo (@a) May 1, 2017 " * 40_000,
}


def main() -> None:
    megabytes = float(sys.argv[1]) if len(sys.argv) > 1 else 10.0
    for label, text in (("paragraphs", synthetic(megabytes)), ("one line", synthetic(megabytes, newlines=False))):
        found = len(list(find_in_text(text)))
        ours = median_seconds(lambda text=text: list(find_in_text(text)))
        baseline = median_seconds(lambda text=text: re.findall(r"\(@\w+\)", text))
        print(f"{label:10} {len(text) / 1e6:.1f} MB: {ours:.3f} s, {found} tweets, "
              f"{ours / baseline:.1f}x a bare regex scan ({baseline:.3f} s); Python {sys.version.split()[0]}")
    for label, text in ADVERSARIAL.items():
        seconds = median_seconds(lambda text=text: list(find_in_text(text)))
        print(f"adversarial {label:22} {len(text) / 1e6:.1f} MB: {seconds:.3f} s")


if __name__ == "__main__":
    main()
