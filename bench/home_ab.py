"""One timed run of the home timeline for a before/after comparison (bench/metrics_ab.py, bench/safety_ab.py):
a `barker serve` of the given checkout on a copy of a dataset, the given readers logged in, one connection
each, `GET /v1/timelines/home` for the warm-up and then the timed seconds."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from barker.seed import DEMO_PASSWORD
from bench.http_bench import HOME_LIMIT
from bench.loadgen import client_session, fixed, log_in, page_items, run_scenario
from bench.servers import Server, free_port


async def home_rps(variant: str, code_dir: Path, env: dict[str, str], db: Path, handles: list[str],
                   args: argparse.Namespace) -> dict[str, Any]:
    """The run's summary (req/s, latency percentiles, errors, CPU) plus the mean items per sampled page.
    `args` gives concurrency, warmup and duration; the server logs to `<variant>.log` beside the database."""
    port = free_port()
    argv = [sys.executable, "-m", "backend.cli", "serve", "--data-dir", str(db.parent), "--host", "127.0.0.1",
            "--port", str(port), "--log-level", "warning", "--no-access-log"]
    log = db.parent / f"{variant.replace(' ', '_').replace(',', '')}.log"
    with Server(variant, argv, port, "/readyz", log, code_dir=code_dir, env=env) as srv:
        async with client_session(args.concurrency) as session:
            tokens = await log_in(session, srv.base, handles, DEMO_PASSWORD)
            result = await run_scenario(session, variant, f"GET /v1/timelines/home?limit={HOME_LIMIT}", tokens,
                                        fixed("GET", f"{srv.base}/v1/timelines/home?limit={HOME_LIMIT}"),
                                        server_cpu=srv.cpu_seconds, warmup=args.warmup, duration=args.duration,
                                        sampler=page_items)
    summary = result.summary()
    summary["items_per_page"] = round(sum(result.samples) / len(result.samples), 1) if result.samples else 0.0
    print(f"  {variant:<24} {summary['rps']:8.0f} req/s  p50 {summary.get('p50_ms')} ms  "
          f"p99 {summary.get('p99_ms')} ms  items/page {summary['items_per_page']}  errors {summary['errors']}",
          flush=True)
    return summary
