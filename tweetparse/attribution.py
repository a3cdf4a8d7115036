"""The pieces of a flattened embed's attribution line (``— Name (@handle) date``) in every form text
extractors leave them: dashes and their entities, name lengths, and dates with clocks."""
from __future__ import annotations

import re
import unicodedata

from .dates import DATE_TEXT, parse_shown_date

__all__ = ["CLOCK_AFTER", "DASH", "DAY_PERIODS", "read_date", "visible_length"]

# The dash before a name. An em dash or a horizontal bar (as characters or entities a flattener
# left) marks an attribution glued or spaced; an en dash, "--" or a hyphen only with a blank after
# it and a blank or the text's start before it, since words and dates hold them too.
DASH = re.compile(
    r"(?:—|―|&mdash;|&#8212;|&#x2014;|&horbar;|&#8213;|&#x2015;)"
    r"|(?:(?<=\s)|^)(?:–|&ndash;|&#8211;|&#x2013;|--|-)(?=[ \t\u00a0])"
)
# A time of day after a date, past the blanks that follow it: "at 10:02 AM", ", 10:02 AM", "um
# 10:02", "· 10:02". Blank runs are bounded: a search over a run of blanks stays linear.
CLOCK_AFTER = re.compile(
    r"(?:[,·•][ \t]{0,3})?(?:(?:at|um|à|a las|alle|om|kl\.)[ \t]{1,3})?\d{1,2}[:.]\d{2}"
    r"(?:[ \t]{0,3}[AaPp]\.?[ \t]?[Mm]\.?)?(?![\d:])"
)
# Day periods written before a clock ("午後9:32"): a word that may open a date's evidence.
DAY_PERIODS = frozenset(("午前", "午後", "上午", "下午", "오전", "오후"))
# A clock before a date, as a rendered widget shows it: "9:32 PM · Dec 19, 2021", "21:32 · 19. Dez.
# 2021", "午後9:32 · 2021年12月19日"; the date after it is read by DATE_TEXT.
_CLOCK_BEFORE = re.compile(
    r"(?:(?:午前|午後|上午|下午|오전|오후)[ \t]?)?\d{1,2}[:.]\d{2}(?:[ \t]?[AaPp]\.?[ \t]?[Mm]\.?)?[ \t]{0,3}[·•|\-–—][ \t]{0,3}"
)
# Dates DATE_TEXT does not find: ISO ("2016-12-13", as some CMSs print a date link) and a CJK
# month and day without a year ("12月13日", as a timeline shows this year's dates).
_OTHER_DATE = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2})?)?(?![\d-])"
    r"|\d{1,2}[ \t]?[月월][ \t]?\d{1,2}[ \t]?[日일]"
)


def read_date(view: str, pos: int) -> tuple[str, int] | None:
    """The date at ``pos`` in a form DATE_TEXT alone does not read (a clock before it, ISO, CJK
    month and day), when it parses: its text, clock included, and where it ends; else None."""
    clock = _CLOCK_BEFORE.match(view, pos)
    start = clock.end() if clock is not None else pos
    dm = (DATE_TEXT.match(view, start) if clock is not None else None) or _OTHER_DATE.match(view, start)
    if dm is None:
        return None
    shown = " ".join(view[pos:dm.end()].split())
    return (shown, dm.end()) if parse_shown_date(shown) is not None else None


# Characters that take no room of their own in a name: combining marks, joiners, variation
# selectors, emoji skin tones.
_NO_ROOM = frozenset(("Mn", "Me", "Cf"))


def visible_length(name: str) -> int:
    """A name's length as a reader counts it: an emoji sequence (joiners, skin tones, variation
    selectors, flags' tag letters) is one character, as Twitter's 50-character limit counts it.

    >>> visible_length("Jo 👩🏽\u200d💻")
    4
    """
    if name.isascii():
        return len(name)
    count = 0
    joined = False  # the previous character was a zero-width joiner: this one is part of its emoji
    flag_half = False  # a regional indicator opened a flag: the next one closes it
    for c in name:
        if c == "\u200d":
            joined = True
            continue
        if unicodedata.category(c) in _NO_ROOM or 0x1F3FB <= ord(c) <= 0x1F3FF:
            continue
        if joined:
            joined = False
            continue
        if 0x1F1E6 <= ord(c) <= 0x1F1FF:
            flag_half = not flag_half
            if not flag_half:
                continue
        count += 1
    return count
