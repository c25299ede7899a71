"""Loading prompt and rubric files: what is accepted, and how problems are reported."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from designprep.bank import load_bank
from tests.conftest import TINY_BANK


def copy_tiny(tmp_path: Path) -> Path:
    dest = tmp_path / "bank"
    shutil.copytree(TINY_BANK, dest)
    return dest


def messages(bank) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(p) for p in bank.problems]


def test_bundled_bank_loads_without_problems() -> None:
    bank = load_bank()
    assert bank.problems == []
    assert len(bank.prompts) >= 6
    for prompt in bank.prompts.values():
        assert bank.rubrics_for(prompt)


def test_schema_error_names_file_line_and_field(tmp_path: Path) -> None:
    bank_dir = copy_tiny(tmp_path)
    rubric = bank_dir / "rubrics" / "url-short.yaml"
    text = rubric.read_text().replace("    penalty: 10", "    penalty: -3")
    rubric.write_text(text)
    bank = load_bank([bank_dir], include_bundled=False)
    line = text.splitlines().index("    penalty: -3") + 1
    assert any(
        m.endswith(f"url-short.yaml:{line}: red_flags[0].penalty: must be >= 0")
        for m in messages(bank)
    ), messages(bank)
    # The broken rubric is skipped, so is its prompt; the rest still loads.
    assert "url-short" not in bank.prompts
    assert "tracker-choice" in bank.prompts


def test_point_weight_must_be_positive(tmp_path: Path) -> None:
    bank_dir = copy_tiny(tmp_path)
    rubric = bank_dir / "rubrics" / "tracker-choice.yaml"
    rubric.write_text(rubric.read_text().replace("    weight: 3\n", "    weight: 0\n", 1))
    problems = messages(load_bank([bank_dir], include_bundled=False))
    assert any("points[0].weight: must be > 0" in m for m in problems), problems


def test_malformed_yaml_is_reported_and_skipped(tmp_path: Path) -> None:
    bank_dir = copy_tiny(tmp_path)
    (bank_dir / "systems" / "broken.yaml").write_text("id: broken\ntitle: [unclosed\nprompt: x\n")
    bank = load_bank([bank_dir], include_bundled=False)
    assert any("broken.yaml:" in m and "invalid YAML" in m for m in messages(bank))
    assert {"tracker-choice", "url-short"} <= set(bank.prompts)


def test_non_utf8_file_is_reported(tmp_path: Path) -> None:
    bank_dir = copy_tiny(tmp_path)
    (bank_dir / "systems" / "latin1.yaml").write_bytes("id: caf\xe9\n".encode("latin-1"))
    assert any(
        "latin1.yaml" in m and "not UTF-8" in m
        for m in messages(load_bank([bank_dir], include_bundled=False))
    )


def test_unknown_field_is_an_error(tmp_path: Path) -> None:
    bank_dir = copy_tiny(tmp_path)
    prompt = bank_dir / "systems" / "url-short.yaml"
    prompt.write_text(prompt.read_text() + "follow_up: [typo]\n")
    problems = messages(load_bank([bank_dir], include_bundled=False))
    assert any("url-short.yaml:" in m and "follow_up: unknown field" in m for m in problems), (
        problems
    )


def test_duplicate_id_names_both_files(tmp_path: Path) -> None:
    bank_dir = copy_tiny(tmp_path)
    other = tmp_path / "other"
    (other / "systems").mkdir(parents=True)
    shutil.copy(bank_dir / "systems" / "url-short.yaml", other / "systems" / "url-short.yaml")
    bank = load_bank([bank_dir, other], include_bundled=False)
    dup = [m for m in messages(bank) if "duplicate prompt id 'url-short'" in m]
    assert len(dup) == 1
    assert str(Path("other") / "systems" / "url-short.yaml") in dup[0]
    assert str(Path("bank") / "systems" / "url-short.yaml") in dup[0]


def test_unknown_rubric_is_an_error(tmp_path: Path) -> None:
    bank_dir = copy_tiny(tmp_path)
    prompt = bank_dir / "systems" / "url-short.yaml"
    prompt.write_text(
        prompt.read_text().replace("rubrics: [url-short]", "rubrics: [url-short, nope]")
    )
    bank = load_bank([bank_dir], include_bundled=False)
    assert any("rubrics[1]: unknown rubric id 'nope'" in m for m in messages(bank))
    assert "url-short" not in bank.prompts


def test_requires_any_must_name_a_concept(tmp_path: Path) -> None:
    bank_dir = copy_tiny(tmp_path)
    rubric = bank_dir / "rubrics" / "tracker-choice.yaml"
    rubric.write_text(
        rubric.read_text().replace("requires_any: [kubernetes]", "requires_any: [k9s]")
    )
    problems = messages(load_bank([bank_dir], include_bundled=False))
    assert any("points[3].requires_any[0]: unknown concept id 'k9s'" in m for m in problems), (
        problems
    )


def test_id_must_match_file_name_and_category_its_folder(tmp_path: Path) -> None:
    bank_dir = copy_tiny(tmp_path)
    (bank_dir / "systems" / "url-short.yaml").rename(bank_dir / "systems" / "short.yaml")
    shutil.move(
        bank_dir / "mlops" / "tracker-choice.yaml", bank_dir / "systems" / "tracker-choice.yaml"
    )
    problems = messages(load_bank([bank_dir], include_bundled=False))
    assert any("short.yaml" in m and "must match the file name 'short'" in m for m in problems)
    assert any("category: 'mlops' must match its folder 'systems'" in m for m in problems)


def test_extra_banks_from_option_and_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from designprep import locations

    monkeypatch.setenv(
        "DESIGNPREP_BANK", f"{tmp_path / 'a'}{__import__('os').pathsep}{tmp_path / 'b'}"
    )
    dirs = locations.extra_bank_dirs([str(tmp_path / "cli")])
    assert dirs == [tmp_path / "cli", tmp_path / "a", tmp_path / "b"]


def test_missing_bank_folder_is_reported(tmp_path: Path) -> None:
    bank = load_bank([tmp_path / "nowhere"], include_bundled=False)
    assert any("bank folder not found" in m for m in messages(bank))


def test_content_hash_changes_when_the_rubric_changes(tmp_path: Path) -> None:
    bank_dir = copy_tiny(tmp_path)
    before = load_bank([bank_dir], include_bundled=False)
    rubric = bank_dir / "rubrics" / "url-short.yaml"
    rubric.write_text(rubric.read_text().replace("penalty: 10", "penalty: 12"))
    after = load_bank([bank_dir], include_bundled=False)
    p1, p2 = before.prompt("url-short"), after.prompt("url-short")
    assert before.content_hash(p1) != after.content_hash(p2)


def test_unknown_prompt_suggests_the_closest(tmp_path: Path) -> None:
    from designprep.bank import UnknownPromptError

    bank = load_bank([TINY_BANK], include_bundled=False)
    with pytest.raises(UnknownPromptError, match="did you mean 'url-short'"):
        bank.prompt("url-shrt")
