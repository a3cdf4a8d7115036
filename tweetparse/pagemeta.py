"""What a page says about itself that tweet records need: its publication time."""
from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from dateutil.parser import isoparse
from lxml import etree

from .dates import to_utc

__all__ = ["published_time"]

# Where publishers state when an article was published, most explicit first.
_META_TEST = (
    "@property='article:published_time' or @name='article:published_time' "
    "or @property='og:published_time' or @property='og:article:published_time' "
    "or @itemprop='datePublished' or @name='datePublished' or @name='pubdate' or @name='publishdate' "
    "or @name='parsely-pub-date' or @name='sailthru.date' "
    "or @name='dc.date.issued' or @name='DC.date.issued' or @name='dcterms.created' or @name='DC.date'"
)
PUBLISHED_XPATH = f"//meta[{_META_TEST}]/@content | //time[@itemprop='datePublished' or @pubdate]/@datetime"
JSON_LD_XPATH = "//script[@type='application/ld+json']/text()"
# The same, within the page's <head>: where nearly every page states it, and a walk of a few
# dozen elements instead of the whole tree.
_HEAD_META = etree.XPath(f"meta[{_META_TEST}]/@content")
_HEAD_JSON_LD = etree.XPath("script[@type='application/ld+json']/text()")
_JSON_LD_PUBLISHED = re.compile(r'"datePublished"\s*:\s*"([^"]{8,40})"')


def published_time(root: Any) -> datetime | None:
    """The article's publication time from its meta tags, JSON-LD or ``<time>``, in UTC; None if absent.

    A date without a time of day is taken as midnight UTC. The ``<head>`` is read first; the whole
    page only when the head states nothing usable.
    """
    head = root.find("head") if root.tag == "html" else None
    if head is not None:
        found = _first_time([str(v) for v in _HEAD_META(head)], _HEAD_JSON_LD(head))
        if found is not None:
            return found
    return _first_time([str(v) for v in root.xpath(PUBLISHED_XPATH)], root.xpath(JSON_LD_XPATH))


def _first_time(values: list[str], scripts: list[Any]) -> datetime | None:
    candidates = list(values)
    for script in scripts:
        candidates.extend(_JSON_LD_PUBLISHED.findall(str(script)))
    for value in candidates:
        try:
            return to_utc(isoparse(value.strip()))
        except (ValueError, OverflowError):
            continue
    return None
