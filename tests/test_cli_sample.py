"""Authoring help (issue 12): when a sample misses its stated score, validate prints the
'designprep grade ID --sample N --no-save' command that shows why, and that command grades
the sample sentence by sentence without saving it."""

from __future__ import annotations

import json
import shlex
import shutil
from pathlib import Path

import pytest

from designprep.cli.main import main
from designprep.history import HistoryStore
from tests.conftest import TINY_BANK


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def off_bank(tmp_path: Path) -> Path:
    """The tiny bank with one sample's stated score far from what it grades (10 -> 60)."""
    folder = tmp_path / "my bank"  # a space: the printed command must quote it
    shutil.copytree(TINY_BANK, folder)
    prompt = folder / "mlops" / "tracker-choice.yaml"
    text = prompt.read_text()
    assert "  - score: 10\n" in text
    prompt.write_text(text.replace("  - score: 10\n", "  - score: 60\n"))
    return folder


def test_validate_prints_the_command_that_shows_why_and_it_works(
    capsys: pytest.CaptureFixture[str], off_bank: Path
) -> None:
    code, out, _ = cli(capsys, "validate", "--bank", str(off_bank))
    assert code == 0  # off its score is a warning unless --strict
    line = next(x for x in out.splitlines() if x.startswith("sample off:"))
    assert "samples[1]" in line and "stated 60" in line and "raised: phi-to-saas" in line
    command = line.split("see why: ", 1)[1]
    assert command == (
        f"designprep grade tracker-choice --sample 1 --no-save --bank {shlex.quote(str(off_bank))}"
    )

    words = shlex.split(command)
    assert words[0] == "designprep"
    code, out, err = cli(capsys, *words[1:])
    assert code == 0, err
    assert "Sends patient data to a third-party SaaS  [raised]" in out  # with its sentence
    assert "samples[1]: stated 60, graded 0 (-60)" in out
    with HistoryStore.open() as store:
        assert store.count_attempts() == 0  # --no-save

    code, out, _ = cli(capsys, "validate", "--bank", str(off_bank), "--json")
    sample = json.loads(out)["prompts"][0]["samples"][1]
    assert sample["command"] == command


def test_grade_sample_errors_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    bank = ["--bank", str(TINY_BANK)]
    code, _, err = cli(capsys, "grade", "tracker-choice", "--sample", "5", *bank)
    assert code == 1 and "has 2 graded sample(s), numbered from 0" in err
    with pytest.raises(SystemExit) as exit_:
        main(["grade", "tracker-choice", "--sample", "0", "--answer", "x", *bank])
    assert exit_.value.code == 1  # one answer source at a time
    capsys.readouterr()
    with pytest.raises(SystemExit):
        main(["grade", "--help"])
    assert "--sample N" in capsys.readouterr().out
