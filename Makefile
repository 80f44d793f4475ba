# The two commands: `make demo` (serve the demo) and `make test` (the whole suite).
PYTHON ?= python3.11
EXTRAS ?= [dev]
EDITABLE ?= -e
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test install lint test-sqlite test-postgres bench clean vendor

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet $(EDITABLE) ".$(EXTRAS)"
	touch $(STAMP)

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
	$(BIN)/python -m bench.hot_queries

vendor:
	./scripts/vendor.sh

clean:
	rm -rf $(VENV) data .mypy_cache .ruff_cache .pytest_cache
