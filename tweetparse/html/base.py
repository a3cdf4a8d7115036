"""What every HTML extractor shares: the extractor shape, and reading an element as a reader sees it."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, NamedTuple, Protocol

from lxml import etree

from ..build import Context, clean_text
from ..record import Tweet
from .scan import Signals, scan

__all__ = [
    "CANDIDATE_TAGS",
    "FIGURE_STATUS",
    "SKIP_TAGS",
    "STRAY_BLOCKQUOTE",
    "Found",
    "HtmlExtractor",
    "Page",
    "TreeIndex",
    "element_path",
    "element_text",
    "is_hidden",
    "page_of",
    "raw_text",
    "reading",
    "text_pieces",
]


class Found(NamedTuple):
    """A tweet and the element it was read from (claimed: later stages skip its subtree).

    ``also`` lists further elements the tweet was read from (an attribution paragraph a CMS
    moved out of the blockquote); they are claimed too.
    """

    tweet: Tweet
    element: Any
    also: tuple[Any, ...] = ()


class HtmlExtractor(Protocol):
    """One embed form. ``needles`` name the scan signals (``scan.py``) of which a page holding this form
    shows at least one (an extractor none of whose needles the page holds is not run; one without
    needles always runs: it reads only the candidate elements the page's one walk collected, which
    costs less than looking, through ``page_of(root)``). ``find`` never mutates the tree."""

    form: str
    needles: tuple[str, ...]

    def find(self, root: Any, ctx: Context) -> Iterator[Found]: ...


# The elements the extractors start from, collected in one walk whose tag test runs in C: every
# other element of the page is never turned into a Python object. Metas (dozens a page) are left to
# ``pagemeta``: the publication time reads the head's own, and walks the page only when they say nothing.
CANDIDATE_TAGS = ("blockquote", "iframe", "amp-twitter", "twitterwidget", "twitter-widget", "figure", "script",
                  "noscript", "template", "textarea")
# Signals read from the tree rather than the bytes: more raw "<blockquote" openers in the bytes than
# blockquote elements in the tree (the others sit in scripts, comments or attribute values), and a
# figure holding a status link (a screenshot with its credit).
STRAY_BLOCKQUOTE = "stray-blockquote"
FIGURE_STATUS = "figure-status"


class Page:
    """A parsed page as the extractors see it: its tree, what one scan of its raw bytes saw, and its
    candidate elements by tag (walked once, on first use). Without raw bytes (an lxml tree was given,
    or UTF-16/32 bytes, where the stems are no byte strings) every signal counts as held."""

    __slots__ = ("_candidates", "_derived", "index", "lowered", "root", "signals")

    def __init__(self, root: Any, lowered: bytes | None = None, signals: Signals | None = None) -> None:
        self.root = root
        self.lowered = lowered
        if signals is None and lowered is not None:
            signals = scan(lowered)
        self.signals = signals
        self._candidates: dict[str, list[Any]] | None = None
        self._derived: dict[str, bool] = {}
        self.index = TreeIndex()

    @classmethod
    def of(cls, root: Any, source: Any = None) -> Page:
        """The page of a parsed ``root`` read from ``source``: bytes and str are scanned; UTF-16/32
        bytes and trees are not."""
        if isinstance(source, (bytes, bytearray)) and bytes(source[:2]) not in (b"\xff\xfe", b"\xfe\xff"):
            return cls(root, bytes(source).lower())
        if isinstance(source, str):
            return cls(root, source.lower().encode("utf-8", "replace"))
        return cls(root)

    def candidates(self, *tags: str) -> list[Any]:
        """The page's elements named one of ``tags`` (each one of ``CANDIDATE_TAGS``), in document order
        (the page's own list: not to be changed)."""
        if self._candidates is None:
            ordered = list(self.root.iter(*CANDIDATE_TAGS))
            grouped: dict[str, list[Any]] = {name: [] for name in CANDIDATE_TAGS}
            for element in ordered:
                grouped[element.tag].append(element)
            grouped[""] = ordered
            self._candidates = grouped
        held = [tag for tag in tags if self._candidates[tag]]
        if len(held) > 1:  # rare: most pages hold at most one of the tags asked for together
            return [element for element in self._candidates[""] if element.tag in tags]
        return self._candidates[held[0]] if held else []

    def holds(self, needles: tuple[str, ...]) -> bool:
        """Whether the page holds one of ``needles`` (always true without a scan or without needles)."""
        if self.signals is None or not needles:
            return True
        return any(needle in self.signals.present or self._derived_signal(needle) for needle in needles)

    def _derived_signal(self, needle: str) -> bool:
        if needle not in self._derived:
            if needle == STRAY_BLOCKQUOTE:
                openers = self.signals.blockquote_openers if self.signals is not None else 1
                self._derived[needle] = openers > len(self.candidates("blockquote"))
            elif needle == FIGURE_STATUS:
                self._derived[needle] = any("/status" in (a.get("href") or "")
                                            for figure in self.candidates("figure") for a in figure.iter("a"))
            else:
                self._derived[needle] = False
        return self._derived[needle]


# The page find_in_html is reading, so that each extractor's find(root, ctx) starts from its one walk.
_READING: ContextVar[Page | None] = ContextVar("tweetparse_page", default=None)


@contextmanager
def reading(page: Page) -> Iterator[Page]:
    """Make ``page`` the one ``page_of`` gives for its root while the extractors run."""
    token = _READING.set(page)
    try:
        yield page
    finally:
        _READING.reset(token)


def page_of(root: Any) -> Page:
    """The page an extractor reads: the one being read, when ``root`` is its root, else one made
    from ``root`` alone (an extractor called on its own, or on a hidden fragment)."""
    page = _READING.get()
    return page if page is not None and page.root is root else Page(root)


def raw_text(element: Any) -> str:
    """All text under an element, scripts included, in one C call: the cheap check before a walk."""
    return etree.tostring(element, method="text", encoding="unicode", with_tail=False)


def element_path(element: Any) -> str | None:
    """The element's XPath in its tree (stable, for ``source.element``), as libxml2's ``getpath`` writes it.

    While a page is being read, its ``TreeIndex`` answers (libxml2 counts the element's same-name
    siblings on every call, which n sibling embeds make O(n^2)).
    """
    page = _READING.get()
    if page is not None:
        return page.index.path(element)
    return _libxml2_path(element)


def _libxml2_path(element: Any) -> str | None:
    try:
        return element.getroottree().getpath(element)  # type: ignore[no-any-return]
    except (AttributeError, ValueError, TypeError):
        return None


# How many element paths a page's TreeIndex leaves to libxml2 before it starts counting siblings itself.
DIRECT_PATHS = 16


class TreeIndex:
    """Where elements sit in their trees, each parent's children counted once, on first use.

    ``parent.index(child)`` and libxml2's ``getpath`` walk the siblings on every call: a find among n
    siblings costs O(n), so a page of n sibling embeds O(n^2). Here each parent's children are
    enumerated once and every answer after that is a dictionary look-up per ancestor. The tree must
    not change while the index is in use (extractors never mutate it).
    """

    __slots__ = ("_asked", "_indexes", "_paths", "_steps")

    def __init__(self) -> None:
        self._indexes: dict[Any, dict[Any, int]] = {}  # parent -> {child: its index among all children}
        self._steps: dict[Any, dict[Any, str]] = {}  # parent -> {child element: its XPath step}
        self._paths: dict[Any, str | None] = {}
        self._asked = 0  # paths and positions asked for so far

    def position(self, element: Any) -> tuple[int, ...]:
        """The child indexes on the path from the root to the element: a sort key in document order.
        The first ``DIRECT_PATHS`` come from ``parent.index()`` (siblings counted in C), as in ``path``."""
        self._asked += 1
        direct = self._asked <= DIRECT_PATHS
        path: list[int] = []
        parent = element.getparent() if element is not None else None
        while parent is not None:
            if direct:
                path.append(parent.index(element))
                element, parent = parent, parent.getparent()
                continue
            indexes = self._indexes.get(parent)
            if indexes is None:
                # Comments and processing instructions count, as they do for parent.index().
                indexes = self._indexes[parent] = {child: i for i, child in enumerate(parent)}
            path.append(indexes[element])
            element, parent = parent, parent.getparent()
        path.reverse()
        return tuple(path)

    def path(self, element: Any) -> str | None:
        """``element_path``: the parent's path and the element's step, both remembered.

        The first ``DIRECT_PATHS`` come from libxml2 itself: a few calls counting siblings in C cost
        less than enumerating every ancestor's children in Python, which pays off only for many."""
        self._asked += 1
        if self._asked <= DIRECT_PATHS:
            return _libxml2_path(element)
        if element in self._paths:
            return self._paths[element]
        # The ancestors whose path is not known yet, nearest first; iterative, as nesting reaches 2048.
        pending: list[Any] = []
        node = element
        while node is not None and node not in self._paths:
            pending.append(node)
            node = node.getparent()
        for node in reversed(pending):
            parent = node.getparent()
            step = self._step(parent, node) if parent is not None else None
            prefix = self._paths.get(parent) if parent is not None else None
            if step is None or prefix is None:
                # The root (one call, nothing to count), or a step libxml2 writes its own way (namespaces).
                self._paths[node] = _libxml2_path(node)
            else:
                self._paths[node] = prefix + "/" + step
        return self._paths[element]

    def _step(self, parent: Any, child: Any) -> str | None:
        steps = self._steps.get(parent)
        if steps is None:
            steps = self._steps[parent] = _child_steps(parent)
        return steps.get(child)


def _child_steps(parent: Any) -> dict[Any, str]:
    """Each child element's last XPath step as libxml2 writes it: the name, with a 1-based index among
    the same-name element siblings when there are several. Namespaced children are left to libxml2
    (it writes a prefix, or ``*`` with its own count)."""
    elements = [child for child in parent.iterchildren() if isinstance(child.tag, str)]
    if any(child.tag.startswith("{") for child in elements):
        return {}
    totals: dict[str, int] = {}
    for child in elements:
        totals[child.tag] = totals.get(child.tag, 0) + 1
    seen: dict[str, int] = {}
    steps: dict[Any, str] = {}
    for child in elements:
        tag = child.tag
        if totals[tag] == 1:
            steps[child] = tag
        else:
            seen[tag] = seen.get(tag, 0) + 1
            steps[child] = f"{tag}[{seen[tag]}]"
    return steps


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


def element_text(element: Any, *, stop: Any = None) -> str:
    """An element's text as a reader sees it: entities decoded, ``<br>`` as a newline, paragraphs
    separated by a blank line, links as their visible text, emoji images as their alt text;
    scripts, styles and hidden elements skipped. With ``stop``, only the text before that element.

    >>> import lxml.html
    >>> element_text(lxml.html.fromstring('<div><p>Snow &amp; ice<br>today</p><p>Go <a href="#">here</a></p></div>'))
    'Snow & ice\\ntoday\\n\\nGo here'
    """
    if stop is None and not len(element):  # a leaf (most links): its own text is all there is to read
        tag = element.tag
        if isinstance(tag, str) and tag.lower() not in _SPECIAL_LEAVES:
            return clean_text(_WHITESPACE.sub(" ", element.text or ""))
    return _join(text_pieces(element, stop))


# Leaves whose text is not their visible text: skipped ones, line breaks, images (their alt).
_SPECIAL_LEAVES = SKIP_TAGS | {"br", "img"}
