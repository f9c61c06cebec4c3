"""Leaving: deleting one's account and reading what the data export holds beyond the pages other ports
already serve (the user's reactions and uploads).

Deleting is written like every other side effect here: the row, then the outbox. One short transaction hides
the account from everyone (state 'leaving', policies.HIDDEN_STATES), ends its sessions, keeps its handle
taken and queues a 'departure' job; the fan-out worker (barker/fanout.py) then removes the rest in
bounded batches, each one transaction with its progress, so other writes never wait for more than a batch
and a crash resumes where it stopped. The job's cursor is the step reached, in STEPS order; each step's
batch removes the first rows left of its kind, so removing them is the progress within the step."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from barker.ports.types import MediaPurpose


@dataclass(frozen=True)
class ExportedReaction:
    bark: int
    emoji: str
    id: int  # time-ordered: when it was left


@dataclass(frozen=True)
class ExportedMedia:
    id: int
    purpose: MediaPurpose
    view: dict[str, Any]  # the API's Media object
    keys: tuple[str, ...]  # storage keys of its files; the original's first


# The departure job's steps, in order (Job.cursor is the index of the one reached):
STEPS = (
    "mentions",   # others' barks that mention or answer the user forget its id (their mention notifications)
    "barks",      # its barks and rebarks, each as delete_bark does it (counters, reply tombstones, media)
    "reactions",  # its reactions (others' bark counts corrected)
    "followers",  # follows of it (the followers' following_count, and its barks in their streams)
    "followees",  # its follows (the followees' followers_count, its follow events and notifications)
    "own_rows",   # its notifications, bookmarks and stream
    "last",       # anything written meanwhile sends it back to the first step; else the rest, then the user
)


def walk_departure_steps(step: int, budget: int, run: Callable[[str, int], tuple[int, bool]],
                         left_behind: Callable[[], bool]) -> tuple[int, int, bool]:
    """One batch of the departure job, the same walk in every store: from the step reached, run each step
    (`run(name, rows left in the budget)` -> rows it touched, whether the step is done) until about `budget`
    rows are touched. At "last", anything written meanwhile (`left_behind()`) starts the steps again;
    otherwise the job is finished and the store removes the rest. Returns (the step reached, rows touched,
    finished)."""
    touched = 0
    while touched < budget:
        name = STEPS[step]
        if name == "last":
            if left_behind():
                step = 0  # written while it was leaving (a follow, a mention): the steps again
                continue
            return step, touched + 1, True
        done, finished = run(name, budget - touched)
        touched += done
        if finished:
            step += 1
    return step, touched, False


class Departures(Protocol):
    """Account deletion and the export's own reads."""

    def begin_departure(self, user_id: int, job_id: int, now_ms: int) -> None:
        """The account's deletion, first transaction: mark it leaving (hidden from everyone from now on, its
        handle failing log-in as unknown), delete its tokens and location, drop its fan-out and backfill
        jobs, retire its canonical handle (create_user raises Conflict handle_taken from now on, for good)
        and queue the departure job `job_id`. The job, run by run_fanout_batch like any other, deletes
        everything else of it: its barks (as delete_bark does each, so others' counters, reply tombstones and
        notifications follow), rebarks, reactions (others' bark counts corrected), follows both ways (others'
        counts corrected), bookmarks, notifications it owns or caused, its stream and the entries it caused
        in others' streams, rate-limit counters keyed by it, dismissed suggestions, reports by and about it,
        and its mention in others' barks; its uploads are released (the media sweep deletes records and
        files); and last the user row. NotFound if there is no such user or it is already leaving."""

    def reactions_page(self, user_id: int, after: tuple[int, str] | None, limit: int) -> Sequence[ExportedReaction]:
        """The user's reactions in (bark, emoji) order after the cursor (None: from the start)."""

    def media_page(self, user_id: int, after: int, limit: int) -> Sequence[ExportedMedia]:
        """The user's uploads not released, by id after `after` (0: from the start)."""
