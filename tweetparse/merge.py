"""One record per tweet: fold the copies of a tweet (same status id, or same handle and text) into one."""
from __future__ import annotations

import re
from collections.abc import Iterable

from .record import Tweet
from .urls import canonical_url

__all__ = ["fold", "merge", "tweet_key"]

_NON_WORD = re.compile(r"\W+")
# Fields a copy may fill in when the record it is folded into lacks them.
FILLABLE = ("handle", "name", "text", "lang", "links", "hashtags", "cashtags", "mentions", "created_at_source")
EXACT_PRECISIONS = ("millisecond", "second")


def tweet_key(tweet: Tweet) -> tuple[str, str]:
    """What makes two records the same tweet: the status id, else the handle and the folded text."""
    if tweet.id:
        return ("id", tweet.id)
    return ("text", f"{(tweet.handle or '').lower()}|{_NON_WORD.sub(' ', tweet.text.lower()).strip()}")


def fold(first: Tweet, other: Tweet) -> Tweet:
    """Two copies of one tweet as one record: a live copy wins over a hidden one, otherwise the first;
    each field the winner lacks is taken from the other copy, and the more exact time is kept."""
    base, extra = (other, first) if first.hidden and not other.hidden else (first, other)
    fill = {name: getattr(extra, name) for name in FILLABLE if not getattr(base, name) and getattr(extra, name)}
    if base.created_at_precision not in EXACT_PRECISIONS and extra.created_at and (
        not base.created_at or len(extra.created_at) > len(base.created_at)
    ):
        fill.update(created_at=extra.created_at, created_at_precision=extra.created_at_precision)
    if "handle" in fill and base.id:
        fill["url"] = canonical_url(fill["handle"], base.id)
    return base.evolve(**fill) if fill else base


def merge(tweets: Iterable[Tweet]) -> list[Tweet]:
    """Copies of the same tweet folded together; each tweet keeps the place of its first copy."""
    merged: dict[tuple[str, str], Tweet] = {}
    for tweet in tweets:
        key = tweet_key(tweet)
        merged[key] = fold(merged[key], tweet) if key in merged else tweet
    return list(merged.values())
