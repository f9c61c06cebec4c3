"""The stream session's state machine without a socket: each event leads to the documented state and close
code (docs/stream.md), and a transition asked for in a state it does not start from raises."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest

from barker.gateway import StoreGateway
from barker.settings import Settings
from barker.store.sqlite import SqliteStore
from barker.stream_session import Close, IllegalTransition, State, StreamSession
from barker.streams import StreamHub


def in_state(state: State) -> StreamSession:
    """A session brought to `state` through the transitions a socket goes through."""
    session = StreamSession(7, "tok")
    if state is State.OPENING:
        return session
    if state in (State.CLOSING, State.CLOSED):
        session.refuse(Close.UNAUTHORIZED, "no")
        if state is State.CLOSED:
            session.closed()
        return session
    session.replay_from(41)
    if state is State.LIVE:
        session.caught_up()
    return session


@pytest.mark.parametrize(("code", "reason"), [(Close.BAD_REQUEST, "after must be a non-negative integer"),
                                              (Close.UNAUTHORIZED, "unknown token"),
                                              (Close.TOO_MANY_SOCKETS, "at most 10 stream connections")])
def test_a_refused_socket_closes_with_its_code_before_any_event(code: Close, reason: str) -> None:
    session = in_state(State.OPENING)
    session.refuse(code, reason)
    assert (session.state, session.close_code, session.close_reason, session.reset) == (State.CLOSING, code,
                                                                                        reason, False)
    with pytest.raises(IllegalTransition):  # nothing is replayed to a refused socket
        session.replay_from(0)
    session.closed()
    assert session.state is State.CLOSED


def test_refuse_takes_only_the_codes_of_a_refusal() -> None:
    for code in (Close.NORMAL, Close.INTERNAL_ERROR, Close.SERVICE_RESTART, Close.TOO_SLOW):
        with pytest.raises(IllegalTransition):
            in_state(State.OPENING).refuse(code, "x")


def test_the_documented_close_codes() -> None:
    assert (Close.BAD_REQUEST, Close.UNAUTHORIZED, Close.TOO_SLOW, Close.TOO_MANY_SOCKETS,
            Close.INTERNAL_ERROR, Close.SERVICE_RESTART) == (4400, 4401, 4408, 4429, 1011, 1012)


def test_replay_then_caught_up_goes_live_once_with_the_cursor() -> None:
    session = in_state(State.OPENING)
    session.replay_from(41)
    assert (session.state, session.cursor) == (State.REPLAYING, 41)
    session.cursor = 43
    assert session.caught_up() == {"type": "caught_up", "seq": 43}
    assert session.state is State.LIVE
    with pytest.raises(IllegalTransition):
        session.caught_up()
    with pytest.raises(IllegalTransition):
        session.replay_from(0)


@pytest.mark.parametrize("state", [State.REPLAYING, State.LIVE])
def test_a_gap_is_told_and_leaves_the_state_as_it_is(state: State) -> None:
    session = in_state(state)
    assert session.gap() == {"type": "gap", "after": 41}
    assert session.state is state and session.close_code is None


@pytest.mark.parametrize("state", [State.REPLAYING, State.LIVE])
def test_a_revoked_token_closes_with_4401_and_wakes_a_parked_session(state: State) -> None:
    session = in_state(state)
    session.park()
    assert session.parked_at == 41 and not session.woken.is_set()
    session.token_revoked()
    assert (session.state, session.close_code, session.close_reason) == (State.CLOSING, Close.UNAUTHORIZED,
                                                                         "token expired or revoked")
    assert session.woken.is_set() and session.parked_at is None  # the hub prefetches nothing more for it
    with pytest.raises(IllegalTransition):
        session.park()


def test_too_slow_resets_cancels_the_stuck_send_and_keeps_4408_for_servers_that_cannot_reset() -> None:
    async def scenario() -> StreamSession:
        session = in_state(State.LIVE)
        stuck = session.task = asyncio.create_task(asyncio.sleep(3600))  # a send that never completes
        session.too_slow(10)
        with pytest.raises(asyncio.CancelledError):
            await stuck
        return session

    session = asyncio.run(scenario())
    assert session.state is State.CLOSING and session.reset
    assert (session.close_code, session.close_reason) == (Close.TOO_SLOW, "not reading: no progress sending "
                                                                          "for 10 s")


def test_a_failure_closes_with_1011_and_a_client_leaving_sends_nothing() -> None:
    failed = in_state(State.LIVE)
    failed.failed()
    assert (failed.state, failed.close_code) == (State.CLOSING, Close.INTERNAL_ERROR)
    left = in_state(State.REPLAYING)
    left.client_left()
    assert (left.state, left.close_code, left.reset) == (State.CLOSING, None, False)
    left.client_left()  # the close frame found it gone too: still closing, nothing changed
    assert (left.state, left.close_code) == (State.CLOSING, None)
    stopped = in_state(State.LIVE)
    stopped.server_stopped()  # the server sends 1012 itself
    assert (stopped.state, stopped.close_code) == (State.CLOSING, None)


Transition = Callable[[StreamSession], object]
TRANSITIONS: dict[str, tuple[Transition, set[State]]] = {
    # name: (the call, the states it may start from)
    "refuse": (lambda s: s.refuse(Close.UNAUTHORIZED, "x"), {State.OPENING}),
    "replay_from": (lambda s: s.replay_from(0), {State.OPENING}),
    "caught_up": (lambda s: s.caught_up(), {State.REPLAYING}),
    "gap": (lambda s: s.gap(), {State.REPLAYING, State.LIVE}),
    "park": (lambda s: s.park(), {State.REPLAYING, State.LIVE}),
    "token_revoked": (lambda s: s.token_revoked(), {State.REPLAYING, State.LIVE}),
    "too_slow": (lambda s: s.too_slow(10), {State.REPLAYING, State.LIVE}),
    "failed": (lambda s: s.failed(), {State.OPENING, State.REPLAYING, State.LIVE}),
    "server_stopped": (lambda s: s.server_stopped(), {State.OPENING, State.REPLAYING, State.LIVE}),
    "client_left": (lambda s: s.client_left(), {State.OPENING, State.REPLAYING, State.LIVE, State.CLOSING}),
    "closed": (lambda s: s.closed(), {State.CLOSING}),
}


@pytest.mark.parametrize("name", sorted(TRANSITIONS))
@pytest.mark.parametrize("state", list(State))
def test_every_transition_raises_outside_the_states_it_starts_from(name: str, state: State) -> None:
    call, allowed = TRANSITIONS[name]
    session = in_state(state)
    if state in allowed:
        call(session)
        # The flag the hub and the adapter read on the hot path agrees with the state.
        assert session.delivering == (session.state in (State.REPLAYING, State.LIVE))
    else:
        before = (session.state, session.close_code, session.cursor)
        with pytest.raises(IllegalTransition, match=name):
            call(session)
        assert (session.state, session.close_code, session.cursor) == before  # nothing changed


def test_the_hub_ends_only_sessions_that_are_delivering(tmp_path: Path) -> None:
    """The watchdog's events reach a session through the hub's checks: a revoked token ends a live
    session with 4401, while one still opening or already closing is left to its own end."""
    async def scenario() -> tuple[StreamSession, StreamSession, StreamSession]:
        gw = StoreGateway(SqliteStore(tmp_path / "hub.db"), Settings(data_dir=tmp_path))
        hub = StreamHub(gw, tokens_gone=lambda store, tokens: set(tokens), poll_seconds=1,
                        worker_in_process=True, send_timeout=10, revalidate_seconds=0.01)
        live, opening, closing = hub.register(1, "a"), hub.register(2, "b"), hub.register(3, "c")
        live.replay_from(0)
        live.caught_up()
        closing.replay_from(0)
        closing.client_left()
        watchdog = asyncio.create_task(hub._watch())
        await asyncio.wait_for(live.woken.wait(), 30)
        watchdog.cancel()
        gw.close()
        return live, opening, closing

    live, opening, closing = asyncio.run(scenario())
    assert (live.state, live.close_code) == (State.CLOSING, Close.UNAUTHORIZED)
    assert (opening.state, opening.close_code) == (State.OPENING, None)
    assert (closing.state, closing.close_code) == (State.CLOSING, None)
