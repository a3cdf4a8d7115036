"""What the command line reads: folders and globs, gzip, WARC/ARC records, standard input, lists of paths."""
from __future__ import annotations

import gzip
import json
import os
import re
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from pages import article_html, warc_record, warcinfo_record, write_warc

from tweetparse.cli import main
from tweetparse.inputs import WARC_MISSING, Document, InputError, iter_documents, read_bytes


def run(*args: str, stdin: bytes | None = None) -> tuple[int, list[dict], str]:
    result = CliRunner().invoke(main, ["extract", "-q", *args], input=stdin)
    return result.exit_code, [json.loads(line) for line in result.stdout.splitlines()], result.stderr


def articles(records: list[dict]) -> list[str]:
    """The articles of the records, each once, in the order they first appear."""
    return list(dict.fromkeys(r["source"]["article"] for r in records))


@pytest.fixture()
def site(tmp_path: Path) -> Path:
    """A saved site: pages in nested folders, plus files a crawl leaves beside them."""
    (tmp_path / "news" / "2020").mkdir(parents=True)
    (tmp_path / "news" / "2020" / "storm.html").write_text(article_html(1), encoding="utf-8")
    (tmp_path / "news" / "2020" / "ferry.htm").write_text(article_html(2), encoding="utf-8")
    (tmp_path / "news" / "bridge.html").write_text(article_html(3), encoding="utf-8")
    (tmp_path / "news" / "site.css").write_text("blockquote.twitter-tweet { margin: 0 }", encoding="utf-8")
    (tmp_path / "news" / ".draft.html").write_text(article_html(5), encoding="utf-8")
    (tmp_path / "news" / ".cache").mkdir()
    (tmp_path / "news" / ".cache" / "copy.html").write_text(article_html(6), encoding="utf-8")
    return tmp_path / "news"


def test_folder_is_walked_recursively_in_sorted_order_without_hidden_files(site: Path) -> None:
    names = [d.name for d in iter_documents([str(site)])]
    # A folder's own files first, then its subfolders, each sorted by name.
    assert names == [str(site / "bridge.html"), str(site / "site.css"), str(site / "2020" / "ferry.htm"),
                     str(site / "2020" / "storm.html")]


def test_glob_picks_files_in_folders_but_never_drops_a_named_file(site: Path) -> None:
    code, records, _ = run("--glob", "*.html", str(site), str(site / "site.css"))
    assert code == 0
    assert articles(records) == [str(site / "bridge.html"), str(site / "2020" / "storm.html")]
    docs = [d.name for d in iter_documents([str(site), str(site / "site.css")], globs=("*.html", "*.htm"))]
    assert docs == [str(site / "bridge.html"), str(site / "2020" / "ferry.htm"), str(site / "2020" / "storm.html"),
                    str(site / "site.css")]


def test_gzip_is_read_transparently_whatever_the_name(tmp_path: Path) -> None:
    plain = tmp_path / "plain.html"
    plain.write_text(article_html(3), encoding="utf-8")
    zipped = tmp_path / "zipped.html.gz"
    zipped.write_bytes(gzip.compress(article_html(3).encode("utf-8")))
    misnamed = tmp_path / "saved.html"  # some crawlers store the gzip body under the page's name
    misnamed.write_bytes(gzip.compress(article_html(3).encode("utf-8")))
    code, records, _ = run(str(plain), str(zipped), str(misnamed))
    assert code == 0
    by_article = {a: [r["id"] for r in records if r["source"]["article"] == a] for a in articles(records)}
    assert len(by_article[str(plain)]) == 3
    assert by_article[str(zipped)] == by_article[str(plain)] == by_article[str(misnamed)]


def test_a_truncated_gzip_fails_alone(tmp_path: Path) -> None:
    whole = gzip.compress(article_html(2).encode("utf-8"))
    broken = tmp_path / "broken.html.gz"
    broken.write_bytes(whole[: len(whole) // 2])
    good = tmp_path / "good.html.gz"
    good.write_bytes(gzip.compress(article_html(1).encode("utf-8")))
    code, records, err = run(str(broken), str(good))
    assert code == 1
    assert f"{broken}: truncated gzip" in err
    assert articles(records) == [str(good)]
    with pytest.raises(InputError, match="corrupt gzip"):
        read_bytes(Document(name="x", data=None, path=str(_write(tmp_path / "junk.gz", b"\x1f\x8b" + b"junk" * 9))))


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("compress", [True, False], ids=["warc.gz", "warc"])
def test_warc_response_records_become_documents_with_their_url(tmp_path: Path, compress: bool) -> None:
    warc = tmp_path / ("crawl.warc.gz" if compress else "crawl.warc")
    offsets = write_warc(warc, [
        warcinfo_record(),
        warc_record("https://courier.example/2020/storm", article_html(1).encode(), record_id=1),
        warc_record("https://courier.example/logo.png", b"\x89PNG twitter", content_type="image/png", record_id=2),
        warc_record("https://courier.example/2020/bridge", article_html(3).encode(), record_id=3),
    ], compress=compress)
    code, records, err = run(str(warc))
    assert code == 0, err
    assert articles(records) == [f"{warc}#{offsets[1]}", f"{warc}#{offsets[3]}"]
    assert {r["source"]["url"] for r in records} == {"https://courier.example/2020/storm",
                                                      "https://courier.example/2020/bridge"}
    assert len(records) == 1 + 3


def test_a_broken_warc_record_fails_alone_and_reading_goes_on(tmp_path: Path) -> None:
    bad_header = b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: many\r\n\r\nHTTP/1.1 200 OK\r\n\r\n\r\n\r\n"
    last = warc_record("https://courier.example/2020/ferry", article_html(2).encode(), record_id=9)
    warc = tmp_path / "crawl.warc.gz"
    offsets = write_warc(warc, [
        warc_record("https://courier.example/2020/storm", article_html(1).encode(), record_id=1),
        bad_header,
        warc_record("https://courier.example/2020/bridge", article_html(3).encode(), record_id=3),
    ], compress=True)
    # An interrupted crawl: the last record stops halfway through its page.
    truncated = tmp_path / "interrupted.warc"
    truncated.write_bytes(last[: len(last) // 2])
    code, records, err = run(str(warc), str(truncated))
    assert code == 1
    assert f"{warc}#{offsets[1]}: broken WARC record" in err
    assert f"{truncated}#0: truncated WARC record" in err
    assert articles(records) == [f"{warc}#{offsets[0]}", f"{warc}#{offsets[2]}"]


def test_garbage_inside_a_warc_stops_that_file_only(tmp_path: Path) -> None:
    good = warc_record("https://courier.example/2020/storm", article_html(1).encode(), record_id=1)
    warc = tmp_path / "damaged.warc"
    warc.write_bytes(good + b"\x00\x13 disk error here \xff\xfe\r\n" + good)
    page = tmp_path / "page.html"
    page.write_text(article_html(2), encoding="utf-8")
    code, records, err = run(str(warc), str(page))
    assert code == 1
    assert re.search(rf"^{re.escape(str(warc))}#\d+: broken WARC record: ", err, re.MULTILINE)
    assert articles(records) == [f"{warc}#0", str(page)]


def test_arc_files_are_read_too(tmp_path: Path) -> None:
    body = b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n" + article_html(1).encode()
    version = b"1 0 Coastal Courier\nURL IP-address Archive-date Content-type Archive-length\n"
    header = b"filedesc://crawl.arc 0.0.0.0 20200501100000 text/plain " + str(len(version)).encode() + b"\n"
    record = b"https://courier.example/arc 192.0.2.1 20200501100000 text/html " + str(len(body)).encode() + b"\n"
    arc = tmp_path / "crawl.arc"
    preamble = header + version + b"\n"
    arc.write_bytes(preamble + record + body + b"\n")
    code, records, err = run(str(arc))
    assert code == 0, err
    assert len(records) == 1 and records[0]["source"]["url"] == "https://courier.example/arc"
    assert records[0]["source"]["article"] == f"{arc}#{len(preamble)}"


def test_without_the_warc_extra_a_warc_fails_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "warcio", None)  # what an install without the extra looks like
    monkeypatch.setitem(sys.modules, "warcio.archiveiterator", None)
    warc = tmp_path / "crawl.warc.gz"
    write_warc(warc, [warc_record("https://courier.example/a", article_html(1).encode())], compress=True)
    page = tmp_path / "page.html"
    page.write_text(article_html(1), encoding="utf-8")
    code, records, err = run(str(warc), str(page))
    assert code == 1
    assert f"{warc}: {WARC_MISSING}" in err
    assert articles(records) == [str(page)]


def test_warcio_is_imported_only_when_a_warc_is_given(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(article_html(1), encoding="utf-8")
    probe = ("import sys\nfrom tweetparse.cli import main\n"
             f"try:\n    main(['extract', '-q', {str(page)!r}])\nexcept SystemExit:\n    pass\n"
             "print('warcio' in sys.modules, file=sys.stderr)\n")
    import subprocess

    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False)
    assert proc.stderr.strip().splitlines()[-1] == "False"
    assert proc.stdout.count("\n") == 1


def test_stdin_is_one_document_even_gzipped() -> None:
    code, records, _ = run("-", stdin=gzip.compress(article_html(3).encode()))
    assert code == 0 and len(records) == 3
    assert {r["source"]["article"] for r in records} == {"-"}


def test_stdin_paths_reads_a_list_of_inputs(site: Path, tmp_path: Path) -> None:
    listing = f"{site / 'bridge.html'}\n\n{site / '2020'}\n{tmp_path / 'gone.html'}\n".encode()
    code, records, err = run("--stdin-paths", "--glob", "*.html", stdin=listing)
    assert code == 1
    assert f"{tmp_path / 'gone.html'}: No such file or directory" in err
    assert articles(records) == [str(site / "bridge.html"), str(site / "2020" / "storm.html")]


def test_unreadable_inputs_fail_alone_with_the_reason(tmp_path: Path) -> None:
    dangling = tmp_path / "link.html"
    os.symlink(tmp_path / "nowhere.html", dangling)
    page = tmp_path / "page.html"
    page.write_text(article_html(2), encoding="utf-8")
    code, records, err = run(str(dangling), str(page), str(tmp_path / "missing.warc.gz"))
    assert code == 1
    assert f"{dangling}: No such file or directory" in err
    assert f"{tmp_path / 'missing.warc.gz'}: No such file or directory" in err
    assert articles(records) == [str(page)]


def test_binary_junk_is_no_failure_and_no_tweet(tmp_path: Path) -> None:
    junk = tmp_path / "image.html"
    junk.write_bytes(bytes(range(256)) * 64 + b"\x00" * 4096 + b"twitter.com/x/status/1")
    code, records, err = run(str(junk))
    assert code == 0, err
    assert records == []
