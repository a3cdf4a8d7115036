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


def published_time(root: Any, elements: Iterable[Any] | None = None) -> datetime | None:
    """The article's publication time from its meta tags, JSON-LD or ``<time>``, in UTC; None if absent.

    A date without a time of day is taken as midnight UTC. The ``<head>``'s own children are read
    first (a few dozen elements, where nearly every page states it); the whole page's meta, time and
    script elements only when the head states nothing usable: ``elements``, when the caller has
    them from a walk of its own (a walk of a whole tree costs a tenth of its parse), else one walk.
    """
    head = root.find("head") if root.tag == "html" else None
    if head is not None:
        found = _first_time(head.iterchildren("meta", "script"))
        if found is not None:
            return found
    return _first_time(iter(elements) if elements is not None else root.iter("meta", "time", "script"))


def _first_time(elements: Iterator[Any]) -> datetime | None:
    """The first usable time among the elements' meta contents and ``<time>`` datetimes (in document
    order), then their JSON-LD ``datePublished`` values (a script's text, often kilobytes, is read
    only when no meta or time gave one)."""
    candidates: list[str] = []
    scripts: list[Any] = []
    for element in elements:
        tag = element.tag
        if tag == "meta":
            # Spelled out, not a loop over PUBLISHED_META: a head holds dozens of metas, every page one.
            if (element.get("property") in _BY_PROPERTY or element.get("name") in _BY_NAME
                    or element.get("itemprop") in _BY_ITEMPROP):
                value = element.get("content")
                if value is not None:
                    candidates.append(value)
        elif tag == "time":
            value = element.get("datetime")
            if value is not None and (element.get("itemprop") == "datePublished" or element.get("pubdate") is not None):
                candidates.append(value)
        elif element.get("type") == _JSON_LD_TYPE:
            scripts.append(element)
    found = _first_parsed(candidates)
    if found is None:
        for script in scripts:
            found = _first_parsed(_JSON_LD_PUBLISHED.findall(script.text or ""))
            if found is not None:
                break
    return found


def _first_parsed(values: Iterable[str]) -> datetime | None:
    """The first of ``values`` that reads as an ISO 8601 time, in UTC."""
    for value in values:
        try:
            return to_utc(isoparse(value.strip()))
        except (ValueError, OverflowError):
            continue
    return None
