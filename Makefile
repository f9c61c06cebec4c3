# The two commands of the README: `make run` and `make test`. Each sets up what it needs on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
# Where `make run` keeps its store: empty = where `barker serve` keeps it ($BARKER_DATA_DIR, else
# $XDG_DATA_HOME/barker, else ~/.local/share/barker), so `barker seed`/`barker serve` find the same data.
# `make run DATA=./data` keeps it in the checkout instead.
DATA   ?=

.PHONY: run test lint bench clean redis-server qt-deps client

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

## run: start Barker on the embedded SQLite store at http://127.0.0.1:8000 (seeds demo data on first run;
## prints where it listens, where the data is and the demo log-in)
run: $(STAMP)
	$(BIN)/barker serve --demo $(if $(DATA),--data-dir $(DATA))

# The stream tests start their own redis-server on a free port; install the binary if it is missing.
redis-server:
	@command -v redis-server >/dev/null || { echo "installing redis-server (Debian package)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq redis-server >/dev/null; }

# The desktop client's tests run Qt offscreen; PySide6's wheels need these system libraries (and a font).
# fonts-noto-color-emoji draws reaction emoji; everything else works without it.
QT_PACKAGES := libegl1 libgl1 libxkbcommon0 libfontconfig1 libfreetype6 libglib2.0-0 fonts-dejavu-core \
               fonts-noto-color-emoji
qt-deps:
	@dpkg -s $(QT_PACKAGES) >/dev/null 2>&1 || { echo "installing Qt's system libraries (Debian packages)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq $(QT_PACKAGES) >/dev/null; }

## client: the desktop client (PySide6/QML), against BARKER_SERVER_URL or http://127.0.0.1:8000
client: $(STAMP) qt-deps
	$(BIN)/barker client

## test: lint, then the whole test suite
test: $(STAMP) redis-server qt-deps
	$(BIN)/ruff check barker backend tests bench client_qt
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check barker backend tests bench client_qt

## bench: HTTP benchmark (10,000 users, 100,000 barks); see bench/README.md
bench: $(STAMP)
	$(BIN)/python -m bench.http_bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
