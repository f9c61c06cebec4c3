"""The application factory."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from fastapi import FastAPI

from backend import metrics
from backend.docs_pages import install_docs_pages
from backend.errors import install_error_handlers
from backend.head import HeadAsGet
from backend.introspection import api_routes
from backend.limits import BodySizeLimit
from backend.openapi import install as install_openapi
from backend.routes import (
    accounts,
    admin,
    barks,
    discovery,
    health,
    media,
    moderation,
    notifications,
    reports,
    safety,
    stream,
    tags,
    timelines,
    users,
)
from backend.security_headers import SecurityHeaders
from backend.unexpected import AnswerUnexpected
from barker import __version__
from barker.addresses import parse_networks
from barker.fanout import run_worker
from barker.gateway import StoreGateway
from barker.media import LocalMediaStorage
from barker.services.limits_purge import keep_purging
from barker.services.media import keep_sweeping
from barker.services.streams import tokens_gone
from barker.settings import Settings
from barker.store import open_store
from barker.streams import StreamHub

log = logging.getLogger("barker")
MULTIPART_SLACK = 64 * 1024


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        store = await asyncio.to_thread(open_store, settings)
        gw = StoreGateway(store, settings)
        app.state.gateway = gw
        hub = app.state.hub = StreamHub(gw, tokens_gone=tokens_gone, poll_seconds=settings.stream_poll_seconds,
                                        worker_in_process=settings.inprocess_worker,
                                        send_timeout=settings.stream_send_timeout,
                                        revalidate_seconds=settings.stream_revalidate_seconds,
                                        sockets_per_user=settings.stream_sockets_per_user)
        await hub.start()
        tasks = [asyncio.create_task(gw.keep_node_lease(), name="node-lease"),
                 asyncio.create_task(gw.keep_checkpointing(), name="checkpoint"),
                 asyncio.create_task(keep_sweeping(gw, app.state.media_storage), name="media-sweep"),
                 asyncio.create_task(keep_purging(gw), name="rate-limit-purge")]
        if settings.inprocess_worker:
            tasks.append(asyncio.create_task(run_worker(gw, idle_poll_seconds=settings.worker_poll_seconds),
                                             name="fanout-worker"))
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await hub.close()
            await asyncio.to_thread(gw.close)

    app = FastAPI(title="Barker", version=__version__, lifespan=lifespan,
                  description="A Twitter-style social network. Authenticate with `Authorization: Bearer "
                              "<token>` from `POST /v1/accounts` or `POST /v1/sessions`.",
                  generate_unique_id_function=lambda route: route.name,
                  # /docs loads nothing from a CDN: backend/docs_pages.py serves it and its files (and no /redoc)
                  docs_url=None, redoc_url=None, swagger_ui_oauth2_redirect_url=None)
    app.state.settings = settings
    app.state.trusted_proxies = parse_networks(settings.trusted_proxies)
    app.state.media_storage = LocalMediaStorage(settings.media_root)
    # Routes are matched in order: the busiest first.
    # tags before barks: /v1/barks/search is no bark id.
    for router in (timelines.router, tags.router, barks.router, barks.me, media.files, discovery.router,
                   users.router, stream.router, notifications.router, accounts.router, media.router, admin.router,
                   moderation.router, reports.router, safety.router,
                   health.router):
        app.include_router(router)
    install_docs_pages(app)
    install_error_handlers(app)
    install_openapi(app, settings)  # every status and limit, derived from the routes (backend/openapi.py)
    # Uploads may be larger: the image plus room for the multipart framing around it.
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes,
                       overrides={"/v1/media": settings.media_max_bytes + MULTIPART_SLACK})
    if settings.metrics == "on":  # off: not even a middleware (docs/metrics.md)
        metrics.install(app, settings)  # here: outside BodySizeLimit (its 413s count), inside HeadAsGet
    app.add_middleware(HeadAsGet)
    app.add_middleware(AnswerUnexpected)  # just inside SecurityHeaders, outside the rest: catches bugs
    app.add_middleware(SecurityHeaders)  # outermost: every response, the 500 too
    return app


def operation_ids(app: FastAPI) -> list[str]:
    return [r.unique_id for r in api_routes(app)]
