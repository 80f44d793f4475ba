# The two commands: `make demo` (serve the demo) and `make test` (the whole suite).
# Installs come from the lock files (exact versions, with hashes); `make lock` regenerates them
# from pyproject.toml (`make lock UPGRADE=--upgrade` also moves every pin to the newest release).
PYTHON ?= python3.11
REQUIREMENTS ?= requirements-dev.txt
EDITABLE ?= -e
UPGRADE ?=
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PIP_COMPILE = $(BIN)/pip-compile --quiet --generate-hashes --strip-extras --no-emit-index-url \
	--no-emit-find-links --allow-unsafe $(UPGRADE) pyproject.toml

.PHONY: demo test install lint lock test-sqlite test-postgres bench clean vendor

$(STAMP): pyproject.toml $(REQUIREMENTS)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r $(REQUIREMENTS)
	$(BIN)/pip install --quiet --no-deps $(EDITABLE) .
	touch $(STAMP)

lock:
	test -x $(BIN)/pip || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet "pip-tools>=7.4,<8"
	$(PIP_COMPILE) --output-file requirements.txt
	$(PIP_COMPILE) --extra dev --output-file requirements-dev.txt

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/iepimp demo

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test-sqlite: $(STAMP)
	IEPIMP_TEST_DB=sqlite $(BIN)/pytest -q

test-postgres: $(STAMP)
	@if $(BIN)/python -m tests.support.pg_available; then \
		IEPIMP_TEST_DB=postgres $(BIN)/pytest -q; \
	elif [ "$$CI" = "true" ]; then \
		echo "PostgreSQL is not reachable at 127.0.0.1:5432 and CI=true: failing"; exit 1; \
	else \
		echo "PostgreSQL is not reachable at 127.0.0.1:5432: skipping the PostgreSQL half"; \
	fi

test: lint test-sqlite test-postgres

bench: $(STAMP)
	@command -v wrk >/dev/null 2>&1 || [ "$$(id -u)" != 0 ] || \
		{ apt-get update -qq && apt-get install -y -qq wrk; } || \
		echo "wrk could not be installed: requests per second come from asyncio clients"
	$(BIN)/python -m bench.hot_queries

vendor:
	./scripts/vendor.sh

clean:
	rm -rf $(VENV) data .mypy_cache .ruff_cache .pytest_cache
