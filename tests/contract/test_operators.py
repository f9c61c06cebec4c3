"""The operators' part of the store contract, on every adapter: roles and account states, restricted
sessions, server settings, invites (uses, expiry, revocation) and the audit log."""

from __future__ import annotations

from barker.ids import IdGenerator
from barker.ports.operators import AuditEntry, NewInvite
from barker.ports.types import NewUser
from tests.store_testing import StoreUnderTest


def user(store: StoreUnderTest, ids: IdGenerator, handle: str, **extra: str) -> int:
    user_id = ids.next()
    store.create_user(NewUser(user_id, handle, handle.lower(), handle.title(), "", "h", **extra))
    return user_id


def test_new_accounts_are_active_users_unless_told(store: StoreUnderTest, ids: IdGenerator) -> None:
    alice = user(store, ids, "alice")
    boss = user(store, ids, "boss", role="admin")
    newbie = user(store, ids, "newbie", state="pending")
    info = store.account_info(alice)
    assert info is not None and (info.handle, info.role, info.state, info.must_change_password) == (
        "alice", "user", "active", False)
    assert store.account_info(boss).role == "admin"  # type: ignore[union-attr]
    assert store.account_info(newbie).state == "pending"  # type: ignore[union-attr]
    assert store.account_info(ids.next()) is None
    creds = store.credentials("newbie")
    assert creds is not None and (creds.state, creds.must_change_password) == ("pending", False)


def test_roles_states_and_the_account_list(store: StoreUnderTest, ids: IdGenerator) -> None:
    alice, bob, carol = (user(store, ids, h) for h in ("alice", "bob", "carol"))
    store.set_role(bob, "moderator")
    store.set_role(carol, "admin")
    store.set_account_state(alice, "pending")
    assert store.count_role("admin") == 1 and store.count_role("moderator") == 1
    assert [a.id for a in store.account_page(None, None, None, None, 10)] == [carol, bob, alice]
    assert [a.id for a in store.account_page("moderator", None, None, None, 10)] == [bob]
    assert [a.id for a in store.account_page(None, "pending", None, None, 10)] == [alice]
    assert [a.id for a in store.account_page(None, None, "ca", None, 10)] == [carol]
    assert [a.id for a in store.account_page(None, None, None, carol, 1)] == [bob]
    assert store.account_page("admin", "pending", None, None, 10) == []


def test_a_pending_account_can_be_removed_and_its_handle_taken_again(store: StoreUnderTest,
                                                                    ids: IdGenerator) -> None:
    active = user(store, ids, "active")
    pending = user(store, ids, "newbie", state="pending")
    assert not store.remove_pending_account(active) and store.account_info(active) is not None
    assert store.remove_pending_account(pending)
    assert store.account_info(pending) is None and store.user_id_by_handle("newbie") is None
    assert not store.remove_pending_account(pending)
    again = user(store, ids, "newbie")
    assert store.user_id_by_handle("newbie") == again


def test_restricted_tokens_until_the_flag_is_cleared(store: StoreUnderTest, ids: IdGenerator) -> None:
    alice = user(store, ids, "alice")
    store.set_must_change_password(alice, True)
    assert store.credentials("alice").must_change_password  # type: ignore[union-attr]
    store.create_token(b"r" * 32, alice, 10**15, restricted=True)
    store.create_token(b"f" * 32, alice, 10**15)
    assert store.token_user(b"r" * 32, 0) is None and store.restricted_token_user(b"r" * 32, 0) == alice
    assert store.token_user(b"f" * 32, 0) == alice and store.restricted_token_user(b"f" * 32, 0) is None
    assert store.restricted_token_user(b"r" * 32, 10**15) is None  # expired
    store.set_must_change_password(alice, False)
    assert not store.account_info(alice).must_change_password  # type: ignore[union-attr]
    assert store.token_user(b"r" * 32, 0) == alice and store.restricted_token_user(b"r" * 32, 0) is None


def test_suspension_revokes_every_token_with_the_state_and_unsuspension_brings_none_back(
        store: StoreUnderTest, ids: IdGenerator) -> None:
    alice, bob = user(store, ids, "alice"), user(store, ids, "bob")
    newbie = user(store, ids, "newbie", state="pending")
    store.create_token(b"a" * 32, alice, 10**15)
    store.create_token(b"r" * 32, alice, 10**15, restricted=True)
    store.create_token(b"b" * 32, bob, 10**15)
    assert store.suspend_account(alice) == 2
    info = store.account_info(alice)
    assert info is not None and info.state == "suspended"
    assert store.credentials("alice").state == "suspended"  # type: ignore[union-attr]  # what log-in reads
    assert store.token_user(b"a" * 32, 0) is None and store.restricted_token_user(b"r" * 32, 0) is None
    assert store.token_user(b"b" * 32, 0) == bob  # nobody else's
    assert [a.id for a in store.account_page(None, "suspended", None, None, 10)] == [alice]
    # Only an active account is suspended; anything else changes nothing.
    store.create_token(b"n" * 32, newbie, 10**15)
    assert store.suspend_account(alice) is None and store.suspend_account(newbie) is None
    assert store.suspend_account(ids.next()) is None
    assert store.account_info(newbie).state == "pending"  # type: ignore[union-attr]
    assert store.token_user(b"n" * 32, 0) == newbie
    assert not store.unsuspend_account(bob) and not store.unsuspend_account(newbie)
    assert store.account_info(bob).state == "active"  # type: ignore[union-attr]
    assert store.unsuspend_account(alice) and not store.unsuspend_account(alice)
    assert store.account_info(alice).state == "active"  # type: ignore[union-attr]
    assert store.token_user(b"a" * 32, 0) is None  # the tokens stay revoked
    assert store.suspend_account(alice) == 0  # again, with no session left


def test_server_settings(store: StoreUnderTest) -> None:
    assert store.server_setting("registration_mode") is None
    store.set_server_setting("registration_mode", "invite")
    store.set_server_setting("registration_mode", "approval")
    assert store.server_setting("registration_mode") == "approval"


def test_invites_count_uses_expire_and_are_revoked(store: StoreUnderTest, ids: IdGenerator) -> None:
    two, soon = ids.next(), ids.next()
    store.create_invite(NewInvite(two, b"a" * 32, "operator", 2, None))
    store.create_invite(NewInvite(soon, b"b" * 32, "boss", 5, 1000))
    assert store.use_invite(b"a" * 32, 10**13) and store.use_invite(b"a" * 32, 10**13)
    assert not store.use_invite(b"a" * 32, 10**13)  # used up
    assert store.use_invite(b"b" * 32, 999) and not store.use_invite(b"b" * 32, 1000)  # expired
    assert not store.use_invite(b"c" * 32, 0)  # unknown
    listed = store.invites(10)
    assert [(i.id, i.created_by, i.max_uses, i.uses, i.expires_ms) for i in listed] == [
        (soon, "boss", 5, 1, 1000), (two, "operator", 2, 2, None)]
    assert [i.id for i in store.invites(1)] == [soon]
    assert store.revoke_invite(two, None) and store.revoke_invite(None, b"b" * 32)
    assert not store.revoke_invite(two, b"b" * 32) and store.invites(10) == []


def test_the_audit_log_pages_newest_first(store: StoreUnderTest, ids: IdGenerator) -> None:
    entries = [AuditEntry(ids.next(), "operator", "registrations.mode", mode, None) for mode in ("a", "b", "c")]
    entries.append(AuditEntry(ids.next(), "boss", "account.reject", "spammer", "spam"))
    for entry in entries:
        store.record_audit(entry)
    assert store.audit_page(None, 10) == entries[::-1]
    assert store.audit_page(entries[2].id, 2) == [entries[1], entries[0]]
