"""The house style's static checks, run with the tests so that CI holds every change to them:
ruff over the code, tests and benchmarks, mypy over the package (both from the ``lint`` extra)."""
from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.timeout(660)  # the subprocess' own limit, and a cold mypy cache takes minutes on a busy machine
@pytest.mark.parametrize(
    ("module", "arguments"),
    [("ruff", ["check", "tweetparse", "tests", "bench"]), ("mypy", ["tweetparse"])],
)
def test_static_check_passes(module: str, arguments: list[str]) -> None:
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed (pip install -e '.[lint]')")
    run = subprocess.run([sys.executable, "-m", module, *arguments], check=False, cwd=ROOT, capture_output=True,
                         text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
