"""Media benchmark: upload-to-served time of a ~4 MB phone photo, and requests/s serving a thumbnail.

    python -m bench.media_bench            # 20 uploads of distinct ~4 MB photos; 32 connections, 10 s per scenario
    python -m bench.media_bench --quick    # 5 uploads; 3 s per scenario
    python -m bench.media_bench --memory [--base-dir ../pools-base]   # server memory around big uploads

--memory: the server's memory (VmRSS of the server process, of its children summed, and the PSS of the
whole tree, from /proc) before, at its peak during, and 5 s after `--uploads` uploads (4 at a time) of
a 40 MP PNG (7304x5476, a smooth gradient, ~130 KB) and of a 6324x6324 black PNG (~117 KB, the audit's
file), each kind on a fresh `barker serve`, with BARKER_MEDIA_MAX_PIXELS=40000000 so both are accepted.
With --base-dir, the same first runs against another checkout (e.g. main's) with this venv.

One `barker serve` process on a fresh data directory (empty store). The photos are generated: 3200x2400
pixels of a colour gradient with Gaussian noise, like a photo's grain (JPEG cannot squeeze it), encoded
at quality 92 with phone EXIF (GPS position, orientation 6: the server turns it upright), each with its
own patch of pixels so none shares a file with another. Uploads run one at a time (latency, not
throughput): "upload-to-served" is from the first byte of `POST /v1/media` to the last byte of a `GET` of
the display image it returned.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import struct
import sys
import tempfile
import time
import zlib
from pathlib import Path
from typing import Any

import aiohttp
import orjson
from PIL import Image, ImageDraw

from bench.dataset import percentile
from bench.loadgen import client_session, fixed, run_scenario
from bench.report import code_version, machine_facts, save
from bench.rss import PeakSampler, Sample
from bench.servers import ROOT, Server, free_port

PHOTO_SIZE = (3200, 2400)
TARGET_BYTES = 4_000_000
PASSWORD = "bench-password-1"


def photo_base(size: tuple[int, int] = PHOTO_SIZE, sigma: float = 40.0) -> Image.Image:
    """A gradient with grain, like a photo of a sky (noise is what makes a JPEG photo large)."""
    gradient = Image.linear_gradient("L").resize(size)
    channels = [Image.blend(gradient if i != 1 else gradient.transpose(Image.Transpose.ROTATE_90).resize(size),
                            Image.effect_noise(size, sigma), 0.5) for i in range(3)]
    return Image.merge("RGB", channels)


def phone_jpeg(im: Image.Image, quality: int) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = 6  # taken upright: turn 90° clockwise to show
    exif[0x010F] = "BenchPhone"
    exif.get_ifd(0x8825).update({1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 36.0)})
    out = io.BytesIO()
    im.save(out, "JPEG", quality=quality, exif=exif)
    return out.getvalue()


def photos(count: int) -> tuple[list[bytes], dict[str, Any]]:
    """`count` distinct photos of about TARGET_BYTES (the noise level is tuned on the first)."""
    sigma, base = 40.0, None
    for _ in range(6):
        base = photo_base(sigma=sigma)
        size = len(phone_jpeg(base, 92))
        if abs(size - TARGET_BYTES) < 0.05 * TARGET_BYTES:
            break
        sigma *= (TARGET_BYTES / size) ** 1.3
    assert base is not None
    out = []
    for i in range(count):
        im = base.copy()
        ImageDraw.Draw(im).rectangle((10 * i, 10, 10 * i + 9, 19), fill=(i * 7 % 256, 255 - i, 128))  # distinct
        out.append(phone_jpeg(im, 92))
    sizes = sorted(len(p) for p in out)
    return out, {"width": PHOTO_SIZE[0], "height": PHOTO_SIZE[1], "quality": 92, "noise_sigma": round(sigma, 1),
                 "bytes_min": sizes[0], "bytes_max": sizes[-1], "bytes_median": sizes[len(sizes) // 2]}


async def sign_up(session: aiohttp.ClientSession, base: str) -> str:
    async with session.post(f"{base}/v1/accounts", json={"handle": "bench", "password": PASSWORD}) as resp:
        body = await resp.read()
        if resp.status != 201:
            raise RuntimeError(f"sign-up failed: {resp.status} {body[:200]!r}")
        return orjson.loads(body)["token"]


def stats(seconds: list[float]) -> dict[str, float]:
    ms = sorted(s * 1000 for s in seconds)
    return {"p50_ms": round(percentile(ms, 0.5), 1), "p99_ms": round(percentile(ms, 0.99), 1),
            "max_ms": round(ms[-1], 1), "mean_ms": round(sum(ms) / len(ms), 1)}


async def measure_uploads(session: aiohttp.ClientSession, base: str, token: str,
                          files: list[bytes]) -> tuple[dict[str, Any], dict[str, Any]]:
    headers = {"Authorization": f"Bearer {token}"}
    upload, served, renditions = [], [], []
    last: dict[str, Any] = {}
    for data in files:
        form = aiohttp.FormData()
        form.add_field("file", data, filename="photo.jpg", content_type="image/jpeg")
        started = time.perf_counter()
        async with session.post(f"{base}/v1/media", data=form, headers=headers) as resp:
            body = await resp.read()
            if resp.status != 201:
                raise RuntimeError(f"upload failed: {resp.status} {body[:300]!r}")
        uploaded = time.perf_counter()
        last = orjson.loads(body)
        async with session.get(base + last["url"]) as resp:
            image = await resp.read()
            assert resp.status == 200 and image
        done = time.perf_counter()
        upload.append(uploaded - started)
        served.append(done - started)
        sizes = {}
        for name in ("original_url", "url", "thumbnail_url"):
            async with session.get(base + last[name]) as resp:
                sizes[name] = len(await resp.read())
        renditions.append(sizes)
    shapes = {"display": f"{last['width']}x{last['height']}", **renditions[-1]}
    return {"uploads": len(files), "upload": stats(upload), "upload_to_served": stats(served)}, {
        "last": last, "renditions": shapes}


async def drive(args: argparse.Namespace, files: list[bytes], logs: Path) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="barker-media-bench-") as data_dir:
        port = free_port()
        argv = [sys.executable, "-m", "backend.cli", "serve",
                "--data-dir", data_dir, "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
                "--no-access-log"]
        with Server("barker", argv, port, "/readyz", logs / "media-bench.log") as srv:
            async with client_session(args.concurrency) as session:
                token = await sign_up(session, srv.base)
                uploads, shapes = await measure_uploads(session, srv.base, token, files)
                print(f"uploads: {uploads}", flush=True)
                thumb = shapes["last"]["thumbnail_url"]
                etag = '"' + thumb.removeprefix("/media/").partition(".")[0] + '"'
                scenarios = []
                for name, request, maker in [
                    ("healthz", "GET /healthz", fixed("GET", f"{srv.base}/healthz")),
                    ("thumbnail", f"GET {thumb[:20]}… ({shapes['renditions']['thumbnail_url']:,} B)",
                     fixed("GET", srv.base + thumb)),
                ]:
                    result = await run_scenario(session, name, request, [None] * args.concurrency, maker,
                                                warmup=args.warmup, duration=args.duration,
                                                server_cpu=srv.cpu_seconds)
                    scenarios.append(result.summary())
                    print(f"{name}: {scenarios[-1]['rps']} req/s", flush=True)
                revalidate = await revalidation(session, srv.base + thumb, etag, args, srv.cpu_seconds)
                scenarios.append(revalidate)
                print(f"thumbnail 304: {revalidate['rps']} req/s", flush=True)
    return {"uploads": uploads, "renditions": shapes["renditions"], "scenarios": scenarios}


async def revalidation(session: aiohttp.ClientSession, url: str, etag: str, args: argparse.Namespace,
                       cpu: Any) -> dict[str, Any]:
    """The thumbnail as a browser revalidates it: If-None-Match with its ETag, answered 304 (run_scenario
    sends no extra headers, hence this loop)."""
    headers = {"If-None-Match": etag}
    latencies: list[float] = []
    statuses: dict[int, int] = {}

    async def worker(deadline: float, record: bool) -> None:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            async with session.get(url, headers=headers) as resp:
                await resp.read()
                status = resp.status
            if record:
                latencies.append(time.perf_counter() - started)
                statuses[status] = statuses.get(status, 0) + 1

    await asyncio.gather(*(worker(time.perf_counter() + args.warmup, False) for _ in range(args.concurrency)))
    t0, cpu0 = time.perf_counter(), cpu()
    await asyncio.gather(*(worker(t0 + args.duration, True) for _ in range(args.concurrency)))
    seconds = time.perf_counter() - t0
    return {"scenario": "thumbnail (304)", "request": "GET with If-None-Match", "requests": len(latencies),
            "rps": round(len(latencies) / seconds, 1), **stats(latencies), "errors": sum(
                n for s, n in statuses.items() if s != 304), "statuses": {str(k): v for k, v in statuses.items()},
            "server_cpu": round((cpu() - cpu0) / seconds, 3)}


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m bench.media_bench", description=__doc__.split("\n\n")[0])
    p.add_argument("--uploads", type=int, default=20, help="photos uploaded, one at a time")
    p.add_argument("--concurrency", type=int, default=32, help="connections serving the thumbnail")
    p.add_argument("--duration", type=float, default=10.0, help="timed seconds per serving scenario")
    p.add_argument("--warmup", type=float, default=2.0)
    p.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    p.add_argument("--quick", action="store_true", help="5 uploads, 3 s per scenario")
    p.add_argument("--memory", action="store_true", help="server memory around uploads of 40 MP PNGs instead")
    p.add_argument("--base-dir", type=Path, help="--memory: also measure this checkout (e.g. main's), first")
    p.add_argument("--env", action="append", default=[], metavar="KEY=VALUE",
                   help="--memory: extra environment for the servers (repeatable)")
    args = p.parse_args(argv)
    if args.memory:
        return memory_main(args)
    if args.quick:
        args.uploads, args.duration, args.warmup = 5, 3.0, 1.0
    logs = ROOT / "bench" / "data"
    logs.mkdir(parents=True, exist_ok=True)
    started = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    machine, code = machine_facts(), code_version(ROOT)
    print(f"generating {args.uploads} photos of about {TARGET_BYTES / 1e6:.0f} MB…", flush=True)
    files, photo = photos(args.uploads)
    try:
        import uvloop  # the server's event loop: a cheaper client
    except ImportError:
        uvloop = None
    result = (uvloop.run if uvloop else asyncio.run)(drive(args, files, logs))
    data = {"started": started, "code": code, "machine": machine, "photo": photo, "options": vars(args) | {
        "out": str(args.out)}, **result}
    save(args.out, "media", render(data), data)


def render(d: dict[str, Any]) -> list[str]:
    m, ph, up = d["machine"], d["photo"], d["uploads"]
    r = d["renditions"]
    lines = [
        f"# Barker media benchmark, {d['started']}", "",
        f"- **Code**: {d.get('code') or 'unknown'}.",
        f"- **Machine**: {m['nproc']} CPUs ({m['cpu_model']}), {m['mem_gib']} GiB RAM; Python {m['python']}; "
        f"load average before the run {', '.join(f'{x:.2f}' for x in m['loadavg_before'])}.",
        f"- **Photos**: {up['uploads']} distinct JPEGs of {ph['width']}x{ph['height']} px, quality {ph['quality']}, "
        f"{ph['bytes_min'] / 1e6:.2f}–{ph['bytes_max'] / 1e6:.2f} MB (median {ph['bytes_median'] / 1e6:.2f} MB), "
        "with GPS EXIF and orientation 6; uploaded one at a time to one `barker serve` (fresh store).",
        f"- **Stored per photo**: original {r['original_url'] / 1e6:.2f} MB (metadata-free, upright, ≤ 4096 px), "
        f"display {r['display']} {r['url'] / 1e3:.0f} KB, thumbnail {r['thumbnail_url'] / 1e3:.1f} KB.", "",
        "| measurement | p50 ms | p99 ms | max ms |", "|---|--:|--:|--:|",
        f"| `POST /v1/media` (upload, validate, strip, 3 renditions, store) | {up['upload']['p50_ms']} | "
        f"{up['upload']['p99_ms']} | {up['upload']['max_ms']} |",
        f"| upload-to-served (POST, then GET of the display image) | {up['upload_to_served']['p50_ms']} | "
        f"{up['upload_to_served']['p99_ms']} | {up['upload_to_served']['max_ms']} |", "",
        f"Serving, {d['options']['concurrency']} keep-alive connections, {d['options']['duration']:g} s each:", "",
        "| scenario | requests/s | p50 ms | p99 ms | errors | server CPU |", "|---|--:|--:|--:|--:|--:|"]
    for s in d["scenarios"]:
        lines.append(f"| {s['scenario']} `{s['request']}` | {s['rps']:,.0f} | {s.get('p50_ms', 0):.1f} | "
                     f"{s.get('p99_ms', 0):.1f} | {s['errors']} | {s['server_cpu']:.0%} |")
    return lines


# -- --memory: the server's memory around uploads of large pictures -------------------------------------------
def _chunk(tag: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))


def black_png(width: int, height: int) -> bytes:
    """An RGB PNG of black pixels, written row by row (Pillow would need the pixels in memory)."""
    row, packer = bytes(1 + 3 * width), zlib.compressobj(9)
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + _chunk(b"IDAT", idat) + _chunk(b"IEND", b""))


def gradient_png(width: int, height: int) -> bytes:
    g = Image.linear_gradient("L").resize((width, height))
    im = Image.merge("RGB", [g, g.transpose(Image.Transpose.FLIP_LEFT_RIGHT),
                             g.transpose(Image.Transpose.FLIP_TOP_BOTTOM)])
    out = io.BytesIO()
    im.save(out, "PNG", compress_level=9)
    return out.getvalue()


BIG_PICTURES = {"40 MP PNG (7304x5476)": lambda: gradient_png(7304, 5476),
                "6324x6324 PNG (40.0 MP, black)": lambda: black_png(6324, 6324)}
MEMORY_ENV = {"BARKER_MEDIA_MAX_PIXELS": "40000000", "BARKER_MEDIA_UPLOADS_PER_HOUR": "1000000"}


async def memory_run(code: str, code_dir: Path, picture: str, data: bytes, uploads: int, logs: Path,
                     env: dict[str, str]) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="barker-media-memory-") as data_dir:
        port = free_port()
        argv = [sys.executable, "-m", "backend.cli", "serve", "--data-dir", data_dir, "--host", "127.0.0.1",
                "--port", str(port), "--log-level", "warning", "--no-access-log"]
        with Server("barker", argv, port, "/readyz", logs / "media-memory.log", code_dir=code_dir,
                    env=env) as srv:
            assert srv.proc is not None
            async with client_session(8) as session:
                token = await sign_up(session, srv.base)
                await asyncio.sleep(1.0)
                before = Sample.take(srv.proc.pid).row()
                sampler = PeakSampler(srv.proc.pid)
                sampler.start()
                statuses: dict[str, int] = {}
                latencies: list[float] = []
                queue = list(range(uploads))

                async def uploader() -> None:
                    while queue:
                        queue.pop()
                        form = aiohttp.FormData()
                        form.add_field("file", data, filename="big.png", content_type="image/png")
                        started = time.perf_counter()
                        async with session.post(f"{srv.base}/v1/media", data=form,
                                                headers={"Authorization": f"Bearer {token}"}) as resp:
                            await resp.read()
                            statuses[str(resp.status)] = statuses.get(str(resp.status), 0) + 1
                        latencies.append(time.perf_counter() - started)

                t0 = time.perf_counter()
                await asyncio.gather(*(uploader() for _ in range(4)))
                seconds = time.perf_counter() - t0
                peak = sampler.stop()
                await asyncio.sleep(5.0)
                after = Sample.take(srv.proc.pid).row()
    row = {"code": code, "picture": picture, "bytes": len(data), "uploads": uploads, "seconds": round(seconds, 1),
           "statuses": statuses, **stats(latencies), "before": before, "peak": peak, "after": after}
    print(row, flush=True)
    return row


def memory_main(args: argparse.Namespace) -> None:
    logs = ROOT / "bench" / "data"
    logs.mkdir(parents=True, exist_ok=True)
    started = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    machine = machine_facts()
    pictures = {name: make() for name, make in BIG_PICTURES.items()}
    codes = ([("base " + (code_version(args.base_dir) or str(args.base_dir)), args.base_dir)] if args.base_dir
             else []) + [("this " + (code_version(ROOT) or "checkout"), ROOT)]
    env = MEMORY_ENV | dict(kv.split("=", 1) for kv in args.env)
    rows = []
    for picture, data in pictures.items():
        for code, code_dir in codes:
            rows.append(asyncio.run(memory_run(code, code_dir, picture, data, args.uploads, logs, env)))
    data = {"started": started, "machine": machine, "env": env, "rows": rows}
    save(args.out, "media-memory", render_memory(data), data)


def render_memory(d: dict[str, Any]) -> list[str]:
    m = d["machine"]
    lines = [f"# Barker server memory around large uploads, {d['started']}", "",
             f"- **Machine**: {m['nproc']} CPUs ({m['cpu_model']}), {m['mem_gib']} GiB RAM; Python {m['python']}; "
             f"load average before {', '.join(f'{x:.2f}' for x in m['loadavg_before'])}.",
             "- **Setup**: one fresh `barker serve` per row (SQLite, empty store), one user; uploads 4 at a time; "
             f"environment {', '.join(f'`{k}={v}`' for k, v in d['env'].items())}.",
             "- **MiB**: server = VmRSS of the server process; children = VmRSS of its descendants summed (image "
             "workers and the fork server; shared pages counted in each); tree PSS = proportional set size of "
             "all of them. *Before*: 1 s after sign-up; *peak*: sampled every 50 ms during the uploads; "
             "*after*: 5 s after the last upload.", "",
             "| code | picture | uploads (statuses) | p50 / max ms | server before / peak / after | "
             "children before / peak / after | tree PSS before / peak / after |",
             "|---|---|---|--:|--:|--:|--:|"]
    for r in d["rows"]:
        b, p, a = r["before"], r["peak"], r["after"]
        statuses = ", ".join(f"{n}× {s}" for s, n in sorted(r["statuses"].items()))
        lines.append(f"| {r['code']} | {r['picture']}, {r['bytes'] / 1e3:.0f} KB | {r['uploads']} ({statuses}) | "
                     f"{r['p50_ms']:.0f} / {r['max_ms']:.0f} | {b['server_mib']} / {p['server_mib']} / "
                     f"{a['server_mib']} | {b['children_mib']} / {p['children_mib']} / {a['children_mib']} | "
                     f"{b['tree_pss_mib']} / {p['tree_pss_mib']} / {a['tree_pss_mib']} |")
    return lines


if __name__ == "__main__":
    main()
