"""The departure job's walk through its steps (barker/ports/departures.py), with fake steps: a batch stops
near its budget where it is, a finished step moves on, and a write made while the account was leaving sends
the job back to the first step before it may finish."""

from __future__ import annotations

from barker.ports.departures import STEPS, walk_departure_steps


def fake_steps(rows: dict[str, int]):
    """Steps that each have `rows[name]` rows left and remove up to the budget given."""
    ran: list[str] = []

    def run(name: str, left: int) -> tuple[int, bool]:
        ran.append(name)
        done = min(rows.get(name, 0), left)
        rows[name] = rows.get(name, 0) - done
        return max(done, 1), rows[name] == 0

    return run, ran


def test_a_batch_stops_at_its_budget_and_resumes_where_it_was() -> None:
    run, ran = fake_steps({"mentions": 3, "barks": 10})
    step, touched, finished = walk_departure_steps(0, 8, run, lambda: False)
    assert (STEPS[step], touched, finished) == ("barks", 8, False) and ran == ["mentions", "barks"]
    step, touched, finished = walk_departure_steps(step, 100, run, lambda: False)
    assert finished and STEPS[step] == "last" and ran[2:] == list(STEPS[1:-1])


def test_a_write_while_leaving_runs_the_steps_again_before_finishing() -> None:
    run, ran = fake_steps({})
    writes = [True, False]  # one late follow, then nothing
    _, _, finished = walk_departure_steps(STEPS.index("last"), 100, run, lambda: writes.pop(0))
    assert finished and ran == list(STEPS[:-1]) and writes == []
