# The two commands of the README: `make run` and `make test`. Each sets up what it needs on a fresh machine
# and installs only what it runs: `make run` the server alone; `make test`, `make client` and `make bench`
# add their extra of pyproject.toml when first used.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Where `make run` keeps its store: empty = where `barker serve` keeps it ($BARKER_DATA_DIR, else
# $XDG_DATA_HOME/barker, else ~/.local/share/barker), so `barker seed`/`barker serve` find the same data.
# `make run DATA=./data` keeps it in the checkout instead.
DATA   ?=
# One stamp per install, so `make run` then `make test` adds only the test extra and nothing is reinstalled.
SERVER := $(VENV)/.installed-server
EXTRA  := $(VENV)/.installed-

.PHONY: run test lint typecheck bench bench-conversations bench-departure clean redis-server qt-deps client

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# The server: Barker and its runtime dependencies only (no PySide6, no test tools).
$(SERVER): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

# An extra (client, test, bench): its own packages, listed from pyproject.toml. `pip install -e ".[test]"`
# would build and reinstall Barker itself every time; this adds only what is missing.
$(EXTRA)%: $(SERVER)
	$(BIN)/python -c 'import sys, tomllib; print(*tomllib.load(open("pyproject.toml", "rb"))["project"]["optional-dependencies"][sys.argv[1]], sep="\n")' $* >$(VENV)/requirements-$*.txt
	$(BIN)/pip install --quiet -r $(VENV)/requirements-$*.txt
	touch $@

# The development set-up (the server and the test tools) under the stamp's earlier name.
$(VENV)/.installed-stamp: $(EXTRA)test
	touch $@

## run: start Barker on the embedded SQLite store at http://127.0.0.1:8000 (seeds demo data on first run;
## prints where it listens, where the data is and the demo log-in)
run: $(SERVER)
	$(BIN)/barker serve --demo $(if $(DATA),--data-dir "$(DATA)")

# The stream tests start their own redis-server on a free port; install the binary if it is missing.
# (Debian packages install with DEBIAN_FRONTEND=noninteractive: CI has no terminal to answer questions.)
redis-server:
	@command -v redis-server >/dev/null || { echo "installing redis-server (Debian package)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; }

# The desktop client's tests run Qt offscreen; PySide6's wheels need these system libraries (and a font).
# fonts-noto-color-emoji draws reaction emoji; everything else works without it.
QT_PACKAGES := libegl1 libgl1 libxkbcommon0 libfontconfig1 libfreetype6 libglib2.0-0 fonts-dejavu-core \
               fonts-noto-color-emoji
qt-deps:
	@dpkg -s $(QT_PACKAGES) >/dev/null 2>&1 || { echo "installing Qt's system libraries (Debian packages)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(QT_PACKAGES) >/dev/null; }

## client: the desktop client (PySide6/QML), against BARKER_SERVER_URL or http://127.0.0.1:8000
client: $(EXTRA)client qt-deps
	$(BIN)/barker client

## test: lint and type-check, then the whole test suite
test: $(EXTRA)test redis-server qt-deps
	$(BIN)/ruff check barker backend tests bench client_qt
	$(BIN)/mypy
	$(BIN)/pytest

lint: $(EXTRA)test
	$(BIN)/ruff check barker backend tests bench client_qt

# What mypy checks and how strictly: [tool.mypy] in pyproject.toml (barker and backend).
typecheck: $(EXTRA)test
	$(BIN)/mypy

## bench: HTTP benchmark (10,000 users, 100,000 barks); see bench/README.md
bench: $(EXTRA)bench
	$(BIN)/python -m bench.http_bench

## bench-conversations: threads, tags, search, notifications at 100,000 users / 1,000,000 barks, and the
## home timeline before and after issue 18 (alternating); see bench/README.md
bench-conversations: $(EXTRA)bench
	$(BIN)/python -m bench.conversations_bench

## bench-departure: deleting an account of 10,000 barks and 5,000 followers under load; see bench/README.md
bench-departure: $(EXTRA)bench
	$(BIN)/python -m bench.departure_bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
