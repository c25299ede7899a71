"""Speed and memory of the Textual app, headless.

    python benchmarks/tui.py [--runs N]

1. Time to first paint of the browse screen against a bare Textual app that shows a
   DataTable of the same rows, each measured in fresh processes, alternating, in the same
   run. Both clocks start just before ``App.run()`` (imports, bank loading and store
   opening done) and stop when the screen has been refreshed with its rows. The process
   total (interpreter start, imports, bank load) is printed beside it. Target ratio <= 1.5.
2. With 1,000 prompts loaded, how long one filter keystroke takes to update the table:
   from the keystroke to the end of the table rebuild (synchronous) and to the next
   refresh of the screen. Target < 50 ms.
3. Resident memory of the real app after grading one answer (bundled bank, headless).
   Target < 200 MB.

Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

PROCESS_START = time.perf_counter()
SIZE = (120, 40)
QUERY = "design recommendation feed"
ANSWER = (
    "Patient data is PHI under HIPAA, so no run metadata may go to a SaaS tracker; that "
    "rules out the W&B cloud. I would self-host MLflow inside our own VPC on AWS, in "
    "private subnets, with the artifact store in an encrypted S3 bucket. Models move from "
    "experiment to production through the MLflow model registry, and only approved "
    "versions are promoted. We add SSO in front of MLflow and audit logs for the auditor."
)


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- children: each prints one JSON line ---------------------------------------------------------


def child_first_paint(kind: str) -> dict[str, float]:
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable

    from designprep.bank import load_bank
    from designprep.grading import Grader
    from designprep.history import HistoryStore
    from designprep.ui.app import DesignPrepApp
    from designprep.ui.screens.browse import BrowseScreen

    bank = load_bank()
    stamps: dict[str, float] = {}

    def painted(app: App[Any]) -> None:
        stamps["painted"] = time.perf_counter()
        app.exit()

    if kind == "app":
        store = HistoryStore.open()
        grader = Grader(bank)

        class TimedBrowse(BrowseScreen):
            def on_mount(self) -> None:  # runs with BrowseScreen.on_mount (Textual calls both)
                self.call_after_refresh(painted, self.app)

        class TimedApp(DesignPrepApp):
            MODES = {"browse": TimedBrowse}  # noqa: RUF012

        app: App[Any] = TimedApp(bank, grader, store)
    else:
        rows = [
            (p.title, p.category, p.difficulty, f"{p.time_limit_minutes} min", "–", "", "new")
            for p in sorted(bank.prompts.values(), key=lambda p: (p.category, p.title))
        ]

        class Bare(App[None]):
            def compose(self) -> ComposeResult:
                yield DataTable(cursor_type="row")

            def on_mount(self) -> None:
                table = self.query_one(DataTable)
                table.add_columns("Prompt", "Category", "Level", "Time", "Best", "Tries", "Due")
                for i, row in enumerate(rows):
                    table.add_row(*row, key=str(i))
                self.call_after_refresh(painted, self)

        app = Bare()
    ready = time.perf_counter()
    app.run(headless=True, size=SIZE)
    return {
        "run_to_paint_ms": (stamps["painted"] - ready) * 1000,
        "process_to_paint_ms": (stamps["painted"] - PROCESS_START) * 1000,
        "imports_and_load_ms": (ready - PROCESS_START) * 1000,
    }


def thousand_prompt_bank() -> Any:
    """The bundled bank, its prompts copied with new ids and titles up to 1,000."""
    from designprep.bank import Bank, load_bank

    base = load_bank()
    originals = sorted(base.prompts.values(), key=lambda p: p.id)
    words = ["regional", "global", "mobile", "offline", "streaming", "batch", "secure", "cheap"]
    prompts = {}
    for i in range(1000):
        p = originals[i % len(originals)]
        pid = f"{p.id}-{i}"
        title = f"{p.title} ({words[i % len(words)]} variant {i})"
        prompts[pid] = p.model_copy(update={"id": pid, "title": title})
    return Bank(prompts=prompts, rubrics=base.rubrics)


def child_filter() -> dict[str, Any]:
    import asyncio

    from textual.widgets import Input

    from designprep.grading import Grader
    from designprep.history import HistoryStore
    from designprep.ui.app import DesignPrepApp
    from designprep.ui.screens.browse import BrowseScreen

    bank = thousand_prompt_bank()
    sync_ms: list[float] = []
    paint_ms: list[float] = []
    rows: list[int] = []
    pending: dict[str, float] = {}
    keys_typed: list[str] = []

    class TimedBrowse(BrowseScreen):
        def refilter(self) -> None:
            start = time.perf_counter()
            super().refilter()
            if "key" in pending:
                sync_ms.append((time.perf_counter() - start) * 1000)
                rows.append(len(self._shown))
                self.call_after_refresh(self._painted)

        def _painted(self) -> None:
            if "key" in pending:
                paint_ms.append((time.perf_counter() - pending.pop("key")) * 1000)

    class TimedApp(DesignPrepApp):
        MODES = {"browse": TimedBrowse}  # noqa: RUF012

    async def main() -> None:
        with HistoryStore.open() as store:
            app = TimedApp(bank, Grader(bank), store, cursor_blink=False, warm_up=False)
            async with app.run_test(size=SIZE) as pilot:
                await pilot.press("slash")
                box = app.screen.query_one("#filter", Input)
                keys = [QUERY[: i + 1] for i in range(len(QUERY))]
                keys += [QUERY[:i] for i in range(len(QUERY) - 1, -1, -1)]  # then backspace it
                for value in keys:
                    keys_typed.append(value)
                    pending["key"] = time.perf_counter()
                    box.value = value
                    for _ in range(200):
                        await asyncio.sleep(0.002)
                        if "key" not in pending:
                            break
                    pending.clear()

    asyncio.run(main())
    if os.environ.get("TUI_BENCH_VERBOSE"):
        for value, a, b, n in zip(keys_typed, sync_ms, paint_ms, rows, strict=False):
            print(f"{value!r:28} {a:6.1f} {b:6.1f} {n:5}", file=sys.stderr)
    return {
        "prompts": len(bank.prompts),
        "keystrokes": len(sync_ms),
        "sync_median_ms": statistics.median(sync_ms),
        "sync_max_ms": max(sync_ms),
        "paint_median_ms": statistics.median(paint_ms),
        "paint_max_ms": max(paint_ms),
        "rows_min": min(rows),
        "rows_max": max(rows),
    }


def child_memory() -> dict[str, float]:
    import asyncio

    from textual.widgets import TextArea

    import designprep.ui.app as app_module
    from designprep.bank import load_bank
    from designprep.grading import Grader
    from designprep.history import HistoryStore
    from designprep.ui.app import DesignPrepApp
    from designprep.ui.screens.results import ResultsScreen

    bank = load_bank()
    out: dict[str, float] = {}
    shown: dict[str, float] = {}

    class TimedResults(ResultsScreen):
        def on_mount(self) -> None:  # runs with ResultsScreen.on_mount (Textual calls both)
            self.call_after_refresh(lambda: shown.setdefault("at", time.perf_counter()))

    app_module.ResultsScreen = TimedResults

    async def main() -> None:
        with HistoryStore.open() as store:
            app = DesignPrepApp(bank, Grader(bank), store, cursor_blink=False)
            async with app.run_test(size=SIZE) as pilot:
                out["rss_browse_mb"] = _rss_mb()
                warm_from = time.perf_counter()
                while not app.grader_warm.is_set():  # the background warm-up
                    await pilot.pause(0.05)
                out["warm_up_ms"] = (time.perf_counter() - warm_from) * 1000
                out["rss_warm_mb"] = _rss_mb()
                app.practise(bank.prompts["mlops-healthcare"])
                await pilot.pause()
                app.screen.query_one("#answer", TextArea).insert(ANSWER)
                started = time.perf_counter()
                await pilot.press("ctrl+s")
                await app.workers.wait_for_complete()
                await pilot.pause()
                out["submit_to_results_ms"] = (shown["at"] - started) * 1000
                assert isinstance(app.screen, ResultsScreen)
                out["score"] = app.screen.attempt.score
                out["rss_after_grading_mb"] = _rss_mb()

    asyncio.run(main())
    return out


# -- parent ---------------------------------------------------------------------------------------


def run_child(*args: str) -> dict[str, Any]:
    env = {**os.environ, "DESIGNPREP_HOME": tempfile.mkdtemp(prefix="dp-bench-")}
    env.pop("DESIGNPREP_BANK", None)
    proc = subprocess.run(
        [sys.executable, __file__, "--child", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    if proc.returncode != 0:
        raise SystemExit(f"child {args} failed:\n{proc.stderr[-3000:]}")
    data: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return data


def first_paint(runs: int) -> None:
    results: dict[str, list[dict[str, float]]] = {"bare": [], "app": []}
    for _ in range(runs):
        for kind in ("bare", "app"):  # alternate, so load on the machine hits both alike
            results[kind].append(run_child("paint", kind))

    def med(kind: str, key: str) -> float:
        return statistics.median(r[key] for r in results[kind])

    bare, app = med("bare", "run_to_paint_ms"), med("app", "run_to_paint_ms")
    print(f"1. Time to first paint, headless, {SIZE[0]}x{SIZE[1]}, median of {runs} runs each")
    print(f"   bare Textual app, DataTable of the same rows   {bare:7.0f} ms")
    print(f"   designprep browse screen                       {app:7.0f} ms")
    print(f"   ratio                                          {app / bare:7.2f}   (target <= 1.5)")
    print(
        "   from process start (imports, bank load):  bare "
        f"{med('bare', 'process_to_paint_ms'):.0f} ms, designprep "
        f"{med('app', 'process_to_paint_ms'):.0f} ms "
        f"(of which imports and bank load {med('app', 'imports_and_load_ms'):.0f} ms)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="fresh processes per app for (1)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        jobs: dict[str, Callable[[], Any]] = {
            "paint": lambda: child_first_paint(args.child[1]),
            "filter": child_filter,
            "memory": child_memory,
        }
        print(json.dumps(jobs[args.child[0]]()))
        return

    print(
        f"designprep TUI benchmark  {datetime.now(UTC):%Y-%m-%d %H:%M} UTC  {os.cpu_count()} CPUs"
    )
    first_paint(args.runs)
    f = run_child("filter")
    print(f"2. Filter keystroke with {f['prompts']:,} prompts ('{QUERY}' typed, then erased)")
    print(
        f"   table rebuilt       median {f['sync_median_ms']:5.1f} ms   "
        f"max {f['sync_max_ms']:5.1f} ms"
        f"   ({f['keystrokes']} keystrokes, {f['rows_min']}-{f['rows_max']} rows shown)"
    )
    print(
        f"   screen refreshed    median {f['paint_median_ms']:5.1f} ms   "
        f"max {f['paint_max_ms']:5.1f} ms"
        "   (target < 50 ms)"
    )
    m = run_child("memory")
    print("3. Resident memory (bundled bank, headless)")
    print(
        f"   (submit to results painted: {m['submit_to_results_ms']:.0f} ms, grading in a worker "
        "after the warm-up)"
    )
    print(f"   browse screen shown         {m['rss_browse_mb']:6.0f} MB")
    print(
        f"   after the grader warm-up    {m['rss_warm_mb']:6.0f} MB   "
        f"(warm-up done {m['warm_up_ms']:.0f} ms after the first paint)"
    )
    print(
        f"   after grading one answer    {m['rss_after_grading_mb']:6.0f} MB   (target < 200 MB; "
        f"score {m['score']:.0f})"
    )


if __name__ == "__main__":
    main()
