"""Machine facts, the issue's targets, and the markdown report."""

from __future__ import annotations

import json
import os
import platform
import sqlite3
import subprocess
import time
from importlib import metadata
from pathlib import Path
from typing import Any

# From the issue: one server process on this 2-core machine.
TARGETS = {"home": (2000.0, 30.0), "post": (1500.0, 30.0)}  # scenario: (min requests/s, max p99 ms)


def code_version(root: Path) -> str | None:
    """The commit under test, marked when the working tree differs from it (outside bench/)."""
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True,
                                text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", ".", ":!bench"], cwd=root,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return commit + (" + uncommitted changes" if dirty else "")


def machine_facts() -> dict[str, Any]:
    model, mem_kib = "unknown", 0
    try:
        with open("/proc/cpuinfo") as f:
            model = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), model)
        with open("/proc/meminfo") as f:
            mem_kib = next(int(line.split()[1]) for line in f if line.startswith("MemTotal"))
    except OSError:
        pass
    versions = {}
    for package in ("fastapi", "starlette", "uvicorn", "uvloop", "httptools", "aiohttp", "orjson"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    return {"nproc": len(os.sched_getaffinity(0)), "cpu_count": os.cpu_count(), "cpu_model": model,
            "mem_gib": round(mem_kib / 2**20, 1), "kernel": platform.release(),
            "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
            "loadavg_before": os.getloadavg(), "packages": versions}


def check_targets(scenarios: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for s in scenarios:
        if s["scenario"] in TARGETS:
            rps_min, p99_max = TARGETS[s["scenario"]]
            out.append({"scenario": s["scenario"], "rps": s["rps"], "rps_target": rps_min, "p99_ms": s["p99_ms"],
                        "p99_target_ms": p99_max, "rps_ok": s["rps"] >= rps_min, "p99_ok": s["p99_ms"] < p99_max,
                        "rps_share_of_target": round(s["rps"] / rps_min, 3), "errors": s["errors"]})
    return out


def _notes(s: dict[str, Any], ceiling: float) -> str:
    notes = [] if s["scenario"] == "ceiling" else [f"{s['rps'] / ceiling:.0%} of ceiling"] if ceiling else []
    if "items_per_page" in s:
        notes.append(f"{s['items_per_page']:g} items/page ({s['empty_pages']} empty of sampled)")
    if "new_edges" in s:
        notes.append(f"{s['new_edges']:,} new follow edges")
    if "jobs_pending" in s and (s["jobs_pending"][0] or s["jobs_pending"][1]):
        notes.append(f"jobs pending {s['jobs_pending'][0]:,}→{s['jobs_pending'][1]:,}")
    notes.append(f"CPU server {s['server_cpu']:.0%} / client {s['client_cpu']:.0%} / other {s['other_cpu']:.0%}"
                 + (f" / steal {s['steal']:.0%}" if s["steal"] >= 0.05 else ""))
    if "warning" in s:
        notes.append(f"**{s['warning']}**")
    if s["errors"]:
        notes.append("errors: " + ", ".join(f"{k}×{v}" for k, v in s["statuses"].items() if not k.startswith("2")))
    return "; ".join(notes)


def render(d: dict[str, Any]) -> str:
    m, ds, opts = d["machine"], d["dataset"], d["options"]
    f = ds["facts"]
    pk = m["packages"]
    users = d["users"]
    fg = sorted(u["following"] for u in users)
    fr = sorted(u["followers"] for u in users)
    stages = ", ".join(f"{k} {v:.0f} s" for k, v in ds["stage_seconds"].items())
    server_env = ", ".join(f"{k}={v}" for k, v in sorted(os.environ.items()) if k.startswith("BARKER_"))
    lines = [
        f"# Barker HTTP benchmark, {d['started_at']}",
        "",
        f"- **Code**: {d.get('code') or 'unknown'}.",
        f"- **Machine**: {m['nproc']} CPUs ({m['cpu_model']}), {m['mem_gib']} GiB RAM, Linux {m['kernel']}; "
        f"Python {m['python']}, SQLite {m['sqlite']}; FastAPI {pk['fastapi']}, Starlette {pk['starlette']}, "
        f"uvicorn {pk['uvicorn']} (uvloop {pk['uvloop']}, httptools {pk['httptools']}), aiohttp {pk['aiohttp']}. "
        f"Load average before the run: {', '.join(f'{x:.2f}' for x in m['loadavg_before'])}.",
        f"- **Dataset**: {f['users']:,} users; {f['follows']:,} follows (following per user: mean "
        f"{f['following_mean']:g}, median {f['following_median']:g}, p90 {f['following_p90']:g}, max "
        f"{f['following_max']:,}; followers: median {f['followers_median']:g}, p90 {f['followers_p90']:g}, max "
        f"{f['followers_max']:,}); {f['barks']:,} barks + {f['rebarks']:,} rebarks; {f['reactions']:,} reactions; "
        f"{f['stream_rows']:,} stream rows; database {f['db_bytes'] / 2**20:,.0f} MiB.",
        f"- **Seeding** (barker.seed through SqliteStore, random seed {ds['random_seed']}): "
        f"{ds['seed_seconds']:.0f} s ({stages}) on {ds['seeded_at']}"
        f"{'; reused from an earlier run' if ds.get('reused') else ''}.",
        f"- **Load**: one `barker serve` process on a fresh copy of that database; {opts['concurrency']} "
        f"keep-alive connections, one closed-loop worker each, logged in as {len(users)} different users with a "
        f"typical following count ({fg[0] if fg[0] == fg[-1] else f'{fg[0]}–{fg[-1]}'}; their followers "
        f"{fr[0]}–{fr[-1]}, median "
        f"{fr[len(fr) // 2]}); {opts['warmup']:g} s warm-up then {opts['duration']:g} s timed per scenario; "
        f"client: aiohttp on {d['client_loop']}, one process, on the same machine. Server settings from the "
        f"environment: {server_env or 'defaults'}.",
        "- **Logged-in users** (handle following/followers): "
        + ", ".join(f"@{u['handle']} {u['following']}/{u['followers']}" for u in users) + ".",
        "",
        "| scenario | requests/s | p50 ms | p99 ms | max ms | errors | notes |",
        "|---|--:|--:|--:|--:|--:|---|",
    ]
    ceiling = next((s["rps"] for s in d["scenarios"] if s["scenario"] == "ceiling"), 0.0)
    for s in d["scenarios"]:
        lines.append(f"| {s['scenario']} `{s['request']}` | {s['rps']:,.0f} | {s['p50_ms']:.1f} | "
                     f"{s['p99_ms']:.1f} | {s['max_ms']:.1f} | {s['errors']} | {_notes(s, ceiling)} |")
    lines += ["", "**Targets** (issue: one server process on this 2-core machine):", ""]
    for t in d["targets"]:
        verdict = "MET" if t["rps_ok"] and t["p99_ok"] and not t["errors"] else "MISSED"
        short = "" if t["rps_ok"] else f", {t['rps_target'] - t['rps']:,.0f} req/s short"
        over = "" if t["p99_ok"] else f", {t['p99_ms'] - t['p99_target_ms']:.1f} ms over"
        lines.append(f"- {t['scenario']}: ≥ {t['rps_target']:,.0f} req/s with p99 < {t['p99_target_ms']:g} ms → "
                     f"**{verdict}**: {t['rps']:,.0f} req/s ({t['rps_share_of_target']:.0%} of target{short}), "
                     f"p99 {t['p99_ms']:.1f} ms{over}.")
    fo = d["fanout"]
    rate = (f" (≈ {fo['pending_after_post'] / fo['drained_after_s']:,.0f} jobs/s)"
            if fo["drained_after_s"] else "")
    drained = (f"drained {fo['drained_after_s']:.1f} s after the post scenario ended{rate}"
               if fo["drained_after_s"] is not None else
               f"NOT drained {fo['load_ran_for_s']:.0f} s + timeout later ({fo['left_at_timeout']:,} jobs left)")
    mean_followers = sum(fr) / len(fr)
    lines += ["", f"**Fan-out**: the post scenario created {fo['posts']:,} barks (timed part), each to be copied "
              f"into its author's followers' streams ({mean_followers:.0f} followers on average for these users); "
              f"{fo['pending_after_post']:,} outbox jobs were pending when it ended. That backlog {drained}; "
              f"the follow and second home scenarios ran during its first {fo['load_ran_for_s']:.0f} s, and "
              f"{fo['post_backlog_left_at_end_of_load']:,} of those jobs were still queued when they ended. "
              f"Jobs pending at shutdown (including the follows' backfills): {fo['pending_at_end']:,}.", ""]
    return "\n".join(lines)


def save(out: Path, name: str, lines: list[str], data: dict[str, Any]) -> str:
    """Write a report as <name>-<UTC time>.md and .json under `out`, print it and return its text."""
    text = "\n".join(lines) + "\n"
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{name}-{stamp}.md").write_text(text)
    (out / f"{name}-{stamp}.json").write_text(json.dumps(data, indent=2))
    print(text)
    return text
