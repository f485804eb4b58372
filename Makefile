# The set-up contract: `make run` and `make test` on a machine with only Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
# Development defaults; production sets its own environment (docs in README.md).
export DEBUG ?= 1

.PHONY: run test lint pytest e2e audit messages lock clean

$(VENV)/.installed: requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	touch $@

run: $(VENV)/.installed
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo
	@echo "Medborgarlöftesportalen: http://127.0.0.1:8000/"
	$(MANAGE) runserver 127.0.0.1:8000

test: lint pytest

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint templates --lint
	$(MANAGE) makemigrations --check --dry-run

pytest: $(VENV)/.installed
	$(BIN)/pytest -m "not e2e"

# Browser journeys, axe-core, the Nu Html Checker and 320 px checks against a live server.
# Playwright drives Debian's Chromium (/usr/bin/chromium) and never downloads a browser.
e2e: $(VENV)/.installed node_modules/.installed
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest -m e2e

# Test-time npm tools (vnu-jar, the Nu Html Checker), exactly as pinned in package-lock.json.
node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

# Known vulnerabilities in the pinned dependencies; says SKIPPED when offline, never silently.
audit: $(VENV)/.installed
	$(PY) .ci/audit

# Regenerate the Swedish catalogue after adding strings (needs GNU gettext).
messages: $(VENV)/.installed
	$(MANAGE) makemessages --locale sv --no-obsolete --add-location file --ignore ".venv/*"
	$(MANAGE) compilemessages --locale sv --ignore ".venv/*"

# Re-pin the dependency set from the ranges in pyproject.toml.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --upgrade pip
	.lock-venv/bin/pip install --quiet ".[dev]"
	.lock-venv/bin/pip freeze --exclude medborgarloftesportalen > requirements.lock
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) db.sqlite3 node_modules
