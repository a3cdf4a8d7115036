"""The records tweetparse returns: plain, frozen values with a JSON-safe ``to_dict()``."""
from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any

__all__ = ["Link", "Source", "Tweet"]


def _plain(value: Any) -> Any:
    """Turn nested records and tuples into JSON-safe dicts and lists, keeping field order."""
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    return value


class _Record:
    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        """The record as a dict of JSON-safe values, keys in declaration order."""
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True, kw_only=True)
class Link(_Record):
    """A link in a tweet: the URL as written (usually t.co) and what the reader saw."""

    url: str
    display: str | None = None
    expanded: str | None = None
    media: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Source(_Record):
    """Where a tweet was found.

    ``start``/``end`` are character offsets into the decoded text the extractor read
    (the whole input for text, the element's text for HTML); ``element`` is the
    element's path in the HTML tree.
    """

    article: str | None = None
    url: str | None = None
    published: str | None = None
    start: int | None = None
    end: int | None = None
    element: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Tweet(_Record):
    """One embedded tweet.

    ``created_at`` is ISO 8601: ``YYYY-MM-DD`` when only the day is known, a UTC
    instant ending in ``Z`` when the time is known; ``created_at_precision`` says
    which (``millisecond``, ``second``, ``minute``, ``hour``, ``day``) and
    ``created_at_source`` keeps the raw date text the page showed.
    """

    id: str | None = None
    url: str | None = None
    handle: str | None = None
    name: str | None = None
    created_at: str | None = None
    created_at_precision: str | None = None
    created_at_source: str | None = None
    text: str = ""
    lang: str | None = None
    links: tuple[Link, ...] = ()
    hashtags: tuple[str, ...] = ()
    cashtags: tuple[str, ...] = ()
    mentions: tuple[str, ...] = ()
    form: str = ""
    hidden: bool = False
    source: Source = field(default_factory=Source)
    warnings: tuple[str, ...] = ()

    def evolve(self, **changes: Any) -> Tweet:
        """A copy with some fields changed."""
        return replace(self, **changes)

    @classmethod
    def from_dict(cls, record: dict[str, Any]) -> Tweet:
        """The Tweet a ``to_dict()`` came from (records cross processes and files as dicts)."""
        values = dict(record)
        values.pop("articles", None)  # a feed item's extra key
        values["links"] = tuple(Link(**link) for link in record.get("links") or ())
        values["source"] = Source(**(record.get("source") or {}))
        for name in ("hashtags", "cashtags", "mentions", "warnings"):
            values[name] = tuple(record.get(name) or ())
        return cls(**values)
