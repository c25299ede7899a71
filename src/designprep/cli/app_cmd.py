"""``designprep`` with no command: open the app.

Bank load problems are not printed: the app shows them (a notification and a screen
listing each file and error) while everything else works.
"""

from __future__ import annotations

import argparse
import sys

from designprep import locations
from designprep.bank import load_bank
from designprep.cli.common import UserError


def run_app(args: argparse.Namespace) -> int:
    if not sys.stdout.isatty():
        raise UserError(
            "the app needs a terminal (standard output is not one); "
            "use a command instead, e.g. 'designprep list' (see 'designprep --help')"
        )
    from designprep.history import HistoryError, HistoryStore

    dirs = locations.extra_bank_dirs(getattr(args, "bank", []) + getattr(args, "bank_top", []))
    bank = load_bank(dirs)
    try:
        store = HistoryStore.open()
    except HistoryError as exc:
        raise UserError(str(exc)) from None

    from designprep.grading import Grader
    from designprep.ui.app import DesignPrepApp

    with store:
        DesignPrepApp(bank, Grader(bank), store).run()
    return 0
