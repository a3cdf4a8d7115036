"""What a page says about itself that tweet records need: its publication time."""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from dateutil.parser import isoparse

from .dates import to_utc

__all__ = ["published_time"]

# Where publishers state when an article was published, most explicit first: meta attribute -> names.
PUBLISHED_META: dict[str, frozenset[str]] = {
    "property": frozenset({"article:published_time", "og:published_time", "og:article:published_time"}),
    "name": frozenset({"article:published_time", "datePublished", "pubdate", "publishdate", "parsely-pub-date",
                       "sailthru.date", "dc.date.issued", "DC.date.issued", "dcterms.created", "DC.date"}),
    "itemprop": frozenset({"datePublished"}),
}
_BY_PROPERTY, _BY_NAME, _BY_ITEMPROP = PUBLISHED_META["property"], PUBLISHED_META["name"], PUBLISHED_META["itemprop"]
_JSON_LD_TYPE = "application/ld+json"
_JSON_LD_PUBLISHED = re.compile(r'"datePublished"\s*:\s*"([^"]{8,40})"')


def published_time(root: Any) -> datetime | None:
    """The article's publication time from its meta tags, JSON-LD or ``<time>``, in UTC; None if absent.

    A date without a time of day is taken as midnight UTC. The ``<head>``'s own children are read
    first (a few dozen elements, where most pages state it); the whole page's meta, time and script
    elements only when the head states nothing usable. Either way the first usable meta content or
    ``<time>`` datetime (in document order) wins, and only without one the first JSON-LD
    ``datePublished``: scripts (dozens a page, their texts often kilobytes) are walked only then.
    """
    head = root.find("head") if root.tag == "html" else None
    if head is not None:
        found = _first_time(head.iterchildren("meta"), head.iterchildren("script"))
        if found is not None:
            return found
    return _first_time(root.iter("meta", "time"), root.iter("script"), read=head)


def _first_time(elements: Iterator[Any], scripts: Iterator[Any], read: Any = None) -> datetime | None:
    """The first usable time among the meta and time ``elements``, else among the JSON-LD ``scripts``.
    The meta and script children of ``read`` (the head, whose own pass found nothing usable in them)
    are passed over: they would state the same again."""
    found = _first_parsed(_stated_times(elements, read))
    if found is None:
        for script in scripts:
            if script.get("type") == _JSON_LD_TYPE and (read is None or script.getparent() is not read):
                found = _first_parsed(_JSON_LD_PUBLISHED.findall(script.text or ""))
                if found is not None:
                    break
    return found


def _stated_times(elements: Iterator[Any], read: Any) -> Iterator[str]:
    """The publication times the meta and time elements state, in document order (each read only
    until one parses), but for the metas that are children of ``read``."""
    for element in elements:
        if element.tag == "meta":
            if read is not None and element.getparent() is read:
                continue
            # Spelled out, not a loop over PUBLISHED_META: a head holds dozens of metas, every page one.
            if (element.get("property") in _BY_PROPERTY or element.get("name") in _BY_NAME
                    or element.get("itemprop") in _BY_ITEMPROP):
                value = element.get("content")
                if value is not None:
                    yield value
        else:
            value = element.get("datetime")
            if value is not None and (element.get("itemprop") == "datePublished" or element.get("pubdate") is not None):
                yield value


def _first_parsed(values: Iterable[str]) -> datetime | None:
    """The first of ``values`` that reads as an ISO 8601 time, in UTC."""
    for value in values:
        try:
            return to_utc(isoparse(value.strip()))
        except (ValueError, OverflowError):
            continue
    return None
