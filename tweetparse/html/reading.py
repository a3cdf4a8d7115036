"""Reading an element as a reader sees it: its visible text, in order, with the breaks a browser shows."""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from lxml import etree

from ..build import clean_text

__all__ = ["SKIP_TAGS", "element_text", "is_hidden", "raw_text", "text_pieces"]


# Elements whose content a reader never sees as text.
SKIP_TAGS = frozenset({"script", "style", "template", "noscript", "textarea", "head", "title", "meta", "link",
                       "iframe", "object", "svg", "button", "select"})
# Blocks a browser separates with a blank line (margins) vs. a plain line break.
_PARAGRAPH_TAGS = frozenset({"p", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "figure", "table", "ul",
                             "ol", "dl", "hr"})
_LINE_TAGS = frozenset({"div", "li", "dt", "dd", "tr", "section", "article", "header", "footer", "aside", "nav",
                        "main", "address", "figcaption", "form", "fieldset", "details", "summary", "caption",
                        "center"})
_PARAGRAPH_BREAK, _LINE_BREAK = 2, 1
_WHITESPACE = re.compile(r"[ \t\r\n\f\v]+")
_DISPLAY_NONE = re.compile(r"display\s*:\s*none", re.IGNORECASE)
# Emoji images (Twitter's twemoji, WordPress smilies) carry the character in alt; an alt this short
# with no letter or digit is an emoji even without a telling class (a ZWJ family is up to 11 code points).
EMOJI_ALT_MAX_CHARS = 16
_EMOJI_MARKERS = ("emoji", "smiley", "twemoji")


def raw_text(element: Any) -> str:
    """All text under an element, scripts included, in one C call: the cheap check before a walk."""
    return etree.tostring(element, method="text", encoding="unicode", with_tail=False)


def is_hidden(element: Any) -> bool:
    """Whether an element is hidden from the reader by its own attributes."""
    if element.get("hidden") is not None:
        return True
    style = element.get("style")
    return bool(style) and _DISPLAY_NONE.search(style) is not None


def _emoji_alt(img: Any) -> str:
    """The alt text of an emoji image, or "" for any other image."""
    alt = (img.get("alt") or "").strip()
    if not alt:
        return ""
    marks = f"{img.get('class') or ''} {img.get('src') or ''}".lower()
    if any(m in marks for m in _EMOJI_MARKERS):
        return alt
    if len(alt) <= EMOJI_ALT_MAX_CHARS and not any(c.isalnum() for c in alt):
        return alt
    return ""


def text_pieces(
    element: Any,
    stop: Any = None,
    skip: Callable[[Any], bool] | None = None,
    blocks: list[tuple[int, Any]] | None = None,
    anchors: list[tuple[int, Any]] | None = None,
) -> list[str | int]:
    """The visible text of ``element`` as strings and break strengths (ints), in reading order,
    up to (not including) ``stop``, leaving out subtrees for which ``skip`` is true. ``blocks``,
    when given, receives ``(index into the result, element)`` for every block element entered,
    ``anchors`` the same for every link.
    An explicit stack keeps deep trees off the recursion limit."""
    out: list[str | int] = []
    # An element to enter, a text (folded when popped: texts after ``stop`` never are) or a break strength.
    stack: list[Any] = [element]
    fold = _WHITESPACE.sub
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is str:
            out.append(fold(" ", item))
            continue
        if kind is int:
            out.append(item)
            continue
        if item is stop:
            break
        tag = item.tag
        if not isinstance(tag, str):  # comments and processing instructions: only their tail shows
            continue
        tag = tag.lower()
        if tag in SKIP_TAGS:
            continue
        if item is not element and (is_hidden(item) or (skip is not None and skip(item))):
            continue
        if tag == "br":
            out.append("\n")
            continue
        if tag == "img":
            alt = _emoji_alt(item)
            if alt:
                out.append(alt)
            continue
        if tag == "a" and anchors is not None:
            anchors.append((len(out), item))
        strength = _PARAGRAPH_BREAK if tag in _PARAGRAPH_TAGS else _LINE_BREAK if tag in _LINE_TAGS else 0
        if strength:
            stack.append(strength)
            if blocks is not None:
                blocks.append((len(out), item))
        for child in reversed(item):
            tail = child.tail
            if tail:
                stack.append(tail)
            stack.append(child)
        text = item.text
        if text:
            stack.append(text)
        if strength:
            stack.append(strength)
    return out


def _join(pieces: list[str | int]) -> str:
    """Strings joined, each run of breaks becoming its strongest, none at either end."""
    parts: list[str] = []
    pending = 0
    for piece in pieces:
        if isinstance(piece, int):
            pending = max(pending, piece)
            continue
        if pending and not piece.strip() and "\n" not in piece:
            continue  # the whitespace between two blocks is not a line of its own
        if pending and parts:
            parts.append("\n" * pending)
        pending = 0
        parts.append(piece)
    return clean_text("".join(parts))


def element_text(element: Any, *, stop: Any = None, skip: Callable[[Any], bool] | None = None) -> str:
    """An element's text as a reader sees it: entities decoded, ``<br>`` as a newline, paragraphs
    separated by a blank line, links as their visible text, emoji images as their alt text;
    scripts, styles and hidden elements skipped. With ``stop``, only the text before that element; with
    ``skip``, without the subtrees it is true for (an embed's own chrome, a quoted tweet's box).

    >>> import lxml.html
    >>> element_text(lxml.html.fromstring('<div><p>Snow &amp; ice<br>today</p><p>Go <a href="#">here</a></p></div>'))
    'Snow & ice\\ntoday\\n\\nGo here'
    """
    if stop is None and skip is None and not len(element):  # a leaf (most links): its own text is all there is
        tag = element.tag
        if isinstance(tag, str) and tag.lower() not in _SPECIAL_LEAVES:
            return clean_text(_WHITESPACE.sub(" ", element.text or ""))
    return _join(text_pieces(element, stop, skip))


# Leaves whose text is not their visible text: skipped ones, line breaks, images (their alt).
_SPECIAL_LEAVES = SKIP_TAGS | {"br", "img"}
