"""How the app is served: the uvicorn options `barker serve` passes, for anything else that serves it too.

- the websocket protocol that can let go of a peer that does not read (backend/ws_protocol.py);
- an inbound message cap: clients send nothing but pings on /v1/stream (docs/stream.md), so a message
  over BARKER_WS_MAX_MESSAGE_BYTES closes the socket with 1009 as soon as its header announces the size,
  without gathering the rest (uvicorn's default would gather up to 16 MiB per socket);
- heartbeats; and logging that never prints a secret (barker/log_redaction.py).
"""

from __future__ import annotations

import copy
from typing import Any

from uvicorn.config import LOGGING_CONFIG

from backend.ws_protocol import protocol_class
from barker.settings import Settings


def log_config(log_format: str = "text") -> dict[str, Any]:
    """uvicorn's own logging configuration, with secrets redacted on every handler (the access log, the
    error log and its websocket lines); with log_format "json", every line a JSON object (barker/log_json.py)."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config["filters"] = {"redact_secrets": {"()": "barker.log_redaction.RedactSecrets"}}
    for handler in config["handlers"].values():
        handler["filters"] = ["redact_secrets"]
    if log_format == "json":
        config["formatters"] = {name: {"()": "barker.log_json.JsonLines"} for name in config["formatters"]}
    return config


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    return {"ws": protocol_class(settings), "ws_max_size": settings.ws_max_message_bytes,
            # uvicorn would otherwise believe X-Forwarded-For from 127.0.0.1 and rewrite the client address
            # before Barker sees it: BARKER_TRUSTED_PROXIES alone decides (barker/addresses.py)
            "proxy_headers": False,
            # websocket heartbeats: a socket that does not answer a ping in time is closed
            "ws_ping_interval": settings.ws_ping_seconds, "ws_ping_timeout": settings.ws_ping_seconds,
            "log_config": log_config(settings.log_format)}
