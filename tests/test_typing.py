"""The public API's types, as a user's type checker sees them: mypy run over small programs that use it."""
from __future__ import annotations

import importlib.util
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(importlib.util.find_spec("mypy") is None,
                                reason="mypy is not installed (pip install -e '.[lint]')")

WELL_TYPED = """
    from datetime import datetime
    from typing import Any, assert_type

    import lxml.html
    import tweetparse
    from tweetparse import Post, Quoted, Tweet

    posts = tweetparse.extract(b"<p>x</p>", kind="html", errors="strict", reference_time=datetime(2020, 1, 1))
    assert_type(posts, list[Post])
    assert_type(tweetparse.extract("text", kind="text", encoding="utf-8"), list[Post])
    assert_type(tweetparse.extract(lxml.html.fromstring("<p>x</p>")), list[Post])
    first: Tweet = posts[0]
    assert_type(first.id, str | None)
    assert_type(first.platform, str)
    assert_type(first.quoted, Quoted | None)
    assert_type(first.to_dict(), dict[str, Any])
    assert_type(Post.from_dict(first.to_dict()), Post)
    feed = tweetparse.render_feed(tweetparse.build_feed(posts), "atom")
    assert_type(feed, str)
"""

ILL_TYPED = {
    "kind": 'tweetparse.extract(b"x", kind="xml")',
    "errors": 'tweetparse.extract(b"x", errors="raise")',
    "frozen": 'tweetparse.extract(b"x")[0].text = "changed"',
}


def _mypy(tmp_path: Path, source: str) -> tuple[int, str]:
    from mypy import api

    program = tmp_path / "program.py"
    program.write_text(textwrap.dedent(source), encoding="utf-8")
    out, err, status = api.run([str(program), "--no-error-summary", "--cache-dir", str(tmp_path / ".mypy_cache")])
    return status, out + err


def test_the_public_api_is_typed_as_documented(tmp_path: Path) -> None:
    status, report = _mypy(tmp_path, WELL_TYPED)
    assert status == 0, report


@pytest.mark.parametrize("name", sorted(ILL_TYPED))
def test_a_misuse_is_a_type_error(tmp_path: Path, name: str) -> None:
    status, report = _mypy(tmp_path, f"import tweetparse\n{ILL_TYPED[name]}\n")
    assert status == 1 and "error:" in report, report
