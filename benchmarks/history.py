"""History store benchmark: fill a store with 100,000 attempts over 200 prompts, then time
what the commands do. Prints figures; asserts nothing (timings depend on the machine).

    python benchmarks/history.py [--attempts 100000] [--prompts 200] [--keep DIR]

Attempts are realistic in size: ~1,500-character answers and ~9 KB grading results (12
reasoning points, 10 concepts and 3 red flags, each with quoted evidence), like a real
grading. The bulk of the store is filled through ``import_attempts`` (one transaction per
batch); the per-attempt rate is then measured with ``save_attempt`` (one transaction
each, as ``designprep grade`` and the app save) on the full store.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from designprep.bank import Bank, Prompt
from designprep.grading import (
    GRADER_VERSION,
    Breakdown,
    Component,
    ConceptResult,
    Evidence,
    GradeResult,
    PointResult,
    RedFlagResult,
    verdict_for,
)
from designprep.history import Attempt, HistoryStore

CATEGORIES = ("mlops", "system-design", "ml-system-design", "data", "infra", "llm", "storage", "ml")
SENTENCE = (
    "We keep the tracking server inside our own network because patient data may not leave it, "
    "and we accept running it ourselves as the price of that guarantee. "
)
START = datetime(2024, 1, 1, tzinfo=UTC)


def make_bank(n_prompts: int) -> Bank:
    bank = Bank()
    for i in range(n_prompts):
        prompt = Prompt.model_construct(
            id=f"prompt-{i:03d}",
            title=f"Design system number {i}",
            category=CATEGORIES[i % len(CATEGORIES)],
            difficulty=("easy", "medium", "hard")[i % 3],
            rubrics=[f"prompt-{i:03d}"],
        )
        bank.prompts[prompt.id] = prompt
    return bank


def make_result(rng: random.Random, prompt_id: str, score: int) -> GradeResult:
    def evidence() -> Evidence:
        start = rng.randrange(0, 1200)
        return Evidence(text=SENTENCE.strip(), start=start, end=start + len(SENTENCE))

    statuses = ("covered", "partial", "missed")
    points = tuple(
        PointResult(
            id=f"point-{k}",
            text=f"States reasoning point {k} about the trade-off and why it matters here",
            rubric=prompt_id if k < 8 else "interview-structure",
            weight=2.0,
            status=(status := rng.choice(statuses)),
            similarity=round(rng.random(), 3),
            credit=1.0 if status == "covered" else 0.5 if status == "partial" else 0.0,
            evidence=evidence() if status != "missed" else None,
        )
        for k in range(12)
    )
    concepts = tuple(
        ConceptResult(
            id=f"concept-{k}",
            term=f"Concept {k}",
            rubric=prompt_id,
            weight=1.0,
            status=rng.choice(("found", "missed", "listed")),
            evidence=evidence(),
        )
        for k in range(10)
    )
    flags = tuple(
        RedFlagResult(
            id=f"flag-{k}",
            text=f"Sends sensitive data to a third party {k}",
            rubric=prompt_id,
            penalty=10.0,
            status="clear",
        )
        for k in range(3)
    )
    breakdown = Breakdown(
        components=(
            Component("reasoning points", 0.6, 70.0, 42.0),
            Component("key concepts", 0.5, 18.0, 9.0, "gated"),
            Component("model-answer overlap", 0.4, 12.0, 4.8),
        ),
        coverage=0.558,
        relevance=1.0,
        closest_prompt=prompt_id,
        curved=float(score),
        red_flag_penalty=0.0,
        hint_penalty=0.0,
        score=score,
    )
    return GradeResult(
        prompt_id=prompt_id,
        score=score,
        verdict=verdict_for(score),
        concepts=concepts,
        points=points,
        red_flags=flags,
        breakdown=breakdown,
        word_count=260,
        grader_version=GRADER_VERSION,
    )


def make_attempts(
    bank: Bank, first: int, count: int, total: int, rng: random.Random
) -> list[Attempt]:
    """Attempts first..first+count of ``total``, spread evenly over two years."""
    prompts = list(bank.prompts.values())
    span = timedelta(days=730).total_seconds()
    attempts = []
    for i in range(first, first + count):
        prompt = prompts[i % len(prompts)]
        submitted = START + timedelta(seconds=span * i / total)
        score = max(0, min(100, int(rng.gauss(60, 18))))
        result = make_result(rng, prompt.id, score)
        attempts.append(
            Attempt(
                id=0,
                prompt_id=prompt.id,
                category=prompt.category,
                title=prompt.title,
                started_at=submitted - timedelta(minutes=rng.randint(5, 30)),
                submitted_at=submitted,
                duration_seconds=0.0,
                answer=f"Attempt {i}. " + SENTENCE * 9,
                hints_used=rng.randint(0, 2),
                score=score,
                verdict=result.verdict,
                grader_version=GRADER_VERSION,
                content_hash=f"{i % 997:016x}",
                result_json=json.dumps(result.to_dict(), ensure_ascii=False),
            )
        )
    return attempts


def timed(fn: Callable[[], Any], runs: int) -> tuple[float, float, float]:
    """(first call, median, worst) in milliseconds."""
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return times[0], statistics.median(times), max(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=100_000, help="attempts to fill in")
    parser.add_argument("--prompts", type=int, default=200, help="prompts they spread over")
    parser.add_argument("--saves", type=int, default=2_000, help="save_attempt calls to time")
    parser.add_argument("--runs", type=int, default=20, help="timed runs per query")
    parser.add_argument("--keep", metavar="DIR", help="keep the store in DIR (default: a temp dir)")
    args = parser.parse_args()

    rng = random.Random(4)
    bank = make_bank(args.prompts)
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="designprep-bench-"))
    path = folder / "history.sqlite3"
    if path.exists():
        sys.exit(f"{path} exists; give --keep an empty folder")

    bulk = args.attempts - args.saves
    print(f"filling {path} with {args.attempts:,} attempts over {args.prompts} prompts")
    batch = 5_000
    fill_seconds = 0.0
    with HistoryStore.open(path) as store:
        for start in range(0, bulk, batch):
            chunk = make_attempts(bank, start, min(batch, bulk - start), bulk, rng)
            t = time.perf_counter()
            store.import_attempts(chunk)
            fill_seconds += time.perf_counter() - t
        size_json = sum(len(a.result_json) for a in chunk) / len(chunk)
        size_answer = sum(len(a.answer) for a in chunk) / len(chunk)

        # the per-attempt path, on the (nearly) full store
        prompts = list(bank.prompts.values())
        results = [make_result(rng, prompts[i % len(prompts)].id, 70) for i in range(args.saves)]
        t = time.perf_counter()
        for i, result in enumerate(results):
            prompt = prompts[i % len(prompts)]
            store.save_attempt(
                prompt=prompt,
                content_hash="0123456789abcdef",
                answer=f"Saved attempt {i}. " + SENTENCE * 9,
                result=result,
            )
        save_seconds = time.perf_counter() - t
        total = store.count_attempts()
        store._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    t = time.perf_counter()
    store = HistoryStore.open(path)
    open_ms = (time.perf_counter() - t) * 1000
    one_prompt = prompts[7].id
    queries: list[tuple[str, Callable[[], Any], str]] = [
        ("history: latest 100", lambda: store.attempts(limit=100), "< 50 ms"),
        (
            "history: one prompt, latest 100",
            lambda: store.attempts(prompt_id=one_prompt, limit=100),
            "",
        ),
        ("history: page 500 (offset 50,000)", lambda: store.attempts(limit=100, offset=50_000), ""),
        ("count_attempts", store.count_attempts, ""),
        ("stats: category_stats", lambda: store.category_stats(bank), ""),
        ("stats: most_missed_points", lambda: store.most_missed_points(10), ""),
        (
            "stats (both, as the command)",
            lambda: (store.category_stats(bank), store.most_missed_points(10)),
            "< 200 ms",
        ),
        ("next: recommend", lambda: store.recommend(bank), "< 200 ms"),
        ("progress (200 prompts)", store.progress, ""),
    ]
    print()
    print(f"attempts stored              {total:,}")
    print(f"answer / result JSON size    {size_answer:,.0f} / {size_json:,.0f} characters each")
    rate = bulk / fill_seconds
    print(f"bulk insert (import_attempts) {rate:,.0f} attempts/s  ({fill_seconds:.1f} s)")
    print(
        f"save_attempt, 1 txn each     {args.saves / save_seconds:,.0f} attempts/s  "
        f"({1000 * save_seconds / args.saves:.2f} ms each, on the full store)"
    )
    print(f"open existing store          {open_ms:.1f} ms")
    size = path.stat().st_size
    per = size / total / 1024
    print(f"file size                    {size / 1e6:,.0f} MB  ({per:.1f} KiB per attempt)")
    print()
    print(f"{'query':<36} {'first':>8} {'median':>8} {'worst':>8}   target")
    for name, fn, target in queries:
        first, median, worst = timed(fn, args.runs)
        print(f"{name:<36} {first:>6.1f}ms {median:>6.1f}ms {worst:>6.1f}ms   {target}")
    store.close()
    if not args.keep:
        for p in folder.iterdir():
            p.unlink()
        folder.rmdir()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
