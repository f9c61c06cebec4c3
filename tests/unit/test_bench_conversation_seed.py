"""The conversations benchmark's dataset generator (bench/conversation_seed.py) at a tiny size, on a real
SqliteStore: the reply tree, the big thread, tags, mentions and their entities (checked against the
server's own parser), the notification history, and fan-out on or off."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import orjson

from barker.text_entities import parse_text
from bench.conversation_seed import build


def test_replies_thread_tags_mentions_and_notifications(tmp_path: Path) -> None:
    db = tmp_path / "barker.db"
    facts = build(db, 60, 800, 3, fanout_rows=False)
    con = sqlite3.connect(db)
    try:
        def one(sql: str, *params: object) -> int:
            return con.execute(sql, params).fetchone()[0]

        assert facts["originals"] + facts["rebarks"] == 800
        assert one("SELECT count(*) FROM replies") == facts["replies"] > 0
        assert facts["self_replies"] > 0
        assert one("SELECT count(*) FROM barks WHERE reply_to = reply_to AND reply_author = author") == \
            facts["self_replies"]
        # The big thread: a quarter of the barks at this size, exactly its own replies under its root.
        assert facts["thread_replies"] == 800 // 4 - 1
        depth, size = con.execute(
            "WITH RECURSIVE t(id, d) AS (SELECT ?, 0 UNION ALL SELECT r.id, t.d + 1 FROM replies r JOIN t "
            "ON r.parent = t.id) SELECT max(d), count(*) - 1 FROM t", (facts["thread_root"],)).fetchone()
        assert size == facts["thread_replies"]
        assert depth >= facts["thread_chain"] > 1  # a chain, and branches beside it
        assert one("SELECT count(*) FROM replies WHERE parent = ?", facts["thread_root"]) > 1

        tagged = mentioning = 0
        for text, author, mentions, tags, entities in con.execute(
                "SELECT text, author, mentions, tags, entities FROM barks WHERE text IS NOT NULL"):
            parsed = parse_text(text)
            ents = orjson.loads(entities)
            # The generator's code-point ranges are the ones the server's parser finds.
            assert [(e["start"], e["end"], e["tag"]) for e in ents if e["type"] == "tag"] == \
                [(t.start, t.end, t.tag) for t in parsed.tags]
            assert [(e["start"], e["end"], e["handle"]) for e in ents if e["type"] == "mention"] == \
                [(m.start, m.end, m.handle) for m in parsed.mentions]
            assert orjson.loads(tags) == [e["tag"] for e in ents if e["type"] == "tag"]
            assert orjson.loads(mentions) == [e["user_id"] for e in ents if e["type"] == "mention"]
            assert author not in orjson.loads(mentions)
            tagged += tags != "[]"
            mentioning += mentions != "[]"
        assert (tagged, mentioning) == (facts["tagged"], facts["mentioning"])
        assert tagged > 0 and mentioning > 0
        assert one("SELECT count(*) FROM bark_tags") == one(
            "SELECT count(*) FROM barks b, json_each(b.tags)")

        # Every reply to someone else notifies them; the history counts what the build says.
        assert one("SELECT count(*) FROM notifications WHERE type = 'reply'") == one(
            "SELECT count(*) FROM barks WHERE reply_to IS NOT NULL AND reply_author != author") > 0
        assert one("SELECT count(*) FROM notifications") == facts["notifications"]
        assert one("SELECT count(*) FROM notifications WHERE type = 'follow'") == facts["follows"]
        # Without fan-out the queue is empty, so a server on this data does not start fanning out.
        assert one("SELECT count(*) FROM jobs WHERE kind = 'fanout'") == 0
        assert facts["fanout_jobs_dropped"] > 0
    finally:
        con.close()


def test_fanout_fills_streams_and_empties_the_queue(tmp_path: Path) -> None:
    db = tmp_path / "barker.db"
    facts = build(db, 40, 200, 5, fanout_rows=True)
    con = sqlite3.connect(db)
    try:
        assert facts["stream_rows"] > 0
        assert con.execute("SELECT count(*) FROM jobs").fetchone()[0] == 0
        assert con.execute("SELECT count(*) FROM stream_all WHERE kind = 'bark'").fetchone()[0] > 0
    finally:
        con.close()
