"""Attribution lines as text extractors flatten embeds: a generator combines every dash, bracket, name
and date form, on a line of its own or glued after the text, and each field must come back exactly."""
from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tweetparse
from tweetparse.attribution import visible_length

TEXTS = ["Sailings from the north pier suspended until further notice #storm",
         "北桟橋からの運航は当面見合わせます #台風",
         "Three points and a clean sheet, on to the next one 💙 https://t.co/AbCdEf1234",
         "ليلة صعبة، سنعود أقوى",
         "Die Sperrung der B27 ist aufgehoben. Danke für Ihre Geduld!"]
NAMES = ["Harbour Desk", "港湾デスク", "Sam Rivera (he/him)", "Coach Ama Mensah of Northfield Ladies 🏳️‍🌈👩🏽‍💻🧑🏿‍🚀⚽",
         "نادي الشمال", "Мария Иванова", "Jean-Luc Picard", "Ελένη", "Northfield — Supporters' Trust", "X"]
# (dash as written, whether it may be glued to the text before it, whether it may be glued to the name)
DASHES = [("—", True, True), ("―", True, True), ("&mdash;", True, True), ("&#8212;", True, True),
          ("&#x2014;", True, True), ("–", False, False), ("&ndash;", False, False), ("--", False, False),
          ("-", False, False)]
# Fullwidth brackets ("（＠handle）") are not read yet: shapes.ATTRIBUTION, the one author shape, wants "(".
BRACKETS = [("(@", ")"), ("(＠", ")"), ("( @", " )"), ("(＠", " )")]
DATES = [("December 13, 2016", date(2016, 12, 13)), ("13 Dec 2016", date(2016, 12, 13)),
         ("13. Dezember 2016", date(2016, 12, 13)), ("13 de diciembre de 2016", date(2016, 12, 13)),
         ("2016年12月13日", date(2016, 12, 13)), ("13 декабря 2016 г.", date(2016, 12, 13)),
         ("December 13, 2016 at 10:02 AM", date(2016, 12, 13)), ("Dec 13, 2016, 10:02 AM", date(2016, 12, 13)),
         ("2016-12-13", date(2016, 12, 13)), ("9:32 PM · Dec 19, 2021", date(2021, 12, 19)),
         ("21:32 · 19. Dez. 2021", date(2021, 12, 19)), ("午後9:32 · 2021年12月19日", date(2021, 12, 19))]


@st.composite
def attributions(draw: st.DrawFn) -> tuple[str, str, str, str, date]:
    text = draw(st.sampled_from(TEXTS))
    name = draw(st.sampled_from(NAMES))
    handle = draw(st.from_regex(r"[A-Za-z0-9_]{1,15}", fullmatch=True))
    dash, glue_before, glue_after = draw(st.sampled_from(DASHES))
    opening, closing = draw(st.sampled_from(BRACKETS))
    shown, day = draw(st.sampled_from(DATES))
    own_line = draw(st.booleans()) or " — " in name  # a name with a dash of its own opens its line
    before = "\n" if own_line else (draw(st.sampled_from(["", " "])) if glue_before else " ")
    after = draw(st.sampled_from(["", " "])) if glue_after else " "
    line = f"{dash}{after}{name} {opening}{handle}{closing} {shown}"
    doc = f"The harbour office posted updates all week.\n\n{text}{before}{line}\n\nThe ferries ran again on Friday.\n"
    return doc, text, name, handle, day


@settings(max_examples=500, deadline=None)
@given(attributions())
def test_every_attribution_form_gives_back_each_field(case: tuple[str, str, str, str, date]) -> None:
    doc, text, name, handle, day = case
    tweets = tweetparse.extract(doc, kind="text")
    assert [(t.text, t.name, t.handle, t.created_at) for t in tweets] == [(text, name, handle, day.isoformat())], doc


@pytest.mark.parametrize("name, length", [("Jane Doe", 8), ("Jo 👩🏽‍💻", 4), ("🏳️‍🌈", 1), ("Zoë", 3), ("山田", 2), ("🇩🇪🇫🇷 fans", 7)])
def test_visible_length_counts_an_emoji_sequence_once(name: str, length: int) -> None:
    assert visible_length(name) == length
