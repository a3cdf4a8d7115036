"""Input dispatch and decoding."""
from __future__ import annotations

import codecs

import lxml.html
import pytest

import tweetparse
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
