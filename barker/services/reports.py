"""Reporting abuse: a user files a report about another user (and some of their barks); they can read their
own reports' state and the moderator's note, never who closed them. Moderators handle reports in
barker/services/moderation.py."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from barker import policies
from barker.gateway import StoreGateway
from barker.ids import IdGenerator, iso, now_ms
from barker.ports.accounts import Accounts, Tokens
from barker.ports.barks import Barks
from barker.ports.lifecycle import Transactions
from barker.ports.operators import AccountStates
from barker.ports.rate_limits import RateLimits
from barker.ports.reports import NewReport, ReportInfo, Reports
from barker.rate_limits import charge, per_user_hourly
from barker.services import Page, authenticate, user_id_for
from barker.settings import Settings


class ReportStore(Reports, Barks, Accounts, Tokens, AccountStates, RateLimits, Transactions, Protocol):
    """What reporting and moderating reports use of the store."""


def handle_of(store: ReportStore, user_id: int) -> str:
    info = store.account_info(user_id)
    return info.handle if info else ""  # reports go with either account: never reached in practice


def report_view(store: ReportStore, report: ReportInfo) -> dict[str, Any]:
    """A report as its reporter sees it: without who closed it."""
    return {"id": report.id, "handle": handle_of(store, report.target), "bark_ids": list(report.bark_ids),
            "reason": report.reason, "text": report.text, "state": report.state, "note": report.note,
            "created_at": iso(report.id)}


def file_report(store: ReportStore, ids: IdGenerator, settings: Settings, reporter: int, handle: str,
                bark_ids: Sequence[int], reason: str, text: str | None) -> dict[str, Any]:
    """Check and store the report, counted against the reporter's hourly budget (bad input counts nothing)."""
    target = user_id_for(store, handle)
    barks = list(dict.fromkeys(bark_ids))  # a bark named twice is reported once
    authors: dict[int, int | None] = {}
    for bark_id in barks:
        found = store.bark_author(bark_id)
        authors[bark_id] = found[0] if found else None
    policies.check_report(reporter, target, authors)
    report = NewReport(ids.next(), reporter, target, tuple(barks), reason, text or None)
    with store.bulk():
        charge(store, per_user_hourly("reports", "reports", reporter, settings.reports_per_hour), now_ms())
        store.create_report(report)
    return report_view(store, ReportInfo(report.id, reporter, target, report.bark_ids, reason, report.text,
                                         "open", None, None))


async def report(gw: StoreGateway, token: str | None, handle: str, bark_ids: Sequence[int], reason: str,
                 text: str | None) -> dict[str, Any]:
    def run(store: ReportStore) -> dict[str, Any]:
        return file_report(store, gw.ids, gw.settings, authenticate(store, token), handle, bark_ids, reason, text)

    return await gw.write(run, gw.store)


async def my_reports(gw: StoreGateway, token: str | None, before: int | None, limit: int) -> Page:
    def run(store: ReportStore) -> Page:
        rows = store.reports_by(authenticate(store, token), before, limit)
        return Page.of([report_view(store, r) for r in rows], [r.id for r in rows], limit)

    return await gw.read(run, gw.store)
