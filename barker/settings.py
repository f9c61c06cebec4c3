"""Configuration from BARKER_* environment variables, with safe local defaults."""

from __future__ import annotations

import os
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from barker.addresses import check_bind_host, parse_networks


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "barker"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BARKER_", extra="ignore")

    data_dir: Path = Field(default_factory=default_data_dir)
    # sqlite:///path/to/file.db or arangodb://user:pass@host:8529/db; empty = SQLite in data_dir.
    store_url: str = ""
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)

    token_ttl_seconds: int = Field(30 * 24 * 3600, ge=60)
    # Authors with more followers than this are not copied into streams; their barks are merged into
    # followers' home timelines at read time (the hybrid rule).
    fanout_threshold: int = Field(10_000, ge=0)
    # Most stream rows per fan-out transaction (spread over the queued jobs): more rows per commit is
    # faster fan-out. A transaction commits early as soon as a request write is waiting, so this does not
    # delay posts.
    fanout_batch_size: int = Field(2000, ge=1, le=100_000)
    # The most fresh stream entries before they are compacted into the read-optimised layout, however they
    # are spread (a pass starts sooner once they are dense: barker/fanout.py, ROWS_PER_OWNER). SQLite only.
    stream_compact_rows: int = Field(2_000_000, ge=0)
    # Run the fan-out worker inside the API process (set false when a separate `barker worker` runs it).
    inprocess_worker: bool = True
    # Where "stream advanced" notices travel between processes: empty = in-process only; redis://host:port
    # for several backend processes or a separate worker. Sockets poll their streams while it is down.
    bus_url: str = ""
    # Each user's stream keeps about this many newest events; a cursor older than that gets a `gap`.
    stream_retain: int = Field(1000, ge=50)
    # How often sockets re-read their streams when no bus can wake them (Redis down, or a separate
    # worker with the in-process bus).
    stream_poll_seconds: float = Field(1.0, gt=0, le=60)
    # Websocket heartbeat: a ping every this many seconds; a socket that does not answer within the same
    # time is closed. A socket whose client stops reading is closed after stream_send_timeout seconds.
    ws_ping_seconds: float = Field(20.0, gt=0)
    stream_send_timeout: float = Field(10.0, gt=0)
    # An open socket whose token has since expired or been revoked is closed (4401) within this long.
    stream_revalidate_seconds: float = Field(60.0, gt=0)

    # Rate limits (per user, per hour, shared by every process on the store) that make it impractical to
    # triangulate someone's position from rounded distances.
    location_updates_per_hour: int = Field(12, ge=1)
    # Log-in attempts per handle per 15 minutes (all processes together), against password guessing.
    login_attempts_per_15_minutes: int = Field(20, ge=1)
    nearby_queries_per_hour: int = Field(120, ge=1)

    read_threads: int = Field(2, ge=1, le=64)
    # Run SQLite reads on the event-loop thread instead of handing them to a reader thread. Every read
    # is an index-bounded query of well under a millisecond, and the hand-off costs more than that under
    # load (see bench/); but a read then blocks the loop for its duration. Off by default; never for a
    # network store.
    inline_reads: bool = False
    max_body_bytes: int = Field(64 * 1024, ge=1024)
    page_size_default: int = Field(20, ge=1)
    page_size_max: int = Field(100, ge=1, le=1000)

    # Media (barker/media/): uploads are stored content-addressed under media_dir (default data_dir/media).
    media_dir: Path | None = None
    # Largest accepted upload (the file itself; the request body may carry a few KiB of multipart around it).
    media_max_bytes: int = Field(8 * 1024 * 1024, ge=1024, le=64 * 1024 * 1024)
    # Decompression-bomb guard: the most pixels an image may declare (all frames together for an animated
    # GIF). Checked from the header, before anything is decoded. Pillow's own hard guard is at ~89 MP.
    # 7680x4320 (8K UHD, 33.2 MP), Mastodon's cap: every phone's default photo fits (12 MP, 24 MP on recent
    # iPhones, 50 MP sensors bin to 12.5 MP), and the stored original is at most 4096 px (~12.6 MP at 4:3)
    # anyway. Decoded, a picture takes 4 bytes a pixel (Pillow stores RGB as RGBX), and normalising and
    # scaling briefly hold two or three copies: ~130 MB a copy at this cap, in an image worker process.
    media_max_pixels: int = Field(33_177_600, ge=64 * 64, le=80_000_000)
    # Uploads never attached to a bark or set as an avatar are removed this long after the upload.
    media_unattached_ttl_seconds: int = Field(24 * 3600, ge=60)
    # Longest side of the stored copies: the metadata-free original, the display image, the thumbnail;
    # avatars are square crops (display and thumbnail).
    media_original_px: int = Field(4096, ge=256, le=8192)
    media_display_px: int = Field(1600, ge=128, le=8192)
    media_thumbnail_px: int = Field(400, ge=32, le=2048)
    media_avatar_px: int = Field(400, ge=32, le=2048)
    media_avatar_thumbnail_px: int = Field(128, ge=16, le=2048)
    media_uploads_per_hour: int = Field(120, ge=1)
    # Data exports (GET /v1/me/export) per user per hour: each reads all of the account and its files.
    exports_per_hour: int = Field(3, ge=1)
    # Reports (POST /v1/reports) per user per hour (0 = unlimited): a moderator reads each one, so one user
    # cannot bury the queue; thirty is more than a person being harassed files in an hour.
    reports_per_hour: int = Field(30, ge=0, le=1_000_000)

    # Argon2id parameters (RFC 9106 "second recommended option" by default). Tests may lower them;
    # anything below the floor is refused rather than silently accepted.
    argon2_time_cost: int = Field(3, ge=1)
    argon2_memory_kib: int = Field(64 * 1024, ge=1024)
    argon2_parallelism: int = Field(4, ge=1)

    # -- faults --
    # After a full disk or an unavailable store, a path to it (request writes, reads, ...) counts as well
    # again (one "storage writable again" log line, /readyz ready) only once it has worked with no failure
    # for this long: a nearly full disk lets some writes through, which would otherwise make both flicker.
    # Writes themselves are never held back: the first one that fits succeeds.
    store_fault_settle_seconds: float = Field(5.0, ge=0, le=300)

    # -- abuse limits (docs/limits.md): every cheap request has a price --
    # Peers (comma-separated IPs or CIDRs, e.g. "10.0.0.0/8, ::1") whose X-Forwarded-For is believed: the
    # client is the right-most address in the chain that is not one of them. Empty: never believed (the
    # socket peer is the client), the only safe choice unless a reverse proxy you run sits in front.
    trusted_proxies: str = ""
    # open: anyone may sign up; closed: POST /v1/accounts answers 403 registrations_closed.
    registrations: Literal["open", "closed"] = "open"
    # Sign-ups per client address (IPv6: per /64) per hour; 0 = unlimited. Ten covers a family or a
    # classroom behind one address; an account farm needs a new address every ten accounts.
    signups_per_ip_per_hour: int = Field(10, ge=0, le=1_000_000)
    # Log-in attempts and password changes per client address (IPv6: per /64) per 15 minutes, beside the
    # per-handle limit above; 0 = unlimited. 50 lets an office behind one NAT log in, while one address can
    # guess no more than 200 passwords an hour across every account.
    logins_per_ip_per_15_minutes: int = Field(50, ge=0, le=1_000_000)
    # Writes per user, per hour and per day (0 = unlimited), set where a person never meets them: Mastodon
    # allows 300 statuses per 3 hours and 400 follows per day, Twitter 2,400 tweets and 1,000 likes a day.
    # Barks (rebarks included): 300 an hour (one every 12 s for a whole hour) and Twitter's 2,400 a day.
    barks_per_hour: int = Field(300, ge=0, le=1_000_000)
    barks_per_day: int = Field(2400, ge=0, le=10_000_000)
    # Reactions: 600 an hour and 3,000 a day (three times Twitter's likes: several emoji per bark).
    reactions_per_hour: int = Field(600, ge=0, le=1_000_000)
    reactions_per_day: int = Field(3000, ge=0, le=10_000_000)
    # Follows: 100 an hour (following a page of suggestions at once fits) and Mastodon's 400 a day.
    follows_per_hour: int = Field(100, ge=0, le=1_000_000)
    follows_per_day: int = Field(400, ge=0, le=10_000_000)
    # Bookmarks: as reactions (a bookmark is a private like).
    bookmarks_per_hour: int = Field(600, ge=0, le=1_000_000)
    bookmarks_per_day: int = Field(3000, ge=0, le=10_000_000)
    # Blocks and mutes (and undoing them), one budget: a block removes follows, reactions and rebarks both
    # ways, so it is a dear write. 200 an hour and 1,000 a day clear a pile-on by hand, not by script.
    blocks_per_hour: int = Field(200, ge=0, le=1_000_000)
    blocks_per_day: int = Field(1000, ge=0, le=10_000_000)
    # Bark searches per user per hour (0 = unlimited): each is a full-text query, the dearest read a user
    # can repeat; 600 is one every 6 s for a whole hour, far past typing, well short of scraping.
    bark_searches_per_hour: int = Field(600, ge=0, le=1_000_000)

    @field_validator("trusted_proxies")
    @classmethod
    def _check_trusted_proxies(cls, value: str) -> str:
        parse_networks(value)  # raises ValueError naming a bad entry
        return value

    @field_validator("host")
    @classmethod
    def _check_host(cls, value: str) -> str:
        return check_bind_host(value)  # a URL or host:port would fail only when the server binds

    # -- location privacy --
    # The H3 resolution every shared location is snapped to before it is stored (docs/location-privacy.md):
    # nobody can learn more than this cell. 7 (the default and the finest allowed) = hexagons with ~1.4 km
    # edges (~5 km2); 6 ~3.7 km, 5 ~9.9 km, ... 0 ~1,300 km. Lowering it coarsens stored cells on start-up.
    location_resolution: int = Field(7, ge=0, le=7)

    # -- the bus between processes (BARKER_BUS_URL) and the separate worker --
    # The longest Redis may take to answer a publish, a connection attempt or the subscriber's ping before
    # the bus is treated as lost: sockets then poll their streams (BARKER_STREAM_POLL_SECONDS) until it is
    # back. Above a normal round trip (well under a millisecond) by far; it bounds how long a hung Redis
    # (paused VM, black-holed network) goes unnoticed.
    bus_timeout_seconds: float = Field(1.0, ge=0.05, le=30)
    # Publishing connections per process. A publish that finds them all busy is dropped at once (the
    # durable stream holds the event), so a hung Redis can never grow the process's open sockets.
    bus_max_connections: int = Field(16, ge=1, le=1000)
    # How often a fan-out worker looks for jobs nobody told it about. An in-process worker is told at
    # once; a separate `barker worker` is told through the bus when one is configured, so this is its
    # fallback (no bus, or the bus down), and how soon it finds jobs left by a process that died.
    worker_poll_seconds: float = Field(1.0, gt=0, le=300)

    # -- websocket limits --
    # Open /v1/stream sockets per user, counted in each process: one more is refused (closed with 4429)
    # until one of them closes.
    stream_sockets_per_user: int = Field(10, ge=1, le=1000)
    # Largest message a client may send over a websocket. Stream clients send none (pings are control
    # frames, at most 125 bytes): anything bigger closes the socket with 1009, the rest never gathered.
    ws_max_message_bytes: int = Field(4096, ge=256, le=1024 * 1024)

    # -- bounded pools: password hashing and image workers (barker/pools.py, docs/resources.md) --
    # Threads hashing and checking passwords. Each Argon2id call takes ~50-130 ms on up to
    # argon2_parallelism cores (one thread per lane) and argon2_memory_kib of memory, so this bounds both;
    # more than the machine's cores only adds waiting.
    hash_threads: int = Field(2, ge=1, le=64)
    # Hashing jobs that may wait for a thread; the next log-in, sign-up or password change gets 503 `busy`
    # with Retry-After at once. Small on purpose: a burst is shed, not queued, so an admitted request waits
    # at most about hash_queue / hash_threads hashes before its own.
    hash_queue: int = Field(2, ge=0, le=1024)
    # Worker processes decoding and re-encoding images: the server process never holds decoded pixels. Each
    # holds one image's pixels at a time: ~260 MB at the peak for the default media_max_pixels (measured
    # ~350 MB for 40 MP), ~30 MB idle.
    media_workers: int = Field(2, ge=1, le=32)
    # A worker process is replaced after this many images, so what its heap kept goes back to the system
    # (a new one forks from a preloaded fork server in milliseconds).
    media_worker_tasks: int = Field(20, ge=1, le=100_000)
    # Uploads that may wait for a worker; the next one gets 503 `busy` with Retry-After at once.
    media_queue: int = Field(4, ge=0, le=1024)

    # -- rate-limit counter purge --
    # How often each API process deletes the rate-limit counters whose window has ended (docs/limits.md),
    # in batches on the writer thread, between request writes. Without it every handle or address ever
    # tried keeps a row for good; with it a dead counter lasts at most this long past its window.
    rate_limit_purge_interval_seconds: float = Field(300.0, ge=0.05, le=86_400)

    # -- metrics and log format (docs/metrics.md) --
    # Serve Prometheus metrics at /metrics. Off by default: then no metrics middleware is installed at all
    # and /metrics answers 404.
    metrics: Literal["off", "on"] = "off"
    # With metrics on: the bearer token a scraper must send (`Authorization: Bearer <token>`), compared in
    # constant time; empty = /metrics open to anyone who can reach the port (only behind a proxy that
    # keeps /metrics in). Make it long and random (`openssl rand -hex 32`). Never logged.
    metrics_token: SecretStr = SecretStr("")
    # Log lines as plain text or as JSON objects, one a line (time, level, logger, message, exception;
    # the access log's method, path, status as fields), for our loggers and uvicorn's. Redacted either way.
    log_format: Literal["text", "json"] = "text"

    # -- ArangoDB query runtime --
    # Seconds an AQL query may run on the server before the server kills it (the driver's max_runtime,
    # set on every query): the HTTP client gives up after 30 s, and a query it abandoned would otherwise
    # keep running. The caller gets 503 store_unavailable. No effect on SQLite.
    arango_query_max_runtime: float = Field(10.0, ge=0.1, le=25.0)

    @model_validator(mode="after")
    def _check(self) -> Settings:
        if self.page_size_default > self.page_size_max:
            raise ValueError("page_size_default must not exceed page_size_max")
        if not (self.media_thumbnail_px <= self.media_display_px <= self.media_original_px):
            raise ValueError("media sizes must satisfy thumbnail <= display <= original")
        if self.media_avatar_thumbnail_px > self.media_avatar_px:
            raise ValueError("media_avatar_thumbnail_px must not exceed media_avatar_px")
        if self.store_url and not self.store_url.startswith(("sqlite://", "arangodb://")):
            raise ValueError("BARKER_STORE_URL must start with sqlite:// or arangodb://")
        return self

    @cached_property
    def media_root(self) -> Path:
        return self.media_dir or self.data_dir / "media"

    @cached_property
    def sqlite_path(self) -> Path:
        if self.store_url.startswith("sqlite://"):
            return Path(self.store_url.removeprefix("sqlite://"))  # sqlite:///abs/path.db
        return self.data_dir / "barker.db"
