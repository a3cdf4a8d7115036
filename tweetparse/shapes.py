"""The author shapes of a flattened post, defined once: ``(@handle)`` and ``@handle 5h``, for text and for raw HTML.

An attribution line ends in ``— Name (@handle) date``; a timeline copy's header reads ``Name @handle · 5h``.
Both are written here as one template of parts, instantiated twice: for text (what a reader sees: the text
extractors and the HTML text pass) and for the raw bytes of an HTML page (the needle that tells whether a page can
hold a flattened post at all), where tags and entities may stand between the parts: every shape in a page's text
is a shape in its bytes, but for a handle split by a tag.
"""
from __future__ import annotations

import re
from typing import NamedTuple

from .search import Needle, within

__all__ = ["ATTRIBUTION", "AUTHOR_NEEDLES", "AUTHOR_TEXT", "HANDLE", "count_authors", "shows_author"]

# Twitter's rule for screen names: 1 to 15 letters, digits or underscores.
HANDLE = r"[A-Za-z0-9_]{1,15}"


class _Parts(NamedTuple):
    """A shape's pieces: an attribution is ``opening + sign + close``, a timeline header ``sign + time``."""

    opening: str  # "(" and what may follow it before the sign
    sign: str  # the "@" and the handle
    close: str  # what follows the handle up to the attribution's ")"
    time: str  # what follows the handle up to a timeline header's time


def _parts(*, gap: str, space: str, opening: str, closing: str, at: str, separator: str, digit: str, month: str,
           unit_end: str, handle: str = HANDLE) -> _Parts:
    """The shapes' pieces, from what may stand between them (``gap``, which ``space`` is when it must not
    be empty), the brackets, the "@" sign and what may follow it before the handle, the "·" of a timeline
    header, a digit, a month name's letters, what must not follow a time's unit, and the handle."""
    # A timeline's time: a relative one ("5h", "5 h", glued to the handle: "@jane5h") or a date that
    # starts with a month name ("Dec 13", "Dec. 13"). Absolute times starting with a digit ("7:46 AM",
    # "13 Dec 2016") stand on the footer line, not after the handle.
    time = f"{gap}(?:{separator}{gap})?(?:{digit}{{1,2}}{gap}[smhd]{unit_end}|{month}\\.?{space}{digit})"
    return _Parts(f"{opening}{gap}", f"{at}{handle}", f"{gap}{closing}", time)


def _author(**parts: str) -> tuple[str, str]:
    """The two shapes as patterns: an attribution's "(@handle)", a timeline header's "@handle · 5h"."""
    p = _parts(**parts)
    return p.opening + p.sign + p.close, p.sign + p.time


# In text: spaces (a header may be spread over lines), brackets and "@" also fullwidth ("（＠handle）").
_TEXT_PARTS = {"gap": r"\s*", "space": r"\s+", "opening": "[(\uff08]", "closing": "[)\uff09]", "at": "[@\uff20]",
               "separator": "[·•]", "digit": r"\d",
               "month": r"[^\W\d_]{3,10}", "unit_end": r"(?![^\W\d_])"}
AUTHOR_TEXT = re.compile("|".join(_author(**_TEXT_PARTS)))
# The attribution alone, its handle captured: where the text extractors anchor an attribution line.
ATTRIBUTION = re.compile(_author(**_TEXT_PARTS, handle=f"(?P<handle>{HANDLE})")[0])
# Either shape found from its sign (a search that skips to the "@" and tries nothing elsewhere); an
# attribution's "(" is then looked for before it (see shows_author).
_TEXT = _parts(**_TEXT_PARTS)
_FROM_SIGN = re.compile(f"{_TEXT.sign}(?:(?P<close>{_TEXT.close})|{_TEXT.time})")
# The timeline shape alone: "@jane5h)" closes like an attribution that opened nowhere, and is a header.
_TIMELINE_AT = re.compile(f"{_TEXT.sign}{_TEXT.time}")
_OPENED = re.compile("[(\uff08]\\s*\\Z")
# How far before a sign an attribution's "(" may stand (the spaces of an unusual layout).
OPENING_CHARS = 40


def count_authors(text: str, upto: int | None = None) -> int:
    """How many shapes a text shows (as ``AUTHOR_TEXT`` finds them), counted no further than ``upto``.

    >>> count_authors("— Jane (@jane) May 1, 2017"), count_authors("mail jane@example.com")
    (1, 0)
    """
    count = 0
    for m in _FROM_SIGN.finditer(text):
        if (m.group("close") is None or _OPENED.search(text, max(0, m.start() - OPENING_CHARS), m.start())
                or _TIMELINE_AT.match(text, m.start())):
            count += 1
            if count == upto:
                break
    return count


def shows_author(text: str) -> bool:
    """Whether a text shows either shape."""
    return count_authors(text, upto=1) > 0


def _author_bytes(at: str) -> tuple[str, str]:
    """The two shapes in raw bytes, both written from the sign: an attribution as "@handle)" (the "(" before
    it left to the text, as ``count_authors`` does: a pattern opening on "(" follows every parenthesis of a
    page's scripts), a timeline header as "@handle 5h". Every match of a shape ends where one of these does."""
    # In raw HTML: spaces, tags and the entities that stand for a space between the parts; the "·" in
    # UTF-8, windows-1252 or as an entity; digits of other scripts by their UTF-8 lead bytes, letters
    # of other scripts as UTF-8 bytes (a month name of 10 letters is at most 40 of them). Looser than
    # the text shape on purpose (no test of what follows a unit): it only has to find every shape the
    # text holds. A gap's parts each start with their own character, so a match never tries the same
    # stretch two ways: the search stays linear without bounds on the gap. Rendered widgets write the
    # "@" apart from the handle ("<s>@</s><b>jane</b>").
    part = r"(?:\s|<[^<>]*>|&(?:nbsp|ensp|emsp|thinsp|#160|#xa0);)"
    shapes = _parts(
        gap=part + "*",
        space=part + "+",
        opening=r"(?:\(|\xef\xbc\x88)",
        closing=r"(?:\)|\xef\xbc\x89)",
        at=at + r"(?:<[^<>]*>)*",
        separator=r"(?:\xc2\xb7|\xe2\x80\xa2|\xb7|\x95|&middot;|&bull;|&#183;|&#8226;)",
        digit=r"(?:[0-9]|[\xd9\xdb\xdf\xe0\xe1\xea\xef\xf0][\x80-\xbf]{1,3})",
        month=r"[a-z\x80-\xff]{3,40}",
        unit_end="",
    )
    return shapes.sign + shapes.close, shapes.sign + shapes.time


# The same shapes in a page's bytes, one needle per shape and sign ("@", or "＠" in UTF-8), each found
# through its sign: an attribution's "(" is in every page, its "@" in few.
AUTHOR_NEEDLES: tuple[Needle, ...] = tuple(
    within(sign, pattern.encode("latin-1"), counted=True)
    for sign in (b"@", "\uff20".encode())
    for pattern in _author_bytes(re.escape(sign.decode("latin-1")))
)
