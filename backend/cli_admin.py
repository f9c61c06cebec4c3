"""`barker admin`: the operator's commands, run on the server's machine directly on the store (no token:
whoever can read the data directory already holds every account). Accounts and roles, password resets,
suspensions, account deletion, the registration mode, invite codes and the reports queue; each action goes
through barker/services/admin.py or moderation.py, which write its audit entry (actor "operator") in the
same transaction.

Secrets (generated passwords, invite codes) are printed to stdout for the operator only, never logged.
Every failure is one line on stderr: `barker admin: <what>` (exit 1), or a usage error (exit 2)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from backend import cli_input
from barker import policies, validation
from barker.errors import BarkerError, Invalid
from barker.ids import IdGenerator, now_ms
from barker.settings import Settings

if TYPE_CHECKING:
    from types import ModuleType

LEASE_MS = 10 * 60_000  # an id-generator node for this command (it ends long before)
ROLES_ABOVE_USER = [r for r in policies.ROLES if r != "user"]


def add_parser(sub: Any, settings: Callable[[argparse.Namespace], Settings]) -> None:
    """`barker admin ...` under the main parser's subcommands."""
    top = sub.add_parser("admin", help="operator commands on the store: accounts, roles, registrations, invites, "
                                       "reports",
                         description="Operator commands, run on the server's machine directly on the store "
                                     "(no token needed). Actions are written to the audit log as 'operator'.")
    top.add_argument("--data-dir", help="where the embedded store lives (default BARKER_DATA_DIR)")
    groups = top.add_subparsers(dest="group", required=True, parser_class=cli_input.OneLineErrors)

    account = groups.add_parser("account", help="create, list, promote, demote, suspend, unsuspend, delete "
                                                "accounts; reset a password")
    acts = account.add_subparsers(dest="action", required=True, parser_class=cli_input.OneLineErrors)
    create = acts.add_parser("create", help="make an active account (prints a generated password unless given)")
    create.add_argument("handle")
    create.add_argument("--role", choices=policies.ROLES, default="user", help="its role (default user)")
    create.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    create.set_defaults(run=_account_create)
    listing = acts.add_parser("list", help="accounts, newest first")
    listing.add_argument("--role", choices=policies.ROLES)
    listing.add_argument("--state", choices=(policies.ACTIVE, *policies.HIDDEN_STATES),
                         help="only accounts in this state (e.g. suspended)")
    listing.add_argument("--limit", type=cli_input.positive_int, default=100, help="at most this many (100)")
    listing.set_defaults(run=_account_list)
    promote = acts.add_parser("promote", help="make an account a moderator or admin")
    promote.add_argument("handle")
    promote.add_argument("--role", choices=ROLES_ABOVE_USER, required=True)
    promote.set_defaults(run=_account_promote)
    demote = acts.add_parser("demote", help="make an account a plain user again")
    demote.add_argument("handle")
    demote.set_defaults(run=_account_demote)
    suspend = acts.add_parser("suspend", help="suspend an account: it cannot log in, every session of it is "
                                              "revoked, nobody but the staff sees its profile and barks",
                              description="Suspend an active account. It cannot log in; its sessions are revoked "
                                          "at once (an open stream socket closes at the server's next token check, "
                                          "BARKER_STREAM_REVALIDATE_SECONDS); its profile and barks are hidden "
                                          "from everyone but moderators and admins. Audited with the reason.")
    suspend.add_argument("handle")
    suspend.add_argument("--reason", required=True, help="why, for the audit log (required, at most "
                                                         f"{policies.SUSPEND_REASON_MAX} characters)")
    suspend.set_defaults(run=_account_suspend)
    unsuspend = acts.add_parser("unsuspend", help="make a suspended account active again (it logs in anew)")
    unsuspend.add_argument("handle")
    unsuspend.add_argument("--reason", help="why, for the audit log (optional)")
    unsuspend.set_defaults(run=_account_unsuspend)
    reset = acts.add_parser("reset-password", help="set a one-time password (printed, or read with --stdin); "
                                                   "sessions revoked; the user must change it at next log-in")
    reset.add_argument("handle")
    reset.add_argument("--stdin", action="store_true", help="read the one-time password from stdin")
    reset.set_defaults(run=_account_reset_password)
    delete = acts.add_parser("delete", help="delete an account and everything of it; its handle stays retired")
    delete.add_argument("handle")
    delete.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    delete.set_defaults(run=_account_delete)

    registrations = groups.add_parser("registrations", help="print or set the registration mode")
    registrations.add_argument("mode", nargs="?", choices=policies.REGISTRATION_MODES,
                               help="open, approval (a moderator approves each account), invite (a code is "
                                    "needed), closed; none: print the mode in force")
    registrations.set_defaults(run=_registrations)

    invite = groups.add_parser("invite", help="create, list and revoke invite codes")
    inv = invite.add_subparsers(dest="action", required=True, parser_class=cli_input.OneLineErrors)
    make = inv.add_parser("create", help="a new invite code (printed once: only its digest is kept)")
    make.add_argument("--uses", type=cli_input.positive_int, default=1, help="how many sign-ups it allows (1)")
    make.add_argument("--expires-days", type=_positive_days, help="days until it expires (default: never)")
    make.set_defaults(run=_invite_create)
    inv.add_parser("list", help="every invite, without its code").set_defaults(run=_invite_list)
    revoke = inv.add_parser("revoke", help="revoke an invite by its code or its id (from `invite list`)")
    revoke.add_argument("code", metavar="CODE_OR_ID")
    revoke.set_defaults(run=_invite_revoke)

    report = groups.add_parser("report", help="list the reports users filed")
    rep = report.add_subparsers(dest="action", required=True, parser_class=cli_input.OneLineErrors)
    reports = rep.add_parser("list", help="reports, newest first")
    reports.add_argument("--state", choices=policies.REPORT_STATES, help="only reports in this state (e.g. open)")
    reports.add_argument("--limit", type=cli_input.positive_int, default=100, help="at most this many (100)")
    reports.set_defaults(run=_report_list)

    top.set_defaults(func=lambda args: run(args, settings(args)))


def _positive_days(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value <= 3650:
        raise argparse.ArgumentTypeError(f"should be a number of days above 0, at most 3650 "
                                         f"(got {cli_input.shown(text)})")
    return value


class Context:
    """What a command works with: the store, an id generator, the settings."""

    def __init__(self, store: Any, ids: IdGenerator, settings: Settings, svc: ModuleType) -> None:
        self.store, self.ids, self.settings, self.svc = store, ids, settings, svc


@contextmanager
def _context(settings: Settings) -> Iterator[Context]:
    # Imported here, as cli.py does with its heavy parts: `barker --version` need not load the services.
    from barker.services import admin
    from barker.store import open_store

    store = open_store(settings)
    try:
        node = store.claim_node(f"barker-admin-{os.getpid()}", now_ms(), LEASE_MS)
        yield Context(store, IdGenerator(node), settings, admin)
    finally:
        store.close()


def run(args: argparse.Namespace, settings: Settings) -> None:
    try:
        with _context(settings) as ctx:
            args.run(ctx, args)
    except BarkerError as e:
        sys.exit(f"barker admin: {e.message}")
    except OSError as e:
        sys.exit(f"barker admin: {e}")


def _password_from_stdin() -> str:
    line = sys.stdin.readline().rstrip("\r\n")
    return validation.password(line)


def _hash(ctx: Context, password: str) -> str:
    from barker.security import make_hasher

    return make_hasher(ctx.settings).hash(password)


def _checked_handle(handle: str) -> str:
    """The handle rules, except that the operator may take a reserved name (admin, support...): reserving
    them keeps users from posing as staff, and the operator is the staff."""
    try:
        return validation.handle(handle)
    except Invalid as e:
        if e.code != "reserved_handle":
            raise
        return handle


def _account_create(ctx: Context, args: argparse.Namespace) -> None:
    handle = _checked_handle(args.handle)
    password = _password_from_stdin() if args.password_stdin else ctx.svc.one_time_password()
    view = ctx.svc.create_account(ctx.store, ctx.ids, ctx.svc.OPERATOR, handle, _hash(ctx, password), args.role)
    print(f"created @{view['handle']} ({view['role']})")
    if not args.password_stdin:
        print(f"password: {password}")


def _account_list(ctx: Context, args: argparse.Namespace) -> None:
    page = ctx.svc.list_accounts(ctx.store, args.role, args.state, None, None, args.limit)
    for item in page.items:
        flag = "  must change password" if item["must_change_password"] else ""
        print(f"@{item['handle']}\t{item['role']}\t{item['state']}\t{item['created_at']}{flag}")


def _account_promote(ctx: Context, args: argparse.Namespace) -> None:
    view = ctx.svc.set_role(ctx.store, ctx.ids, ctx.svc.OPERATOR, args.handle, args.role)
    print(f"@{view['handle']} is now {view['role']}")


def _account_demote(ctx: Context, args: argparse.Namespace) -> None:
    view = ctx.svc.set_role(ctx.store, ctx.ids, ctx.svc.OPERATOR, args.handle, "user")
    print(f"@{view['handle']} is now {view['role']}")


def _account_suspend(ctx: Context, args: argparse.Namespace) -> None:
    from barker.services import moderation

    view, _ = moderation.suspend_account(ctx.store, ctx.ids, ctx.svc.OPERATOR, args.handle, args.reason)
    print(f"@{view['handle']} is suspended; every session of it was revoked")


def _account_unsuspend(ctx: Context, args: argparse.Namespace) -> None:
    from barker.services import moderation

    view = moderation.unsuspend_account(ctx.store, ctx.ids, ctx.svc.OPERATOR, args.handle, args.reason)
    print(f"@{view['handle']} is active again (it logs in anew)")


def _account_reset_password(ctx: Context, args: argparse.Namespace) -> None:
    password = _password_from_stdin() if args.stdin else ctx.svc.one_time_password()
    ctx.svc.reset_password(ctx.store, ctx.ids, ctx.svc.OPERATOR, args.handle, _hash(ctx, password))
    print("password reset; every session revoked; it must be changed at the next log-in")
    if not args.stdin:
        print(f"one-time password: {password}")


def _account_delete(ctx: Context, args: argparse.Namespace) -> None:
    from barker.services import moderation

    if not args.yes:
        # On stderr, so that stdout holds only the outcome; a closed stdin is a no.
        print(f"delete @{args.handle} and everything of it, for good? [y/N] ", end="",
              file=sys.stderr, flush=True)
        if sys.stdin.readline().strip().lower() not in ("y", "yes"):
            sys.exit("barker admin: not deleted")
    from barker import fanout

    name = moderation.delete_account(ctx.store, ctx.ids, ctx.svc.OPERATOR, args.handle)
    # Hidden now; the departure job removes the rest in batches. Run here, with whatever else is queued (a
    # running server's worker may share the work: each batch is its own transaction), so that the command
    # ends when nothing of the account is left.
    fanout.drain(ctx.store, ctx.settings.fanout_batch_size)
    print(f"deleted @{name}; the handle stays retired")


def _report_list(ctx: Context, args: argparse.Namespace) -> None:
    from barker.services import moderation

    page = moderation.report_queue(ctx.store, args.state, None, args.limit, None)
    for item in page.items:
        barks = ",".join(str(b["id"]) + (" (deleted)" if b.get("deleted") else "") for b in item["barks"])
        # A user wrote it: no control character reaches the operator's terminal (nor breaks the columns).
        text = "".join(ch if ch.isprintable() else " " for ch in item["text"] or "")
        print(f"{item['id']}\t{item['state']}\t{item['created_at']}\tby @{item['reporter']}\t"
              f"about @{item['handle']}\t{item['reason']}\tbarks {barks or '-'}\t{text}")


def _registrations(ctx: Context, args: argparse.Namespace) -> None:
    if args.mode is not None:
        ctx.svc.set_registration_mode(ctx.store, ctx.ids, ctx.svc.OPERATOR, args.mode)
    mode = ctx.svc.registration_mode(ctx.store, ctx.settings.registrations)
    note = " (BARKER_REGISTRATIONS=closed overrides the stored mode)" if (
        args.mode not in (None, "closed") and mode == "closed") else ""
    print(f"registrations: {mode}{note}")


def _invite_create(ctx: Context, args: argparse.Namespace) -> None:
    view = ctx.svc.create_invite(ctx.store, ctx.ids, ctx.svc.OPERATOR, args.uses, args.expires_days)
    expires = view["expires_at"] or "never"
    print(f"invite {view['id']}: {view['code']}  ({view['max_uses']} uses, expires {expires})")


def _invite_list(ctx: Context, args: argparse.Namespace) -> None:
    for item in ctx.svc.list_invites(ctx.store):
        state = "usable" if item["usable"] else "used up or expired"
        print(f"{item['id']}\tby {item['created_by']}\t{item['uses']}/{item['max_uses']} used\t"
              f"expires {item['expires_at'] or 'never'}\t{state}")


def _invite_revoke(ctx: Context, args: argparse.Namespace) -> None:
    ctx.svc.revoke_invite(ctx.store, ctx.ids, ctx.svc.OPERATOR, args.code)
    print("invite revoked")
