"""--engine dask and tweetparse.distributed: same records as the local run, partitions, Parquet, a killed worker, no dask by default."""
from __future__ import annotations

import gzip
import importlib.util
import json
import logging
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pages import article_html, warc_record, warcinfo_record, write_corpus, write_warc

from tweetparse.cli import main

HAS_DASK = all(importlib.util.find_spec(m) is not None for m in ("distributed", "fsspec", "pyarrow", "pandas"))
needs_dask = pytest.mark.skipif(not HAS_DASK, reason="the dask extra is not installed")

CORPUS = 90
WARC_RECORDS = 6
# A document carrying this kills the worker process that extracts it, the first time only.
KILL_MARKER = "KILL-THE-WORKER"


def cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def jsonl(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


# ---------------------------------------------------------------- without dask


def test_importing_tweetparse_and_the_local_cli_never_import_dask(tmp_path: Path) -> None:
    page = tmp_path / "a.html"
    page.write_text(article_html(3), encoding="utf-8")
    code = (
        "import sys, tweetparse, tweetparse.cli\n"
        "from click.testing import CliRunner\n"
        f"r = CliRunner().invoke(tweetparse.cli.main, ['extract', '-q', '-j', '1', {str(page)!r}])\n"
        "assert r.exit_code == 0 and r.stdout.count('\\n') == 3, r.output\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed', 'fsspec', 'pyarrow', "
        "'pandas')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_engine_dask_without_the_extra_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    page = tmp_path / "a.html"
    page.write_text(article_html(1), encoding="utf-8")
    monkeypatch.setitem(sys.modules, "distributed", None)  # what `import distributed` meets without the extra
    code, out, err = cli("extract", "--engine", "dask", str(page))
    assert code == 2
    assert "--engine dask needs the dask extra: pip install 'tweetparse[dask]'" in err
    assert out == ""


@pytest.mark.parametrize("args, message", [
    (["--scheduler", "tcp://127.0.0.1:1"], "--scheduler needs --engine dask"),
    (["--format", "parquet", "-o", "out"], "--format parquet needs --engine dask"),
])
def test_dask_options_without_the_engine_are_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    page = tmp_path / "a.html"
    page.write_text(article_html(1), encoding="utf-8")
    code, _, err = cli("extract", *args, str(page))
    assert code == 2
    assert message in err


@needs_dask
@pytest.mark.parametrize("args, message", [
    (["-"], "not standard input"),
    (["--format", "parquet"], "name it with -o DIR"),
    (["--scheduler", "tcp://127.0.0.1:1", "-j", "2", "a.html"], "leave it out with --scheduler"),
])
def test_dask_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    code, _, err = cli("extract", "--engine", "dask", *args)
    assert code == 2
    assert message in err


# ---------------------------------------------------------------- partitions and fsspec (no cluster)


@needs_dask
def test_a_warc_is_a_partition_and_small_files_are_grouped_in_order() -> None:
    from tweetparse.distributed import Entry, partition

    entries = [Entry(name=f"p{i}.html", url=f"p{i}.html", size=10) for i in range(5)]
    warc = Entry(name="crawl.warc.gz", url="crawl.warc.gz", size=10)
    big = Entry(name="big.html", url="big.html", size=1000)
    parts = partition([*entries[:3], warc, *entries[3:], big], files_per_partition=2, bytes_per_partition=500)
    assert [[e.name for e in p.entries] for p in parts] == [
        ["p0.html", "p1.html"], ["p2.html"], ["crawl.warc.gz"], ["p3.html", "p4.html"], ["big.html"]]
    assert [p.index for p in parts] == [0, 1, 2, 3, 4]


@pytest.fixture()
def memory_site() -> Iterator[str]:
    pytest.importorskip("fsspec")
    import fsspec

    fs = fsspec.filesystem("memory")
    root = "/tweetparse-test-site"
    fs.pipe({
        f"{root}/a.html": article_html(1).encode(),
        f"{root}/b.html.gz": gzip.compress(article_html(2).encode(), mtime=0),
        f"{root}/sub/c.html": article_html(3).encode(),
        f"{root}/.hidden.html": article_html(5).encode(),
        f"{root}/notes.txt": b"nothing to see",
    })
    yield f"memory://{root}"
    fs.rm(root, recursive=True)


@needs_dask
def test_fsspec_folders_are_listed_like_local_ones(memory_site: str) -> None:
    from tweetparse.distributed import list_entries

    names = [e.name for e in list_entries([memory_site], globs=("*.html", "*.html.gz"))]
    assert names == [f"memory://{memory_site[len('memory://'):]}/{n}" for n in ("a.html", "b.html.gz", "sub/c.html")]


def _expected(site: str) -> list[dict[str, Any]]:
    """What the library gives for each page, read straight from the memory filesystem."""
    import fsspec

    import tweetparse
    from tweetparse.distributed import list_entries

    records = []
    for entry in list_entries([site], globs=("*.html", "*.html.gz")):
        with fsspec.open(entry.url, "rb", compression="infer") as f:
            records += [t.to_dict() for t in tweetparse.extract(f.read(), article=entry.name)]
    return records


@needs_dask
def test_to_bag_reads_through_fsspec(memory_site: str) -> None:
    import dask

    from tweetparse.distributed import to_bag

    bag = to_bag([memory_site], globs=("*.html", "*.html.gz"), files_per_partition=2)
    assert bag.npartitions == 2
    # The memory filesystem lives in this process: compute here, not on a cluster.
    with dask.config.set(scheduler="sync"):
        records = bag.compute()
    assert len(records) == 1 + 2 + 3
    assert records == _expected(memory_site)


@needs_dask
def test_to_dataframe_rows_give_the_records_back(memory_site: str) -> None:
    import dask

    from tweetparse.distributed import PARQUET_COLUMNS, record_from_row, to_dataframe

    frame = to_dataframe([memory_site], globs=("*.html", "*.html.gz"), files_per_partition=1)
    assert frame.npartitions == 3
    assert list(frame.columns) == [name for name, _ in PARQUET_COLUMNS]
    with dask.config.set(scheduler="sync"):
        rows = frame.compute().to_dict("records")
    assert [record_from_row(row) for row in rows] == _expected(memory_site)
    assert [row["position"] for row in rows] == [0, 0, 1, 0, 1, 2]


# ---------------------------------------------------------------- on a LocalCluster


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """Folders of articles, a gzip file, a WARC, a missing file and a file that is not an article."""
    folder = tmp_path_factory.mktemp("inputs")
    write_corpus(folder / "pages", CORPUS)
    (folder / "more").mkdir()
    (folder / "more" / "z.html.gz").write_bytes(gzip.compress(article_html(7).encode(), mtime=0))
    (folder / "more" / "broken.html.gz").write_bytes(gzip.compress(article_html(8).encode())[:200])
    records = [warcinfo_record()] + [warc_record(f"https://news.example/{i}", article_html(100 + i).encode(),
                                                 record_id=i) for i in range(WARC_RECORDS)]
    write_warc(folder / "crawl.warc.gz", records, compress=True)
    return [str(folder / "pages"), str(folder / "crawl.warc.gz"), str(folder / "more"), str(folder / "missing.html")]


@pytest.fixture(scope="module")
def local_run(inputs: list[str]) -> tuple[int, list[dict[str, Any]], str]:
    code, out, err = cli("extract", "-q", "-j", "1", *inputs)
    return code, jsonl(out), err


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    if not HAS_DASK:
        pytest.skip("the dask extra is not installed")
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=logging.ERROR) as local, Client(local, set_as_default=False) as client:
        yield client


def test_dask_gives_the_local_records_in_the_same_order(inputs: list[str], local_run: Any, cluster: Any) -> None:
    code, out, err = cli("extract", "-q", "--engine", "dask", "--scheduler", cluster.scheduler.address, *inputs)
    local_code, local_records, local_err = local_run
    assert code == local_code == 1  # the missing and the broken file fail, alone, in both
    assert len(local_records) == sum(i % 4 for i in range(CORPUS)) + sum((100 + i) % 4 for i in range(WARC_RECORDS)) + 3
    assert jsonl(out) == local_records
    assert err == local_err
    assert "missing.html: No such file or directory" in err and "broken.html.gz: truncated gzip" in err


@needs_dask
def test_a_local_cluster_of_two_workers_by_default(inputs: list[str], local_run: Any) -> None:
    code, out, _ = cli("extract", "-q", "--engine", "dask", "-j", "2", "--glob", "*.html", inputs[0])
    assert code == 0
    assert jsonl(out) == [r for r in local_run[1] if "/pages/" in r["source"]["article"]]


def test_unordered_gives_the_same_set(inputs: list[str], local_run: Any, cluster: Any) -> None:
    code, out, _ = cli("extract", "-q", "--engine", "dask", "--unordered", "--scheduler", cluster.scheduler.address,
                       *inputs)
    assert code == 1
    key = lambda r: json.dumps(r, sort_keys=True)
    assert sorted(map(key, jsonl(out))) == sorted(map(key, local_run[1]))


def _rows(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    with sqlite3.connect(db) as conn:
        return {t: sorted(conn.execute(f"SELECT * FROM {t}").fetchall(), key=repr)
                for t in ("articles", "tweets", "citations")}


def test_db_holds_the_same_rows_and_resumes(inputs: list[str], cluster: Any, tmp_path: Path) -> None:
    address = cluster.scheduler.address
    cli("extract", "-q", "-j", "1", "--db", str(tmp_path / "local.sqlite"), *inputs)
    code, _, _ = cli("extract", "-q", "--engine", "dask", "--scheduler", address, "--db", str(tmp_path / "dask.sqlite"),
                     *inputs)
    assert code == 1
    assert _rows(tmp_path / "dask.sqlite") == _rows(tmp_path / "local.sqlite")
    _, _, err = cli("extract", "--engine", "dask", "--scheduler", address, "--db", str(tmp_path / "dask.sqlite"),
                    *inputs)
    assert f"{CORPUS + 1} skipped (already in the database)" in err  # the pages and z.html.gz; the WARC is redone
    assert _rows(tmp_path / "dask.sqlite") == _rows(tmp_path / "local.sqlite")


def test_feed_is_the_same(inputs: list[str], cluster: Any) -> None:
    _, local, _ = cli("feed", "-q", "-j", "1", "--format", "jsonl", *inputs)
    code, dask_feed, _ = cli("feed", "-q", "--engine", "dask", "--scheduler", cluster.scheduler.address,
                             "--format", "jsonl", *inputs)
    assert code == 1
    assert dask_feed == local and local.count("\n") > CORPUS


def _parquet_records(folder: Path) -> list[dict[str, Any]]:
    import pyarrow.parquet as pq

    from tweetparse.distributed import record_from_row

    records = []
    for part in sorted(folder.glob("part-*.parquet")):
        records += [record_from_row(row) for row in pq.read_table(part).to_pylist()]
    return records


def test_parquet_one_file_per_partition_with_the_same_records(inputs: list[str], local_run: Any, cluster: Any,
                                                              tmp_path: Path) -> None:
    from tweetparse.distributed import parquet_schema

    out = tmp_path / "tweets"
    code, stdout, err = cli("extract", "--engine", "dask", "--scheduler", cluster.scheduler.address,
                            "--format", "parquet", "-o", str(out), *inputs)
    assert code == 1 and stdout == ""
    assert f", {len(local_run[1])} tweets, 2 failed" in err
    parts = sorted(p.name for p in out.iterdir())
    # 8 parts of files (2 threads x PARTITIONS_PER_THREAD) around the WARC's own part, files of one
    # folder never sharing a part with the WARC.
    assert parts == [f"part-{i:05d}.parquet" for i in range(len(parts))] and len(parts) >= 3
    import pyarrow.parquet as pq

    assert all(pq.read_schema(out / p) == parquet_schema() for p in parts)
    assert _parquet_records(out) == local_run[1]
    code, _, err = cli("extract", "--engine", "dask", "--scheduler", cluster.scheduler.address,
                       "--format", "parquet", "-o", str(out), *inputs)
    assert code == 2 and "not empty" in err


# ---------------------------------------------------------------- bounds: time limit, a cluster without workers


def slow_text(path: Path) -> Path:
    """A real document that takes seconds (a flattened text of 100k attributed tweets, 5 MB: about
    10 s here, bench_hostile.py), far over the time limit the test sets and far under the size limit."""
    path.write_text("Snow again #cold\n\u2014 Jane (@jane) January 5, 2017\n" * 100_000, encoding="utf-8")
    return path


def test_a_document_over_the_time_limit_fails_alone_and_the_dask_worker_lives(inputs: list[str], cluster: Any,
                                                                              tmp_path: Path) -> None:
    import time

    pages = sorted(str(p) for p in Path(inputs[0]).rglob("*.html"))[:8]
    slow = str(slow_text(tmp_path / "slow.txt"))
    _, expected, _ = cli("extract", "-q", "-j", "1", *pages)
    workers = cluster.run(os.getpid)  # each Dask worker's process
    started = time.monotonic()
    code, out, err = cli("extract", "-q", "--engine", "dask", "--scheduler", cluster.scheduler.address,
                         "--timeout", "3", *pages[:4], slow, *pages[4:])
    assert code == 1
    assert err == f"{slow}: took longer than 3 s\n"
    assert jsonl(out) == jsonl(expected) and expected
    # Stopped at the limit, not run to the end; the child process that extracted it was replaced,
    # the Dask workers are the same ones.
    assert time.monotonic() - started < 60
    assert cluster.run(os.getpid) == workers


@pytest.fixture()
def empty_cluster() -> Iterator[Any]:
    if not HAS_DASK:
        pytest.skip("the dask extra is not installed")
    from distributed import LocalCluster

    with LocalCluster(n_workers=0, processes=True, dashboard_address=":0", silence_logs=logging.ERROR) as local:
        yield local


def test_a_cluster_without_workers_fails_what_is_left_instead_of_waiting_forever(
        inputs: list[str], empty_cluster: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    from tweetparse import distributed

    monkeypatch.setattr(distributed, "NO_WORKERS_S", 2.0)
    pages = sorted(str(p) for p in Path(inputs[0]).rglob("*.html"))[:5]
    started = time.monotonic()
    code, out, err = cli("extract", "-q", "--engine", "dask", "--scheduler", empty_cluster.scheduler_address,
                         *pages)
    assert code == 1 and out == ""
    assert err.splitlines() == [f"{p}: the Dask cluster has had no worker for 2 s" for p in pages]
    assert time.monotonic() - started < 60


@needs_dask
def test_an_unreachable_scheduler_is_one_error_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    from tweetparse import distributed

    monkeypatch.setattr(distributed, "CONNECT_TIMEOUT_S", 2.0)
    page = tmp_path / "a.html"
    page.write_text(article_html(1), encoding="utf-8")
    with socket.socket() as closed:  # a port nothing listens on
        closed.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{closed.getsockname()[1]}"
    code, out, err = cli("extract", "-q", "--engine", "dask", "--scheduler", address, str(page))
    assert code == 1 and out == ""
    assert err.startswith(f"Error: cannot reach the Dask scheduler at {address}: ")


@needs_dask
def test_a_local_cluster_that_cannot_start_is_one_error_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import distributed

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("Nanny failed to start.")  # what distributed raises when a worker cannot start

    monkeypatch.setattr(distributed, "LocalCluster", broken)
    page = tmp_path / "a.html"
    page.write_text(article_html(1), encoding="utf-8")
    code, out, err = cli("extract", "-q", "--engine", "dask", "-j", "1", str(page))
    assert (code, out, err) == (1, "", "Error: cannot start a local Dask cluster: Nanny failed to start.\n")


# ---------------------------------------------------------------- a worker killed mid-run


def _kill_once(flag: str, always: bool, original: Any) -> Any:
    """process() that kills its worker process on a marked document, unless ``flag`` exists (or
    every time, when ``always``)."""

    def process(doc: Any, options: Any) -> Any:
        if doc.data is not None and KILL_MARKER.encode() in doc.data and (always or not os.path.exists(flag)):
            with open(flag, "a") as f:
                f.write("killed\n")
            os._exit(1)
        return original(doc, options)

    return process


try:
    from distributed import WorkerPlugin
except ImportError:  # pragma: no cover
    WorkerPlugin = object  # type: ignore[misc,assignment]


class KillOnce(WorkerPlugin):  # type: ignore[misc]
    """Installed on every worker, restarted ones too: the marked document kills the first one to read it."""

    name = "tweetparse-kill-once"

    def __init__(self, flag: str, always: bool = False) -> None:
        self.flag, self.always = flag, always

    def setup(self, worker: Any) -> None:
        from tweetparse import batch

        self.original = batch.process
        batch.process = _kill_once(self.flag, self.always, self.original)  # type: ignore[assignment]

    def teardown(self, worker: Any) -> None:
        from tweetparse import batch

        batch.process = self.original  # type: ignore[assignment]


@pytest.fixture(params=[False], ids=["once"])
def killer(cluster: Any, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Path]:
    import cloudpickle

    # Workers unpickle the plugin by value: they need not import this test module.
    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    flag = tmp_path / "killed.flag"
    cluster.register_plugin(KillOnce(str(flag), always=request.param))
    try:
        yield flag
    finally:
        cluster.unregister_worker_plugin(KillOnce.name)
        cloudpickle.unregister_pickle_by_value(sys.modules[__name__])


@pytest.fixture(scope="module")
def marked(inputs: list[str], tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    folder = tmp_path_factory.mktemp("marked")
    (folder / "marked.html").write_text(article_html(11).replace("<title>", f"<title>{KILL_MARKER} "), "utf-8")
    return [inputs[0], str(folder / "marked.html"), inputs[1]]


# Without a time limit the Dask worker extracts in its own thread (patched by KillOnce), so the marked
# document kills the Dask worker itself; with one, a child process extracts for it (see test_bounds.py).
IN_THE_DASK_WORKER = ("--timeout", "0")


@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_a_killed_worker_loses_and_duplicates_nothing(marked: list[str], killer: Path, cluster: Any,
                                                      tmp_path: Path, fmt: str) -> None:
    _, expected, _ = cli("extract", "-q", "-j", "1", *marked)
    args = ["extract", "-q", "--engine", "dask", "--scheduler", cluster.scheduler.address, *IN_THE_DASK_WORKER,
            *marked]
    if fmt == "parquet":
        code, out, err = cli(*args, "--format", "parquet", "-o", str(tmp_path / "pq"))
        records = _parquet_records(tmp_path / "pq")
        assert not [p for p in (tmp_path / "pq").iterdir() if not p.name.startswith("part-")]  # no leftovers
    else:
        code, out, err = cli(*args)
        records = jsonl(out)
    assert killer.read_text() == "killed\n"  # the first attempt did die
    assert code == 0, err
    assert records == jsonl(expected)
    assert sum(r["source"]["article"].endswith("marked.html") for r in records) == 11 % 4


@pytest.mark.parametrize("killer", [True], ids=["always"], indirect=True)
def test_a_document_that_always_kills_its_worker_fails_alone(marked: list[str], killer: Path, cluster: Any,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from distributed import Client

    from tweetparse import distributed
    from tweetparse.batch import WORKER_DIED

    # Eight deaths and restarts: should a nanny fail to bring its worker back (a run once sat idle here
    # for 12 minutes), the documents fail after this long, well within the test's time limit.
    monkeypatch.setattr(distributed, "NO_WORKERS_S", 30.0)

    # 17 files on 2 worker threads: parts of 3 files (distributed.PARTITIONS_PER_THREAD), so the marked
    # page shares its part with two good ones.
    good = sorted(str(p) for p in Path(marked[0]).rglob("*.html"))[:16]
    _, expected, _ = cli("extract", "-q", "-j", "1", *good)
    code, out, err = cli("extract", "-q", "--engine", "dask", "--scheduler", cluster.scheduler.address,
                         *IN_THE_DASK_WORKER, marked[1], *good)
    with Client(cluster.scheduler.address, set_as_default=False) as check:
        allowed = check.run_on_scheduler(lambda dask_scheduler: dask_scheduler.allowed_failures)
    # The part dies on every worker it is given, then the marked page alone does again.
    assert killer.read_text().count("killed") == 2 * (allowed + 1)
    assert code == 1
    assert err == f"{marked[1]}: {WORKER_DIED}\n"
    assert jsonl(out) == jsonl(expected) and expected
