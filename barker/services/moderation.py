"""What moderators do beyond sign-ups (barker/services/admin.py): read and close reports, delete any bark,
suspend and unsuspend accounts and look at a suspended (or pending) account as nobody else can; and the
operator's account deletion. Each action is written with its audit entry in one transaction."""

from __future__ import annotations

from typing import Any, Protocol

from barker import policies
from barker.bus import tokens_revoked
from barker.errors import Conflict, Invalid, NotFound
from barker.gateway import StoreGateway
from barker.ids import IdGenerator, now_ms
from barker.ports.departures import Departures
from barker.ports.reports import ReportInfo
from barker.services import Page, user_id_for, user_view
from barker.services.admin import Actor, AdminStore, account_of, account_view, record_action, staff
from barker.services.reports import ReportStore, handle_of, report_view


class ModerationStore(AdminStore, ReportStore, Departures, Protocol):
    """What moderation uses of the store."""


def staff_report_view(store: ModerationStore, report: ReportInfo, viewer: int | None) -> dict[str, Any]:
    """A report as moderators see it: the reported user and barks rendered (a deleted bark as a tombstone),
    who filed it and who closed it. The barks are rendered for no one, so none is left out: not those of a
    suspended account, nor of one that blocks the moderator or that the moderator blocks."""
    rendered = {view["id"]: view for view in store.bark_views(report.bark_ids, None)}
    barks = [rendered.get(b) or {"id": b, "deleted": True} for b in report.bark_ids]
    return {**report_view(store, report), "reporter": handle_of(store, report.reporter),
            "user": user_view(store, report.target, viewer), "barks": barks, "resolved_by": report.resolved_by}


def report_queue(store: ModerationStore, state: str | None, before: int | None, limit: int,
                 viewer: int | None) -> Page:
    if state is not None and state not in policies.REPORT_STATES:
        raise Invalid(f"state must be one of {', '.join(policies.REPORT_STATES)}", code="bad_state")
    rows = store.report_page(state, before, limit)
    return Page.of([staff_report_view(store, r, viewer) for r in rows], [r.id for r in rows], limit)


def close_report(store: ModerationStore, ids: IdGenerator, actor: Actor, report_id: int, action: str,
                 note: str | None) -> dict[str, Any]:
    if action not in policies.REPORT_CLOSINGS:
        raise Invalid(f"action must be one of {', '.join(policies.REPORT_CLOSINGS)}", code="bad_action")
    with store.bulk():
        if store.report(report_id) is None:
            raise NotFound("no such report")
        if not store.close_report(report_id, action, note or None, actor.name):
            raise Conflict("the report is already closed", code="report_closed")
        record_action(store, ids, actor, f"report.{action}", str(report_id), note or None)
        return staff_report_view(store, store.report(report_id), actor.user_id)  # type: ignore[arg-type]


def remove_bark(store: ModerationStore, ids: IdGenerator, actor: Actor, bark_id: int, reason: str | None) -> None:
    """Delete anyone's bark, as its author deleting it would (store.delete_bark), audited."""
    with store.bulk():
        found = store.bark_author(bark_id)
        if found is None:
            raise NotFound("no such bark")
        store.delete_bark(bark_id)
        record_action(store, ids, actor, "bark.delete", f"{bark_id} by @{handle_of(store, found[0])}", reason)


def delete_account(store: ModerationStore, ids: IdGenerator, actor: Actor, handle: str) -> str:
    """Begin deleting the account and everything of it, its handle kept retired, as DELETE /v1/me does: it
    is hidden at once, and the departure job queued here removes the rest (the caller wakes or runs the
    worker); returns the handle as it was written."""
    with store.bulk():
        user_id = user_id_for(store, handle)
        name = handle_of(store, user_id)
        store.begin_departure(user_id, ids.next(), now_ms())
        record_action(store, ids, actor, "account.delete", name, None)
    return name


def suspend_account(store: ModerationStore, ids: IdGenerator, actor: Actor, handle: str,
                    reason: str | None) -> tuple[dict[str, Any], int]:
    """Suspend an active account, audited with the (required) reason: it can no longer log in, every session
    of it is revoked in the same transaction, and nobody but the staff sees its profile and barks. Returns
    the account as the staff see it and the user id (whose open sockets the caller has closed at once)."""
    why = policies.suspension_reason(reason)
    with store.bulk():
        info = account_of(store, handle)
        policies.check_suspension(actor.user_id, actor.role, info.id, info.role)
        policies.check_suspendable(info.state)
        if store.suspend_account(info.id) is None:  # no longer active (a race with another process)
            raise Conflict("the account changed meanwhile: look again", code="account_changed")
        record_action(store, ids, actor, "account.suspend", info.handle, why)
        return account_view(store.account_info(info.id)), info.id  # type: ignore[arg-type]


def unsuspend_account(store: ModerationStore, ids: IdGenerator, actor: Actor, handle: str,
                      reason: str | None) -> dict[str, Any]:
    """Make a suspended account active again (audited; a reason is optional). Its revoked sessions stay
    revoked: it logs in anew."""
    why = policies.suspension_reason(reason) if reason is not None and reason.strip() else None
    with store.bulk():
        info = account_of(store, handle)
        policies.check_suspension(actor.user_id, actor.role, info.id, info.role)
        policies.check_unsuspendable(info.state)
        if not store.unsuspend_account(info.id):  # no longer suspended (a race with another process)
            raise Conflict("the account changed meanwhile: look again", code="account_changed")
        record_action(store, ids, actor, "account.unsuspend", info.handle, why)
        return account_view(store.account_info(info.id))  # type: ignore[arg-type]


def staff_account(store: ModerationStore, handle: str) -> dict[str, Any]:
    """Any account's profile as the staff see it, whatever its state: the profile (rendered for no viewer:
    the staff's own blocks and follows do not colour it), its role, state and forced password change."""
    info = account_of(store, handle)
    return {**user_view(store, info.id, None), "role": info.role, "state": info.state,
            "must_change_password": info.must_change_password}


def staff_account_barks(store: ModerationStore, handle: str, before: int | None, limit: int) -> Page:
    """Any account's barks, newest first, whatever its state (a suspended one's included), for the staff."""
    info = account_of(store, handle)
    ids = store.user_bark_ids(info.id, before, limit, viewer=None)  # no viewer: nothing hidden
    return Page.of(store.bark_views(ids, None), ids, limit)


# -- the API's side: the caller's role checked in the same hop as the action ----------------------------


async def reports(gw: StoreGateway, token: str | None, state: str | None, before: int | None, limit: int) -> Page:
    def run(store: ModerationStore) -> Page:
        actor = staff(store, token, policies.may_moderate)
        return report_queue(store, state, before, limit, actor.user_id)

    return await gw.read(run, gw.store)


async def resolve(gw: StoreGateway, token: str | None, report_id: int, action: str,
                  note: str | None) -> dict[str, Any]:
    def run(store: ModerationStore) -> dict[str, Any]:
        return close_report(store, gw.ids, staff(store, token, policies.may_moderate), report_id, action, note)

    return await gw.write(run, gw.store)


async def delete_bark(gw: StoreGateway, token: str | None, bark_id: int, reason: str | None) -> None:
    def run(store: ModerationStore) -> None:
        remove_bark(store, gw.ids, staff(store, token, policies.may_moderate), bark_id, reason)

    await gw.write(run, gw.store)



async def suspend(gw: StoreGateway, token: str | None, handle: str, reason: str) -> dict[str, Any]:
    def run(store: ModerationStore) -> tuple[dict[str, Any], int]:
        return suspend_account(store, gw.ids, staff(store, token, policies.may_moderate), handle, reason)

    view, user_id = await gw.write(run, gw.store)
    gw.announce(tokens_revoked([user_id]))  # its open sockets, in every process, close now
    return view


async def unsuspend(gw: StoreGateway, token: str | None, handle: str, reason: str | None) -> dict[str, Any]:
    def run(store: ModerationStore) -> dict[str, Any]:
        return unsuspend_account(store, gw.ids, staff(store, token, policies.may_moderate), handle, reason)

    return await gw.write(run, gw.store)


async def account(gw: StoreGateway, token: str | None, handle: str) -> dict[str, Any]:
    def run(store: ModerationStore) -> dict[str, Any]:
        staff(store, token, policies.may_moderate)
        return staff_account(store, handle)

    return await gw.read(run, gw.store)


async def account_barks(gw: StoreGateway, token: str | None, handle: str, before: int | None, limit: int) -> Page:
    def run(store: ModerationStore) -> Page:
        staff(store, token, policies.may_moderate)
        return staff_account_barks(store, handle, before, limit)

    return await gw.read(run, gw.store)
