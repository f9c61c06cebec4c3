"""The account-deletion benchmark (bench/departure_bench.py, bench/departure_seed.py) at a tiny size: the
dataset on a real SqliteStore, and one round against a real `barker serve` (no timed assertions)."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

from bench import departure_bench, departure_seed


def test_the_dataset_has_the_big_account_its_followers_and_their_streams(tmp_path: Path) -> None:
    db = tmp_path / "barker.db"
    facts = departure_seed.build(db, barks=200, followers=30, others=12, fanned=50)
    with closing(sqlite3.connect(db)) as con:
        def one(sql: str, *params: object) -> int:
            return int(con.execute(sql, params).fetchone()[0])

        leaver = one("SELECT id FROM users WHERE handle = ?", departure_seed.LEAVER)
        assert one("SELECT count(*) FROM barks WHERE author = ?", leaver) == 200 == facts["leaver_barks"]
        assert one("SELECT count(*) FROM follows WHERE followee = ?", leaver) == 30
        assert one("SELECT followers_count FROM users WHERE id = ?", leaver) == 30
        # Only the newest 50 reach the followers' streams, and every follower has each of them.
        assert one("SELECT count(*) FROM stream_all WHERE author = ? AND kind = 'bark' AND owner != ?",
                   leaver, leaver) == 50 * 30
        assert one("SELECT count(*) FROM jobs") == 0
        assert facts["replies_to_leaver"] == facts["replies"] > 0
        assert facts["rebarks_of_leaver"] == facts["rebarks"] > 0
        assert facts["reactions_on_leaver"] == facts["reactions"] > 0
        assert one("SELECT count(*) FROM reactions WHERE user_id = ?", leaver) == facts["leaver_reactions"] > 0
    assert not db.with_name("barker.db-wal").exists() or db.with_name("barker.db-wal").stat().st_size == 0


def test_phases_and_buckets_follow_the_deletion() -> None:
    requests = [("read", -1.5, 0.002, 200), ("write", -0.2, 0.9, 201), ("write", 0.3, 1.2, 201),
                ("read", 0.4, 0.003, 200), ("read", 2.5, 0.004, 503), ("write", 2.6, 0.002, "ClientOSError")]
    summary = departure_bench.summarise(requests, 2.0, 2.0)  # everything gone when the DELETE answered
    writes, reads = summary["phases"]["write"], summary["phases"]["read"]
    assert (writes["before"]["requests"], writes["during"]["requests"], writes["after"]["requests"]) == (1, 1, 1)
    assert writes["purging"]["requests"] == reads["purging"]["requests"] == 0
    assert writes["during"]["max_ms"] == 1200.0
    assert (reads["after"]["errors"], reads["after"]["server_errors"]) == (1, 1)
    assert (writes["after"]["errors"], writes["after"]["server_errors"]) == (1, 1)
    assert [b["second"] for b in summary["buckets"]] == [-2, -1, 0, 2]
    assert summary["buckets"][2]["read"]["requests"] == summary["buckets"][2]["write"]["requests"] == 1
    # The departure job still running after the answer: requests sent meanwhile are its own phase.
    purging = departure_bench.summarise(requests, 2.0, 2.55)["phases"]
    assert (purging["read"]["purging"]["requests"], purging["read"]["after"]["requests"]) == (1, 0)
    assert (purging["write"]["purging"]["requests"], purging["write"]["after"]["requests"]) == (0, 1)


def test_one_round_deletes_the_account_on_a_real_server(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = departure_bench.main(["--barks", "80", "--followers", "20", "--others", "10", "--fanned", "40",
                                   "--rounds", "1", "--readers", "2", "--writers", "1", "--before", "0.5",
                                   "--after", "0.5", "--data-dir", str(tmp_path), "--out", str(out)])
    (only,) = result["rounds"]
    assert only["deletion_status"] == 204
    for kind in ("read", "write"):
        for phase in ("before", "after"):
            stats = only["phases"][kind][phase]
            assert stats["requests"] > 0 and stats["errors"] == 0, (kind, phase, stats)
    with closing(sqlite3.connect(tmp_path / "departure-run" / "barker.db")) as con:
        assert con.execute("SELECT count(*) FROM users WHERE handle = ?", (departure_seed.LEAVER,)).fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM barks WHERE text LIKE 'Leaver''s bark%'").fetchone()[0] == 0
    (report,) = out.glob("departure-*.json")
    assert json.loads(report.read_text())["median"]["deletion_s"] == only["deletion_s"]
