"""The reports part of the store contract, on every adapter: filing, the reporter's list, the moderators'
queue by state, closing once, and removal with the reporter's or the reported account."""

from __future__ import annotations

from barker import fanout
from barker.ids import IdGenerator, now_ms
from barker.ports.reports import NewReport, ReportInfo
from tests.contract.test_operators import user
from tests.store_testing import StoreUnderTest


def test_reports_are_filed_listed_and_closed_once(store: StoreUnderTest, ids: IdGenerator) -> None:
    alice, bob, carol = (user(store, ids, h) for h in ("alice", "bob", "carol"))
    first = NewReport(ids.next(), alice, bob, (11, 12), "spam", "two ads")
    second = NewReport(ids.next(), carol, bob, (), "other", None)
    third = NewReport(ids.next(), alice, carol, (), "hate", None)
    for r in (first, second, third):
        store.create_report(r)
    assert store.report(first.id) == ReportInfo(first.id, alice, bob, (11, 12), "spam", "two ads", "open",
                                                None, None)
    assert store.report(ids.next()) is None
    assert [r.id for r in store.reports_by(alice, None, 10)] == [third.id, first.id]
    assert [r.id for r in store.reports_by(alice, third.id, 10)] == [first.id]
    assert [r.id for r in store.reports_by(bob, None, 10)] == []
    assert [r.id for r in store.report_page(None, None, 10)] == [third.id, second.id, first.id]
    assert [r.id for r in store.report_page(None, None, 2)] == [third.id, second.id]
    assert store.close_report(second.id, "dismissed", "not a rule", "mod")
    assert not store.close_report(second.id, "resolved", None, "other_mod")  # the first decision stands
    assert not store.close_report(ids.next(), "resolved", None, "mod")
    closed = store.report(second.id)
    assert closed is not None and (closed.state, closed.note, closed.resolved_by) == ("dismissed", "not a rule",
                                                                                      "mod")
    assert [r.id for r in store.report_page("open", None, 10)] == [third.id, first.id]
    assert [r.id for r in store.report_page("open", third.id, 10)] == [first.id]
    assert [r.id for r in store.report_page("dismissed", None, 10)] == [second.id]
    assert store.report_page("resolved", None, 10) == []


def test_reports_go_with_the_reporter_or_the_reported_account(store: StoreUnderTest, ids: IdGenerator) -> None:
    alice, bob, carol = (user(store, ids, h) for h in ("alice", "bob", "carol"))
    by_bob = NewReport(ids.next(), bob, carol, (), "spam", None)
    about_bob = NewReport(ids.next(), alice, bob, (), "spam", None)
    kept = NewReport(ids.next(), carol, alice, (), "spam", None)
    for r in (by_bob, about_bob, kept):
        store.create_report(r)
    store.begin_departure(bob, ids.next(), now_ms())
    fanout.drain(store, 100)
    assert store.report(by_bob.id) is None and store.report(about_bob.id) is None
    assert [r.id for r in store.report_page(None, None, 10)] == [kept.id]
