#!/usr/bin/env python3
"""Start-up time of the ``tweetparse`` command against ``python -c "import lxml.html"``.

    python bench/bench_startup.py [--runs 20]

Each command runs --runs times, the commands taking turns so that a slow spell of the machine
falls on all of them alike. The table gives the median wall time of a run and the median CPU time
(user + sys) of the child, read from getrusage(RUSAGE_CHILDREN) before and after it, each also as
a ratio to the lxml import. The issue's target is ``tweetparse --help`` within 1.2x of it.

The console script is taken from the interpreter's own bin folder, not from PATH: a version
manager's shim there (pyenv's is a bash script that runs pyenv) would be timed with it.
``python -c pass`` and ``import click`` are there as floors: no CLI on click starts faster.

The children read and write byte code in a temporary folder (PYTHONPYCACHEPREFIX), even where
PYTHONDONTWRITEBYTECODE is set: an installed package has its .pyc files, and without them the
project's own modules would be compiled from source on every run. ``--no-site`` runs each child
with ``python -S`` and the site-packages and this project on PYTHONPATH, so that the .pth hooks of
one machine (an editable install's finder, a hook that imports certifi) are left out of both sides.
"""
from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

BASELINE = "import lxml.html"
ROOT = Path(__file__).resolve().parent.parent


def console_script(name: str) -> str | None:
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else shutil.which(name)


def commands(no_site: bool) -> dict[str, list[str]]:
    py = [sys.executable, "-S"] if no_site else [sys.executable]
    found = {
        f'python -c "{BASELINE}"': [*py, "-c", BASELINE],
        'python -c "pass"': [*py, "-c", "pass"],
        'python -c "import click"': [*py, "-c", "import click"],
    }
    script = console_script("tweetparse")
    if script is not None:
        # Under -S the script is handed to the interpreter, which its #! line would have run.
        found["tweetparse --help"] = [*py, script, "--help"] if no_site else [script, "--help"]
    found["python -m tweetparse.cli --help"] = [*py, "-m", "tweetparse.cli", "--help"]
    return found


def child_env(pycache: str, no_site: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = pycache
    if no_site:
        env["PYTHONPATH"] = os.pathsep.join([sysconfig.get_path("purelib"), str(ROOT)])
    return env


def timed_run(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall time and the child's user + sys CPU time of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=env)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--no-site", action="store_true", help="python -S, site-packages on PYTHONPATH")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pycache-") as pycache:
        return report(commands(args.no_site), child_env(pycache, args.no_site), args.runs, args.no_site)


def report(runs: dict[str, list[str]], env: dict[str, str], count: int, no_site: bool) -> int:
    for argv in runs.values():  # warm the OS file cache and write the .pyc files before timing
        timed_run(argv, env)
    walls: dict[str, list[float]] = {name: [] for name in runs}
    cpus: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(count):
        for name, argv in runs.items():
            wall, cpu = timed_run(argv, env)
            walls[name].append(wall)
            cpus[name].append(cpu)
    wall = {name: statistics.median(v) for name, v in walls.items()}
    cpu = {name: statistics.median(v) for name, v in cpus.items()}
    base = f'python -c "{BASELINE}"'
    print(f"median of {count} runs each; Python {platform.python_version()}, "
          f"click {version('click')}; {sys.executable}{' -S' if no_site else ''}")
    print("| command | wall | ratio | CPU (user+sys) | ratio |")
    print("|---|---|---|---|---|")
    for name in runs:
        print(f"| `{name}` | {wall[name] * 1000:.1f} ms | {wall[name] / wall[base]:.2f}x "
              f"| {cpu[name] * 1000:.1f} ms | {cpu[name] / cpu[base]:.2f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
