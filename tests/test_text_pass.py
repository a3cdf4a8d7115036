"""The text pass's gate: its shape count agrees with the plain count it replaced, and stops where asked."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tweetparse.html.text_pass import _count_shapes

# The count as first written: every "@" found in turn, then matched from there in Python.
_OLD_PAREN_BEFORE = re.compile(r"\(\s*\Z")
_OLD_PAREN_AFTER = re.compile(r"[@\uff20]\w{1,15}\s*\)")
_OLD_TIME_AFTER = re.compile(
    r"[@\uff20]\w{1,15}[ \t\u00a0]*(?:[·•][ \t\u00a0]*)?(?:\d{1,2}\s?[smhd](?![^\W\d_])|[^\W\d_]{3,10}\.?\s+\d)"
)


def _old_count_shapes(text: str) -> int:
    count = 0
    for at_sign in ("@", "\uff20"):
        at = text.find(at_sign)
        while at >= 0:
            if _OLD_TIME_AFTER.match(text, at) or (
                    _OLD_PAREN_AFTER.match(text, at) and _OLD_PAREN_BEFORE.search(text, max(0, at - 40), at)):
                count += 1
            at = text.find(at_sign, at + 1)
    return count


# Runs of the pieces of both shapes and of their near misses: a "(" near or too far, a sign, a run
# of word characters around the handle's limits (letters, digits, "_", others' digits and letters),
# the gap and separator, a time or a month and day, or a ")"; then what follows.
_AUTHORS = st.tuples(
    st.sampled_from(["", "x", "(", "( ", "(\n", "(" + " " * 39, "(" + " " * 40, ")"]),
    st.sampled_from(["@", "\uff20"]),
    st.sampled_from(["", "a" * 9, "a" * 14, "a" * 15]),
    st.text(alphabet="ab_5é٣", max_size=12),
    st.sampled_from(["", " ", "  ", "\t", "\u00a0", "\u2003", "\n", " · ", "•", "·\u00a0"]),
    st.sampled_from(["", "5", "5h", "12 m", "123h", "5 hours", "dec 13", "décembre. 5", "dec.5", "abcdefghij 5",
                     "abcdefghijk 5", "ab 5", ")", " )", "h", "@", "."]),
    st.sampled_from(["", "a", "1", "_", " ", '"', ")", "\\"]),
).map("".join)


@settings(max_examples=1500, deadline=None)
@given(st.lists(_AUTHORS, max_size=4).map("".join))
def test_shape_count_agrees_with_the_plain_count(text: str) -> None:
    shapes = _old_count_shapes(text)
    assert _count_shapes(text) == shapes
    assert _count_shapes(text, upto=2) == min(shapes, 2)


@pytest.mark.parametrize(
    "text,shapes",
    [
        ("— Jane (@jane) January 5, 2017", 1),
        ("ICRC Syria @ICRC_sy 5h5 hours ago", 1),
        ("Jane @jane · Dec 13", 1),
        ("Jane @jane5h", 1),  # a time glued to the handle
        ("(" + " " * 39 + "@jane)", 1),
        ("(" + " " * 40 + "@jane)", 0),  # the "(" too far back
        ("mail@example.com {\"@type\": \"Person\"} @media (max-width: 5px)", 0),
        ("(@jane) (＠bob) @carl 5h", 3),
        ("@" + "a" * 16 + ")", 0),  # no handle is that long
        ("@" + "a" * 15 + "abcdefghij 5", 1),  # the longest handle, the longest month glued to it
        ("@" + "a" * 16 + "abcdefghij 5", 0),
        ("@" + "a" * 15 + "5h", 1),  # the longest handle, a time glued to it
        ("@" + "a" * 16 + "5h", 0),
    ],
)
def test_shape_count(text: str, shapes: int) -> None:
    assert _count_shapes(text) == shapes == _old_count_shapes(text)
