"""The core (bank, grading, history) never imports the UI toolkit."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize("module", ["designprep.bank", "designprep.grading", "designprep.cli.main"])
def test_core_does_not_import_textual(module: str) -> None:
    code = (
        f"import sys, {module}; "
        "assert 'textual' not in sys.modules, sorted(m for m in sys.modules if 'textual' in m)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
