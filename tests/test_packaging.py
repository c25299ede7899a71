"""The bundled bank ships inside the wheel and is found from an installed package."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_carries_the_bank_and_finds_it_when_installed(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
    )
    wheel = next(tmp_path.glob("designprep-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    bundled_prompts = sorted(ROOT.glob("question_bank/*/*.yaml"))
    assert all(
        f"designprep/question_bank/{p.parent.name}/{p.name}" in names for p in bundled_prompts
    )
    assert "designprep/rubrics/interview-structure.yaml" in names

    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
    )
    code = (
        "import designprep, designprep.locations as l; from designprep.bank import load_bank; "
        "b = load_bank(); print(designprep.__file__); print(l.bundled_question_bank()); "
        "print(len(b.prompts), len(b.problems))"
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    out = subprocess.run(
        [sys.executable, "-c", code],
        check=True,
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    ).stdout.splitlines()
    assert out[0].startswith(str(target))
    assert out[1].startswith(str(target))
    assert out[2] == f"{len(bundled_prompts)} 0"


def test_checkout_finds_the_bank_at_the_project_root() -> None:
    from designprep import locations

    if (Path(locations.__file__).parent / "question_bank").is_dir():
        return  # running from an installed wheel: covered above
    assert locations.bundled_question_bank() == ROOT / "question_bank"
    assert locations.bundled_rubrics() == ROOT / "rubrics"
