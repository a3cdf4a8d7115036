"""Records as flat rows, one function for every table (CSV, Parquet, SQLite), and rows back to records."""
from __future__ import annotations

import json
import math
from typing import Any

__all__ = ["CSV_COLUMNS", "FLAT_COLUMNS", "csv_row", "flat_row", "record_from_row"]

# The flat columns, in order, and the kind of value each holds: nested fields are flattened (``source``
# into ``source_*`` columns), lists of strings stay lists, lists of objects and ``quoted`` become JSON text.
FLAT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("platform", "string"), ("id", "string"), ("url", "string"), ("handle", "string"), ("name", "string"),
    ("created_at", "string"),  # ISO 8601: a day (YYYY-MM-DD) or a UTC instant, see created_at_precision
    ("created_at_precision", "string"), ("created_at_source", "string"), ("text", "string"), ("lang", "string"),
    ("links", "json"),  # [{"url", "display", "expanded", "media"}]
    ("hashtags", "strings"), ("cashtags", "strings"), ("mentions", "strings"),
    ("quoted", "json"),  # {"id", "url", "handle", "name", "text", "created_at", "created_at_precision"} or null
    ("form", "string"), ("hidden", "bool"),
    ("source_article", "string"), ("source_url", "string"), ("source_published", "string"),
    ("source_start", "int"), ("source_end", "int"), ("source_element", "string"),
    ("warnings", "strings"),
)
_SOURCE_PREFIX = "source_"


def flat_row(record: dict[str, Any]) -> dict[str, Any]:
    """A record (``Post.to_dict()``) as one row of :data:`FLAT_COLUMNS`."""
    source = record.get("source") or {}
    row: dict[str, Any] = {}
    for name, kind in FLAT_COLUMNS:
        value = source.get(name[len(_SOURCE_PREFIX):]) if name.startswith(_SOURCE_PREFIX) else record.get(name)
        if kind == "json":
            value = None if value is None else json.dumps(value, ensure_ascii=False)
        elif kind == "strings":
            value = list(value or ())
        elif kind == "bool":
            value = bool(value)
        row[name] = value
    return row


def record_from_row(row: dict[str, Any]) -> dict[str, Any]:
    """The record a :func:`flat_row` came from, keys in ``Post.to_dict()`` order (``row`` as the row itself,
    or as pyarrow or pandas give it back)."""
    values: dict[str, Any] = {}
    source: dict[str, Any] = {}
    for name, kind in FLAT_COLUMNS:
        raw = row.get(name)
        value = _plain(raw) if kind != "strings" else None
        if kind == "json":
            value = json.loads(value) if value else ([] if name == "links" else None)
        elif kind == "strings":
            value = [] if raw is None or isinstance(raw, float) else [str(v) for v in raw]
        elif kind == "bool":
            value = bool(value)
        if name.startswith(_SOURCE_PREFIX):
            source[name[len(_SOURCE_PREFIX):]] = value
        else:
            values[name] = value
    from .record import Post

    order = [f for f in Post.__dataclass_fields__]
    values["source"] = source
    return {name: values[name] for name in order}


def _plain(value: Any) -> Any:
    """A pandas/NumPy cell as the plain value the record had (NaN and NA as None, numpy scalars as Python's)."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return None if isinstance(value, float) and math.isnan(value) else value
    try:
        import pandas

        if pandas.isna(value):
            return None
    except (ImportError, TypeError, ValueError):
        pass
    return value.item() if hasattr(value, "item") else value


# CSV: the flat columns, each list as its items separated by spaces, links as their URLs.
CSV_COLUMNS: tuple[str, ...] = tuple(name for name, _ in FLAT_COLUMNS)


def csv_row(record: dict[str, Any]) -> list[Any]:
    """A record as one CSV row of :data:`CSV_COLUMNS`."""
    row = flat_row(record)
    row["links"] = " ".join(link["url"] for link in record.get("links") or ())
    cells = []
    for name, kind in FLAT_COLUMNS:
        value = row[name]
        cells.append(" ".join(value) if kind == "strings" else "" if value is None else value)
    return cells
