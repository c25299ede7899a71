"""Shared fixtures: every test gets its own data dir, and a tiny bank to grade against."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from designprep.bank import Bank, load_bank
from designprep.grading import Grader

TINY_BANK = Path(__file__).parent / "data" / "tiny_bank"


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    home = tmp_path_factory.mktemp("designprep-home")
    monkeypatch.setenv("DESIGNPREP_HOME", str(home))
    # One bank cache for the session, as one user's runs share it; tests of the cache
    # itself point it elsewhere.
    monkeypatch.setenv("DESIGNPREP_CACHE", str(tmp_path_factory.getbasetemp() / "bank-cache"))
    monkeypatch.delenv("DESIGNPREP_BANK", raising=False)
    return home


@pytest.fixture(scope="session")
def bundled_bank() -> Bank:
    return load_bank()


@pytest.fixture(scope="session")
def bundled_grader(bundled_bank: Bank) -> Grader:
    return Grader(bundled_bank)


@pytest.fixture(scope="session")
def tiny_bank() -> Bank:
    bank = load_bank([TINY_BANK], include_bundled=False)
    assert not bank.problems, [str(p) for p in bank.problems]
    return bank


@pytest.fixture(scope="session")
def tiny_grader(tiny_bank: Bank) -> Grader:
    return Grader(tiny_bank)


def designprep_exe() -> str:
    """The installed console script, as a user would run it."""
    exe = shutil.which("designprep", path=str(Path(sys.executable).parent)) or shutil.which(
        "designprep"
    )
    assert exe, "the designprep console script is not installed"
    return exe


def run_cli(
    *args: str, input: str | bytes | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    data = input.encode() if isinstance(input, str) else input
    proc = subprocess.run(
        [designprep_exe(), *args],
        input=data,
        capture_output=True,
        env=full_env,
        timeout=120,
    )
    return subprocess.CompletedProcess(
        proc.args,
        proc.returncode,
        proc.stdout.decode("utf-8", "replace"),
        proc.stderr.decode("utf-8", "replace"),
    )
