"""Decoding bytes as a browser would: BOM, transport charset, declaration, (mostly) UTF-8, detection."""
from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from pages import warc_record, write_warc

import tweetparse
from tweetparse.batch import Options, process
from tweetparse.inputs import content_type_charset, iter_documents
from tweetparse.loader import decode, detect_encoding, encoding_for_label

# News paragraphs and a tweet for each language, written for these tests.
ARTICLES = {
    "ru": (("Городские власти объявили о временном закрытии набережной из-за сильного шторма. По словам "
           "синоптиков, порывы ветра могут достигать двадцати пяти метров в секунду, а уровень воды в заливе "
           "поднимется почти на метр. Жителей прибрежных районов просят не оставлять автомобили у воды."),
           "Набережная закрыта до утра четверга. Паромы с островами не ходят, следите за новостями."),
    "bg": (("Общинският съвет прие бюджета за следващата година след продължителен дебат. Най-много средства "
           "ще бъдат отделени за ремонт на училища и детски градини, както и за ново улично осветление."),
           "Бюджетът е приет: повече пари за училища и детски градини в целия град."),
    "pl": (("Władze miasta zamknęły nabrzeże z powodu silnego sztormu. Według synoptyków porywy wiatru mogą "
           "osiągać dwadzieścia pięć metrów na sekundę, a poziom wody w zatoce podniesie się o prawie metr. "
           "Mieszkańców prosi się, żeby nie zostawiali samochodów przy brzegu."),
           "Żegluga promowa wstrzymana do czwartku. Prosimy śledzić komunikaty służb."),
    "cs": (("Městská rada schválila rozpočet na příští rok po dlouhé debatě. Nejvíce peněz půjde na opravy škol "
           "a mateřských školek a také na obnovu pouličního osvětlení v centru města."),
           "Rozpočet je schválen: víc peněz pro školy a školky. Řidiči musí počítat s objížďkami."),
    "el": (("Οι δημοτικές αρχές έκλεισαν προσωρινά την παραλιακή οδό λόγω της ισχυρής καταιγίδας. Σύμφωνα με "
           "τους μετεωρολόγους, οι ριπές του ανέμου μπορεί να φτάσουν τα εννέα μποφόρ, ενώ η στάθμη του νερού "
           "στον κόλπο θα ανέβει σχεδόν ένα μέτρο."),
           "Κλειστή η παραλιακή μέχρι την Πέμπτη. Τα δρομολόγια των πλοίων ακυρώθηκαν."),
    "ar": (("أعلنت السلطات المحلية إغلاق الكورنيش مؤقتا بسبب العاصفة القوية. وقال خبراء الأرصاد إن سرعة الرياح "
           "قد تصل إلى خمسة وعشرين مترا في الثانية، وإن منسوب المياه في الخليج سيرتفع قرابة متر."),
           "إغلاق الكورنيش حتى صباح الخميس. تابعوا تعليمات الدفاع المدني."),
    "fr": (("Les autorités ont fermé le front de mer à cause de la tempête. Selon les prévisionnistes, les rafales "
           "pourraient atteindre quatre-vingt-dix kilomètres à l'heure ; les ferries sont suspendus jusqu'à jeudi. "
           "« Restez chez vous », a déclaré le préfet."),
           "Front de mer fermé jusqu'à jeudi : les élèves rentreront plus tôt."),
    "de": (("Die Stadt hat die Uferpromenade wegen des schweren Sturms gesperrt. Laut Meteorologen können Böen "
           "neunzig Kilometer pro Stunde erreichen; die Fähren fahren erst am Donnerstag wieder."),
           "Uferpromenade gesperrt, Fähren fahren erst am Donnerstag. Anwohner müssen ihre Autos räumen."),
    "es": (("Las autoridades cerraron el paseo marítimo por la tormenta. Según los meteorólogos, las ráfagas "
           "podrían alcanzar noventa kilómetros por hora; los transbordadores no saldrán hasta el jueves."),
           "¿Paseo marítimo cerrado? Sí, hasta el jueves. «Quédense en casa», pidió el alcalde."),
}
STATUS = "1633054123456789504"


def article(lang: str, *, meta: str = "") -> str:
    """An article page without a charset declaration (unless ``meta``), embedding one tweet."""
    body, tweet = ARTICLES[lang]
    head = f'<meta charset="{meta}">' if meta else ""
    return (f"<!DOCTYPE html><html lang='{lang}'><head>{head}<title>{body[:40]}</title></head><body><article>"
            f"<h1>{body[:60]}</h1><p>{body}</p><p>{body}</p>"
            f'<blockquote class="twitter-tweet"><p lang="{lang}" dir="auto">{tweet}</p>&mdash; City Desk '
            f'(@citydesk) <a href="https://twitter.com/citydesk/status/{STATUS}">March 7, 2023</a></blockquote>'
            "</article></body></html>")


def tweet_text(data: bytes, **options: object) -> str:
    tweets = tweetparse.extract(data, **options)  # type: ignore[arg-type]
    assert [t.id for t in tweets] == [STATUS]
    return tweets[0].text


@pytest.mark.parametrize(("lang", "encoding"), [
    ("ru", "cp1251"), ("bg", "cp1251"), ("ru", "koi8-r"), ("pl", "iso-8859-2"), ("cs", "iso-8859-2"),
    ("pl", "cp1250"), ("el", "iso-8859-7"), ("el", "cp1253"), ("ar", "cp1256"),
    ("fr", "cp1252"), ("de", "cp1252"), ("es", "cp1252"),
])
def test_undeclared_legacy_pages_decode_right(lang: str, encoding: str) -> None:
    page = article(lang)
    data = page.encode(encoding)
    assert decode(data) == page
    assert tweet_text(data) == ARTICLES[lang][1]


def test_a_stray_windows_1252_byte_keeps_a_utf8_text_utf8() -> None:
    # The issue's case: one \x92 (windows-1252's apostrophe) in a UTF-8 text once sent it all down
    # the windows-1252 path ("FÃ¤hren") and lost the tweet.
    text = ("Die Fähren bleiben im Hafen, die Uferpromenade ist gesperrt. Böen über neunzig km/h.\n\n"
            "Uferpromenade gesperrt, Fähren fahren erst am Donnerstag. Anwohner müssen ihre Autos räumen.\n"
            "— City Desk (@citydesk) March 7, 2023\n\nDas Rathaus sagt, es sei ").encode() + b"\x92s" + \
        " nötig.\n".encode()
    assert detect_encoding(text) == ("utf-8", 0)
    decoded = decode(text)
    assert "Die Fähren bleiben" in decoded and "es sei \ufffds nötig" in decoded
    tweets = tweetparse.extract(text, kind="text")
    assert [(t.handle, t.text) for t in tweets] == [
        ("citydesk", "Uferpromenade gesperrt, Fähren fahren erst am Donnerstag. Anwohner müssen ihre Autos räumen.")]


def test_a_stray_byte_in_an_html_page_keeps_it_utf8() -> None:
    data = article("de").encode().replace(b"<h1>", b"<h1>It\x92s ")
    assert tweet_text(data) == ARTICLES["de"][1]


def test_text_with_windows_1252_quotes_and_no_utf8_stays_windows_1252() -> None:
    data = "It’s “quoted” — and that’s all.".encode("cp1252")
    assert decode(data) == "It’s “quoted” — and that’s all."


def test_the_transport_charset_outranks_a_meta_declaration() -> None:
    # A WARC record or a server said windows-1251; the page's own meta is wrong, as browsers assume.
    data = article("ru", meta="windows-1252").encode("cp1251")
    assert tweet_text(data, encoding="windows-1251") == ARTICLES["ru"][1]
    assert tweet_text(data) != ARTICLES["ru"][1]  # the meta alone misleads


def test_a_bom_outranks_the_transport_charset() -> None:
    data = codecs.BOM_UTF8 + article("pl").encode()
    assert tweet_text(data, encoding="iso-8859-2") == ARTICLES["pl"][1]


def test_encoding_keyword_reads_utf16_without_a_bom() -> None:
    data = article("el").encode("utf-16-le")
    assert tweet_text(data, encoding="utf-16le") == ARTICLES["el"][1]


def test_an_unknown_encoding_keyword_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="encoding"):
        tweetparse.extract(b"<p>x</p>", encoding="klingon-8")
    with pytest.raises(ValueError, match="encoding"):
        tweetparse.extract(b"<p>x</p>", encoding="base64")


def test_labels_are_read_as_browsers_read_them() -> None:
    assert encoding_for_label("ISO-8859-1") == "cp1252"  # its 0x80-0x9F are quotes, not controls
    assert encoding_for_label("us-ascii") == "cp1252"
    assert encoding_for_label("Shift_JIS") == "cp932"
    assert encoding_for_label("utf-16", in_document=True) == "utf-8"
    assert encoding_for_label("windows-1251") == "cp1251"
    assert encoding_for_label("no-such-charset") is None
    assert encoding_for_label("unicode_escape") is None
    page = '<html><head><meta charset="iso-8859-1"></head><body>it’s</body></html>'
    assert "it’s" in decode(page.encode("cp1252"))


def test_content_type_charsets() -> None:
    assert content_type_charset('text/html; charset="Windows-1251"') == "cp1251"
    assert content_type_charset("text/html;charset=koi8-r; foo=bar") == "koi8-r"
    assert content_type_charset("text/html") is None
    assert content_type_charset("text/html; charset=bogus") is None
    assert content_type_charset(None) is None


def test_a_windows_1251_warc_record_without_a_meta_decodes(tmp_path: Path) -> None:
    # The check: the charset is only in the record's HTTP Content-Type header. Bulgarian is
    # short enough that detection alone could pick another Cyrillic code page; the header settles it.
    page = article("bg").encode("cp1251")
    warc = tmp_path / "crawl.warc.gz"
    write_warc(warc, [warc_record("https://news.example/bg", page, content_type="text/html; charset=windows-1251")],
               compress=True)
    docs = list(iter_documents([str(warc)]))
    assert [d.encoding for d in docs] == ["cp1251"]
    result = process(docs[0], Options())
    assert result.error is None
    assert [(r["text"], r["source"]["url"]) for r in result.records] == [(ARTICLES["bg"][1], "https://news.example/bg")]


def test_a_wrong_warc_charset_is_followed_as_browsers_do(tmp_path: Path) -> None:
    # The header says KOI8-R but the bytes are windows-1251: the header still wins (a browser shows the
    # same garble), so the record differs from the right text; no failure, no guessing behind its back.
    page = article("ru").encode("cp1251")
    warc = tmp_path / "crawl.warc"
    write_warc(warc, [warc_record("https://news.example/ru", page, content_type="text/html; charset=koi8-r")],
               compress=False)
    result = process(next(iter_documents([str(warc)])), Options())
    assert result.error is None
    assert [r["text"] for r in result.records] == [page.decode("koi8-r").split('dir="auto">')[1].split("</p>")[0]]
