"""Each rule of barker/policies.py on its own, without a database (tests/contract/ checks that every store
applies them)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from barker import policies
from barker.errors import Conflict, Invalid, NotFound
from barker.policies import (
    BACKFILL_FETCH,
    BACKFILL_LIMIT,
    BIO_TIER,
    HANDLE_TIER,
    MAX_MEDIA_PER_BARK,
    MAX_REACTIONS_PER_USER,
    NAME_TIER,
    TRIM_EVERY,
    check_attachable,
    check_follow,
    check_not_rebarked,
    check_reaction_room,
    check_rebarkable,
    fans_out,
    plan_backfill,
    retention_cutoff,
    search_in_tiers,
    trim_at,
)


def test_policies_is_a_domain_module() -> None:
    """It imports nothing of ours but barker.errors, so both adapters and the services can use it."""
    tree = ast.parse(Path(policies.__file__).read_text())
    ours = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
            and node.module and node.module.split(".")[0] in {"barker", "backend", "client_qt"}}
    ours |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
             if alias.name.split(".")[0] in {"barker", "backend", "client_qt"}}
    assert ours == {"barker.errors"}


# -- fan-out --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("followers", "threshold", "expected"), [
    (0, 0, True), (0, 10_000, True), (10_000, 10_000, True),  # at the threshold: still copied
    (10_001, 10_000, False), (1, 0, False)])
def test_fan_out_up_to_the_threshold(followers: int, threshold: int, expected: bool) -> None:
    assert fans_out(followers, threshold) is expected


# -- rebarks --------------------------------------------------------------------------------------

def test_only_an_existing_original_can_be_rebarked() -> None:
    check_rebarkable(exists=True, is_rebark=False)
    for exists, is_rebark in [(False, False), (True, True)]:  # missing, or a rebark of a rebark
        with pytest.raises(NotFound) as refused:
            check_rebarkable(exists, is_rebark)
        assert refused.value.code == "not_found"


def test_a_second_rebark_is_a_conflict() -> None:
    check_not_rebarked(False)
    with pytest.raises(Conflict) as refused:
        check_not_rebarked(True)
    assert refused.value.code == "already_rebarked"


# -- reactions ------------------------------------------------------------------------------------

def test_eight_different_reactions_then_no_more() -> None:
    assert MAX_REACTIONS_PER_USER == 8
    for so_far in range(MAX_REACTIONS_PER_USER):
        check_reaction_room(so_far)
    for so_far in (MAX_REACTIONS_PER_USER, MAX_REACTIONS_PER_USER + 5):
        with pytest.raises(Invalid) as refused:
            check_reaction_room(so_far)
        assert refused.value.code == "too_many_reactions"


# -- follows --------------------------------------------------------------------------------------

def test_nobody_follows_themselves() -> None:
    check_follow(1, 2)
    check_follow(2, 1)
    with pytest.raises(Invalid) as refused:
        check_follow(7, 7)
    assert refused.value.code == "self_follow"


# -- backfill -------------------------------------------------------------------------------------

def test_backfill_copies_all_when_few_and_keeps_the_floor() -> None:
    ids = list(range(150, 100, -1))  # 50 eligible barks, newest first
    plan = plan_backfill(ids, floor=100)
    assert plan.copied == ids and plan.floor == 100


def test_backfill_exactly_at_the_limit_keeps_the_floor() -> None:
    ids = list(range(1000 + BACKFILL_LIMIT, 1000, -1))
    plan = plan_backfill(ids, floor=0)
    assert plan.copied == ids and plan.floor == 0


def test_backfill_over_the_limit_copies_the_newest_and_raises_the_floor() -> None:
    ids = list(range(1000 + BACKFILL_FETCH, 1000, -1))  # one more than can be copied
    plan = plan_backfill(ids, floor=5)
    assert plan.copied == ids[:BACKFILL_LIMIT]
    assert plan.floor == ids[BACKFILL_LIMIT - 1]  # the oldest copied: the stream is complete from there up


def test_backfill_never_lowers_the_floor() -> None:
    ids = list(range(1000 + BACKFILL_FETCH, 1000, -1))
    assert plan_backfill(ids, floor=10**9).floor == 10**9


def test_backfill_of_nothing() -> None:
    plan = plan_backfill([], floor=42)
    assert plan.copied == [] and plan.floor == 42


# -- retention ------------------------------------------------------------------------------------

def test_a_stream_is_trimmed_once_it_is_trim_every_past_its_retention() -> None:
    assert trim_at(1000) == 1000 + TRIM_EVERY
    assert trim_at(50) == 50 + TRIM_EVERY


def test_retention_cutoff_comes_every_trim_every_seqs_past_the_retention() -> None:
    retain = 1000
    due = [seq for seq in range(1, 5 * TRIM_EVERY + retain + 1) if retention_cutoff(seq, retain) is not None]
    assert due == list(range(retain + TRIM_EVERY, 5 * TRIM_EVERY + retain + 1, TRIM_EVERY))
    for seq in due:  # what survives is exactly the newest `retain` seqs
        cutoff = retention_cutoff(seq, retain)
        assert cutoff is not None and len(range(cutoff, seq + 1)) == retain
    assert retention_cutoff(retain, retain) is None  # a multiple of TRIM_EVERY but nothing to drop yet


# -- search tiers ---------------------------------------------------------------------------------

class Tiers:
    """A fake index per tier (ids in order), recording the calls a search makes."""

    def __init__(self, per_tier: dict[int, list[int]]) -> None:
        self.per_tier = per_tier
        self.calls: list[tuple[int, int, int]] = []

    def fetch(self, tier: int, start: int, n: int) -> list[int]:
        self.calls.append((tier, start, n))
        return [i for i in self.per_tier.get(tier, []) if i > start][:n]


def test_search_runs_handles_then_names_then_bios() -> None:
    tiers = Tiers({HANDLE_TIER: [3, 9], NAME_TIER: [1, 4], BIO_TIER: [2, 7]})
    assert search_in_tiers("al", ["alice"], (0, 0), 10, tiers.fetch) == [
        (HANDLE_TIER, 3), (HANDLE_TIER, 9), (NAME_TIER, 1), (NAME_TIER, 4), (BIO_TIER, 2), (BIO_TIER, 7)]


def test_search_stops_at_the_limit_and_asks_each_tier_only_for_what_is_left() -> None:
    tiers = Tiers({HANDLE_TIER: [3, 9], NAME_TIER: [1, 4, 5], BIO_TIER: [2]})
    assert search_in_tiers("al", ["alice"], (0, 0), 3, tiers.fetch) == [
        (HANDLE_TIER, 3), (HANDLE_TIER, 9), (NAME_TIER, 1)]
    assert tiers.calls == [(HANDLE_TIER, 0, 3), (NAME_TIER, 0, 1)]  # the bio tier is never queried


def test_search_resumes_inside_the_cursor_tier_and_skips_earlier_ones() -> None:
    tiers = Tiers({HANDLE_TIER: [3, 9], NAME_TIER: [1, 4, 5], BIO_TIER: [2]})
    assert search_in_tiers("al", ["alice"], (NAME_TIER, 4), 10, tiers.fetch) == [(NAME_TIER, 5), (BIO_TIER, 2)]
    assert tiers.calls == [(NAME_TIER, 4, 10), (BIO_TIER, 0, 9)]  # later tiers start from the beginning


def test_search_runs_only_the_tiers_the_query_asks_for() -> None:
    tiers = Tiers({HANDLE_TIER: [3], NAME_TIER: [1], BIO_TIER: [2]})
    assert search_in_tiers("al", [], (0, 0), 10, tiers.fetch) == [(HANDLE_TIER, 3)]
    assert search_in_tiers("", ["alice"], (0, 0), 10, tiers.fetch) == [(NAME_TIER, 1), (BIO_TIER, 2)]
    assert search_in_tiers("", [], (0, 0), 10, tiers.fetch) == []
    assert [tier for tier, _, _ in tiers.calls] == [HANDLE_TIER, NAME_TIER, BIO_TIER]


# -- media ----------------------------------------------------------------------------------------

OWNER, OTHER = 1, 2


def test_attachable_media() -> None:
    found = {10: (OWNER, "post", "new"), 11: (OWNER, "post", "new")}
    check_attachable(found, [10, 11], OWNER, "post")
    check_attachable({20: (OWNER, "avatar", "new")}, [20], OWNER, "avatar")


@pytest.mark.parametrize(("found", "wanted", "purpose", "error", "code"), [
    ({i: (OWNER, "post", "new") for i in range(9)}, list(range(MAX_MEDIA_PER_BARK + 1)), "post",
     Invalid, "too_many_media"),
    ({10: (OWNER, "post", "new")}, [10, 10], "post", Invalid, "duplicate_media"),
    ({}, [10], "post", NotFound, "media_not_found"),
    ({10: (OTHER, "post", "new")}, [10], "post", NotFound, "media_not_found"),  # not yours: as if unknown
    ({10: (OWNER, "post", "released")}, [10], "post", NotFound, "media_not_found"),
    ({10: (OWNER, "avatar", "new")}, [10], "post", Invalid, "wrong_media_purpose"),
    ({10: (OWNER, "post", "used")}, [10], "post", Conflict, "media_in_use"),
])
def test_unattachable_media(found: dict[int, tuple[int, str, str]], wanted: list[int], purpose: str,
                            error: type[Exception], code: str) -> None:
    with pytest.raises(error) as refused:
        check_attachable(found, wanted, OWNER, purpose)
    assert getattr(refused.value, "code", None) == code
    assert "10" not in str(refused.value)  # errors name the field, never the id


# -- roles and registrations ----------------------------------------------------------------------

def test_the_environment_lock_closes_whatever_is_stored() -> None:
    from barker.policies import registration_mode

    assert registration_mode("invite", "closed") == "closed"
    assert registration_mode("invite", "open") == "invite"
    assert registration_mode(None, "open") == "open" and registration_mode("garbage", "open") == "open"


def test_who_may_do_what() -> None:
    from barker.policies import may_administer, may_moderate

    assert [may_moderate(r) for r in ("user", "moderator", "admin")] == [False, True, True]
    assert [may_administer(r) for r in ("user", "moderator", "admin")] == [False, False, True]


def test_the_last_admin_stays_an_admin() -> None:
    from barker.errors import Conflict
    from barker.policies import check_role_change

    with pytest.raises(Conflict, match="yourself"):
        check_role_change(1, 1, "admin", "user", admins=1)
    with pytest.raises(Conflict, match="the last admin"):
        check_role_change(None, 1, "admin", "moderator", admins=1)
    check_role_change(1, 1, "admin", "user", admins=2)
    check_role_change(1, 2, "user", "admin", admins=1)
    check_role_change(1, 1, "admin", "admin", admins=1)


# -- suspension and log-in ------------------------------------------------------------------------------

ROLES = ("user", "moderator", "admin")


def test_only_someone_who_outranks_an_account_suspends_it() -> None:
    from barker.errors import Forbidden
    from barker.policies import check_suspension

    allowed = set()
    for actor_role in ROLES:
        for target_role in ROLES:
            try:
                check_suspension(1, actor_role, 2, target_role)
                allowed.add((actor_role, target_role))
            except Forbidden as e:
                assert e.code == "forbidden" and target_role in e.message
    assert allowed == {("moderator", "user"), ("admin", "user"), ("admin", "moderator")}
    for target_role in ROLES:  # the operator (no account, no role) outranks everyone
        check_suspension(None, None, 2, target_role)
    for role in ROLES:  # nobody suspends themselves, whatever their role
        with pytest.raises(Invalid) as refused:
            check_suspension(1, role, 1, role)
        assert refused.value.code == "cannot_suspend_self"


def test_suspension_goes_from_active_and_back() -> None:
    from barker.policies import ACTIVE, PENDING, SUSPENDED, check_suspendable, check_unsuspendable

    check_suspendable(ACTIVE)
    check_unsuspendable(SUSPENDED)
    for state, code in ((SUSPENDED, "already_suspended"), (PENDING, "not_active")):
        with pytest.raises(Conflict) as refused:
            check_suspendable(state)
        assert refused.value.code == code
    for state in (ACTIVE, PENDING):
        with pytest.raises(Conflict) as refused:
            check_unsuspendable(state)
        assert refused.value.code == "not_suspended"


def test_a_suspension_needs_a_bounded_reason() -> None:
    from barker.policies import SUSPEND_REASON_MAX, suspension_reason

    assert suspension_reason("  spam bot \n") == "spam bot"
    assert suspension_reason("x" * SUSPEND_REASON_MAX) == "x" * SUSPEND_REASON_MAX
    for bad, code in ((None, "reason_required"), ("", "reason_required"), (" \t\n", "reason_required"),
                      ("x" * (SUSPEND_REASON_MAX + 1), "reason_too_long")):
        with pytest.raises(Invalid) as refused:
            suspension_reason(bad)
        assert refused.value.code == code


def test_only_an_active_account_logs_in_and_is_seen() -> None:
    from barker.errors import Forbidden
    from barker.policies import ACTIVE, HIDDEN_STATES, PENDING, SUSPENDED, check_log_in, shown_to_others

    check_log_in(ACTIVE)
    for state, code in ((PENDING, "pending_approval"), (SUSPENDED, "account_suspended")):
        with pytest.raises(Forbidden) as refused:
            check_log_in(state)
        assert refused.value.code == code
    assert shown_to_others(ACTIVE) and not any(shown_to_others(s) for s in HIDDEN_STATES)
    assert set(HIDDEN_STATES) == {PENDING, SUSPENDED, "leaving"}
