"""Every path designprep reads or writes, in one place.

User data (history, drafts, settings) lives under the platform's user data dir, and the
bank cache under its user cache dir; ``DESIGNPREP_HOME`` overrides both (tests always set
it) and ``DESIGNPREP_CACHE`` the cache alone. The bundled question bank and
rubrics sit inside the installed package, or at the top of a source checkout.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "designprep"
HOME_ENV = "DESIGNPREP_HOME"
CACHE_ENV = "DESIGNPREP_CACHE"
BANK_ENV = "DESIGNPREP_BANK"

_PACKAGE_DIR = Path(__file__).resolve().parent


def data_dir() -> Path:
    """Where history, drafts and settings live (not created here)."""
    override = os.environ.get(HOME_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def cache_dir() -> Path:
    """Where derived data that can always be rebuilt lives (not created here)."""
    cache = os.environ.get(CACHE_ENV)
    if cache:
        return Path(cache).expanduser()
    override = os.environ.get(HOME_ENV)
    if override:
        return Path(override).expanduser() / "cache"
    from platformdirs import user_cache_path

    return user_cache_path(APP_NAME, appauthor=False)


def history_path() -> Path:
    return data_dir() / "history.sqlite3"


def settings_path() -> Path:
    return data_dir() / "settings.json"


def _bundled(name: str) -> Path:
    # An installed wheel carries the folder inside the package; a checkout
    # (editable install or plain source tree) keeps it at the project root.
    inside = _PACKAGE_DIR / name
    if inside.is_dir():
        return inside
    return _PACKAGE_DIR.parents[1] / name


def bundled_question_bank() -> Path:
    return _bundled("question_bank")


def bundled_rubrics() -> Path:
    return _bundled("rubrics")


def extra_bank_dirs(cli_dirs: list[str] | None = None) -> list[Path]:
    """User bank folders: every ``--bank DIR`` first, then ``DESIGNPREP_BANK``."""
    dirs = [Path(d).expanduser() for d in (cli_dirs or [])]
    env = os.environ.get(BANK_ENV, "")
    dirs += [Path(d).expanduser() for d in env.split(os.pathsep) if d.strip()]
    return dirs
