"""Input dispatch and decoding."""
from __future__ import annotations

import codecs
import itertools
import random

import lxml.html
import pytest

import tweetparse
from tweetparse import loader, search
from tweetparse.loader import decode, load, looks_like_html

ATTRIBUTED = "Café opens at noon #lunch\n— Zoë Müller (@zoemueller) March 3, 2019\n"


def test_decode_utf8_bom_and_declared_charsets() -> None:
    assert decode(codecs.BOM_UTF8 + "é".encode()) == "é"
    assert decode(codecs.BOM_UTF16_LE + "é".encode("utf-16-le")) == "é"
    html = '<html><head><meta charset="iso-8859-2"></head><body>ł</body></html>'
    assert "ł" in decode(html.encode("iso-8859-2"))


def test_decode_falls_back_when_utf8_fails() -> None:
    assert decode("naïve café — “quoted”".encode("cp1252")) == "naïve café — “quoted”"


def test_sniffing() -> None:
    assert looks_like_html("<!DOCTYPE html><html><body><p>x</p>")
    assert looks_like_html("  <div class='a'>x</div>")
    assert not looks_like_html("> -- Name (@handle) [December 13, 2016](https://twitter.com/h/status/1)")
    assert not looks_like_html("Prices rose 3% <2 weeks after the vote.")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "cp1252"])
def test_extract_reads_bytes_in_any_encoding(encoding: str) -> None:
    text = ATTRIBUTED if encoding != "cp1252" else ATTRIBUTED.replace("—", "-")
    tweets = tweetparse.extract(text.encode(encoding), kind="text")
    assert [(t.handle, t.name) for t in tweets] == [("zoemueller", "Zoë Müller")]


def test_lxml_and_bs4_inputs_are_accepted() -> None:
    html = "<html><body><p>nothing here</p></body></html>"
    assert tweetparse.extract(lxml.html.document_fromstring(html)) == []
    bs4 = pytest.importorskip("bs4")
    assert tweetparse.extract(bs4.BeautifulSoup(html, "html.parser")) == []
    assert load(bs4.BeautifulSoup(html, "html.parser"), "auto").root is not None


@pytest.mark.parametrize("bad", [123, None, ["a"], {"html": "x"}])
def test_wrong_types_raise_type_error(bad: object) -> None:
    with pytest.raises(TypeError, match="takes bytes, str"):
        tweetparse.extract(bad)


def test_bad_options_raise_value_error() -> None:
    with pytest.raises(ValueError, match="kind"):
        tweetparse.extract("x", kind="pdf")
    with pytest.raises(ValueError, match="errors"):
        tweetparse.extract("x", errors="loud")
    with pytest.raises(TypeError, match="reference_time"):
        tweetparse.extract("x", reference_time=12)


@pytest.mark.parametrize("junk", [b"", b"\x00" * 1000, bytes(range(256)) * 10, b"<<<<>>>>", b"<html"])
def test_junk_gives_nothing_and_does_not_raise(junk: bytes) -> None:
    assert tweetparse.extract(junk) == []


def test_undeclared_shift_jis_is_detected() -> None:
    text = "東京で大雨。交通機関に遅れが出ています。気象庁は警報を発表しました。" * 20
    assert decode(text.encode("shift_jis")) == text


def test_a_stray_bad_byte_does_not_garble_a_declared_utf8_page() -> None:
    page = '<html><head><meta charset="utf-8"></head><body><p>zwyciężaj</p>'.encode() + b"\xc3(" + b"</body>"
    text = decode(page)
    assert "zwyciężaj" in text and "\ufffd" in text


def test_markdown_with_stray_html_anchors_is_text() -> None:
    markdown = ('<span id="top"></span>\n [Skip to content](#main) \n\n<span id="menu"></span>\n'
                "- [Home](/)\n- [News](/news)\n\n# Storm closes harbour\n\n> Sailings cancelled.\n>\n"
                "> — Port Elling Harbour (@PortEllingHbr) [March 7, 2023](https://twitter.com/PortEllingHbr/"
                "status/1633054123456789504)\n")
    assert not looks_like_html(markdown)
    assert [t.id for t in tweetparse.extract(markdown)] == ["1633054123456789504"]


# Bytes at the edges of UTF-8's ranges: ASCII, continuation bytes, and each kind of lead byte.
UTF8_EDGE_BYTES = bytes([0x00, 0x0A, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF,
                         0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF])


@pytest.mark.skipif(not search.ACCELERATED, reason="hyperscan not installed")
def test_ill_formed_utf8_is_found_as_the_decoder_refuses_it() -> None:
    """The Hyperscan patterns and a strict decode agree: on every string of up to four edge bytes,
    and on texts with a byte changed, cut short or doubled."""
    accelerated = loader._ILL_FORMED_UTF8
    cases = [bytes(t) for size in range(1, 5) for t in itertools.product(UTF8_EDGE_BYTES, repeat=size)]
    draw = random.Random(7)
    text = "a é ñ — “q” € 𝄞 日本 \U0010ffff \ud7ff \ue000 z".encode()
    for _ in range(5000):
        mutated = bytearray(text)
        mutated[draw.randrange(len(mutated))] = draw.choice(UTF8_EDGE_BYTES)
        cases += [bytes(mutated), bytes(mutated[:draw.randrange(len(mutated))]), bytes(mutated) * 2]
    assert [accelerated.any_in(data) for data in cases] == [accelerated.fallback(data) for data in cases]
    assert sum(map(accelerated.fallback, cases)) > len(cases) // 3  # both answers are well represented
