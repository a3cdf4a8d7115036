"""A parsed page as the extractors read it, and the shape every HTML extractor has."""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple, Protocol, TypeAlias

from lxml import etree

from ..build import Context, Draft
from ..search import Needle
from ..urls import StatusRef, parse_status_url

__all__ = ["CANDIDATE_TAGS", "Element", "Extractor", "Found", "Page", "TreeIndex"]

# An element of a parsed page (lxml's; lxml ships no type information, so this names it for readers).
Element: TypeAlias = Any


class Found(NamedTuple):
    """What an extractor read of one post, and the element it read it from. Elements are claimed: a later
    extractor's find inside, on or around a claimed element is the same embed read worse, and is dropped.
    ``also`` lists further elements read (an attribution paragraph a CMS moved out of the blockquote)."""

    draft: Draft
    element: Element
    also: tuple[Element, ...] = ()


class Extractor(Protocol):
    """One embed form. ``needles``: byte patterns of which a page holding this form shows at least one; an
    extractor none of whose needles the page holds is not run, and a page holding no extractor's needle is
    not even parsed. ``find`` reads the page and never changes it."""

    form: str
    needles: tuple[Needle, ...]

    def find(self, page: Page, ctx: Context) -> Iterable[Found]: ...


# The elements extractors start from, collected in one walk whose tag test runs in C: every other
# element of the page is never turned into a Python object.
CANDIDATE_TAGS = ("blockquote", "iframe", "amp-twitter", "twitterwidget", "twitter-widget", "figure", "script",
                  "noscript", "template", "textarea")
# Containers whose content a reader does not see: what they hold is a hidden copy (see hidden.py).
HIDDEN_CONTAINERS = frozenset({"noscript", "template", "textarea"})
# Regions of the page that are the site's own, not the article's: a Twitter feed in the sidebar is no embed.
_CHROME_TAGS = frozenset({"nav"})
_CHROME_OUTSIDE_ARTICLE = frozenset({"aside", "footer"})
# A class token naming the sidebar itself ("sidebar", "main-sidebar", "sidebar-widget"; not a layout modifier
# on the content's container such as "with-sidebar-right"), or a Twitter feed widget.
_SIDEBAR_CLASS = re.compile(r"(?:^|\s)(?!(?:has|with|no)[-_])[\w-]{0,30}sidebar|twitter-?feed|twitter-timeline|widget_twitter",
                            re.IGNORECASE)


class Page:
    """A parsed page: its tree, which needles its bytes hold (``hits``; None when there were no bytes to
    search, e.g. a tree was given: then every needle counts as held), and what the extractors share.

    A hidden copy of an embed (escaped in script data, parked in ``<noscript>``) is read as a page of its
    own, by the same extractors: ``outer`` is the page it was found in, ``host`` the element of that page
    holding it, and ``form`` the form its finds take there.
    """

    __slots__ = ("_candidates", "_index", "_status_anchors", "claimed", "enclosing", "form", "hits", "host", "outer",
                 "root", "shown")

    def __init__(self, root: Element, hits: dict[Needle, int] | None = None, *, outer: Page | None = None,
                 host: Element = None, form: str | None = None) -> None:
        self.root = root
        self.hits = hits
        self.outer = outer
        self.host = host
        self.form = form
        self.claimed: set[Element] = set()  # what extractors read so far (the registry keeps it)
        self.enclosing: set[Element] = set()  # the claimed elements and every ancestor of one
        # The ids of the posts read so far from the live page, each with whether its text was read too.
        self.shown: dict[str, bool] = {}
        self._candidates: dict[str, list[Element]] | None = None
        self._status_anchors: list[tuple[Element, StatusRef]] | None = None
        self._index = TreeIndex()

    @property
    def hidden(self) -> bool:
        """Whether this page is a hidden copy found in another."""
        return self.outer is not None

    def holds(self, needles: tuple[Needle, ...]) -> bool:
        """Whether the page's bytes hold one of ``needles``."""
        return self.hits is None or not self.hits.keys().isdisjoint(needles)

    def count(self, needle: Needle) -> int | None:
        """How many matches of a counted needle the page's bytes hold (None: no bytes were searched)."""
        return None if self.hits is None else self.hits.get(needle, 0)

    def candidates(self, *tags: str) -> list[Element]:
        """The page's elements named one of ``tags`` (each one of ``CANDIDATE_TAGS``), in document order."""
        if self._candidates is None:
            ordered = list(self.root.iter(*CANDIDATE_TAGS))
            grouped: dict[str, list[Element]] = {name: [] for name in CANDIDATE_TAGS}
            for element in ordered:
                grouped[element.tag].append(element)
            grouped[""] = ordered
            self._candidates = grouped
        held = [tag for tag in tags if self._candidates[tag]]
        if len(held) > 1:  # rare: most pages hold at most one of the tags asked for together
            return [element for element in self._candidates[""] if element.tag in tags]
        return self._candidates[held[0]] if held else []

    def status_anchors(self) -> list[tuple[Element, StatusRef]]:
        """Every link to a status in the page, with the status, in document order."""
        if self._status_anchors is None:
            self._status_anchors = [(a, ref) for a in _STATUS_LINKS(self.root)
                                    if (ref := parse_status_url(a.get("href") or "")) is not None]
        return self._status_anchors

    def path(self, element: Element) -> str | None:
        """Where an element stands, as an XPath of the page the reader sees (a hidden copy's: its host's)."""
        if self.outer is not None:
            return self.outer.path(self.host)
        return self._index.path(element)

    def position(self, element: Element) -> tuple[int, ...]:
        """A sort key in document order."""
        return self._index.position(element) if element is not None else ()

    def ancestors(self, element: Element) -> Iterator[Element]:
        """The element and its ancestors; in a hidden copy, on through its host's in the outer page."""
        page: Page | None = self
        while page is not None:
            while element is not None:
                yield element
                element = element.getparent()
            element, page = page.host, page.outer

    def unseen(self, element: Element) -> bool:
        """Whether an element of the live page sits in a container whose content nobody sees: a hidden copy,
        read through the page made of it (in that page, the copy is what is read)."""
        return not self.hidden and any(isinstance(a.tag, str) and a.tag in HIDDEN_CONTAINERS
                                       for a in self.ancestors(element.getparent()))

    def in_sidebar(self, element: Element) -> bool:
        """Whether an element sits in the site's own navigation, sidebar, footer or Twitter feed widget
        rather than in the article (an aside or footer inside the article element is the story's)."""
        lineage = [node for node in self.ancestors(element) if isinstance(node.tag, str)]
        for at, node in enumerate(lineage):
            classes = node.get("class")
            if node.tag in _CHROME_TAGS or (classes and _SIDEBAR_CLASS.search(classes)):
                return True
            if node.tag in _CHROME_OUTSIDE_ARTICLE and not any(a.tag == "article" for a in lineage[at + 1:]):
                return True
        return False


_STATUS_LINKS = etree.XPath("descendant::a[contains(@href, '/status')]")


# How many element paths a page's TreeIndex leaves to libxml2 before it starts counting siblings itself.
DIRECT_PATHS = 16


class TreeIndex:
    """Where elements sit in their trees, each parent's children counted once, on first use.

    ``parent.index(child)`` and libxml2's ``getpath`` walk the siblings on every call: a find among n
    siblings costs O(n), so a page of n sibling embeds O(n^2). Here each parent's children are
    enumerated once and every answer after that is a dictionary look-up per ancestor. The tree must
    not change while the index is in use (extractors never change it).
    """

    __slots__ = ("_asked", "_indexes", "_paths", "_steps")

    def __init__(self) -> None:
        self._indexes: dict[Element, dict[Element, int]] = {}  # parent -> {child: its index among all children}
        self._steps: dict[Element, dict[Element, str]] = {}  # parent -> {child element: its XPath step}
        self._paths: dict[Element, str | None] = {}
        self._asked = 0  # paths and positions asked for so far

    def position(self, element: Element) -> tuple[int, ...]:
        """The child indexes on the path from the root to the element: a sort key in document order.
        The first ``DIRECT_PATHS`` come from ``parent.index()`` (siblings counted in C), as in ``path``."""
        self._asked += 1
        direct = self._asked <= DIRECT_PATHS
        path: list[int] = []
        parent = element.getparent()
        while parent is not None:
            if direct:
                path.append(parent.index(element))
            else:
                indexes = self._indexes.get(parent)
                if indexes is None:
                    # Comments and processing instructions count, as they do for parent.index().
                    indexes = self._indexes[parent] = {child: i for i, child in enumerate(parent)}
                path.append(indexes[element])
            element, parent = parent, parent.getparent()
        path.reverse()
        return tuple(path)

    def path(self, element: Element) -> str | None:
        """The element's XPath as libxml2's ``getpath`` writes it: the parent's path and the element's step,
        both remembered. The first ``DIRECT_PATHS`` come from libxml2 itself: a few calls counting siblings
        in C cost less than enumerating every ancestor's children in Python, which pays off only for many."""
        self._asked += 1
        if self._asked <= DIRECT_PATHS:
            return _libxml2_path(element)
        if element in self._paths:
            return self._paths[element]
        # The ancestors whose path is not known yet, nearest first; iterative, as nesting reaches 2048.
        pending: list[Element] = []
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

    def _step(self, parent: Element, child: Element) -> str | None:
        steps = self._steps.get(parent)
        if steps is None:
            steps = self._steps[parent] = _child_steps(parent)
        return steps.get(child)


def _libxml2_path(element: Element) -> str | None:
    try:
        return element.getroottree().getpath(element)  # type: ignore[no-any-return]
    except (AttributeError, ValueError, TypeError):
        return None


def _child_steps(parent: Element) -> dict[Element, str]:
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
    steps: dict[Element, str] = {}
    for child in elements:
        tag = child.tag
        if totals[tag] == 1:
            steps[child] = tag
        else:
            seen[tag] = seen.get(tag, 0) + 1
            steps[child] = f"{tag}[{seen[tag]}]"
    return steps
