"""The records tweetparse returns: plain, frozen values with a JSON-safe ``to_dict()``."""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, Literal, get_args

__all__ = ["PLATFORMS", "Link", "Platform", "Post", "Quoted", "Source", "Tweet"]

# The networks whose posts tweetparse reads; a fork that presents itself as its own network has its own name.
Platform = Literal["twitter", "bluesky", "mastodon", "truthsocial", "threads", "instagram", "facebook", "tiktok",
                   "reddit"]
PLATFORMS: tuple[str, ...] = get_args(Platform)


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
    """A link in a post: the URL as written (a t.co link on Twitter) and what the reader saw."""

    url: str
    display: str | None = None
    expanded: str | None = None
    media: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Source(_Record):
    """Where a post was found.

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
class Quoted(_Record):
    """A post quoted inside an embedded one (a quote tweet), shown within the same embed or card."""

    id: str | None = None
    url: str | None = None
    handle: str | None = None
    name: str | None = None
    text: str = ""
    created_at: str | None = None
    created_at_precision: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Post(_Record):
    """One embedded post (a tweet, or a post of another network: see ``platform``).

    ``created_at`` is ISO 8601: ``YYYY-MM-DD`` when only the day is known, a UTC
    instant ending in ``Z`` when the time is known; ``created_at_precision`` says
    which (``microsecond``, ``millisecond``, ``second``, ``minute``, ``hour``, ``day``)
    and ``created_at_source`` keeps the raw date text the page showed.
    """

    platform: str = "twitter"
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
    quoted: Quoted | None = None
    form: str = ""
    hidden: bool = False
    source: Source = field(default_factory=Source)
    warnings: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, record: dict[str, Any]) -> Post:
        """The Post a ``to_dict()`` came from (records cross processes and files as dicts)."""
        values = {f.name: record[f.name] for f in fields(cls) if f.name in record}
        values["links"] = tuple(Link(**link) for link in record.get("links") or ())
        values["source"] = Source(**(record.get("source") or {}))
        values["quoted"] = Quoted(**record["quoted"]) if record.get("quoted") else None
        for name in ("hashtags", "cashtags", "mentions", "warnings"):
            values[name] = tuple(record.get(name) or ())
        return cls(**values)


# The record's first name: every record was a tweet before other networks' posts came in, and code
# written against ``Tweet`` keeps working.
Tweet = Post
