"""``designprep`` with no command: open the app.

Bank load problems are not printed: the app shows them (a notification and a screen
listing each file and error) while everything else works.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from designprep.cli.common import UserError, load

if TYPE_CHECKING:
    from designprep.bank import Bank
    from designprep.grading import Grader


def run_app(args: argparse.Namespace) -> int:
    if not sys.stdout.isatty():
        raise UserError(
            "the app needs a terminal (standard output is not one); "
            "use a command instead, e.g. 'designprep list' (see 'designprep --help')"
        )
    from designprep.history import HistoryError, HistoryStore

    bank = load(args, warn=False)  # --bank DIR and DESIGNPREP_BANK; problems go to the app
    try:
        store = HistoryStore.open()
    except HistoryError as exc:
        raise UserError(str(exc)) from None

    from designprep.prepared import grader_for
    from designprep.ui.app import DesignPrepApp

    def reload_bank() -> tuple[Bank, Grader]:  # the same folders, read again (ctrl+r)
        again = load(args, warn=False)
        return again, grader_for(again)

    app = DesignPrepApp(bank, grader_for(bank), store, reload_bank=reload_bank)
    with store:
        app.run()
    return app.return_code or 0  # Textual sets 1 if the app stopped on an error
