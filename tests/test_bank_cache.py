"""The bank cache: the same bank and grades as loading the files, rebuilt whenever it must be."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from designprep import prepared
from designprep.bank import loader

from .conftest import TINY_BANK, run_cli

ANSWER = "We return a 302 redirect so every click reaches us, and Redis caches popular links."


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("DESIGNPREP_CACHE", str(folder))
    monkeypatch.delenv(prepared.NO_CACHE_ENV, raising=False)
    return folder


@pytest.fixture
def bank_dir(tmp_path: Path) -> Path:
    return Path(shutil.copytree(TINY_BANK, tmp_path / "bank"))


def _load(bank_dir: Path) -> loader.Bank:
    return prepared.load([bank_dir], include_bundled=False)


def _count_loads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    real = prepared.load_bank

    def counting(*args: object, **kwargs: object) -> loader.Bank:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(prepared, "load_bank", counting)
    return calls


def test_second_load_comes_from_the_cache_and_grades_the_same(
    cache: Path, bank_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _count_loads(monkeypatch)
    first = _load(bank_dir)
    second = _load(bank_dir)
    assert len(calls) == 1, "the second load should not parse the files again"
    assert second is not first and second.prompts == first.prompts
    fresh = loader.load_bank([bank_dir], include_bundled=False)
    graded = prepared.grader_for(second).grade("url-short", ANSWER)
    assert graded == prepared.Grader(fresh).grade("url-short", ANSWER)
    files = list(cache.glob("bank-*.pickle"))
    assert len(files) == 1
    if hasattr(os, "getuid"):
        assert files[0].stat().st_mode & 0o777 == 0o600
        assert cache.stat().st_mode & 0o777 == 0o700


def test_an_edited_bank_file_is_read_again(
    cache: Path, bank_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _count_loads(monkeypatch)
    _load(bank_dir)
    prompt_file = bank_dir / "systems" / "url-short.yaml"
    text = prompt_file.read_text().replace("title:", "title: Edited -", 1)
    time.sleep(0.01)
    prompt_file.write_text(text)
    bank = _load(bank_dir)
    assert len(calls) == 2
    assert bank.prompts["url-short"].title.startswith("Edited -")


def test_a_new_file_in_a_bank_folder_is_seen(
    cache: Path, bank_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _count_loads(monkeypatch)
    _load(bank_dir)
    (bank_dir / "systems" / "broken.yaml").write_text("id: [unclosed\n")
    bank = _load(bank_dir)
    assert len(calls) == 2
    assert any("broken.yaml" in str(p) for p in bank.problems)


@pytest.mark.parametrize("damage", ["checksum", "truncated", "garbage"])
def test_a_damaged_cache_file_is_ignored_and_replaced(
    cache: Path, bank_dir: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    _load(bank_dir)
    (path,) = cache.glob("bank-*.pickle")
    blob = path.read_bytes()
    if damage == "checksum":
        blob = blob[:-1] + bytes([blob[-1] ^ 1])
    elif damage == "truncated":
        blob = blob[: len(blob) // 2]
    else:
        blob = b"not a cache at all"
    path.write_bytes(blob)
    calls = _count_loads(monkeypatch)
    bank = _load(bank_dir)
    assert len(calls) == 1 and "url-short" in bank.prompts
    assert path.read_bytes() != blob  # rewritten


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_a_cache_file_others_can_write_is_never_loaded(
    cache: Path, bank_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _load(bank_dir)
    (path,) = cache.glob("bank-*.pickle")
    path.chmod(0o666)
    calls = _count_loads(monkeypatch)
    _load(bank_dir)
    assert len(calls) == 1


def test_no_cache_folder_still_works(
    tmp_path: Path, bank_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("DESIGNPREP_CACHE", str(blocker / "cache"))
    bank = _load(bank_dir)
    assert "url-short" in bank.prompts


def test_the_cache_can_be_turned_off(
    cache: Path, bank_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(prepared.NO_CACHE_ENV, "1")
    _load(bank_dir)
    assert not cache.exists()


def test_the_console_script_grades_the_same_from_the_cache(cache: Path, bank_dir: Path) -> None:
    args = (
        "grade",
        "url-short",
        "--answer",
        ANSWER,
        "--no-save",
        "--json",
        "--bank",
        str(bank_dir),
    )
    first = run_cli(*args)
    assert first.returncode == 0, first.stderr
    assert list(cache.glob("bank-*.pickle"))
    second = run_cli(*args)
    assert second.stdout == first.stdout
    uncached = run_cli(*args, env={prepared.NO_CACHE_ENV: "1"})
    assert uncached.stdout == first.stdout
