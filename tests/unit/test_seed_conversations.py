"""The demo data has conversations: replies a few deep, hashtags, mentions and the notifications they make,
written through the same content rules as the API (barker.services.barks.bark_content)."""

from __future__ import annotations

from pathlib import Path

from barker.seed import SeedPlan, seed
from barker.store.sqlite import SqliteStore


def test_demo_data_has_replies_tags_mentions_and_notifications(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "demo.db")
    report = seed(store, SeedPlan(users=60, barks=600, random_seed=7), "hash")
    assert 0.15 * report.barks < report.replies < 0.35 * report.barks
    views = store.bark_views(store.public_bark_ids(None, 200, viewer=None), None)
    originals = [v for v in views if v["rebark_of"] is None]
    assert any(v["reply_to"] for v in originals) and any(v["reply_count"] for v in originals)
    assert any(v["tags"] for v in originals) and any(v["mentions"] for v in originals)
    for view in originals:  # every entity is where its range says
        for entity in view["entities"]:
            assert view["text"][entity["start"]] in {"mention": "@", "tag": "#", "url": "h"}[entity["type"]]
    demo = report.user_ids[0]
    assert store.notification_page(demo, None, 50, None)
    store.close()
