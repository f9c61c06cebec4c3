"""The conversations benchmark's scenarios at a tiny size (no timings checked): a real `barker serve` on a
seeded copy answers every scenario with full pages and no errors, and the report says so."""

from __future__ import annotations

import json
from pathlib import Path

from bench.conversations_bench import main


def test_every_read_scenario_answers_full_pages(tmp_path: Path) -> None:
    main(["--users", "60", "--barks", "1200", "--skip-home", "--duration", "1", "--warmup", "0",
          "--concurrency", "2", "--data-dir", str(tmp_path / "data"), "--out", str(tmp_path / "out")])
    [report] = (tmp_path / "out").glob("conversations-*.json")
    data = json.loads(report.read_text())
    targets = data["targets"]
    assert targets["thread_replies"] == 1200 // 4 - 1
    assert targets["tags"]["popular"]["barks"] > 0 and targets["words"]["common"]["barks"] > 0
    reads = {r["scenario"]: r for r in data["reads"]}
    # 299 replies: six pages of 50, so the later page read is the last, the sixth (49 items).
    assert set(reads) == {"thread, first page", "thread, page 6", "tag timeline, popular tag",
                          "tag timeline, rare tag", "search, common word", "search, rare word", "search, word + tag",
                          "notifications page"}
    for name, r in reads.items():
        assert r["requests"] > 0 and r["errors"] == 0, (name, r["error_samples"])
    # Pages that the data fills are full.
    for name in ("thread, first page", "tag timeline, popular tag", "search, common word", "notifications page"):
        assert reads[name]["items_per_page"] == 50, name
    assert reads["thread, page 6"]["items_per_page"] == 49
    md = next((tmp_path / "out").glob("conversations-*.md")).read_text()
    assert "| thread, first page |" in md and "not fanned out" in md
