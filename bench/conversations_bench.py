"""Conversations under load (issue 18): a thread of 1,000 replies, tag timelines, bark search and a
notifications page on a large dataset with replies, tags and mentions; and the home timeline before and
after issue 18 (the reply rule), the two builds alternating in one run, each on its own dataset of the same
size seeded by the same generator (bench/conversation_seed.py).

    python -m bench.conversations_bench                 # 100,000 users / 1,000,000 barks; home A/B 10,000 / 100,000
    python -m bench.conversations_bench --quick         # small smoke run
    python -m bench.conversations_bench --skip-home     # the conversation reads only

The code before issue 18 (--base-commit, default b86a5aa) is extracted with `git archive` into
/tmp/barker-before-<commit> unless --base gives a checkout. Reports: bench/results/conversations-*.md/.json.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

import orjson

from barker.seed import DEMO_PASSWORD
from bench import report
from bench.conversation_seed import rare_word, tag_name
from bench.dataset import fresh_copy, typical_users
from bench.loadgen import Result, client_session, fixed, log_in, page_items, run_scenario
from bench.servers import ROOT, Server, free_port

OUT = ROOT / "bench" / "results"
DATA = ROOT / "bench" / "data"
GENERATOR = ROOT / "bench" / "conversation_seed.py"
PAGE = 50  # every page read here asks for 50 items, as the home timeline benchmark does
THREAD_LATER_PAGE = 10  # "a later page": the 10th page of the thread's descendants
COMMON_WORD, WORD_TAG = "coffee", ("weekend", "rust")  # topic word (~10% of barks); template word + top tag
RARE_WORD_RANK, RARE_TAG_RANK = 2_000, 3_000  # a word in about a dozen barks; a tag of a few dozen


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.conversations_bench", description=__doc__.split("\n\n")[0])
    p.add_argument("--users", type=int)
    p.add_argument("--barks", type=int)
    p.add_argument("--home-users", type=int, help="home A/B dataset (fanned out); default 10,000")
    p.add_argument("--home-barks", type=int, help="default 100,000")
    p.add_argument("--base", type=Path, help="a checkout of the code before issue 18")
    p.add_argument("--base-commit", default="b86a5aa")
    p.add_argument("--also", action="append", default=[], metavar="NAME=COMMIT",
                   help="another build in the home rounds, e.g. no-rule=1f9ef75 (repeatable)")
    p.add_argument("--rounds", type=int, default=3, help="home A/B rounds (each runs both builds)")
    p.add_argument("--concurrency", type=int, default=8, help="connections for the conversation reads")
    p.add_argument("--home-concurrency", type=int, default=32)
    p.add_argument("--duration", type=float, help="timed seconds per scenario (default 10)")
    p.add_argument("--warmup", type=float, default=2.0)
    p.add_argument("--random-seed", type=int, default=42)
    p.add_argument("--skip-home", action="store_true")
    p.add_argument("--skip-reads", action="store_true")
    p.add_argument("--reseed", action="store_true")
    p.add_argument("--seed-only", action="store_true", help="seed the datasets (unless reused), run nothing")
    p.add_argument("--data-dir", type=Path, default=DATA)
    p.add_argument("--out", type=Path, default=OUT)
    p.add_argument("--quick", action="store_true", help="2,000 users, 20,000 barks, 3 s per scenario, 1 round")
    args = p.parse_args(argv)
    args.users = args.users or (2_000 if args.quick else 100_000)
    args.barks = args.barks or (20_000 if args.quick else 1_000_000)
    args.home_users = args.home_users or (2_000 if args.quick else 10_000)
    args.home_barks = args.home_barks or (20_000 if args.quick else 100_000)
    args.duration = args.duration or (3.0 if args.quick else 10.0)
    if args.quick:
        args.rounds = 1
    return args


# --- datasets ---------------------------------------------------------------------------------------------

def code_key(tree: Path, fanout: bool) -> str:
    """What a seeded dataset depends on: the generator and the tree's seeder; with fan-out also the tree's
    store (the reply rule applies at fan-out). Without fan-out a change of the store's code does not reseed
    (a 1,000,000-bark dataset takes about half an hour here): a server migrates an older schema on start."""
    files = [GENERATOR, tree / "barker" / "seed.py"]
    if fanout:
        files += [tree / "barker" / "fanout.py", *sorted((tree / "barker" / "store").glob("sqlite*.*")),
                  *sorted((tree / "barker" / "store" / "sqlite_sql").glob("*.py"))]
    digest = hashlib.sha256()
    for f in files:
        if f.exists():
            digest.update(f.read_bytes())
    return digest.hexdigest()[:16]


def ensure(root: Path, tree: Path, label: str, users: int, barks: int, random_seed: int, fanout: bool,
           reseed: bool) -> tuple[Path, dict[str, Any]]:
    """The pristine database of this tree and size, seeded by `tree`'s store (reused while its key holds)."""
    home = root / f"conv-{users}u-{barks}b" if label == "this" else root / f"conv-{users}u-{barks}b-{label}"
    if fanout:
        home = home.with_name(home.name + "-fanout")
    meta_path, db = home / "dataset.json", home / "barker.db"
    key = code_key(tree, fanout)
    if not reseed and meta_path.exists() and db.exists():
        meta = json.loads(meta_path.read_text())
        if meta.get("code_key") == key and meta.get("random_seed") == random_seed:
            return db, meta | {"reused": True}
        print(f"{home}: generator, seeder or store changed since it was seeded; seeding again", flush=True)
    if home.exists():
        shutil.rmtree(home)
    home.mkdir(parents=True)
    print(f"seeding {home.name} with {tree} ({users:,} users, {barks:,} barks, fan-out {fanout})", flush=True)
    env = {**os.environ, "PYTHONPATH": str(tree)}
    argv = [sys.executable, "-P", str(GENERATOR), str(db), str(users), str(barks), str(random_seed)]
    done = subprocess.run(argv + (["--fanout"] if fanout else []), env=env, cwd=tree, stdout=subprocess.PIPE,
                          check=True, text=True)
    meta = json.loads(done.stdout.strip().splitlines()[-1])
    meta |= {"code_key": key, "tree": str(tree), "seeded_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    meta_path.write_text(json.dumps(meta, indent=2))
    return db, meta | {"reused": False}


def base_tree(args: argparse.Namespace) -> Path:
    return args.base.resolve() if args.base else commit_tree(args.base_commit)


def commit_tree(commit: str) -> Path:
    """A commit's files in /tmp/barker-before-<commit> (git archive; extracted once)."""
    tree = Path(f"/tmp/barker-before-{commit}")
    if not (tree / "barker").exists():
        tree.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "archive", commit], cwd=ROOT, capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)
    return tree


def stream_bark_rows(db: Path) -> int:
    """Barks in the streams (what home timelines read): the reply rule leaves some replies out."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return con.execute("SELECT count(*) FROM stream_all WHERE kind = 'bark'").fetchone()[0]
    finally:
        con.close()


# --- the conversation reads -------------------------------------------------------------------------------

def add_new_schema_objects(db: Path) -> None:
    """Create what this checkout's schema has and the dataset lacks (every statement of sqlite_schema.sql
    is IF NOT EXISTS): an index added within the same schema version after the reads' dataset was seeded
    (it is not reseeded for a store change) would otherwise be missing from it."""
    con = sqlite3.connect(db)
    try:
        con.executescript((ROOT / "barker" / "store" / "sqlite_schema.sql").read_text())
    finally:
        con.close()


def read_targets(db: Path, root: int) -> dict[str, Any]:
    """The thread (under `root`, the generator's big thread), tags, words and the most-notified user, with
    how many barks each query matches."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        def one(sql: str, *params: Any) -> Any:
            return con.execute(sql, params).fetchone()

        tags = {"popular": tag_name(0), "rare": tag_name(RARE_TAG_RANK)}
        words = {"common": COMMON_WORD, "rare": rare_word(RARE_WORD_RANK)}
        owner, notified = one("SELECT owner, count(*) FROM notifications GROUP BY owner ORDER BY 2 DESC LIMIT 1")
        size = one("WITH RECURSIVE t(id) AS (SELECT ? UNION ALL SELECT r.id FROM replies r JOIN t ON r.parent = "
                   "t.id) SELECT count(*) - 1 FROM t", root)[0]
        word, tag = WORD_TAG
        return {
            "thread_root": root, "thread_replies": size,
            "tags": {k: {"tag": t, "barks": one("SELECT count(*) FROM bark_tags WHERE tag = ?", t)[0]}
                     for k, t in tags.items()},
            "words": {k: {"q": w, "barks": one("SELECT count(*) FROM barks_fts WHERE barks_fts MATCH ?", w)[0]}
                      for k, w in words.items()},
            "word_tag": {"q": f"{word} #{tag}", "barks": one(
                "SELECT count(*) FROM barks_fts f JOIN bark_tags t ON t.bark = f.rowid AND t.tag = ? "
                "WHERE barks_fts MATCH ?", tag, word)[0]},
            "notified": {"handle": one("SELECT handle FROM users WHERE id = ?", owner)[0], "notifications": notified},
        }
    finally:
        con.close()


async def thread_cursor(session: Any, base: str, token: str, root: int, page: int) -> tuple[int, int | None]:
    """(page number, its `after` cursor) of the thread's `page`-th page (1-based), walked from the first;
    the last page instead when the thread has fewer pages."""
    after: int | None = None
    for number in range(1, page):
        url = f"{base}/v1/barks/{root}/thread?limit={PAGE}" + (f"&after={after}" if after else "")
        async with session.get(url, headers={"Authorization": f"Bearer {token}"}) as resp:
            body = await resp.read()
            if resp.status != 200:
                raise RuntimeError(f"thread page: {resp.status} {body[:200]!r}")
        next_after = orjson.loads(body)["next_after"]
        if next_after is None:
            return number, after
        after = next_after
    return page, after


def thread_items(body: bytes) -> int:
    return len(orjson.loads(body)["descendants"])


async def conversation_reads(args: argparse.Namespace, db: Path, targets: dict[str, Any]) -> list[Result]:
    results: list[Result] = []
    port = free_port()
    argv = [sys.executable, "-m", "backend.cli", "serve", "--data-dir", str(db.parent), "--host", "127.0.0.1",
            "--port", str(port), "--log-level", "warning", "--no-access-log"]
    n = args.concurrency
    timing = {"warmup": args.warmup, "duration": args.duration}
    with Server("barker", argv, port, "/readyz", db.parent / "barker.log") as srv:
        async with client_session(n) as session:
            tokens = await log_in(session, srv.base, [u["handle"] for u in typical_users(db, n)], DEMO_PASSWORD)
            notified = await log_in(session, srv.base, [targets["notified"]["handle"]] * n, DEMO_PASSWORD)

            async def scenario(name: str, path: str, sampler: Callable[[bytes], int] = page_items,
                               who: list[str] | None = None) -> None:
                result = await run_scenario(session, name, f"GET {path}", list(who or tokens),
                                            fixed("GET", srv.base + path), server_cpu=srv.cpu_seconds,
                                            sampler=sampler, **timing)
                result.extra["items_per_page"] = (round(sum(result.samples) / len(result.samples), 1)
                                                  if result.samples else 0.0)
                s = result.summary()
                print(f"  {name:<32} {s['rps']:8.0f} req/s  p50 {s['p50_ms']} ms  p99 {s['p99_ms']} ms  "
                      f"errors {s['errors']}  items {result.extra['items_per_page']}", flush=True)
                results.append(result)

            root = targets["thread_root"]
            await scenario("thread, first page", f"/v1/barks/{root}/thread?limit={PAGE}", thread_items)
            number, later = await thread_cursor(session, srv.base, tokens[0], root, THREAD_LATER_PAGE)
            if number > 1:
                await scenario(f"thread, page {number}",
                               f"/v1/barks/{root}/thread?limit={PAGE}&after={later}", thread_items)
            for kind, t in targets["tags"].items():
                await scenario(f"tag timeline, {kind} tag", f"/v1/tags/{quote(t['tag'])}/barks?limit={PAGE}")
            for kind, w in [*targets["words"].items(), ("word + tag", targets["word_tag"])]:
                await scenario(f"search, {kind}" + (" word" if kind != "word + tag" else ""),
                               f"/v1/barks/search?q={quote(w['q'])}&limit={PAGE}")
            await scenario("notifications page", f"/v1/notifications?limit={PAGE}", who=notified)
    return results


# --- home timeline before and after -------------------------------------------------------------------------

async def home_once(variant: str, tree: Path, db: Path, args: argparse.Namespace) -> dict[str, Any]:
    port = free_port()
    argv = [sys.executable, "-m", "backend.cli", "serve", "--data-dir", str(db.parent), "--host", "127.0.0.1",
            "--port", str(port), "--log-level", "warning", "--no-access-log"]
    handles = [u["handle"] for u in typical_users(db, args.home_concurrency)]
    with Server(variant, argv, port, "/readyz", db.parent / f"{variant}.log", code_dir=tree) as srv:
        async with client_session(args.home_concurrency) as session:
            tokens = await log_in(session, srv.base, handles, DEMO_PASSWORD)
            result = await run_scenario(session, variant, f"GET /v1/timelines/home?limit={PAGE}", tokens,
                                        fixed("GET", f"{srv.base}/v1/timelines/home?limit={PAGE}"),
                                        server_cpu=srv.cpu_seconds, warmup=args.warmup, duration=args.duration,
                                        sampler=page_items)
    s = result.summary()
    s["items_per_page"] = round(sum(result.samples) / len(result.samples), 1) if result.samples else 0.0
    print(f"  {variant:<8} {s['rps']:8.0f} req/s  p50 {s['p50_ms']} ms  p99 {s['p99_ms']} ms  "
          f"errors {s['errors']}  items {s['items_per_page']}", flush=True)
    return s


def home_ab(args: argparse.Namespace, trees: dict[str, tuple[Path, Path]]) -> dict[str, list[dict[str, Any]]]:
    """Rounds alternate which build goes first; each run on a fresh copy of its build's dataset."""
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in trees}
    names = list(trees)
    for round_no in range(args.rounds):
        print(f"home round {round_no + 1}/{args.rounds}", flush=True)
        order = names[round_no % len(names):] + names[:round_no % len(names)]
        for name in order:
            tree, pristine = trees[name]
            db = fresh_copy(pristine, args.data_dir / f"conv-home-run-{name}")
            runs[name].append(asyncio.run(home_once(name, tree, db, args)))
    return runs


# --- the report -------------------------------------------------------------------------------------------

def dataset_line(meta: dict[str, Any]) -> str:
    stages = ", ".join(f"{k} {v:.0f} s" for k, v in meta["stage_seconds"].items())
    fan = (f"{meta['stream_bark_rows']:,} barks in streams (fanned out)" if meta["fanout"]
           else "not fanned out (streams hold no barks; the fan-out queue was emptied)")
    notes = "" if meta.get("notifications") is None else f"; {meta['notifications']:,} notifications"
    if not meta["conversations"]:
        notes += " (this build has no replies, tags or mentions: the same texts are stored as plain barks)"
    return (f"{meta['users']:,} users, {meta['follows']:,} follows, {meta['originals']:,} barks ({meta['replies']:,} "
            f"replies, {meta['self_replies']:,} of them self-replies; {meta['tagged']:,} tagged; "
            f"{meta['mentioning']:,} mentioning) + {meta['rebarks']:,} rebarks, {meta['reactions']:,} reactions"
            f"{notes}; {fan}; {meta['db_bytes'] / 2**20:,.0f} MiB; seeded in {meta['seed_seconds']:,.0f} s "
            f"({stages}){' (reused)' if meta.get('reused') else ''}")


def render(args: argparse.Namespace, machine: dict[str, Any], reads: list[dict[str, Any]],
           targets: dict[str, Any] | None, conv_meta: dict[str, Any] | None, home: dict[str, list[dict[str, Any]]],
           home_meta: dict[str, dict[str, Any]]) -> list[str]:
    lines = [f"# Conversations benchmark, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}", "",
             f"- **Code**: {report.code_version(ROOT)}; before: {args.base_commit}.",
             f"- **Machine**: {machine['nproc']} CPUs ({machine['cpu_model']}), {machine['mem_gib']} GiB, Python "
             f"{machine['python']}, SQLite {machine['sqlite']}; load average before "
             f"{', '.join(f'{x:.2f}' for x in machine['loadavg_before'])}.", ""]
    if conv_meta and targets:
        t = targets
        tp, tr = t['tags']['popular'], t['tags']['rare']
        conns = f"{args.concurrency} connection" + ("s" if args.concurrency != 1 else "")
        lines += [f"## Conversation reads ({conns}, closed loop, {args.warmup:g} s warm-up "
                  f"+ {args.duration:g} s each, pages of {PAGE})", "",
                  f"Dataset: {dataset_line(conv_meta)}.", "",
                  f"Thread: {t['thread_replies']:,} replies under bark {t['thread_root']}; tags "
                  f"`{tp['tag']}` ({tp['barks']:,} barks) and `{tr['tag']}` ({tr['barks']:,}); "
                  f"search `{t['words']['common']['q']}` ({t['words']['common']['barks']:,} matches), "
                  f"`{t['words']['rare']['q']}` ({t['words']['rare']['barks']:,}), `{t['word_tag']['q']}` "
                  f"({t['word_tag']['barks']:,}); notifications of @{t['notified']['handle']} "
                  f"({t['notified']['notifications']:,}).", "",
                  "| scenario | requests/s | p50 ms | p99 ms | max ms | items/page | errors "
                  "| CPU server / client / other |",
                  "|---|--:|--:|--:|--:|--:|--:|---|"]
        for s in reads:
            lines.append(f"| {s['scenario']} | {s['rps']:,.0f} | {s['p50_ms']:.1f} | {s['p99_ms']:.1f} | "
                         f"{s['max_ms']:.1f} | {s['items_per_page']:g} | {s['errors']} | {s['server_cpu']:.0%} / "
                         f"{s['client_cpu']:.0%} / {s['other_cpu']:.0%} |")
        lines.append("")
    if home:
        lines += [f"## Home timeline before and after issue 18 ({args.rounds} alternating rounds, "
                  f"{args.home_concurrency} connections, `GET /v1/timelines/home?limit={PAGE}`)", ""]
        for name, m in home_meta.items():
            lines.append(f"- {name}: {dataset_line(m)}.")
        lines += ["", "| build | req/s per round | median req/s | p50 ms per round | p99 ms per round | median p99 ms "
                  "| items/page | errors | other processes' CPU, cores (median) |",
                  "|---|---|--:|---|---|--:|--:|--:|--:|"]
        for name, runs in home.items():
            rps = ", ".join(f"{r['rps']:,.0f}" for r in runs)
            p50 = ", ".join(f"{r['p50_ms']:.1f}" for r in runs)
            p99 = ", ".join(f"{r['p99_ms']:.1f}" for r in runs)
            lines.append(
                f"| {name} | {rps} | {statistics.median(r['rps'] for r in runs):,.0f} | {p50} | {p99} | "
                f"{statistics.median(r['p99_ms'] for r in runs):.1f} | "
                f"{statistics.median(r['items_per_page'] for r in runs):g} | {sum(r['errors'] for r in runs)} | "
                f"{statistics.median(r['other_cpu'] for r in runs):.2f} |")
    return lines


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    machine = report.machine_facts()
    conv: tuple[Path, dict[str, Any]] | None = None
    trees: dict[str, tuple[Path, Path]] = {}
    home_meta: dict[str, dict[str, Any]] = {}
    if not args.skip_reads:
        conv = ensure(args.data_dir, ROOT, "this", args.users, args.barks, args.random_seed, False, args.reseed)
    if not args.skip_home:
        builds = [("before", base_tree(args))]
        builds += [(name, commit_tree(commit)) for name, _, commit in (v.partition("=") for v in args.also)]
        for name, tree in [*builds, ("after", ROOT)]:
            pristine, meta = ensure(args.data_dir, tree, "this" if tree == ROOT else name, args.home_users,
                                    args.home_barks, args.random_seed, True, args.reseed)
            trees[name], home_meta[name] = (tree, pristine), meta | {"stream_bark_rows": stream_bark_rows(pristine)}
    if args.seed_only:
        return
    reads: list[dict[str, Any]] = []
    targets = None
    if conv is not None:
        db = fresh_copy(conv[0], args.data_dir / "conv-run")
        add_new_schema_objects(db)
        targets = read_targets(db, conv[1]["thread_root"])
        print(f"conversation reads on {args.users:,} users / {args.barks:,} barks: {targets}", flush=True)
        reads = [r.summary() for r in asyncio.run(conversation_reads(args, db, targets))]
    home = home_ab(args, trees) if trees else {}
    lines = render(args, machine, reads, targets, conv and conv[1], home, home_meta)
    report.save(args.out, "conversations", lines, {
        "machine": machine, "code": report.code_version(ROOT), "options": {k: str(v) for k, v in vars(args).items()},
        "conversation_dataset": conv and conv[1], "targets": targets, "reads": reads, "home_datasets": home_meta,
        "home": home})


if __name__ == "__main__":
    main()
