"""Folding the copies of one tweet into one record."""
from __future__ import annotations

from tweetparse.build import Context, make_tweet
from tweetparse.merge import merge, tweet_key

CTX = Context()
ID = "809496864320012289"


def test_same_id_is_one_record_and_the_live_copy_wins() -> None:
    hidden = make_tweet(CTX, form="script-json", status_id=ID, handle="ICRC", text="Old copy", hidden=True)
    live = make_tweet(CTX, form="blockquote", status_id=ID, handle="ICRC", name="ICRC", text="Live text")
    (one,) = merge([hidden, live])
    assert (one.form, one.text, one.hidden, one.name) == ("blockquote", "Live text", False, "ICRC")


def test_a_stub_takes_the_fields_it_lacks_from_a_fuller_copy() -> None:
    stub = make_tweet(CTX, form="amp", status_id=ID)
    full = make_tweet(CTX, form="script-json", status_id=ID, handle="ICRC", name="ICRC", text="Body #Aleppo",
                      lang="en", hidden=True)
    (one,) = merge([stub, full])
    assert one.form == "amp" and not one.hidden
    assert (one.handle, one.text, one.lang, one.hashtags) == ("ICRC", "Body #Aleppo", "en", ("Aleppo",))
    assert one.url == f"https://twitter.com/ICRC/status/{ID}"


def test_without_ids_handle_and_text_decide() -> None:
    a = make_tweet(CTX, form="text-attribution", handle="ICRC", text="Efforts continue.", date_text="Dec 15, 2016")
    b = make_tweet(CTX, form="text-attribution", handle="icrc", text="Efforts  continue")
    c = make_tweet(CTX, form="text-attribution", handle="ICRC", text="Something else")
    assert tweet_key(a) == tweet_key(b) != tweet_key(c)
    merged = merge([a, b, c])
    assert [t.text for t in merged] == ["Efforts continue.", "Something else"]
    assert merged[0].created_at == "2016-12-15"


def test_the_more_exact_time_is_kept() -> None:
    dated = make_tweet(CTX, form="text-attribution", handle="ICRC", text="Same", date_text="Dec 15, 2016")
    timed = make_tweet(Context(reference_time=None), form="x", handle="ICRC", text="Same",
                       exact_time=__import__("datetime").datetime(2016, 12, 15, 10, 0, 1))
    (one,) = merge([dated, timed])
    assert (one.created_at, one.created_at_precision) == ("2016-12-15T10:00:01Z", "second")


def test_a_record_survives_the_round_trip_through_a_dict() -> None:
    tweet = make_tweet(CTX, form="blockquote", status_id=ID, handle="ICRC", text="Hi #x https://t.co/abc @y",
                       lang="en", start=3, end=9)
    from tweetparse.record import Tweet

    again = Tweet.from_dict(tweet.to_dict())
    assert again == tweet and again.links and again.hashtags == ("x",)


def test_records_carry_cashtags_next_to_hashtags() -> None:
    tweet = make_tweet(CTX, form="text-attribution", handle="desk", text="$TSLA up 4% after the call #earnings $tsla")
    assert tweet.cashtags == ("TSLA", "tsla") and tweet.hashtags == ("earnings",)
    assert list(tweet.to_dict()).index("cashtags") == list(tweet.to_dict()).index("hashtags") + 1
