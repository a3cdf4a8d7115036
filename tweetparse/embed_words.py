"""The words other networks' embeds show around a post, in the languages they are served in: Instagram's byline
("A post shared by Name (@handle) on date"), and the chrome that is never a post's text ("View this post on
Instagram", "Post by @user@server", "View on Threads", "[image or embed]")."""
from __future__ import annotations

import re
from typing import NamedTuple

__all__ = ["BYLINE_PHRASES", "VIEW_PHRASES", "Byline", "is_chrome_line", "is_view_phrase", "read_byline"]

# "A post shared by" before the name, per language, as written (Instagram's embed generator writes the
# viewer's language; seen in saved embeds).
BYLINE_PHRASES_WRITTEN: tuple[str, ...] = (
    "A post shared by", "Ein Beitrag geteilt von", "Une publication partagée par", "Una publicación compartida de",
    "Una publicación compartida por", "Un post condiviso da", "Uma publicação compartilhada por",
    "Uma publicação partilhada por", "Een bericht gedeeld door", "Ett inlägg delat av", "Et opslag delt af",
    "Et innlegg delt av", "Post udostępniony przez", "Sebuah kiriman dibagikan oleh", "Публикация от",
    "Příspěvek sdílený uživatelem", "Käyttäjän",
)
BYLINE_PHRASES: tuple[str, ...] = tuple(p.casefold() for p in BYLINE_PHRASES_WRITTEN)
# The same phrase where the language puts it after "Name (@handle)". Lower case.
BYLINE_SUFFIXES: tuple[str, ...] = (
    "がシェアした投稿", "님의 공유 게시물", "分享的帖子", "tarafından paylaşılan bir gönderi", "jakama julkaisu",
    "által megosztott bejegyzés",
)
# "View this post on Instagram" per language, as written: the link over the embed's picture.
VIEW_PHRASES_WRITTEN: tuple[str, ...] = (
    "View this post on Instagram", "Sieh dir diesen Beitrag auf Instagram an", "Voir cette publication sur Instagram",
    "Ver esta publicación en Instagram", "Visualizza questo post su Instagram", "Ver essa foto no Instagram",
    "Ver esta publicação no Instagram", "Dit bericht op Instagram bekijken", "Visa det här inlägget på Instagram",
    "Se dette opslag på Instagram", "Se dette innlegget på Instagram", "Wyświetl ten post na Instagramie",
    "この投稿をInstagramで見る", "Посмотреть эту публикацию в Instagram", "Lihat postingan ini di Instagram",
)
VIEW_PHRASES: tuple[str, ...] = tuple(p.casefold() for p in VIEW_PHRASES_WRITTEN)

# A byline: what comes before "(@handle)", the handle (Instagram's: letters, digits, "." and "_", at most
# 30), and what follows (a connector and the date, or a suffix phrase). A byline without a display name
# reads "A post shared by @handle".
_BYLINE = re.compile(r"(?P<before>[^\n]{0,200}?)\(\s*@(?P<handle>[A-Za-z0-9._]{1,30})\s*\)(?P<after>[^\n]{0,120})")
_BARE_HANDLE = re.compile(r"@(?P<handle>[A-Za-z0-9._]{1,30})(?![A-Za-z0-9._])(?P<after>[^\n]{0,120})")
# A short connector before the date ("on", "am", "le", "el", "em", "op", "den", "-"), matched after the
# blanks before it are stripped (a leading blank run would make a search quadratic).
_CONNECTOR = re.compile(r"(?:[^\W\d_]{1,4}\.?|[-–—·])[ \t]{1,3}")


class Byline(NamedTuple):
    """What an Instagram byline shows."""

    handle: str
    name: str | None
    date_text: str | None


def is_view_phrase(text: str) -> bool:
    """Whether a text is only Instagram's call to view the post, in some language."""
    return " ".join(text.split()).casefold() in VIEW_PHRASES


def read_byline(text: str) -> Byline | None:
    """The handle, display name and shown date of a byline, when ``text`` is one in a known language.

    >>> read_byline("Ein Beitrag geteilt von Lauftreff (@lauftreff_hafen) am Apr 21, 2019 um 4:47 PDT")
    Byline(handle='lauftreff_hafen', name='Lauftreff', date_text='Apr 21, 2019 um 4:47 PDT')
    """
    text = " ".join(text.split())
    folded = text.casefold()
    m = _BYLINE.search(text)
    if m is not None:
        before, after = m.group("before"), m.group("after")
    else:  # "A post shared by @handle": no display name
        phrase = next((p for p in BYLINE_PHRASES if folded.startswith(p)), None)
        bare = _BARE_HANDLE.match(text, len(phrase) + 1) if phrase and text[len(phrase):len(phrase) + 1] == " " else None
        if bare is None:
            bare = _BARE_HANDLE.match(text.lstrip())
            if bare is None or not bare.group("after").strip().casefold().startswith(BYLINE_SUFFIXES):
                return None
        return Byline(bare.group("handle"), None, _date_after(bare.group("after")))
    lead = before.casefold().lstrip()
    phrase = next((p for p in BYLINE_PHRASES if lead.startswith(p)), None)
    suffix = next((s for s in BYLINE_SUFFIXES if after.casefold().lstrip().startswith(s)), None)
    if phrase is None and suffix is None:
        return None
    name = before.lstrip()[len(phrase):] if phrase else before
    date_text = _date_after(after.lstrip()[len(suffix):] if suffix else after)
    return Byline(m.group("handle"), name.strip(" \t-–—:") or None, date_text)


def _date_after(after: str) -> str | None:
    """The date after a byline's handle, without its connector ("on", "am", "-")."""
    after = after.lstrip()
    connector = _CONNECTOR.match(after)
    date_text = after[connector.end():] if connector else after
    return date_text.strip() or None


# Bluesky's placeholder for a post's media or quoted post, and the links of Mastodon's and Threads' embeds
# ("View on Mastodon", "View on Threads", localized by Threads: "Ver en Threads", "Auf Threads ansehen").
PLACEHOLDERS: tuple[str, ...] = ("[image or embed]",)
_VIEW_ON = re.compile(r"(?:view on|ver en|ver no|voir sur|auf|bekijk op|visualizza su|visa på)[ \t]{1,3}"
                      r"(?:mastodon|threads|truth social)(?:[ \t]{1,3}ansehen)?", re.IGNORECASE)
# "Post by @user@server" (Mastodon) or "Post by @user" (Threads) standing for the post in a stub embed.
_POST_BY = re.compile(r"(?:post by|publicación de|beitrag von|publication de)[ \t]{1,3}@[^\s@]{1,64}(?:@[^\s@]{1,253})?",
                      re.IGNORECASE)


def is_chrome_line(line: str) -> bool:
    """Whether a line is only an embed's chrome: Instagram's call to view, Mastodon's or Threads' "Post by
    @user" and "View on ...", Bluesky's "[image or embed]" (or several of them on one line).

    >>> is_chrome_line("Post by @countwatch@social.example View on Mastodon")
    True
    """
    rest = _VIEW_ON.sub(" ", _POST_BY.sub(" ", line))
    for placeholder in PLACEHOLDERS:
        rest = rest.replace(placeholder, " ")
    rest = rest.strip()
    return not rest or is_view_phrase(rest)
