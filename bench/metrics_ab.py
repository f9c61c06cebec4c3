"""What /metrics costs the home timeline: `GET /v1/timelines/home` req/s with BARKER_METRICS=off, =on, and
with the code before metrics existed, alternating in one run (rounds rotate which goes first), each on a
fresh copy of the same seeded database, as bench/http_bench.py drives it (same users, same connections).

    git archive "$(git merge-base HEAD main)" | tar -x -C bench/data/base   # the code to compare with
    python -m bench.metrics_ab --base bench/data/base --rounds 3

With metrics on, nothing scrapes during the run: the cost measured is the per-request middleware (a scrape
is one store read and a few hundred lines of text, every 15 s or more).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from pathlib import Path
from typing import Any

from bench import report
from bench.dataset import ensure_dataset, fresh_copy, typical_users
from bench.home_ab import home_rps
from bench.http_bench import HOME_LIMIT
from bench.servers import ROOT

OUT = ROOT / "bench" / "results"
DATA = ROOT / "bench" / "data"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.metrics_ab", description=__doc__.split("\n\n")[0])
    p.add_argument("--base", type=Path, help="a checkout of the code before metrics (omit: off vs on only)")
    p.add_argument("--users", type=int, default=10_000)
    p.add_argument("--barks", type=int, default=100_000)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--concurrency", type=int, default=32)
    p.add_argument("--duration", type=float, default=10.0, help="timed seconds per variant and round")
    p.add_argument("--warmup", type=float, default=2.0)
    return p.parse_args(argv)


def middleware_microseconds(requests: int = 200_000, repeats: int = 5) -> dict[str, float]:
    """The middleware alone, in this process: µs per request around a do-nothing ASGI app that answers 200,
    with and without RequestMetrics (best of `repeats`, so other load on the machine counts least)."""
    from prometheus_client import CollectorRegistry, Histogram

    from backend.metrics import BUCKETS, RequestMetrics

    class Route:
        path_format = "/v1/timelines/home"

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        scope["route"] = Route  # what the router does
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})

    async def send(message: dict[str, Any]) -> None:
        pass

    histogram = Histogram("h", "h", ["method", "route", "status"], buckets=BUCKETS, registry=CollectorRegistry())
    measured = RequestMetrics(app, histogram)

    async def run(handler: Any) -> float:
        best = float("inf")
        for _ in range(repeats):
            started = time.perf_counter()
            for _ in range(requests):
                await handler({"type": "http", "method": "GET", "path": "/v1/timelines/home"}, None, send)
            best = min(best, time.perf_counter() - started)
        return best / requests * 1e6

    bare, with_metrics = asyncio.run(run(app)), asyncio.run(run(measured))
    return {"bare_us": round(bare, 3), "with_metrics_us": round(with_metrics, 3),
            "middleware_us": round(with_metrics - bare, 3)}


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    micro = middleware_microseconds()
    print(f"middleware alone: {micro['middleware_us']} µs per request ({micro})", flush=True)
    pristine, dataset = ensure_dataset(DATA, args.users, args.barks, 42, False)
    variants: list[tuple[str, Path, dict[str, str]]] = [("metrics off", ROOT, {"BARKER_METRICS": "off"}),
                                                       ("metrics on", ROOT, {"BARKER_METRICS": "on"})]
    if args.base:
        variants.append(("base (main)", args.base.resolve(), {}))
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name, _, _ in variants}
    for round_no in range(args.rounds):
        print(f"round {round_no + 1}/{args.rounds}", flush=True)
        order = variants[round_no % len(variants):] + variants[:round_no % len(variants)]
        for name, code_dir, env in order:
            db = fresh_copy(pristine, DATA / "metrics-ab-run")
            handles = [u["handle"] for u in typical_users(db, args.concurrency)]
            runs[name].append(asyncio.run(home_rps(name, code_dir, env, db, handles, args)))
    lines = [f"# Home timeline with and without /metrics ({args.users:,} users, {args.barks:,} barks)", "",
             f"{args.rounds} alternating rounds of {args.duration:g} s (after {args.warmup:g} s warm-up), "
             f"{args.concurrency} connections, `GET /v1/timelines/home?limit={HOME_LIMIT}`; machine: "
             f"{report.machine_facts()}", "",
             "| variant | req/s per round | median req/s | p50 ms (median) | p99 ms (median) | errors | "
             "other load, cores (median) |", "|---|---|---|---|---|---|---|"]
    for name, results in runs.items():
        rps = [r["rps"] for r in results]
        lines.append(f"| {name} | {', '.join(f'{x:.0f}' for x in rps)} | {statistics.median(rps):.0f} | "
                     f"{statistics.median(r.get('p50_ms') or 0 for r in results)} | "
                     f"{statistics.median(r.get('p99_ms') or 0 for r in results)} | "
                     f"{sum(r['errors'] for r in results)} | "
                     f"{statistics.median(r['other_cpu'] / r['seconds'] for r in results):.2f} |")
    lines += ["", f"The middleware alone, in-process around a do-nothing app (best of 5 x 200,000 requests): "
                  f"{micro['middleware_us']} µs per request ({micro['bare_us']} µs bare, {micro['with_metrics_us']} µs "
                  "with it)."]
    options = {k: str(v) for k, v in vars(args).items()}
    report.save(OUT, "metrics-ab", lines, {"micro": micro, "dataset": dataset, "options": options,
                                           "code": report.code_version(ROOT), "runs": runs})


if __name__ == "__main__":
    main()
