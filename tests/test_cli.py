"""The tweetparse command line: formats, batches with failures, exit codes."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from tweetparse.cli import main
from tweetparse.output import CSV_COLUMNS

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
TEXT_EXAMPLE = EXAMPLES / "harbour-storm.txt"
HTML_EXAMPLE = EXAMPLES / "harbour-storm.html"


def run(*args: str, stdin: bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_batch_with_a_missing_file_writes_the_rest_and_exits_1(tmp_path: Path) -> None:
    missing = tmp_path / "gone.txt"
    code, out, err = run("extract", str(TEXT_EXAMPLE), str(missing), str(HTML_EXAMPLE))
    assert code == 1
    assert f"{missing}: No such file or directory" in err
    records = [json.loads(line) for line in out.splitlines()]
    articles = {r["source"]["article"] for r in records}
    assert articles == {str(TEXT_EXAMPLE), str(HTML_EXAMPLE)}
    assert len(records) >= 4


def test_strict_stops_at_the_first_failure(tmp_path: Path) -> None:
    code, out, err = run("extract", "--errors", "strict", str(tmp_path / "gone.txt"), str(TEXT_EXAMPLE))
    assert code == 1 and "gone.txt" in err and out == ""


def test_a_folder_is_walked(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_bytes(TEXT_EXAMPLE.read_bytes())
    code, out, _ = run("extract", str(tmp_path))
    assert code == 0
    assert {json.loads(line)["source"]["article"] for line in out.splitlines()} == {str(tmp_path / "sub" / "a.txt")}


def test_json_and_csv_formats_hold_the_same_records() -> None:
    _, jsonl, _ = run("extract", str(TEXT_EXAMPLE))
    code, as_json, _ = run("extract", "--format", "json", str(TEXT_EXAMPLE))
    assert code == 0
    assert json.loads(as_json) == [json.loads(line) for line in jsonl.splitlines()]
    code, as_csv, _ = run("extract", "--format", "csv", str(TEXT_EXAMPLE))
    rows = list(csv.DictReader(io.StringIO(as_csv)))
    assert code == 0 and tuple(rows[0]) == CSV_COLUMNS
    assert [r["handle"] for r in rows] == [r["handle"] for r in json.loads(as_json)]


def test_empty_json_output_is_still_valid(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("Nothing to see.")
    code, out, _ = run("extract", "--format", "json", str(empty))
    assert code == 0 and json.loads(out) == []


def test_stdin_and_reference_time() -> None:
    code, out, _ = run("extract", "--kind", "text", "--reference-time", "2023-03-07T14:30Z", "-",
                       stdin=TEXT_EXAMPLE.read_bytes())
    timeline = [json.loads(line) for line in out.splitlines() if "timeline" in json.loads(line)["form"]]
    assert code == 0 and len(timeline) == 1
    assert (timeline[0]["created_at"], timeline[0]["created_at_precision"]) == ("2023-03-07T11:00:00Z", "hour")
    assert timeline[0]["source"]["article"] == "-"


def test_output_file(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    code, out, _ = run("extract", "-o", str(target), str(TEXT_EXAMPLE))
    assert code == 0 and out == ""
    assert len(target.read_text(encoding="utf-8").splitlines()) >= 3


@pytest.mark.parametrize("args", [["extract"], ["extract", "--format", "xml", "a"], ["nope"],
                                  ["extract", "--reference-time", "yesterday", "a"]])
def test_usage_errors_exit_2(args: list[str]) -> None:
    assert run(*args)[0] == 2


def test_help_shows_examples() -> None:
    code, out, _ = run("extract", "--help")
    assert code == 0 and "Examples:" in out and "--format" in out


def test_installed_console_script_runs() -> None:
    proc = subprocess.run([sys.executable, "-m", "tweetparse.cli", "extract", str(TEXT_EXAMPLE)],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert any(json.loads(line)["handle"] == "PortEllingHbr" for line in proc.stdout.splitlines())


@pytest.mark.parametrize("args", [["--help"], ["extract", "--help"], ["feed", "--help"]])
def test_help_imports_no_parser(args: list[str]) -> None:
    """Help stays as quick to start as `import lxml.html` (bench/bench_startup.py) only while the
    commands import the parsing modules when they run, not when the CLI loads."""
    heavy = ("lxml", "dateutil", "charset_normalizer", "hyperscan")
    code = (f"import sys\nfrom tweetparse.cli import main\n"
            f"try:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
            f"roots = ('tweetparse',) + {heavy!r}\n"
            f"print(sorted(m for m in sys.modules if m.split('.')[0] in roots), file=sys.stderr)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stderr.strip() == "['tweetparse', 'tweetparse.cli']"


def test_python_dash_m_runs_the_command_line() -> None:
    root = Path(__file__).resolve().parent.parent
    proc = subprocess.run([sys.executable, "-m", "tweetparse", "extract", str(root / "examples" / "harbour-storm.txt")],
                          capture_output=True, text=True, check=False, cwd=root)
    assert proc.returncode == 0, proc.stderr
    assert any(json.loads(line)["handle"] == "PortEllingHbr" for line in proc.stdout.splitlines())
