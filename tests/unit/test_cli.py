"""The `barker` command as a newcomer meets it: the real command (`python -m backend.cli`) in a subprocess,
its data and home directories in tmp_path, no BARKER_* from the environment running the tests.

A bad flag or setting must end the command with one line that names it and says what is allowed, exit
status 2, and nothing done: no file written and nothing listening. `subprocess.run` returning at all is
the proof that nothing listened: a server that had bound its port would still be serving (the timeout
would fail the test)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.servers import CHEAP_ARGON2

ROOT = Path(__file__).resolve().parents[2]

SECRET = "hunter2-pa55word"


def barker(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run `barker <args>` with the data dir, XDG_DATA_HOME and HOME all under tmp_path."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("BARKER_")}
    full = {**clean, "HOME": str(tmp_path / "home"), "XDG_DATA_HOME": str(tmp_path / "xdg"),
            "BARKER_DATA_DIR": str(tmp_path / "data"), **CHEAP_ARGON2, **env}
    return subprocess.run([sys.executable, "-m", "backend.cli", *args], cwd=ROOT, env=full, capture_output=True,
                          text=True, timeout=120)


def written(tmp_path: Path) -> list[Path]:
    return sorted(tmp_path.rglob("*"))


def assert_refused_in_one_line(done: subprocess.CompletedProcess[str], tmp_path: Path) -> str:
    """Exit 2, nothing on stdout, exactly one line on stderr (returned), no traceback, nothing written."""
    assert done.returncode == 2, done
    assert done.stdout == "", done.stdout
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert written(tmp_path) == [], "a refused command wrote files"
    return lines[0]


def test_version_prints_the_package_version(tmp_path: Path) -> None:
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    done = barker(tmp_path, "--version")
    assert (done.returncode, done.stdout, done.stderr) == (0, f"barker {version}\n", "")


@pytest.mark.parametrize(("args", "named", "allowed"), [
    # uvicorn took 99999 and listened on 99999 - 65536 = 34463
    (["serve", "--port", "99999"], "argument --port", "1 to 65535 (got '99999')"),
    (["serve", "--port", "0"], "argument --port", "1 to 65535 (got '0')"),
    (["serve", "--port", "http"], "argument --port", "1 to 65535 (got 'http')"),
    (["serve", "--host", "http://example.org:8000"], "argument --host", "IP address"),
    (["serve", "--host", ""], "argument --host", "IP address"),
    (["serve", "--log-level", "chatty"], "argument --log-level", "'debug'"),
    (["seed", "--users", "0"], "argument --users", "at least 1 (got '0')"),
    (["seed", "--barks", "-5"], "argument --barks", "at least 1 (got '-5')"),
    (["seed", "--users", "many"], "argument --users", "at least 1 (got 'many')"),
    (["serve", "--ports", "8000"], "unrecognized arguments: --ports 8000", "barker serve --help"),
    (["serve", "--port"], "argument --port", "expected one argument"),
])
def test_a_bad_flag_is_one_line_naming_it_exit_2_and_nothing_done(
        tmp_path: Path, args: list[str], named: str, allowed: str) -> None:
    line = assert_refused_in_one_line(barker(tmp_path, *args), tmp_path)
    assert line.startswith(f"barker {args[0]}: error: "), line
    assert named in line and allowed in line, line


@pytest.mark.parametrize(("command", "env", "expected"), [
    ("serve", {"BARKER_PORT": "abc"}, "barker: BARKER_PORT: Input should be a valid integer, unable to parse "
                                      "string as an integer (got 'abc')"),
    ("seed", {"BARKER_PORT": "abc"}, "barker: BARKER_PORT: Input should be a valid integer"),
    ("worker", {"BARKER_PORT": "abc"}, "barker: BARKER_PORT: Input should be a valid integer"),
    ("serve", {"BARKER_PORT": "99999"}, "barker: BARKER_PORT: Input should be less than or equal to 65535 "
                                        "(got '99999')"),
    ("serve", {"BARKER_HOST": "example.org:8000"}, "barker: BARKER_HOST: should be an IP address"),
    ("serve", {"BARKER_LOCATION_RESOLUTION": "9"}, "barker: BARKER_LOCATION_RESOLUTION: Input should be less "
                                                   "than or equal to 7 (got '9')"),
    ("serve", {"BARKER_REGISTRATIONS": "sometimes"}, "barker: BARKER_REGISTRATIONS: Input should be 'open' or "
                                                     "'closed' (got 'sometimes')"),
    ("serve", {"BARKER_INLINE_READS": "maybe"}, "barker: BARKER_INLINE_READS: Input should be a valid boolean"),
    # a rule over two settings names both as environment variables
    ("serve", {"BARKER_PAGE_SIZE_DEFAULT": "500"},
     "barker: BARKER_PAGE_SIZE_DEFAULT must not exceed BARKER_PAGE_SIZE_MAX"),
    ("serve", {"BARKER_LOG_LEVEL": "chatty"},
     "barker: BARKER_LOG_LEVEL: should be one of critical, error, warning, info, debug (got 'chatty')"),
])
def test_a_bad_setting_is_one_line_naming_it_exit_2_and_nothing_done(
        tmp_path: Path, command: str, env: dict[str, str], expected: str) -> None:
    line = assert_refused_in_one_line(barker(tmp_path, command, **env), tmp_path)
    assert line.startswith(expected), line


def test_every_bad_setting_gets_its_own_line(tmp_path: Path) -> None:
    done = barker(tmp_path, "serve", BARKER_PORT="abc", BARKER_READ_THREADS="0")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert sorted(line.split(":")[1].strip() for line in done.stderr.splitlines()) == \
        ["BARKER_PORT", "BARKER_READ_THREADS"]
    assert written(tmp_path) == []


@pytest.mark.parametrize(("args", "env"), [
    (["serve"], {"BARKER_STORE_URL": f"postgres://barker:{SECRET}@db.example.org/barker"}),
    (["serve"], {"BARKER_HOST": f"https://root:{SECRET}@example.org"}),
    (["serve"], {"BARKER_PORT": f"arangodb://root:{SECRET}@example.org:8529"}),
    (["serve", "--host", f"https://root:{SECRET}@example.org"], {}),
])
def test_a_refused_value_never_shows_a_password(tmp_path: Path, args: list[str], env: dict[str, str]) -> None:
    done = barker(tmp_path, *args, **env)
    line = assert_refused_in_one_line(done, tmp_path)
    assert SECRET not in done.stdout + done.stderr
    assert "STORE_URL" in line or "HOST" in line or "PORT" in line or "--host" in line, line


@pytest.mark.parametrize("args", [[], ["nope"]])
def test_no_or_unknown_command_shows_the_usage_and_exits_2(tmp_path: Path, args: list[str]) -> None:
    done = barker(tmp_path, *args)
    assert done.returncode == 2 and done.stdout == ""
    *usage_lines, error = done.stderr.splitlines()  # argparse wraps the usage at 80 columns
    usage = " ".join(line.strip() for line in usage_lines)
    assert usage.startswith("usage: barker") and "serve,seed,worker,backup,restore,admin,client" in usage
    assert error.startswith("barker: error: ")
    assert written(tmp_path) == []


def counts(db: Path) -> tuple[int, int, int]:
    with sqlite3.connect(db) as c:
        return tuple(c.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # type: ignore[return-value]
                     for table in ("users", "barks", "follows"))


def test_seed_twice_says_the_store_has_demo_data_and_exits_0(tmp_path: Path) -> None:
    first = barker(tmp_path, "seed", "--users", "8", "--barks", "30")
    assert first.returncode == 0, first.stderr
    assert "seeded 8 users" in first.stdout
    assert "log in as @demo (or any seeded handle) with the password 'barker-demo'" in first.stdout
    db = tmp_path / "data" / "barker.db"
    before = counts(db)
    assert before[0] == 8

    again = barker(tmp_path, "seed", "--users", "8", "--barks", "30")
    assert again.returncode == 0, again.stderr
    assert again.stdout == "the store already has demo data (@demo); nothing seeded\n"
    assert "Traceback" not in again.stderr and "taken" not in again.stderr
    assert counts(db) == before


def test_the_data_dir_defaults_to_xdg_data_home(tmp_path: Path) -> None:
    """`barker seed` and `barker serve` (hence `make run`, which passes no --data-dir) share one default."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BARKER_")}
    done = subprocess.run([sys.executable, "-m", "backend.cli", "seed", "--users", "2", "--barks", "1"], cwd=ROOT,
                          env={**env, **CHEAP_ARGON2, "HOME": str(tmp_path / "home"),
                               "XDG_DATA_HOME": str(tmp_path / "xdg")},
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "xdg" / "barker" / "barker.db").exists()
    assert not (tmp_path / "home").exists()


def test_makefile_run_uses_the_same_data_dir_as_barker_serve() -> None:
    done = subprocess.run(["make", "-n", "run"], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env={k: v for k, v in os.environ.items() if k != "DATA"})
    assert done.returncode == 0, done.stderr
    [command] = [line for line in done.stdout.splitlines() if "barker serve" in line]
    assert "--demo" in command and "--data-dir" not in command
