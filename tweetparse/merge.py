"""One record per post: the copies of a post (same id, or same author and text) folded into one, the best first.

One rule for every place that folds copies: the records of one page, a feed of many articles, the SQLite
store and the Dask path. A copy with an id and a copy without one are the same post when they show the same
author and text; two copies with different ids are two posts, even with the same text.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from .record import Post
from .urls import canonical_url

__all__ = ["Copies", "fold", "merge", "post_key", "rank", "text_key"]

_NON_WORD = re.compile(r"\W+")
# Fields a copy may fill in when the record it is folded into lacks them.
FILLABLE = ("handle", "name", "text", "lang", "links", "hashtags", "cashtags", "mentions", "quoted",
            "created_at_source")
# How exact each time precision is: a copy's time is kept only over a less exact one.
PRECISION_RANK = {"microsecond": 6, "millisecond": 5, "second": 4, "minute": 3, "hour": 2, "day": 1}
_RANKED_FIELDS = ("id", "handle", "name", "created_at", "text", "lang", "links")


def text_key(post: Post) -> str | None:
    """What an id-less copy is known by: its network, author and folded text (None without both)."""
    folded = _NON_WORD.sub(" ", post.text.lower()).strip()
    if not folded or not post.handle:
        return None
    return f"{post.platform}|{post.handle.lower()}|{folded}"


def post_key(post: Post) -> str:
    """A post's identity as one string: its network and id, else its author and folded text."""
    if post.id:
        return f"{post.platform}:{post.id}"
    return text_key(post) or f"{post.platform}|{(post.handle or '').lower()}|{post.text}"


def rank(post: Post) -> int:
    """How good a copy of a post is: live over hidden, then the more exact time, then the more fields filled.
    The SQLite store keeps the best copy by the same number."""
    filled = sum(1 for name in _RANKED_FIELDS if getattr(post, name))
    precision = PRECISION_RANK.get(post.created_at_precision or "", 0)
    return (0 if post.hidden else 1000) + precision * 100 + filled


def fold(first: Post, other: Post) -> Post:
    """Two copies of one post as one record: the better copy (``rank``; on a tie, the first), with each
    field it lacks taken from the other copy, and the more exact time of the two."""
    base, extra = (other, first) if rank(other) > rank(first) else (first, other)
    fill = {name: getattr(extra, name) for name in FILLABLE if not getattr(base, name) and getattr(extra, name)}
    if PRECISION_RANK.get(extra.created_at_precision or "", 0) > PRECISION_RANK.get(base.created_at_precision or "", 0):
        fill.update(created_at=extra.created_at, created_at_precision=extra.created_at_precision)
    if not base.id and extra.id:
        fill.update(id=extra.id, url=extra.url)
    elif "handle" in fill and base.id and base.platform == "twitter":
        fill["url"] = canonical_url(fill["handle"], base.id)
    return replace(base, **fill) if fill else base


class Copies:
    """Posts gathered one copy at a time, each copy folded into the post it is a copy of.

    >>> copies = Copies()
    >>> [copies.add(p) for p in (Post(id="1", text="a"), Post(handle="jo", text="Hi!"), Post(id="1"))]
    [0, 1, 0]
    """

    __slots__ = ("_by_id", "_by_text", "_texts", "posts")

    def __init__(self, *, texts: bool = True) -> None:
        self.posts: list[Post] = []  # in the order their first copies came
        self._by_id: dict[str, int] = {}
        self._by_text: dict[str, int] = {}
        self._texts = texts  # false: every copy to come has an id, and no text need be compared

    def add(self, post: Post) -> int:
        """Fold a copy in; the index of the post it belongs to in ``posts``."""
        key = text_key(post) if self._texts else None
        at = self._place(post, key)
        if at is None:
            at = len(self.posts)
            self.posts.append(post)
            folded = post
        else:
            folded = self.posts[at] = fold(self.posts[at], post)
        if folded.id:
            self._by_id.setdefault(f"{folded.platform}:{folded.id}", at)
        if self._texts:
            for copy_key in (key, text_key(folded) if folded is not post else None):
                if copy_key is not None:
                    self._by_text.setdefault(copy_key, at)
        return at

    def _place(self, post: Post, key: str | None) -> int | None:
        """Where a copy of ``post`` already stands: by id, else by author and text (``key``) when the post
        found there has no other id."""
        if post.id and (at := self._by_id.get(f"{post.platform}:{post.id}")) is not None:
            return at
        if key is None or (at := self._by_text.get(key)) is None:
            return None
        found = self.posts[at]
        return at if not post.id or not found.id or found.id == post.id else None


def merge(posts: Iterable[Post]) -> list[Post]:
    """Copies of the same post folded together; each post keeps the place of its first copy."""
    posts = list(posts)
    copies = Copies(texts=not all(post.id for post in posts))  # ids alone decide when every copy has one
    for post in posts:
        copies.add(post)
    return copies.posts
