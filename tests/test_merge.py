"""Folding the copies of one post into one record: one rule for a page, a feed and the store."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from tweetparse.build import Context, Draft, build
from tweetparse.merge import merge, post_key, rank
from tweetparse.record import Post

CTX = Context()
ID = "809496864320012289"


def post(ctx: Context = CTX, **facts: Any) -> Post:
    return build(Draft(**facts), ctx)


def test_same_id_is_one_record_and_the_live_copy_wins() -> None:
    hidden = post(form="script-json", id=ID, handle="ICRC", text="Old copy", hidden=True)
    live = post(form="blockquote", id=ID, handle="ICRC", name="ICRC", text="Live text")
    (one,) = merge([hidden, live])
    assert (one.form, one.text, one.hidden, one.name) == ("blockquote", "Live text", False, "ICRC")


def test_a_stub_takes_the_fields_it_lacks_from_a_fuller_copy() -> None:
    stub = post(form="amp", id=ID)
    full = post(form="script-json", id=ID, handle="ICRC", name="ICRC", text="Body #Aleppo", lang="en", hidden=True)
    (one,) = merge([stub, full])
    assert one.form == "amp" and not one.hidden
    assert (one.handle, one.text, one.lang, one.hashtags) == ("ICRC", "Body #Aleppo", "en", ("Aleppo",))
    assert one.url == f"https://twitter.com/ICRC/status/{ID}"


def test_without_ids_handle_and_text_decide() -> None:
    a = post(form="text-attribution", handle="ICRC", text="Efforts continue.", date_text="Dec 15, 2016")
    b = post(form="text-attribution", handle="icrc", text="Efforts  continue")
    c = post(form="text-attribution", handle="ICRC", text="Something else")
    assert post_key(a) == post_key(b) != post_key(c)
    merged = merge([a, b, c])
    assert [t.text for t in merged] == ["Efforts continue.", "Something else"]
    assert merged[0].created_at == "2016-12-15"


def test_a_copy_without_an_id_folds_into_the_copy_with_one_either_way_round() -> None:
    flat = post(form="text-attribution", handle="ICRC", name="ICRC", text="Convoy leaving now", date_text="Dec 15, 2016")
    embed = post(form="blockquote", id=ID, handle="ICRC", text="Convoy leaving now")
    for copies in ([flat, embed], [embed, flat]):
        (one,) = merge(copies)
        assert (one.id, one.form, one.name) == (ID, "blockquote", "ICRC")
        assert one.created_at_precision == "millisecond"


def test_two_ids_with_the_same_text_are_two_posts_and_an_id_less_copy_joins_the_first() -> None:
    first = post(form="blockquote", id=ID, handle="ICRC", text="Same words")
    second = post(form="blockquote", id="809496864320012290", handle="ICRC", text="Same words")
    flat = post(form="text-attribution", handle="ICRC", text="Same words")
    assert [p.id for p in merge([first, second, flat])] == [ID, "809496864320012290"]


def test_the_better_copy_is_the_base_whatever_the_order() -> None:
    hidden = post(form="script-json", id=ID, handle="ICRC", text="A", hidden=True)
    live = post(form="iframe", id=ID)
    assert rank(live) > rank(hidden)
    assert merge([hidden, live])[0].form == merge([live, hidden])[0].form == "iframe"


def test_the_more_exact_time_is_kept() -> None:
    dated = post(form="text-attribution", handle="ICRC", text="Same", date_text="Dec 15, 2016")
    timed = post(form="x", handle="ICRC", text="Same", exact_time=datetime(2016, 12, 15, 10, 0, 1))
    (one,) = merge([dated, timed])
    assert (one.created_at, one.created_at_precision) == ("2016-12-15T10:00:01Z", "second")


def test_a_record_survives_the_round_trip_through_a_dict() -> None:
    quoted = Draft(form="blockquote", id="809496864320012200", handle="MSF", text="Quoted words")
    record = post(form="blockquote", id=ID, handle="ICRC", text="Hi #x https://t.co/abc @y", lang="en", start=3, end=9,
                  quoted=quoted)
    again = Post.from_dict(record.to_dict())
    assert again == record and again.links and again.hashtags == ("x",)
    assert again.quoted is not None and again.quoted.handle == "MSF" and again.quoted.created_at


def test_records_carry_cashtags_next_to_hashtags() -> None:
    record = post(form="text-attribution", handle="desk", text="$TSLA up 4% after the call #earnings $tsla")
    assert record.cashtags == ("TSLA", "tsla") and record.hashtags == ("earnings",)
    assert list(record.to_dict()).index("cashtags") == list(record.to_dict()).index("hashtags") + 1
