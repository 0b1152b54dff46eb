# Mikromerit — the commands people and CI use. `make run` and `make test` are the two that matter.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install test test-ob3 lint contracts interop bench run clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## The whole test suite on the embedded defaults (no external services needed).
test: $(STAMP)
	$(BIN)/pytest tests/ob3 -p no:django -q
	$(BIN)/pytest -q -m "not services and not interop and not browser" --ignore=tests/ob3

## The pure ob3 library only, without Django installed in the test process.
test-ob3: $(STAMP)
	$(BIN)/pytest tests/ob3 -p no:django -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

## Independent implementations (digitalbazaar's JS stack, jose) verify what ob3 signs.
interop: $(STAMP)
	cd interop && npm ci --no-audit --no-fund --loglevel=error
	$(BIN)/pytest tests/ob3 -p no:django -q -m interop

bench: $(STAMP)
	cd interop && npm ci --no-audit --no-fund --loglevel=error
	$(BIN)/python bench/bench_ob3.py

clean:
	rm -rf $(VENV) .pytest_cache
