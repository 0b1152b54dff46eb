# Mikromerit — the commands people and CI use. `make run` and `make test` are the two that matter.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install contexts translations test test-ob3 test-browser test-contract test-faults lint audit typecheck typecheck-baseline contracts interop bench run demo messages clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) contexts translations

## The published JSON-LD contexts ob3 serves offline, extracted from the npm packages that carry them
## (pinned in ob3/contexts/package.json) into ob3/contexts/npm/; the repository holds no copy of them.
CONTEXTS_STAMP := ob3/contexts/node_modules/.installed-stamp
$(CONTEXTS_STAMP): ob3/contexts/package-lock.json ob3/contexts/manifest.json scripts/install_contexts.mjs
	@command -v npm >/dev/null || { echo "Node.js and npm are needed to install the JSON-LD contexts" >&2; exit 1; }
	cd ob3/contexts && npm ci --no-audit --no-fund --loglevel=error
	node scripts/install_contexts.mjs
	touch $(CONTEXTS_STAMP)

contexts: $(CONTEXTS_STAMP)

## Compile the translation catalogues (pure Python; the .mo files are not committed).
translations: $(STAMP)
	$(BIN)/python scripts/compile_messages.py

## The whole test suite on the embedded defaults (no external services needed).
test: install
	$(BIN)/pytest tests/ob3 -p no:django -q -m "not interop"
	$(BIN)/pytest -q -m "not services and not interop and not browser and not contract and not faults" --ignore=tests/ob3

## The pure ob3 library only, without Django installed in the test process.
test-ob3: $(STAMP)
	$(BIN)/pytest tests/ob3 -p no:django -q -m "not interop"

## Real Chromium (/usr/bin/chromium) against a live server: keyboard use, axe-core (WCAG 2.1 AA), small screens.
test-browser: install
	cd interop && npm ci --no-audit --no-fund --loglevel=error
	$(BIN)/pytest tests/browser -m browser -q

## The API against its own contract on a live server: schemathesis over every operation of /api/v1/schema/
## (valid and invalid requests; no 5xx, documented statuses, content types and bodies), then every curl
## example in docs/api.md run with real curl.
test-contract: install
	$(BIN)/pytest tests/api_contract -m contract -q -p no:cacheprovider

## Faults on private servers the tests start and kill (PostgreSQL via initdb, Redis, SMTP, Celery workers):
## kill -9 mid-batch, PostgreSQL restart, a minute without Redis, a full media disk (docs/reliability.md).
test-faults: install
	$(BIN)/pytest tests/faults -m faults -q -p no:cacheprovider

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

## Security: bandit over our code (fails on any medium or high finding not marked `# nosec B### -- reason`),
## then pip-audit over the installed packages (scripts/dependency_audit.py: known vulnerabilities fail; says
## so plainly when the advisory database cannot be reached).
AUDITED := ob3 safefetch config kernel notifications issuers webhooks badges verification learners assessment console api obapi openid4vci vcapi bench scripts deploy
audit: $(STAMP)
	$(BIN)/bandit --recursive $(AUDITED) --exclude '*/migrations/*' --severity-level medium --quiet
	$(BIN)/python scripts/dependency_audit.py

## Static types ([tool.mypy] in pyproject.toml): ob3 and safefetch under --strict with no error at all; the
## apps with django-stubs, failing on any error not recorded in mypy-baseline.txt. After fixing recorded
## errors, `make typecheck-baseline` shrinks the file (review the diff: it must only lose lines).
APPS := config kernel notifications issuers webhooks badges verification learners openid4vci assessment console api obapi vcapi
typecheck: $(STAMP)
	MIKROMERIT_DEV=1 $(BIN)/mypy ob3 safefetch
	@# mypy exits 1 when it finds errors (recorded ones too) and 2 when it could not check at all: fail on 2.
	mkdir -p .mypy_cache; MIKROMERIT_DEV=1 $(BIN)/mypy $(APPS) > .mypy_cache/apps.txt; test $$? -le 1 || { cat .mypy_cache/apps.txt; exit 1; }
	$(BIN)/mypy-baseline filter --no-colors < .mypy_cache/apps.txt

typecheck-baseline: $(STAMP)
	MIKROMERIT_DEV=1 $(BIN)/mypy $(APPS) | $(BIN)/mypy-baseline sync

## Independent implementations verify what ob3 signs (digitalbazaar's JS stack, jose), then what the running
## platform publishes (also DCC's verifier-core), fetching keys and documents only from a live test server.
interop: install
	cd interop && npm ci --no-audit --no-fund --loglevel=error
	$(BIN)/pytest tests/ob3 -p no:django -q -m interop
	$(BIN)/pytest tests/interop tests/vcapi -q -m interop

bench: $(STAMP)
	cd interop && npm ci --no-audit --no-fund --loglevel=error
	$(BIN)/python bench/bench_ob3.py
	$(BIN)/python bench/bench_hostile.py

## Web server + Celery worker on the embedded defaults (SQLite, SQLite broker, var/), with demo data.
run: install
	PORT=$${PORT:-8000} $(BIN)/python scripts/dev_run.py

## Load (or top up) the demo issuer, micro-credentials and people.
demo: $(STAMP)
	MIKROMERIT_DEV=1 $(BIN)/python manage.py migrate --noinput
	MIKROMERIT_DEV=1 $(BIN)/python manage.py demo_load

## Collect new user-facing strings into the Swedish catalogues (locale/ and each app's locale/; needs GNU
## gettext), then compile them.
messages: $(STAMP)
	MIKROMERIT_DEV=1 $(BIN)/python manage.py makemessages --locale sv --ignore .venv --ignore ob3 --ignore interop --no-obsolete
	$(BIN)/python scripts/compile_messages.py

clean:
	rm -rf $(VENV) .pytest_cache
