"""FSRS scheduling from rubric scores: the score is the rating a flashcard user would give.

Each prompt is one FSRS card. A graded attempt maps its score to a rating and reviews
the card; the card's due date says when the prompt should come back. The scheduler is
set for essay-length practice rather than flashcards: a failed prompt returns the next
day (not in one minute), and fuzzing is off so replaying the same attempts always gives
the same card (imports and migrations rebuild cards that way).

The user keeps control, as in Anki: a rating given by hand replaces the score's for that
attempt, and a reset starts the card afresh (due at once) while the tallies of attempts
and best score stay.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from fsrs import Card, Rating, Scheduler, State

# score below -> rating; at or above the last bound is Easy
RATING_BOUNDS: tuple[tuple[int, Rating], ...] = (
    (45, Rating.Again),
    (65, Rating.Hard),
    (85, Rating.Good),
)

SCHEDULER = Scheduler(
    learning_steps=(timedelta(days=1),),
    relearning_steps=(timedelta(days=1),),
    enable_fuzzing=False,
)


RATING_NAMES: dict[str, Rating] = {r.name.lower(): r for r in Rating}  # again, hard, good, easy


def rating_name(rating: int) -> str:
    return Rating(rating).name.lower()


def rating_for(score: int) -> Rating:
    for bound, rating in RATING_BOUNDS:
        if score < bound:
            return rating
    return Rating.Easy


@dataclass(frozen=True)
class PromptCard:
    """A prompt's FSRS card together with the running tallies shown as progress."""

    prompt_id: str
    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due_at: datetime
    last_review_at: datetime | None
    attempts: int
    best_score: int
    last_score: int
    last_at: datetime

    def fsrs_card(self) -> Card:
        return Card(
            card_id=card_id(self.prompt_id),
            state=State(self.state),
            step=self.step,
            stability=self.stability,
            difficulty=self.difficulty,
            due=self.due_at,
            last_review=self.last_review_at,
        )


def card_id(prompt_id: str) -> int:
    # fsrs wants an int id (and sleeps 1 ms to invent one when given none)
    return zlib.crc32(prompt_id.encode())


def review(
    previous: PromptCard | None,
    prompt_id: str,
    score: int,
    at: datetime,
    rating: Rating | None = None,
) -> PromptCard:
    """The card after one more graded attempt at ``at`` (not earlier than the last one),
    rated ``rating`` when the user gave one, else by its score."""
    card = previous.fsrs_card() if previous else Card(card_id=card_id(prompt_id), due=at)
    chosen = rating if rating is not None else rating_for(score)
    card, _log = SCHEDULER.review_card(card, chosen, review_datetime=at)
    return PromptCard(
        prompt_id=prompt_id,
        state=int(card.state),
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due_at=card.due,
        last_review_at=card.last_review,
        attempts=(previous.attempts if previous else 0) + 1,
        best_score=max(score, previous.best_score if previous else score),
        last_score=score,
        last_at=at,
    )


def reset(card: PromptCard, at: datetime) -> PromptCard:
    """The card started afresh at ``at``: a new card due then, with its tallies kept."""
    return replace(
        card,
        state=int(State.Learning),
        step=0,
        stability=None,
        difficulty=None,
        due_at=at,
        last_review_at=None,
    )


Graded = tuple[int, datetime, int | None]  # score, submitted_at, rating given by hand


def replay(
    prompt_id: str, graded: Iterable[Graded], reset_at: datetime | None = None
) -> PromptCard | None:
    """The card from every (score, submitted_at, rating) of a prompt, replayed in time
    order; a reset at ``reset_at`` starts it afresh there."""
    card: PromptCard | None = None
    for score, at, rating in sorted(graded, key=lambda item: item[1]):
        if reset_at is not None and card is not None and at >= reset_at:
            card, reset_at = reset(card, reset_at), None
        card = review(card, prompt_id, score, at, None if rating is None else Rating(rating))
    if reset_at is not None and card is not None:
        card = reset(card, reset_at)
    return card
