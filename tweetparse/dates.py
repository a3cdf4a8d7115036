"""Dates as tweets show them: absolute dates in 20+ languages, relative times, and the ISO forms we emit."""
from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import NamedTuple, TypeAlias

from dateutil import parser as du_parser

__all__ = ["DATE_TEXT", "MONTH_WORDS", "RELATIVE_TEXT", "RelativeTime", "ShownDate", "parse_relative",
           "parse_shown_date", "read_relative", "to_utc"]

# Month names per month, every language Twitter's embed and web client render dates in,
# full, abbreviated and (where the language inflects them) genitive forms. Lower case.
MONTH_NAMES: tuple[tuple[str, ...], ...] = (
    ("january", "jan", "januar", "janvier", "janv", "enero", "ene", "gennaio", "gen", "janeiro", "januari",
     "tammikuu", "tammikuuta", "tammik", "styczeń", "stycznia", "sty", "leden", "ledna", "led", "январь", "января", "янв",
     "січень", "січня", "січ", "ocak", "oca", "يناير", "كانون الثاني", "jänner", "jän", "ιανουαρίου", "ιαν"),
    ("february", "feb", "februar", "février", "févr", "fevr", "febrero", "febbraio", "fevereiro", "fev", "februari",
     "helmikuu", "helmikuuta", "helmik", "luty", "lutego", "lut", "únor", "února", "úno", "февраль", "февраля", "фев", "февр",
     "лютий", "лютого", "лют", "şubat", "şub", "فبراير", "شباط", "φεβρουαρίου", "φεβ"),
    ("march", "mar", "märz", "mär", "mars", "marzo", "março", "maart", "mrt", "marts", "mars", "maaliskuu",
     "maaliskuuta", "maalisk", "marzec", "marca", "březen", "března", "bře", "март", "марта", "мар",
     "березень", "березня", "бер", "mart", "مارس", "آذار", "μαρτίου", "μαρ"),
    ("april", "apr", "avril", "avr", "abril", "abr", "aprile", "huhtikuu", "huhtikuuta", "huhtik", "kwiecień",
     "kwietnia", "kwi", "duben", "dubna", "dub", "апрель", "апреля", "апр", "квітень", "квітня", "квіт", "nisan", "nis",
     "أبريل", "ابريل", "نيسان", "απριλίου", "απρ"),
    ("may", "mai", "mayo", "maggio", "mag", "maio", "mei", "maj", "toukokuu", "toukokuuta", "toukok", "maja",
     "květen", "května", "kvě", "май", "мая", "травень", "травня", "трав", "mayıs", "مايو", "أيار", "μαΐου", "μαΐ"),
    ("june", "jun", "juni", "juin", "junio", "giugno", "giu", "junho", "kesäkuu", "kesäkuuta", "kesäk", "czerwiec",
     "czerwca", "cze", "červen", "června", "čvn", "июнь", "июня", "июн", "червень", "червня", "черв", "haziran", "haz",
     "يونيو", "حزيران", "ιουνίου", "ιουν"),
    ("july", "jul", "juli", "juillet", "juil", "julio", "luglio", "lug", "julho", "heinäkuu", "heinäkuuta",
     "heinäk", "lipiec", "lipca", "lip", "červenec", "července", "čvc", "июль", "июля", "июл", "липень", "липня", "лип",
     "temmuz", "tem", "يوليو", "تموز", "ιουλίου", "ιουλ"),
    ("august", "aug", "août", "agosto", "ago", "augustus", "augusti", "elokuu", "elokuuta", "elok", "sierpień",
     "sierpnia", "sie", "srpen", "srpna", "srp", "август", "августа", "авг", "серпень", "серпня", "серп", "ağustos",
     "ağu", "agustus", "agu", "أغسطس", "اغسطس", "آب", "αυγούστου", "αυγ"),
    ("september", "sep", "sept", "septembre", "septiembre", "settembre", "set", "setembro", "syyskuu", "syyskuuta",
     "syysk", "wrzesień", "września", "wrz", "září", "zář", "сентябрь", "сентября", "сен", "сент", "вересень",
     "вересня", "вер", "eylül", "eyl", "سبتمبر", "أيلول", "σεπτεμβρίου", "σεπ"),
    ("october", "oct", "oktober", "okt", "octobre", "octubre", "ottobre", "ott", "outubro", "out", "lokakuu",
     "lokakuuta", "lokak", "październik", "października", "paź", "říjen", "října", "říj", "октябрь", "октября", "окт",
     "жовтень", "жовтня", "жовт", "ekim", "eki", "أكتوبر", "اكتوبر", "تشرين الأول", "οκτωβρίου", "οκτ"),
    ("november", "nov", "novembre", "noviembre", "novembro", "marraskuu", "marraskuuta", "marrask", "listopad",
     "listopada", "lis", "listopadu", "ноябрь", "ноября", "ноя", "нояб", "листопад", "листопада", "лист", "kasım", "kas",
     "نوفمبر", "تشرين الثاني", "νοεμβρίου", "νοε"),
    ("december", "dec", "dezember", "dez", "décembre", "déc", "diciembre", "dic", "dicembre", "dezembro",
     "desember", "des", "joulukuu", "joulukuuta", "jouluk", "grudzień", "grudnia", "gru", "prosinec", "prosince",
     "pro", "декабрь", "декабря", "дек", "грудень", "грудня", "груд", "aralık", "ara", "ديسمبر", "كانون الأول",
     "δεκεμβρίου", "δεκ"),
)

# Words that sit between day, month and year in some languages ("13 de diciembre de 2016",
# "le 13 décembre", "13 грудня 2016 р."). Dropped before parsing; anything else is an error.
FILLER_WORDS = ("de", "del", "di", "le", "den", "der", "am", "г", "года", "р", "року", "of", "the", "em", "à")

_MONTH_TO_NUMBER = {name: i + 1 for i, names in enumerate(MONTH_NAMES) for name in names}
# The first word of every month name (multi-word names included), lower case: a cheap test of
# whether text can start a date before the full pattern and dateutil are tried.
MONTH_WORDS = frozenset(name.split()[0] for name in _MONTH_TO_NUMBER)


class _MultilingualInfo(du_parser.parserinfo):
    """dateutil's parser, taught every language's month names and filler words."""

    MONTHS = [tuple(names) for names in MONTH_NAMES]  # type: ignore[assignment]  # noqa: RUF012 - dateutil's own shape
    JUMP = list(du_parser.parserinfo.JUMP) + list(FILLER_WORDS)  # type: ignore[assignment]


_PARSER = du_parser.parser(_MultilingualInfo())

# A time of day before a date, as widgets and timelines show it: "9:32 PM · ", "7:46 AM - ", "21:32 · ",
# "9:32 p. m. · ", "午後9:32 · ", "오후 9:32 · " (the day period before or after the clock, in its language).
_DAY_PERIOD_BEFORE = r"(?:午前|午後|上午|下午|오전|오후)"
_DAY_PERIOD_AFTER = r"(?:[AaPp]\.?\s?[Mm]\.?|vorm\.|nachm\.|ص|م)"
_WIDGET_TIME_PREFIX = re.compile(
    r"^(?:" + _DAY_PERIOD_BEFORE + r"\s?)?\d{1,2}[:.]\d{2}(?:\s?" + _DAY_PERIOD_AFTER + r")?\s*[·•|\-–—]\s*")

# East Asian dates: 2016年12月13日, 2016년 12월 13일.
_CJK_DATE = re.compile(r"(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]?")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2})?)?")
_CJK_MONTH_DAY = re.compile(r"(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]")
_NON_ASCII_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹０１２３４５６７８９", "0123456789" * 3)


# A prefix tree of words: each character leads to the rest; the key "" marks a word's end.
_Trie: TypeAlias = "dict[str, _Trie]"


def _trie_alternation(words: Iterable[str]) -> str:
    """A regex alternation of ``words`` nested by shared prefixes (``ja(?:n(?:uary|v)?|...)``).

    A flat list of ~450 month names costs ~450 tries at every position of a search; nested, a
    position costs one try per letter that could still start or continue a name. Longer words
    are tried first, as in a flat list sorted longest first, so every match is the same (no two
    letters at one branch match one character, IGNORECASE's Unicode folds included: see
    tests/test_text_linear.py).
    """
    trie: _Trie = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here

    def render(node: _Trie) -> str:
        branches = [re.escape(char) + render(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" in node:  # the continuations first: a longer name before the shorter one it extends
            return "(?:" + body + ")?"
        return body

    return render(trie)


# Multi-word names (Levantine Arabic) are left to parse_shown_date(), which rewrites them.
_ONE_WORD_MONTHS = [name for name in _MONTH_TO_NUMBER if " " not in name]
_MONTH_ALTERNATION = _trie_alternation(_ONE_WORD_MONTHS)
# What a date can start with: a digit (day, year) or the first letter of a month name.
_DATE_OPENING = "[\\d" + "".join(sorted({re.escape(name[0]) for name in _ONE_WORD_MONTHS})) + "]"

# A date as an attribution line shows it, in any language of MONTH_NAMES: "December 13, 2016",
# "13. Dezember 2016", "13 de diciembre de 2016", "2016年12月13日", "Dec 13" (year-less).
# Used to *find* candidate date text; parse_shown_date() then validates it with dateutil.
# Linear in every mode. The text stage only .match()es it where a date must start; a search
# costs ~0.4 s per MB of English prose or "aaaa..." (each letter that can open a month name still
# tries that letter's names) and little on anything else, against ~3.3 s per MB for a flat list.
DATE_TEXT = re.compile(
    r"(?=" + _DATE_OPENING + r")"  # most positions of a search fail here, on one character
    r"(?:\d{4}\s*[年년]\s*\d{1,2}\s*[月월]\s*\d{1,2}\s*[日일]?"
    r"|(?:(?:" + _MONTH_ALTERNATION + r")\.?\s+\d{1,2}(?:st|nd|rd|th)?,?(?:\s+\d{4})?"
    r"|\d{1,2}(?:st|nd|rd|th)?\.?\s+(?:de\s+)?(?:" + _MONTH_ALTERNATION + r")\.?(?:,?\s+(?:de\s+)?\d{4})?(?:\s*(?:г|р)\.)?))"
    r"(?!\w)",
    re.IGNORECASE,
)


class ShownDate(NamedTuple):
    """A parsed date: the day, and whether the page showed its year."""

    day: date
    has_year: bool


# dateutil's default year for a date that names none: no tweet is from year 4, and as a leap
# year it lets a year-less 29 February parse.
_NO_YEAR = 4


# Distinct date strings are few while pages and corpora repeat them; dateutil is the costly step.
DATE_CACHE_SIZE = 4096


@lru_cache(maxsize=DATE_CACHE_SIZE)
def parse_shown_date(text: str) -> ShownDate | None:
    """Parse a date as an embed or attribution shows it, in any supported language.

    Never fuzzy: text that is not wholly a date gives None.

    >>> parse_shown_date("13. Dezember 2016")
    ShownDate(day=datetime.date(2016, 12, 13), has_year=True)
    """
    text = text.translate(_NON_ASCII_DIGITS).strip().rstrip(".")
    # A rendered widget shows "9:32 PM · Dec 19, 2021": the time is in the *viewer's* zone, so
    # only the date is kept (and it may be a day off the UTC date, as any shown date may).
    text = _WIDGET_TIME_PREFIX.sub("", text, count=1)
    if not text or len(text) > 40:
        return None
    m = _CJK_DATE.fullmatch(text)
    if m:
        try:
            return ShownDate(date(int(m.group(1)), int(m.group(2)), int(m.group(3))), True)
        except ValueError:
            return None
    m = _ISO_DATE.fullmatch(text)
    if m:  # "2016-12-13", "2016-12-13T10:02:00Z": the day as written
        try:
            return ShownDate(date(int(m.group(1)), int(m.group(2)), int(m.group(3))), True)
        except ValueError:
            return None
    m = _CJK_MONTH_DAY.fullmatch(text)
    if m:  # "12月13日": a timeline's date of the current year
        try:
            return ShownDate(date(_NO_YEAR, int(m.group(1)), int(m.group(2))), False)
        except ValueError:
            return None
    if not re.search(r"\d", text) or not re.search(r"[^\W\d_]", text):
        return None  # a date shown in words has a number and a month name
    # Multi-word month names (Levantine Arabic) and ordinals ("13th") need help before dateutil.
    for name in ("كانون الثاني", "تشرين الأول", "تشرين الثاني", "كانون الأول"):
        if name in text:
            text = text.replace(name, str(_MONTH_TO_NUMBER[name]) + "/")
    text = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text)
    try:
        parsed = _PARSER.parse(text, default=datetime(_NO_YEAR, 1, 1), ignoretz=True)
    except (ValueError, OverflowError, TypeError):
        return None
    if parsed.hour or parsed.minute:
        return None  # a time of day is not an attribution date
    if parsed.day == 1 and _PARSER.parse(text, default=datetime(_NO_YEAR, 1, 2), ignoretz=True).day == 2:
        return None  # "June 2016": a month, not a day
    return ShownDate(parsed.date(), parsed.year != _NO_YEAR)


# Relative times as timelines show them. The visible, abbreviated form ("5h", "3 Std.", "3 h", "3時間")
# and the screen-reader form ("5 hours ago", "vor 3 Stunden", "hace 3 horas") that legacy twitter.com
# kept in the same link, so a copy glues them ("5h5 hours ago"); older pages showed the long form alone
# ("about 5 hours ago"). Words from twitter.com's and CLDR's short and long unit names, lower case.
_SHORT_UNITS: dict[str, str] = {
    "s": "second", "sec": "second", "secs": "second", "sek": "second", "seg": "second", "sn": "second",
    "с": "second", "сек": "second", "秒": "second", "초": "second",
    "m": "minute", "min": "minute", "mins": "minute", "dk": "minute", "мин": "minute", "分": "minute",
    "分钟": "minute", "分鐘": "minute", "분": "minute",
    "h": "hour", "hr": "hour", "hrs": "hour", "std": "hour", "u": "hour", "sa": "hour", "godz": "hour",
    "ч": "hour", "時間": "hour", "小时": "hour", "小時": "hour", "시간": "hour",
    "d": "day", "j": "day", "g": "day", "д": "day", "дн": "day", "日": "day", "天": "day", "일": "day",
    "w": "week", "sem": "week", "нед": "week", "週": "week", "週間": "week", "周": "week", "주": "week",
}
_LONG_UNITS: dict[str, str] = {
    **{word: "second" for word in ("second", "seconds", "sekunde", "sekunden", "segundo", "segundos", "seconde",
                                   "secondes", "secondo", "secondi", "seconden", "saniye", "секунд", "секунды",
                                   "секунду", "sekund", "sekundy", "sekundę")},
    **{word: "minute" for word in ("minute", "minutes", "minuten", "minuto", "minutos", "minuti", "minuut",
                                   "dakika", "минут", "минуты", "минуту", "minut", "minuty", "minutę")},
    **{word: "hour" for word in ("hour", "hours", "stunde", "stunden", "hora", "horas", "heure", "heures", "ora",
                                 "ore", "uur", "saat", "час", "часа", "часов", "godzina", "godziny", "godzin",
                                 "godzinę")},
    **{word: "day" for word in ("day", "days", "tag", "tage", "tagen", "día", "días", "dia", "dias", "jour",
                                "jours", "giorno", "giorni", "dag", "dagen", "gün", "день", "дня", "дней", "dzień",
                                "dni")},
    **{word: "week" for word in ("week", "weeks", "woche", "wochen", "semana", "semanas", "semaine", "semaines",
                                 "settimana", "settimane", "weken", "hafta", "неделю", "недели", "недель",
                                 "tydzień", "tygodnie", "tygodni")},
}
# "Now" as timelines say it: no time has passed worth a unit.
_NOW_WORDS = ("now", "just now", "ahora", "jetzt", "gerade eben", "maintenant", "à l'instant", "agora", "adesso",
              "nu", "たった今", "今", "방금", "지금", "刚刚", "剛剛", "сейчас", "только что", "şimdi", "teraz")
# Words that mark a long form as past: before the number ("hace 3 horas") or after the unit ("3 ore fa").
_PAST_BEFORE = ("hace", "vor", "il y a", "há", "ha")
_PAST_AFTER = ("ago", "fa", "geleden", "前", "전", "назад", "önce", "temu", "sedan", "siden", "sitten")
# "about 5 hours ago", "less than a minute ago": the 2010 web client's hedges.
_HEDGES = ("about", "around", "almost", "over", "less than")
_ONE = ("a", "an", "one")
_BLANK = r"[ \t\u00a0]"


def _alternation(words: Iterable[str]) -> str:
    """Words as one alternation, each letter a literal, blanks inside a word any blank run."""
    return _trie_alternation(words).replace("\\ ", _BLANK + "{1,3}")


_LONG_RELATIVE = re.compile(
    r"(?:(?:" + _alternation(_HEDGES) + r")" + _BLANK + r"{1,3})?"
    r"(?:(?P<before>" + _alternation(_PAST_BEFORE) + r")" + _BLANK + r"{1,3})?"
    r"(?P<n>\d{1,3}|" + _alternation(_ONE) + r")" + _BLANK + r"{0,3}"
    r"(?P<unit>" + _alternation({**_LONG_UNITS, **_SHORT_UNITS}) + r")\.?"
    r"(?:" + _BLANK + r"{0,3}(?P<after>" + _alternation(_PAST_AFTER) + r"))?",
    re.IGNORECASE,
)
# Every relative time: "now", the short form alone or glued to its long form, or the long form alone.
RELATIVE_TEXT = re.compile(
    r"(?P<now>" + _alternation(_NOW_WORDS) + r")"
    r"|(?P<n>\d{1,3})" + _BLANK + r"?(?P<unit>" + _alternation(_SHORT_UNITS) + r")\.?"
    r"(?:" + _BLANK + r"{0,3}(?P<long>" + re.sub(r"\(\?P<\w+>", "(?:", _LONG_RELATIVE.pattern) + r"))?"
    r"|(?P<alone>" + _LONG_RELATIVE.pattern.replace("?P<", "?P<l_") + r")",
    re.IGNORECASE,
)
_UNIT_DELTA = {"second": timedelta(seconds=1), "minute": timedelta(minutes=1), "hour": timedelta(hours=1),
               "day": timedelta(days=1), "week": timedelta(weeks=1)}


class RelativeTime(NamedTuple):
    """A relative time: how long ago, its unit, and whether the visible short form was shown."""

    delta: timedelta
    unit: str
    short: bool  # "5h", "3 Std.", "now": the form a timeline shows (a long form may be glued after it)


def _count(word: str) -> int:
    return 1 if word.lower() in _ONE else int(word)


def _long_form(m: re.Match[str], prefix: str = "") -> tuple[int, str] | None:
    """(number, unit) of a long form, which must say it is past (``ago``, ``hace``, ...), not both ways."""
    before, after = m.group(prefix + "before"), m.group(prefix + "after")
    if (before is None) == (after is None):
        return None
    unit = m.group(prefix + "unit").lower()
    return _count(m.group(prefix + "n")), _LONG_UNITS.get(unit) or _SHORT_UNITS[unit]


def read_relative(text: str) -> RelativeTime | None:
    """A relative time as timelines show it (``5h``, ``5h5 hours ago``, ``vor 3 Std.``, ``now``), else None.

    >>> read_relative("5h5 hours ago")
    RelativeTime(delta=datetime.timedelta(seconds=18000), unit='hour', short=True)
    """
    m = RELATIVE_TEXT.fullmatch(text.strip())
    if m is None:
        return None
    if m.group("now"):
        return RelativeTime(timedelta(0), "minute", True)
    if m.group("n"):
        number, unit = int(m.group("n")), _SHORT_UNITS[m.group("unit").lower()]
        if m.group("long"):
            glued = _long_form(_LONG_RELATIVE.fullmatch(m.group("long")))  # type: ignore[arg-type]
            if glued != (number, unit):
                return None  # "5h3 days ago": two different times are no time
        return RelativeTime(_UNIT_DELTA[unit] * number, unit, True)
    alone = _long_form(m, "l_")
    if alone is None:
        return None
    number, unit = alone
    # "hace 3 h", "vor 3 Std.": a long form spelled with the short unit is what some apps show
    return RelativeTime(_UNIT_DELTA[unit] * number, unit, m.group("l_unit").lower() in _SHORT_UNITS)


def parse_relative(text: str) -> tuple[timedelta, str] | None:
    """``(how long ago, unit)`` for a relative time such as ``5h`` or ``hace 3 horas``, else None."""
    found = read_relative(text)
    return (found.delta, found.unit) if found else None


def to_utc(moment: datetime) -> datetime:
    """A datetime in UTC; a naive one is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)
