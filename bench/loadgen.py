"""A closed-loop HTTP load generator: `concurrency` workers on one aiohttp session, each with its own
keep-alive connection and bearer token, each sending its next request as soon as the last one completes.

Kept cheap, because it shares the machine with the server: no JSON parsing except for sampled bodies,
prebuilt URLs and headers, no cookie jar. Latency is measured per request with time.perf_counter, from
just before the request is handed to aiohttp to the last byte of the body, so it includes any time the
client's own event loop took to get round to the response.
"""

from __future__ import annotations

import asyncio
import collections
import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import orjson
from yarl import URL

from bench.dataset import percentile

# (worker index, request number) -> (method, url, body); body None for no body.
RequestMaker = Callable[[int, int], tuple[str, URL, bytes | None]]
SAMPLE_EVERY = 16
_TICKS = os.sysconf("SC_CLK_TCK")  # parse every 16th successful body of a worker when the scenario has a sampler


@dataclass
class Result:
    name: str
    request: str
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: collections.Counter = field(default_factory=collections.Counter)
    error_samples: list[str] = field(default_factory=list)
    samples: list[Any] = field(default_factory=list)
    server_cpu: float = 0.0  # fraction of one core over the timed window
    client_cpu: float = 0.0
    machine_cpu: float = 0.0  # all processes on the machine (cores busy), to spot other load
    steal: float = 0.0  # cores' worth of time the hypervisor gave to other guests
    extra: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        lat = sorted(self.latencies)
        ms = [x * 1000 for x in lat]
        return {"scenario": self.name, "request": self.request, "requests": len(lat), "seconds": round(self.seconds, 3),
                "rps": round(len(lat) / self.seconds, 1) if self.seconds else 0.0,
                "p50_ms": round(percentile(ms, 0.50), 2), "p90_ms": round(percentile(ms, 0.90), 2),
                "p99_ms": round(percentile(ms, 0.99), 2), "max_ms": round(ms[-1], 2) if ms else None,
                "mean_ms": round(sum(ms) / len(ms), 2) if ms else None, "errors": self.errors,
                "statuses": {str(k): v for k, v in self.statuses.items()}, "error_samples": self.error_samples,
                "server_cpu": round(self.server_cpu, 3), "client_cpu": round(self.client_cpu, 3),
                "machine_cpu": round(self.machine_cpu, 3),
                "other_cpu": round(max(0.0, self.machine_cpu - self.server_cpu - self.client_cpu), 3),
                "steal": round(self.steal, 3)} | self.extra


def machine_cpu_seconds() -> tuple[float, float]:
    """(busy, steal) CPU seconds of the whole machine since boot, from /proc/stat."""
    with open("/proc/stat") as f:
        user, nice, system, _idle, _iowait, irq, softirq, steal = (int(x) for x in f.readline().split()[1:9])
    return (user + nice + system + irq + softirq) / _TICKS, steal / _TICKS


def client_session(concurrency: int) -> aiohttp.ClientSession:
    connector = aiohttp.TCPConnector(limit=concurrency, limit_per_host=concurrency, ttl_dns_cache=None)
    return aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.DummyCookieJar(),
                                 timeout=aiohttp.ClientTimeout(total=60), skip_auto_headers=("User-Agent",))


async def log_in(session: aiohttp.ClientSession, base: str, handles: list[str], password: str) -> list[str]:
    """One token per handle (the server checks passwords with Argon2 on a small bounded pool: this takes a
    while, and a log-in the pool has no room for is answered 503 with Retry-After, then tried again)."""

    async def one(handle: str) -> str:
        for _ in range(100):
            async with session.post(f"{base}/v1/sessions", json={"handle": handle, "password": password}) as resp:
                body = await resp.read()
                if resp.status == 503:
                    await asyncio.sleep(float(resp.headers.get("Retry-After", "1")) * (0.5 + random.random()))
                    continue
                if resp.status != 201:
                    raise RuntimeError(f"log-in as @{handle} failed: {resp.status} {body[:200]!r}")
                return orjson.loads(body)["token"]
        raise RuntimeError(f"log-in as @{handle}: the server stayed busy")

    return list(await asyncio.gather(*(one(h) for h in handles)))


async def _worker(session: aiohttp.ClientSession, i: int, headers: dict[str, str], make: RequestMaker,
                  deadline: float, result: Result | None, sampler: Callable[[bytes], Any] | None) -> None:
    seq = 0
    perf = time.perf_counter
    while perf() < deadline:
        method, url, body = make(i, seq)
        seq += 1
        started = perf()
        try:
            async with session.request(method, url, data=body, headers=headers) as resp:
                data = await resp.read()
                status = resp.status
        except (aiohttp.ClientError, TimeoutError) as e:
            status, data = type(e).__name__, str(e).encode()
        elapsed = perf() - started
        if result is None:  # warm-up
            continue
        result.latencies.append(elapsed)
        result.statuses[status] += 1
        if not (isinstance(status, int) and 200 <= status < 300):
            result.errors += 1
            if len(result.error_samples) < 5:
                result.error_samples.append(f"{status} {data[:200].decode(errors='replace')}")
        elif sampler is not None and seq % SAMPLE_EVERY == 0:
            result.samples.append(sampler(data))


async def run_scenario(session: aiohttp.ClientSession, name: str, request: str, tokens: list[str | None],
                       make: RequestMaker, *, warmup: float, duration: float,
                       server_cpu: Callable[[], float], json_body: bool = False,
                       sampler: Callable[[bytes], Any] | None = None) -> Result:
    """Warm up (not counted), then run `duration` seconds with one worker per token."""
    headers = []
    for token in tokens:
        h = {"Authorization": f"Bearer {token}"} if token else {}
        if json_body:
            h["Content-Type"] = "application/json"
        headers.append(h)

    async def phase(seconds: float, result: Result | None) -> None:
        deadline = time.perf_counter() + seconds
        await asyncio.gather(*(_worker(session, i, h, make, deadline, result, sampler)
                               for i, h in enumerate(headers)))

    if warmup > 0:
        await phase(warmup, None)
    result = Result(name, request)
    (busy0, steal0), cpu0, client0, t0 = machine_cpu_seconds(), server_cpu(), time.process_time(), time.perf_counter()
    await phase(duration, result)
    result.seconds = time.perf_counter() - t0
    busy, steal = machine_cpu_seconds()
    result.machine_cpu, result.steal = (busy - busy0) / result.seconds, (steal - steal0) / result.seconds
    result.server_cpu = (server_cpu() - cpu0) / result.seconds
    result.client_cpu = (time.process_time() - client0) / result.seconds
    return result


def fixed(method: str, url: str, body: bytes | None = None) -> RequestMaker:
    """The same request every time."""
    prebuilt = (method, URL(url), body)
    return lambda i, seq: prebuilt


def page_items(body: bytes) -> int:
    return len(orjson.loads(body)["items"])
