# The two commands of the README: `make run` and `make test`. Each sets up what it needs on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
DATA   ?= ./data

.PHONY: run test lint bench clean redis-server

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

## run: start Barker on the embedded SQLite store at http://127.0.0.1:8000 (seeds demo data on first run)
run: $(STAMP)
	$(BIN)/barker serve --demo --data-dir $(DATA)

# The stream tests start their own redis-server on a free port; install the binary if it is missing.
redis-server:
	@command -v redis-server >/dev/null || { echo "installing redis-server (Debian package)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq redis-server >/dev/null; }

## test: lint, then the whole test suite
test: $(STAMP) redis-server
	$(BIN)/ruff check barker backend tests bench
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check barker backend tests bench

## bench: HTTP benchmark (10,000 users, 100,000 barks); see bench/README.md
bench: $(STAMP)
	$(BIN)/python -m bench.http_bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
