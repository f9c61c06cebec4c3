"""What the `barker` command accepts, and how it says no: in one line that names the flag or setting and
what is allowed, with exit status 2 (argparse's convention for a usage error), before anything is opened,
written or bound. A traceback tells a newcomer nothing they can act on, and uvicorn would even take
`--port 99999` and listen on 99999 - 65536.

Nothing here echoes a secret: a rejected value is shown through barker/log_redaction.py, so a bad
`BARKER_STORE_URL` keeps its password to itself.
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
from collections.abc import Iterable, Mapping
from typing import Any, NoReturn

from pydantic import ValidationError

from barker import log_redaction
from barker.addresses import check_bind_host
from barker.settings import Settings

USAGE_ERROR = 2
ENV_PREFIX = Settings.model_config["env_prefix"]  # BARKER_
# uvicorn's levels (uvicorn.config.LOG_LEVELS), listed here so that parsing flags does not import uvicorn
SERVER_LOG_LEVELS = ("critical", "error", "warning", "info", "debug", "trace")
# What BARKER_LOG_LEVEL may be: the standard logging levels (Barker's loggers have no "trace")
LOG_LEVELS = ("critical", "error", "warning", "info", "debug")


def shown(value: object) -> str:
    """A rejected value as the message shows it: quoted, secrets cut out."""
    return log_redaction.redact(repr(value))


def fail(lines: Iterable[str]) -> NoReturn:
    """Print each line as `barker: <line>` on stderr and exit with the usage-error status."""
    for line in lines:
        print(f"barker: {line}", file=sys.stderr)
    sys.exit(USAGE_ERROR)


class OneLineErrors(argparse.ArgumentParser):
    """A subcommand's parser that reports a bad flag in one line, `barker serve: error: argument --port:
    …`, rather than argparse's usage block above it (which buries the line that matters); exit 2 as
    argparse does. The top-level parser keeps the usage: a missing or unknown command is best answered
    by the list of commands."""

    def error(self, message: str) -> NoReturn:
        self.exit(USAGE_ERROR, f"{self.prog}: error: {log_redaction.redact(message)} (see {self.prog} --help)\n")


# -- argparse types: each raises ArgumentTypeError, which argparse prefixes with the flag's name --

def port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"a port is a whole number from 1 to 65535 (got {shown(text)})")
    return value


def host(text: str) -> str:
    try:
        return check_bind_host(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(f"{e} (got {shown(text)})") from None


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"should be a whole number of at least 1 (got {shown(text)})")
    return value


# -- settings --

def settings_or_exit(**overrides: Any) -> Settings:
    """Settings() from the environment (and flags given as overrides), or one line per bad setting and
    exit 2. The one place the command line builds its Settings."""
    try:
        return Settings(**overrides)
    except ValidationError as e:
        fail(settings_error_lines(e))


def settings_error_lines(error: ValidationError) -> list[str]:
    """`BARKER_PORT: Input should be a valid integer, … (got 'abc')`, one per error. A rule across
    several settings (loc ()) names them as environment variables, and never shows its input: that is
    every setting given, secrets included."""
    env_names = {name: ENV_PREFIX + name.upper() for name in Settings.model_fields}
    lines = []
    for err in error.errors():
        message = err["msg"].removeprefix("Value error, ")
        if err["loc"]:
            field = str(err["loc"][0])
            lines.append(f"{env_names.get(field, field)}: {message} (got {shown(err['input'])})")
        else:
            named = re.sub(r"\b[a-z][a-z0-9_]*\b", lambda m: env_names.get(m[0], m[0]), message)
            lines.append(log_redaction.redact(named))
    return lines


def log_level_or_exit(environ: Mapping[str, str]) -> int:
    """The level of Barker's own loggers, from BARKER_LOG_LEVEL (default info)."""
    name = environ.get(f"{ENV_PREFIX}LOG_LEVEL", "info")
    if name.strip().lower() not in LOG_LEVELS:
        fail([f"{ENV_PREFIX}LOG_LEVEL: should be one of {', '.join(LOG_LEVELS)} (got {shown(name)})"])
    return logging.getLevelNamesMapping()[name.strip().upper()]
