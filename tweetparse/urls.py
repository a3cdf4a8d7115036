"""Status URLs: parse every twitter.com / x.com variant into (handle, id), and read the time inside an id."""
from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import NamedTuple

__all__ = ["SNOWFLAKE_START_ID", "StatusRef", "canonical_url", "find_status_urls", "parse_status_url", "snowflake_time"]

# twitter.com, x.com, mobile./m./www. hosts; optional #!/ hashbang (2010-12 web client);
# /status/, /statuses/ and /i/web/status/ paths; trailing /photo/1, query strings and
# fragments are simply not consumed.
STATUS_URL = re.compile(
    r"""(?:https?:)?//(?:www\.|mobile\.|m\.)?(?:twitter|x)\.com/
        (?:\#!/)?
        (?:(?P<handle>[A-Za-z0-9_]{1,20})/status(?:es)?|i/web/status|i/status)/
        (?P<id>\d{1,20})""",
    re.VERBOSE | re.IGNORECASE,
)

# Path segments that look like handles but are not users.
NOT_HANDLES = frozenset({"i", "intent", "share", "home", "search", "hashtag", "x", "twitter"})

TWITTER_EPOCH_MS = 1288834974657
# The first snowflake ids (4 Nov 2010); smaller ids are sequential and carry no time.
SNOWFLAKE_START_ID = 29700859247


class StatusRef(NamedTuple):
    handle: str | None
    id: str


def parse_status_url(url: str) -> StatusRef | None:
    """``StatusRef(handle, id)`` for a status URL, else None.

    >>> parse_status_url("https://x.com/ICRC/status/809496864320012289?ref_src=twsrc%5Etfw")
    StatusRef(handle='ICRC', id='809496864320012289')
    """
    m = STATUS_URL.search(url)
    if m is None:
        return None
    return _ref(m)


def find_status_urls(text: str) -> list[tuple[StatusRef, int, int]]:
    """Every status URL in a text, with its span."""
    return [(_ref(m), m.start(), m.end()) for m in STATUS_URL.finditer(text)]


def _ref(m: re.Match[str]) -> StatusRef:
    handle = m.group("handle")
    if handle and handle.lower() in NOT_HANDLES:
        handle = None
    return StatusRef(handle, m.group("id").lstrip("0") or "0")


def canonical_url(handle: str | None, status_id: str) -> str:
    """``https://twitter.com/<handle>/status/<id>``, or the handle-less ``/i/web/status/<id>``."""
    if handle:
        return f"https://twitter.com/{handle}/status/{status_id}"
    return f"https://twitter.com/i/web/status/{status_id}"


def snowflake_time(status_id: str | int) -> datetime | None:
    """The UTC instant encoded in a snowflake status id, or None for pre-snowflake ids.

    >>> snowflake_time("809496864320012289").isoformat()
    '2016-12-15T20:34:26.835000+00:00'
    """
    try:
        n = int(status_id)
    except (TypeError, ValueError):
        return None
    if n < SNOWFLAKE_START_ID or n >= 1 << 63:
        return None
    ms = (n >> 22) + TWITTER_EPOCH_MS
    return datetime.fromtimestamp(ms / 1000, tz=UTC).replace(microsecond=(ms % 1000) * 1000)


# How an instant is written at each precision: the fraction of a second only as far as it is known,
# the units below the precision zeroed.
_TRUNCATED = {"minute": {"second": 0, "microsecond": 0}, "hour": {"minute": 0, "second": 0, "microsecond": 0}}


def iso_instant(moment: datetime, precision: str = "millisecond") -> str:
    """A UTC instant as ``YYYY-MM-DDTHH:MM:SS[.fff|.ffffff]Z``, written to its ``precision``.

    >>> iso_instant(datetime(2016, 12, 15, 20, 34, 26, 835123, tzinfo=UTC))
    '2016-12-15T20:34:26.835Z'
    >>> iso_instant(datetime(2016, 12, 15, 20, 34, 26, 835123, tzinfo=UTC), "hour")
    '2016-12-15T20:00:00Z'
    """
    moment = moment.astimezone(UTC).replace(**_TRUNCATED.get(precision, {}))  # type: ignore[arg-type]
    timespec = {"millisecond": "milliseconds", "microsecond": "microseconds"}.get(precision, "seconds")
    if moment.year >= 1000:  # isoformat writes what strftime does, in a third of the time ...
        return moment.isoformat(timespec=timespec)[:-6] + "Z"  # "+00:00" as "Z"
    # ... but strftime leaves earlier years as short as the C library writes them.
    fraction = {"milliseconds": f".{moment.microsecond // 1000:03d}", "microseconds": f".{moment.microsecond:06d}"}
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + fraction.get(timespec, "") + "Z"
