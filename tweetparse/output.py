"""Flat, tabular views of records, shared by the CLI's CSV output and the CSV feed."""
from __future__ import annotations

from typing import Any

__all__ = ["CSV_COLUMNS", "csv_row"]

CSV_COLUMNS = ("id", "url", "handle", "name", "created_at", "created_at_precision", "text", "lang", "links",
               "hashtags", "cashtags", "mentions", "form", "hidden", "article", "start", "end", "element", "warnings")


def csv_row(record: dict[str, Any]) -> list[Any]:
    """A record (``Tweet.to_dict()``) as one CSV row: source flattened, lists space-separated."""
    source = record.get("source") or {}
    flat = dict(record, article=source.get("article"), start=source.get("start"), end=source.get("end"),
                element=source.get("element"))
    flat["links"] = " ".join(link["url"] for link in record.get("links") or ())
    for key in ("hashtags", "cashtags", "mentions", "warnings"):
        flat[key] = " ".join(record.get(key) or ())
    return ["" if flat.get(col) is None else flat[col] for col in CSV_COLUMNS]
