from __future__ import annotations

import threading

from barker.ids import EPOCH_MS, MAX_ID, IdGenerator, compose, created_ms, now_ms


def test_ids_are_increasing_unique_and_json_safe():
    gen = IdGenerator(3)
    ids = [gen.next() for _ in range(20_000)]  # > 128 per millisecond: exercises the borrow path
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert all(0 < i <= MAX_ID for i in ids)
    assert abs(created_ms(ids[0]) - now_ms()) < 5_000


def test_nodes_never_collide():
    a, b = IdGenerator(1), IdGenerator(2)
    assert not {a.next() for _ in range(5000)} & {b.next() for _ in range(5000)}


def test_threads_share_a_generator_safely():
    gen = IdGenerator(0)
    out: list[int] = []
    lock = threading.Lock()

    def work():
        mine = [gen.next() for _ in range(5000)]
        with lock:
            out.extend(mine)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(out)) == 20_000


def test_layout_round_trips_and_lasts_until_2093():
    assert created_ms(compose(EPOCH_MS + 123_456, 31, 127)) == EPOCH_MS + 123_456
    last_ms = EPOCH_MS + (1 << 41) - 1
    assert compose(last_ms, 31, 127) == MAX_ID
    assert last_ms > 3_900_000_000_000  # 2093-08
