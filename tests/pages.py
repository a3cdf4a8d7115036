"""Articles and web archives written for the batch tests and benchmarks (made up, never copied from a site).

Each article is a plausible news page: a header, a dozen paragraphs, navigation and footer, and
zero to three embedded tweets in the forms news sites use (a twitter-tweet blockquote with the
widget script, an amp-twitter, or a flattened attribution line in a text version).
"""
from __future__ import annotations

import gzip
import random
from pathlib import Path

TOWNS = ("Port Elling", "Harrowgate", "Lindqvist Bay", "Corran", "Mere Hill", "Saltmarsh", "Ostby", "Kelling")
TOPICS = ("storm", "ferry strike", "bridge closure", "flood warning", "council vote", "harbour fire", "marathon")
WORDS = ["the", "council", "said", "residents", "should", "expect", "further", "delays", "while", "engineers", "inspect", "the", "structure", "and", "crews", "work", "through", "the", "night", "to", "restore", "services", "across", "the", "district", "as", "officials", "promised", "a", "full", "review", "of", "the", "response", "once", "conditions", "allow", "a", "proper", "assessment", "of", "the", "damage"]
TWITTER_EPOCH_MS = 1288834974657
MAY_1_2020_MS = 1588327200000  # 10:00 UTC: each tweet's id decodes to the day its embed shows


def status_id(day_ms: int, serial: int) -> int:
    """A snowflake status id for a tweet posted at ``day_ms`` (``serial`` keeps ids unique)."""
    return ((day_ms - TWITTER_EPOCH_MS) << 22) + serial


def _sentence(rng: random.Random, words: int = 18) -> str:
    picked = [rng.choice(WORDS) for _ in range(words)]
    return " ".join(picked).capitalize() + "."


def _blockquote(i: int, j: int) -> str:
    status = status_id(MAY_1_2020_MS + j * 86_400_000 + (i % 3600) * 1000, i * 4 + j)
    handle = f"reporter{i % 97}_{j}"
    return (
        f'<blockquote class="twitter-tweet" data-lang="en"><p lang="en" dir="ltr">Update {i}.{j} from the '
        f'scene: roads closed near the harbour, please avoid the area <a href="https://twitter.com/hashtag/'
        f'Elling{j}?src=hash">#Elling{j}</a> <a href="https://t.co/x{i}y{j}">pic.twitter.com/x{i}y{j}</a></p>'
        f'&mdash; Reporter {i % 97} (@{handle}) <a href="https://twitter.com/{handle}/status/{status}">'
        f'May {1 + j}, 2020</a></blockquote>\n'
        '<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>\n'
    )


def article_html(i: int, *, tweets: int | None = None) -> str:
    """Article number ``i``: deterministic, about 6 kB, with ``tweets`` embeds (default: i % 4)."""
    rng = random.Random(i)
    count = i % 4 if tweets is None else tweets
    town, topic = TOWNS[i % len(TOWNS)], TOPICS[i % len(TOPICS)]
    paragraphs = [f"<p>{_sentence(rng)} {_sentence(rng, 12)}</p>" for _ in range(12)]
    for j in range(count):
        paragraphs.insert(3 + 3 * j, _blockquote(i, j))
    nav = "".join(f'<li><a href="/section/{t.replace(" ", "-")}">{t.title()}</a></li>' for t in TOPICS)
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{topic.title()} in {town} | The Coastal Courier</title>"
        f'<meta property="article:published_time" content="2020-05-{4 + i % 20:02d}T08:00:00Z">'
        '<link rel="stylesheet" href="/static/site.css"></head>\n'
        f'<body><header><nav><ul>{nav}</ul></nav></header>\n<main><article>'
        f"<h1>{topic.title()} in {town}: what we know</h1><p class=\"byline\">By Staff Reporter</p>\n"
        + "\n".join(paragraphs)
        + "\n</article></main><footer><p>&copy; 2020 The Coastal Courier. Contact: desk@courier.example</p>"
        "</footer></body></html>\n"
    )


def article_text(i: int) -> str:
    """The flattened text of an article with one tweet as a scraper saves it (attribution line)."""
    rng = random.Random(-i)
    return (
        f"{TOPICS[i % len(TOPICS)].title()} in {TOWNS[i % len(TOWNS)]}\n\n{_sentence(rng)}\n\n"
        f"Crews are on site now, more soon #harbour{i}\n— Harbour Desk (@harbourdesk{i}) June {1 + i % 28}, 2019\n\n"
        f"{_sentence(rng)}\n"
    )


def write_corpus(folder: Path, count: int, *, start: int = 0) -> list[Path]:
    """``count`` HTML articles as files, spread over subfolders of 500 like a crawl's output."""
    paths = []
    for i in range(start, start + count):
        sub = folder / f"batch{i // 500:03d}"
        sub.mkdir(parents=True, exist_ok=True)
        path = sub / f"article{i:06d}.html"
        path.write_text(article_html(i), encoding="utf-8")
        paths.append(path)
    return paths


def warc_record(uri: str, body: bytes, *, content_type: str = "text/html; charset=utf-8",
                record_type: str = "response", record_id: int = 0) -> bytes:
    """One WARC/1.0 record holding an HTTP response, as crawlers write them."""
    http = (b"HTTP/1.1 200 OK\r\nContent-Type: " + content_type.encode() + b"\r\nContent-Length: "
            + str(len(body)).encode() + b"\r\n\r\n" + body)
    head = (
        f"WARC/1.0\r\nWARC-Type: {record_type}\r\n"
        f"WARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-{record_id:012d}>\r\n"
        f"WARC-Date: 2020-05-01T10:00:00Z\r\nWARC-Target-URI: {uri}\r\n"
        f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(http)}\r\n\r\n"
    ).encode()
    return head + http + b"\r\n\r\n"


def warcinfo_record() -> bytes:
    body = b"software: tweetparse tests\r\nformat: WARC File Format 1.0\r\n"
    return (b"WARC/1.0\r\nWARC-Type: warcinfo\r\nWARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-999999999999>\r\n"
            b"WARC-Date: 2020-05-01T10:00:00Z\r\nContent-Type: application/warc-fields\r\nContent-Length: "
            + str(len(body)).encode() + b"\r\n\r\n" + body + b"\r\n\r\n")


def write_warc(path: Path, records: list[bytes], *, compress: bool) -> list[int]:
    """The records as one WARC file (gzip per record when ``compress``, as crawls store them);
    returns each record's offset in the file."""
    offsets, out = [], bytearray()
    for record in records:
        offsets.append(len(out))
        out += gzip.compress(record, mtime=0) if compress else record
    path.write_bytes(bytes(out))
    return offsets
