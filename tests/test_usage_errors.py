"""Usage errors said at once and failures never silent: parquet, --db, unreadable folders, sniffing."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import tweetparse
from tweetparse.cli import main
from tweetparse.inputs import iter_documents

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
TEXT_EXAMPLE = EXAMPLES / "harbour-storm.txt"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_extract_help_says_parquet_needs_dask() -> None:
    code, out, _ = run("extract", "--help")
    assert code == 0
    assert "parquet only with --engine dask" in " ".join(out.split())


@pytest.mark.parametrize("extra", [[], ["-o", "out"], ["-o", "out", "--db", "t.sqlite"]])
def test_parquet_without_dask_is_a_usage_error_naming_the_engine_first(tmp_path: Path,
                                                                      extra: list[str]) -> None:
    args = [a if a not in ("out", "t.sqlite") else str(tmp_path / a) for a in extra]
    code, out, err = run("extract", "--format", "parquet", *args, str(TEXT_EXAMPLE))
    assert code == 2 and out == ""
    assert "--format parquet needs --engine dask" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_db_in_a_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    db = tmp_path / "no" / "such" / "t.sqlite"
    code, out, err = run("extract", "--db", str(db), str(TEXT_EXAMPLE))
    assert code == 2 and out == "" and "Traceback" not in err
    assert f"{db}: no such folder: {db.parent}" in err


def test_db_that_is_not_a_database_is_a_usage_error_and_stays_as_it_was(tmp_path: Path) -> None:
    db = tmp_path / "notes.sqlite"
    db.write_text("my notes, not a database\n" * 100)
    before = db.read_bytes()
    code, out, err = run("extract", "--db", str(db), str(TEXT_EXAMPLE))
    assert code == 2 and out == "" and "Traceback" not in err
    assert f"{db}: cannot be opened as a SQLite database (file is not a database)" in err
    assert db.read_bytes() == before


def test_db_that_is_a_folder_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = run("extract", "--db", str(tmp_path), str(TEXT_EXAMPLE))
    assert code == 2 and "is a directory" in err and "Traceback" not in err


def unreadable(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Make ``folder`` unlistable, as a folder without read permission is for anyone but root."""
    real = os.scandir

    def scandir(path: Any = ".") -> Any:
        if os.fspath(path) == str(folder):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)


def corpus(tmp_path: Path) -> tuple[Path, Path]:
    root = tmp_path / "crawl"
    locked = root / "b-locked"
    locked.mkdir(parents=True)
    (root / "a.txt").write_bytes(TEXT_EXAMPLE.read_bytes())
    (locked / "hidden-from-us.txt").write_bytes(TEXT_EXAMPLE.read_bytes())
    (root / "c").mkdir()
    (root / "c" / "d.txt").write_bytes(TEXT_EXAMPLE.read_bytes())
    return root, locked


def test_an_unreadable_subfolder_is_a_failure_in_its_place(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    root, locked = corpus(tmp_path)
    unreadable(monkeypatch, locked)
    docs = list(iter_documents([str(root)]))
    assert [(d.name, d.error) for d in docs] == [
        (str(root / "a.txt"), None), (str(locked), "Permission denied"), (str(root / "c" / "d.txt"), None)]


def test_the_command_reports_an_unreadable_subfolder_and_exits_1(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    root, locked = corpus(tmp_path)
    unreadable(monkeypatch, locked)
    code, out, err = run("extract", "-j", "1", str(root))
    assert code == 1
    assert f"{locked}: Permission denied" in err
    articles = {json.loads(line)["source"]["article"] for line in out.splitlines()}
    assert articles == {str(root / "a.txt"), str(root / "c" / "d.txt")}


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any folder; the scandir stand-in above covers it")
def test_a_folder_without_read_permission_is_reported(tmp_path: Path) -> None:
    root, locked = corpus(tmp_path)
    locked.chmod(0)
    try:
        code, _, err = run("extract", "-j", "1", str(root))
    finally:
        locked.chmod(0o755)
    assert code == 1 and f"{locked}: Permission denied" in err


def test_a_text_that_mentions_script_tags_is_read_as_text() -> None:
    article = (b"How the <script> tag broke the council's site\n\nA stray <script> element in the page "
               b"template sent visitors elsewhere on Monday, the harbour office said.\n\n"
               + TEXT_EXAMPLE.read_bytes())
    assert tweetparse.extract(article) == tweetparse.extract(article, kind="text")
    assert len(tweetparse.extract(article)) == len(tweetparse.extract(TEXT_EXAMPLE.read_bytes())) > 0


@pytest.mark.parametrize(("head", "html"), [
    ("Researchers found a <script> tag in the page, and a closing </script> after it.\nMore prose.", False),
    ("Use <p>, <div> and <span> for this.", False),
    ("<3 this harbour <script>", False),
    (("Intro <blockquote class='twitter-tweet'><p lang='en'>Hi</p>&mdash; A (@a) <a href='x'>May 1</a>"
      "</blockquote><script async src='w.js'></script>"), True),
    ("\ufeff<!DOCTYPE html><html><body>x", True),
    ("\xef\xbb\xbf<html><body>x", True),  # a UTF-8 BOM read as latin-1, as the byte pre-filter reads it
    ("  <div class='a'>x</div>", True),
    ("<!-- saved page --><title>x", True),
])
def test_html_is_markup_at_the_start_or_many_tags_not_a_mention(head: str, html: bool) -> None:
    from tweetparse.loader import looks_like_html

    assert looks_like_html(head) is html
