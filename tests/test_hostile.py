"""Hostile input: every regex in the package stays linear on adversarial megabytes, and ``extract()``
survives floods, binary, deep nesting, entity bombs, huge attributes and lines, and pathological markdown.

Each heavy case runs in a child process (this file is also the child's script) under a hard timeout:
a catastrophic regex or a quadratic stage then fails its test instead of hanging CI. The tests assert
results (no exception, a bounded answer, spans inside the input, bounded peak memory), never times;
the timeout is only the guard. The children run two at a time (CI has two cores).
"""
from __future__ import annotations

import ast
import importlib
import inspect
import json
import pkgutil
import random
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

import tweetparse

# Size of each adversarial regex subject: the 1 MB.
SUBJECT_CHARS = 1 << 20
# The hang guard: generous, so only a runaway stage reaches it, never a slow CI machine (the text
# module's patterns take about half a minute on an idle core).
HANG_TIMEOUT = 300.0
# Children at once: one per CI core.
PARALLEL = 2
# The first test to ask for a child waits for all the children queued before it (two at a time, each
# under HANG_TIMEOUT): the whole module's worth, far over pytest's per-test default.
pytestmark = pytest.mark.timeout(900)
# Peak memory a hostile document may add to the child's footprint after imports: a parsed tree is
# about ten times its bytes, and an entity bomb or a quadratic copy would be thousands of times.
BASE_RSS_MB = 100
RSS_PER_INPUT_BYTE = 16

THIS_FILE = Path(__file__).resolve()
SEPARATORS = " \t\n\r.,;:-_/\\>[]()@#&<\"'=?!|*"


# ---------------------------------------------------------------------------------------------------
# Every compiled regex of the package.


def _package_modules() -> Iterator[Any]:
    for info in pkgutil.walk_packages(tweetparse.__path__, tweetparse.__name__ + "."):
        yield importlib.import_module(info.name)


def _assigned_names(module: Any) -> set[str]:
    """Names a module assigns at top level (not the ones it imports)."""
    try:
        tree = ast.parse(inspect.getsource(module))
    except (OSError, TypeError):
        return set()
    return {target.id for node in tree.body if isinstance(node, (ast.Assign, ast.AnnAssign))
            for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
            if isinstance(target, ast.Name)}


def _attribute_patterns(module: Any) -> Iterator[tuple[str, re.Pattern[Any]]]:
    """Module-level patterns (where they are defined), the needles a module searches for, and class
    constants of the module's classes."""
    from tweetparse.search import NeedleSearch

    own = _assigned_names(module)
    for name, value in vars(module).items():
        if isinstance(value, re.Pattern) and name in own:
            yield name, value
        elif isinstance(value, NeedleSearch) and name in own:
            for index, needle in enumerate(value.needles):  # the patterns a search without Hyperscan runs
                yield f"{name}[{index}]", re.compile(needle.pattern)
        elif inspect.isclass(value) and value.__module__ == module.__name__:
            for attr, member in vars(value).items():
                if isinstance(member, re.Pattern):
                    yield f"{name}.{attr}", member


_RE_FUNCTIONS = frozenset({"compile", "search", "match", "fullmatch", "sub", "subn", "findall", "finditer", "split"})


def _inline_patterns(module: Any) -> Iterator[tuple[str, re.Pattern[Any]]]:
    """Patterns written inline in a function (``re.sub(r"\\s+", ...)``): re caches them, so they are
    no attribute, but they run on the same input and must be linear too."""
    try:
        tree = ast.parse(inspect.getsource(module))
    except (OSError, TypeError):
        return
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "re"
                and node.func.attr in _RE_FUNCTIONS and node.args):
            continue
        try:
            source = ast.literal_eval(node.args[0])
        except ValueError:
            continue  # built from constants: compiled at import, found as an attribute
        flags = 0
        for sub in [*node.args[1:], *(k.value for k in node.keywords)]:
            for leaf in ast.walk(sub):
                if isinstance(leaf, ast.Attribute) and isinstance(leaf.value, ast.Name) and leaf.value.id == "re":
                    flag = getattr(re, leaf.attr, None)
                    if isinstance(flag, re.RegexFlag):
                        flags |= flag
        if isinstance(source, (str, bytes)):
            yield f"line {node.lineno}", re.compile(source, flags)


def package_patterns() -> dict[str, list[tuple[str, re.Pattern[Any]]]]:
    """``{module name: [(where, pattern)]}`` for every module with a regex, each pattern once."""
    seen: set[tuple[Any, int]] = set()
    out: dict[str, list[tuple[str, re.Pattern[Any]]]] = {}
    for module in _package_modules():
        for where, pattern in [*_attribute_patterns(module), *_inline_patterns(module)]:
            key = (pattern.pattern, pattern.flags)
            if key not in seen:
                seen.add(key)
                out.setdefault(module.__name__, []).append((where, pattern))
    return out


# ---------------------------------------------------------------------------------------------------
# Adversarial subjects built from a pattern's own pieces.

# Characters standing for a character class's categories (\d, \w, \s and their negations).
_CATEGORY_CHARS = {"CATEGORY_DIGIT": "7", "CATEGORY_NOT_DIGIT": "x", "CATEGORY_WORD": "a", "CATEGORY_NOT_WORD": " ",
                   "CATEGORY_SPACE": " ", "CATEGORY_NOT_SPACE": "b"}


def _pieces(pattern: str) -> tuple[list[str], list[str]]:
    """The characters a pattern mentions (literals, class members, range ends) and its literal runs
    ("(@", "status/"): the material of the strings that make a backtracking engine work hardest."""
    from re import _parser as sre_parse  # the stdlib's own parser of the pattern syntax

    chars: dict[str, None] = {}
    words: dict[str, None] = {}

    def walk(items: Any) -> None:
        run = ""
        for op, arg in items:
            name = str(op)
            if name == "LITERAL":
                chars[chr(arg)] = None
                run += chr(arg)
                continue
            if len(run) > 1:
                words[run] = None
            run = ""
            if name == "NOT_LITERAL":
                chars[chr(arg)] = None
            elif name == "IN":
                for sub_op, sub_arg in arg:
                    sub = str(sub_op)
                    if sub == "LITERAL":
                        chars[chr(sub_arg)] = None
                    elif sub == "RANGE":
                        chars[chr(sub_arg[0])] = None
                        chars[chr(sub_arg[1])] = None
                    elif sub == "CATEGORY":
                        chars[_CATEGORY_CHARS.get(str(sub_arg), "a")] = None
            elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
                walk(arg[2])
            elif name in ("SUBPATTERN", "ATOMIC_GROUP"):
                walk(arg[-1])
            elif name == "BRANCH":
                for branch in arg[1]:
                    walk(branch)
            elif name in ("ASSERT", "ASSERT_NOT"):
                walk(arg[1])
            elif name == "GROUPREF_EXISTS":
                walk(arg[1])
                if arg[2] is not None:
                    walk(arg[2])
        if len(run) > 1:
            words[run] = None

    walk(sre_parse.parse(pattern))
    return list(chars), list(words)


def _fill(unit: str, size: int) -> str:
    return (unit * (size // max(len(unit), 1) + 1))[:size]


# At most this many single-character floods and literal-run floods per pattern: the rest of a large
# class adds time and no new shape.
MAX_CHAR_FLOODS = 4
MAX_WORD_FLOODS = 2
# A pattern with more literal runs than this is a keyword list (the month names of 20 languages):
# every subject costs it the same per character, so two floods show all there is to see.
KEYWORD_LIST_WORDS = 30


def adversarial_subjects(pattern: str, size: int = SUBJECT_CHARS) -> Iterator[tuple[str, str]]:
    """``(label, subject)`` pairs of ``size`` characters: floods of each character and literal run,
    runs glued to the characters the pattern needs next, and seeded random mixes."""
    chars, words = _pieces(pattern)
    rng = random.Random(pattern)
    keyword_list = len(words) > KEYWORD_LIST_WORDS
    for c in chars[:1 if keyword_list else MAX_CHAR_FLOODS]:
        yield f"flood {c!r}", _fill(c, size)
    for w in words[:1 if keyword_list else MAX_WORD_FLOODS]:
        yield f"flood {w!r}", _fill(w, size)
        if keyword_list:
            break
        # A near miss: the run, then a long stretch of word characters a quantifier eats, no closer.
        yield f"near {w!r}", _fill(w + "a" * 40 + " ", size)
    alphabet = "".join(dict.fromkeys("".join(chars) + "".join(words) + SEPARATORS + "a7"))
    yield "mix", "".join(rng.choices(alphabet, k=size))
    if keyword_list:
        return
    # Every character the pattern mentions, in order, over and over: an almost-match at every offset.
    yield "cycle", _fill("".join(chars) + "".join(words), size)


def _check_pattern(pattern: re.Pattern[Any]) -> tuple[int, list[str]]:
    """Run a pattern over its adversarial subjects; (subjects run, problems found)."""
    problems = []
    runs = 0
    as_bytes = isinstance(pattern.pattern, bytes)
    source = pattern.pattern.decode("latin-1") if as_bytes else pattern.pattern
    for label, text in adversarial_subjects(source):
        subject: Any = text.encode("utf-8") if as_bytes else text
        n = len(subject)
        count = 0
        last_end = 0
        first = None
        for m in pattern.finditer(subject):
            first = first or m
            count += 1
            if not (last_end <= m.start() <= m.end() <= n):
                problems.append(f"{label}: match span {m.span()} outside the subject or out of order")
                break
            last_end = m.end()
        if count > n + 1:
            problems.append(f"{label}: {count} matches in {n} characters")
        # search() where it stops early: without a match it would only repeat finditer's scan.
        if first is not None and (found := pattern.search(subject)) is not None and found.span() != first.span():
            problems.append(f"{label}: search and finditer disagree")
        runs += 1
    return runs, problems


# Patterns that backtrack super-linearly in search mode, in modules this file's author does not own:
# (module, constant name, or the source of an inline pattern) -> (the subject that shows it, why it
# matters). A fixed pattern passes its check and a removed one is not found: either turns XPASS.
KNOWN_SUPERLINEAR: dict[tuple[str, str], tuple[str, str]] = {
}


def _source(pattern: re.Pattern[Any]) -> str:
    return pattern.pattern.decode("latin-1") if isinstance(pattern.pattern, bytes) else pattern.pattern


def _known_key(module: str, where: str, pattern: re.Pattern[Any]) -> tuple[str, str] | None:
    for key in ((module, where), (module, _source(pattern))):
        if key in KNOWN_SUPERLINEAR:
            return key
    return None


def _regex_child(module_name: str) -> None:
    """Child process: check the patterns of a module, print one JSON line per pattern."""
    for where, pattern in package_patterns().get(module_name, []):
        if _known_key(module_name, where, pattern):
            continue  # checked by test_known_superlinear_regex, under its own guard
        print(json.dumps({"start": where}), flush=True)  # the last line names the culprit of a hang
        runs, problems = _check_pattern(pattern)
        print(json.dumps({"where": where, "runs": runs, "problems": problems}), flush=True)


def _known_child(module_name: str, index: str) -> None:
    """Child process: run one known-superlinear pattern on the subject that shows it."""
    key = list(KNOWN_SUPERLINEAR)[int(index)]
    found = [p for where, p in package_patterns().get(module_name, []) if _known_key(module_name, where, p) == key]
    if not found:
        print(json.dumps({"missing": True}))
        return
    label = KNOWN_SUPERLINEAR[key][0]
    subject: Any = dict(adversarial_subjects(_source(found[0]))).get(label)
    if subject is None:
        print(json.dumps({"changed": True}))  # the pattern no longer has the piece that showed the bug
        return
    if isinstance(found[0].pattern, bytes):
        subject = subject.encode("utf-8")
    print(json.dumps({"matches": sum(1 for _ in found[0].finditer(subject))}))


# ---------------------------------------------------------------------------------------------------
# Hostile documents for extract().

M = 1_000_000
_STATUS = "https://twitter.com/jane/status/816996473455656960"
_EMBED = ('<blockquote class="twitter-tweet"><p lang="en">Snow! #cold</p>&mdash; Jane (@jane) '
          f'<a href="{_STATUS}">January 5, 2017</a></blockquote>')
_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(f' <!ENTITY lol{i} "{(f"&lol{i - 1};" if i > 1 else "&lol;") * 10}">\n' for i in range(1, 10))
    + ' <!ENTITY xxe SYSTEM "http://127.0.0.1:9/secret">\n]>\n'
    '<html><body><p>twitter &lol9; &xxe;</p>' + _EMBED + '<p title="&lol9;">x</p></body></html>'
)


def _status_links_text(n: int) -> str:
    return "".join(f"— Jane (@jane) https://twitter.com/jane/status/{816996473455656960 + i}\n" for i in range(n))


# name -> (document builder, extract() keyword arguments, largest acceptable number of records).
# Sizes are the where a run costs a few seconds; bench/bench_hostile.py runs the full sizes.
HOSTILE: dict[str, tuple[Callable[[], bytes | str], dict[str, Any], int]] = {
    "nul-flood": (lambda: b"\x00" * (10 * M), {}, 0),
    "nul-flood-str": (lambda: "\x00" * M + "(@a) twitter" + "\x00" * M, {}, 0),
    "random-binary": (lambda: random.Random(7).randbytes(10 * M), {}, 0),
    "random-binary-as-html": (lambda: random.Random(8).randbytes(2 * M), {"kind": "html"}, 0),
    "deep-nesting-200k": (lambda: "<html><body>" + "<div>" * 200_000 + "twitter (@a)" + "</div>" * 200_000, {}, 0),
    "paren-at-1m-text": (lambda: "(@" * M, {}, 0),
    "paren-at-handle-1m-text": (lambda: "(@a) " * M, {}, 0),
    "paren-at-1m-html": (lambda: "<html><body><p>" + "(@" * M + "</p></body></html>", {}, 0),
    "billion-laughs": (lambda: _LAUGHS, {}, 1),
    "billion-laughs-bytes": (lambda: _LAUGHS.encode(), {}, 1),
    "huge-attribute": (lambda: '<html><body><div class="twitter-tweet" data-tweet-id="' + "1" * (12 * M)
                       + '" title="' + "(@a) " * M + '">x</div>' + _EMBED + "</body></html>", {}, 2),
    "line-10mb-text": (lambda: "— Jane (@jane) January 5, 2017 " + "word " * (2 * M), {}, 1),
    "line-10mb-html": (lambda: "<html><body><p>— Jane (@jane) " + "word " * (2 * M) + "</p></body></html>", {}, 0),
    "nested-blockquotes": (lambda: "<html><body>" + '<blockquote class="twitter-tweet"><p>x</p>' * 100_000
                           + _EMBED + "</blockquote>" * 100_000 + "</body></html>", {}, 300),
    "status-links-text": (lambda: _status_links_text(100_000), {}, 100_000),
    "status-links-bare-1m": (lambda: "(@a) " + f"{_STATUS} " * M, {}, 1),
    "status-links-html": (lambda: "<html><body>" + f'<p><a href="{_STATUS}">January 5, 2017</a> (@jane)</p>' * 30_000
                          + "</body></html>", {}, 30_000),
    "markdown-open-brackets": (lambda: "— Jane (@jane) January 5, 2017\n" + "[" * M, {}, 1),
    "markdown-link-closers": (lambda: "](" * M + "\n— Jane (@jane) January 5, 2017", {}, 1),
    "markdown-quote-flood": (lambda: "> [" * M + "\n> — Jane (@jane) [January 5, 2017](" + _STATUS + ")", {}, 1),
    "attribution-flood": (lambda: "Snow again #cold\n— Jane (@jane) January 5, 2017\n" * 20_000, {}, 20_000),
    "timeline-header-flood": (lambda: "Jane @jane 5h\n" * 50_000, {"reference_time": "2017-01-05T12:00Z"}, 50_000),
    "x-timeline-flood": (lambda: "Jane Doe\n@jane\n·\n5h\nSnow on the bridge\n12\n" * 40_000,
                         {"reference_time": "2017-01-05T12:00Z"}, 40_000),
    "count-lines-after-header": (lambda: "Jane @jane 5h\nSnow\n" + "12\n" * 500_000, {}, 1),
    "blank-line-and-at": (lambda: "@jane\n" + " " * 100_000 + "\n", {}, 0),
    "blank-run-before-attribution": (lambda: ("\n" + " " * 3000 + "Jane (@jane) January 5, 2017") * 300, {}, 300),
    "sibling-embeds": (lambda: "<html><body>" + "".join(_EMBED.replace("816996473455656960", str(816996473455656960 + i))
                                                         for i in range(30_000)) + "</body></html>", {}, 30_000),
    "dash-run-in-blockquote": (lambda: '<html><body><blockquote class="twitter-tweet">' + "— " * 100_000
                               + f'<a href="{_STATUS}">January 5, 2017</a></blockquote></body></html>', {}, 1),
    "at-words-html": (lambda: "<html><body><p>" + ("@" + "a" * 60 + " ") * 100_000 + "</p></body></html>", {}, 0),
}
# Known bugs in modules others own, strict: the fix turns them into XPASS failures asking to drop the mark.
HOSTILE_XFAIL: dict[str, str] = {
}
# The guard of a known-quadratic document: sized so the fixed code takes a few seconds and the bug minutes.
XFAIL_DOCUMENT_GUARD = 8.0


def _spans_ok(tweets: list[Any], n: int) -> list[str]:
    problems = []
    for t in tweets:
        start, end = t.source.start, t.source.end
        if start is not None and not (0 <= start <= (end if end is not None else start) <= n):
            problems.append(f"span {start}..{end} outside 0..{n}")
    return problems


def _document_child(name: str) -> None:
    """Child process: extract() one hostile document, print what came back and the peak memory."""
    import resource

    build, options, _ = HOSTILE[name]
    before_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    document = build()
    tweets = tweetparse.extract(document, errors="strict", **options)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    print(json.dumps({"records": len(tweets), "size": len(document), "peak_mb": peak_mb - before_mb,
                      "problems": _spans_ok(tweets, len(document) if isinstance(document, str) else 0)}))


# ---------------------------------------------------------------------------------------------------
# Running children two at a time.


# The guard of a known-superlinear pattern: a linear regex takes well under a second on its 1 MB, a
# quadratic one hours; a short guard keeps the expected failures cheap.
KNOWN_GUARD = 2.0


def _run_child(*args: str) -> subprocess.CompletedProcess[str]:
    timeout = KNOWN_GUARD if args[0] == "known" else HANG_TIMEOUT
    if args[0] == "document" and args[1] in HOSTILE_XFAIL:
        timeout = XFAIL_DOCUMENT_GUARD
    try:
        return subprocess.run([sys.executable, str(THIS_FILE), *args], capture_output=True, text=True,
                              timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        return subprocess.CompletedProcess(exc.cmd, -9, out, f"hung: killed after {timeout:.0f} s")


def _job_of(item: Any) -> tuple[str, ...] | None:
    """The child a selected test waits for."""
    params = getattr(getattr(item, "callspec", None), "params", {})
    if "name" in params:
        return ("document", params["name"])
    if "group" in params:
        return ("regex", params["group"])
    if isinstance(params.get("index"), int):  # not the placeholder of an empty KNOWN_SUPERLINEAR
        return ("known", list(KNOWN_SUPERLINEAR)[params["index"]][0], str(params["index"]))
    return None


@pytest.fixture(scope="module")
def children(request: pytest.FixtureRequest) -> Iterator[Callable[..., subprocess.CompletedProcess[str]]]:
    """Submits the children of every selected test at once on first use; each test waits for its own."""
    pool = ThreadPoolExecutor(max_workers=PARALLEL)
    futures: dict[tuple[str, ...], Future[subprocess.CompletedProcess[str]]] = {}
    jobs = [job for item in request.session.items if item.path == THIS_FILE and (job := _job_of(item))]
    for job in sorted(dict.fromkeys(jobs), key=lambda job: job[0] != "document"):  # the big documents first
        futures[job] = pool.submit(_run_child, *job)

    def result(*job: str) -> subprocess.CompletedProcess[str]:
        if job not in futures:
            futures[job] = pool.submit(_run_child, *job)
        return futures[job].result()

    yield result
    pool.shutdown(cancel_futures=True)


# One child per module with patterns (each child imports the package): slow, but far from its guard.
REGEX_GROUPS = sorted(package_patterns())


def test_patterns_are_collected() -> None:
    patterns = package_patterns()
    names = {f"{module}:{where}" for module, found in patterns.items() for where, _ in found}
    # One known constant of each kind: a module constant, a class constant, a bytes pattern, an inline one.
    from tweetparse.urls import STATUS_URL

    # Collected once, under whichever name reaches it first (it has aliases).
    assert any(pattern is STATUS_URL for found in patterns.values() for _, pattern in found)
    assert "tweetparse.shapes:AUTHOR_TEXT" in names
    assert "tweetparse.text:AttributionLines.LINK_OPEN" in names
    assert "tweetparse.html:_SEARCH[0]" in names
    assert "tweetparse.loader:_DECLARED" in names
    assert any(module == "tweetparse.text" and where.startswith("line ") for module, found in patterns.items()
               for where, _ in found)
    assert sum(len(found) for found in patterns.values()) >= 60


def test_adversarial_subjects_use_the_patterns_pieces() -> None:
    labels = dict(adversarial_subjects(r"\(@([A-Za-z0-9_]{1,15})\)", size=64))
    assert labels["flood '(@'"] == "(@" * 32
    assert "flood '('" in labels and "flood 'Z'" in labels
    assert all(len(s) == 64 for s in labels.values())


@pytest.mark.parametrize("as_bytes", [False, True])
def test_a_tweet_after_a_huge_text_node_or_deep_nesting_is_found(as_bytes: bool) -> None:
    # Without huge_tree libxml2 stops at a text node over 10 MB or nesting over 256 and drops the rest.
    script = "<script>var state = '" + "x" * (12 * M) + "';</script>"
    for filler in (script, "<div>" * 300):
        page = f"<!DOCTYPE html><html><body>{filler}{_EMBED}</body></html>"
        tweets = tweetparse.extract(page.encode() if as_bytes else page)
        assert [(t.handle, t.id) for t in tweets] == [("jane", "816996473455656960")]


def test_entities_are_never_expanded_and_nothing_is_fetched() -> None:
    from tweetparse.loader import load

    for source in (_LAUGHS, _LAUGHS.encode()):
        root = load(source, "auto").root
        text = "".join(root.itertext())
        assert "lollol" not in text and len(text) < len(_LAUGHS)  # &lol9; is left as written
        assert [t.id for t in tweetparse.extract(source)] == ["816996473455656960"]


@pytest.mark.slow
@pytest.mark.parametrize("group", REGEX_GROUPS)
def test_regexes_are_linear_on_adversarial_megabytes(group: str, children: Any) -> None:
    proc = children("regex", group)
    lines = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0:
        running = lines[-1].get("start") if lines and "start" in lines[-1] else "?"
        pytest.fail(f"{group}: {proc.stderr.strip()[-2000:]} (while running {running})")
    done = [line for line in lines if "where" in line]
    assert done and all(line["runs"] > 0 for line in done)
    assert [f"{line['where']}: {p}" for line in done for p in line["problems"]] == []


@pytest.mark.parametrize(
    "index",
    [pytest.param(i, id=f"{module}:{reason.split(':')[0]}", marks=pytest.mark.xfail(strict=True, reason=reason))
     for i, ((module, _), (_, reason)) in enumerate(KNOWN_SUPERLINEAR.items())],
)
def test_known_superlinear_regex(index: int, children: Any) -> None:
    """Fails while the pattern backtracks; passes (strict XPASS) once it is fixed or gone."""
    module = list(KNOWN_SUPERLINEAR)[index][0]
    proc = children("known", module, str(index))
    assert proc.returncode == 0, proc.stderr.strip()[-500:]


@pytest.mark.slow
@pytest.mark.parametrize(
    "name",
    [pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=HOSTILE_XFAIL[name]))
     if name in HOSTILE_XFAIL else name for name in HOSTILE],
)
def test_hostile_document(name: str, children: Any) -> None:
    proc = children("document", name)
    assert proc.returncode == 0, f"{name}: {proc.stderr.strip()[-2000:]}"
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    _, _, most = HOSTILE[name]
    assert report["records"] <= most
    assert report["problems"] == []
    assert report["peak_mb"] <= BASE_RSS_MB + RSS_PER_INPUT_BYTE * report["size"] / 1e6


if __name__ == "__main__":  # the child process
    if sys.argv[1] == "regex":
        _regex_child(sys.argv[2])
    elif sys.argv[1] == "known":
        _known_child(sys.argv[2], sys.argv[3])
    else:
        _document_child(sys.argv[2])
