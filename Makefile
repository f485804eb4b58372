# The set-up contract: `make run` and `make test` on a machine with only Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
MANAGE := $(PY) manage.py
# Development defaults; production sets its own environment (docs in README.md).
export DEBUG ?= 1

.PHONY: run serve test lint pytest e2e audit messages lock clean bench

# The run-time lock (what servers install) and the development lock (tests, lint) beside it.
$(VENV)/.installed: requirements.lock requirements-dev.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock -r requirements-dev.lock
	touch $@

run: $(VENV)/.installed .env
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo
	@echo "Medborgarlöftesportalen: http://127.0.0.1:8000/"
	@# The worker renders published reports in the background; it stops with the server.
	$(MANAGE) db_worker & trap "kill $$!" EXIT INT TERM; $(MANAGE) runserver 127.0.0.1:8000

# A development checkout's settings for commands typed in a new shell (promise_portal/settings.py
# reads it under the environment): `.venv/bin/python manage.py …` works as the README shows.
.env:
	printf '# Written by make run: a development checkout. Git-ignored; a server has none.\nDEBUG=1\n' > $@

# Production-like, locally (docs/operations.md): DEBUG off, static files collected and served by
# WhiteNoise, gunicorn (gunicorn.conf.py) on 127.0.0.1:8000, and the task worker beside it when
# django-tasks' `db_worker` command is installed. SECRET_KEY from the environment, else the
# checkout's .secret_key; cookies without Secure, no redirect to https and no HSTS, since this
# is plain HTTP on localhost, and no reverse proxy in front (each can be set in the environment).
serve: $(VENV)/.installed
	@set -e; export DEBUG=0 SECURE_COOKIES=$${SECURE_COOKIES:-0} \
	  SECURE_SSL_REDIRECT=$${SECURE_SSL_REDIRECT:-0} SECURE_HSTS_SECONDS=$${SECURE_HSTS_SECONDS:-0} \
	  TRUSTED_PROXY_COUNT=$${TRUSTED_PROXY_COUNT:-0}; \
	if [ -z "$$SECRET_KEY$$SECRET_KEY_FILE" ]; then \
	  test -s .secret_key || $(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > .secret_key; \
	  export SECRET_KEY_FILE=.secret_key; \
	fi; \
	$(MANAGE) migrate --noinput; \
	$(MANAGE) collectstatic --noinput --verbosity 0; \
	if $(MANAGE) help db_worker >/dev/null 2>&1; then \
	  $(MANAGE) db_worker & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	else \
	  echo "No task worker: manage.py db_worker is not installed."; \
	fi; \
	echo "Medborgarlöftesportalen (production mode): http://$${GUNICORN_BIND:-127.0.0.1:8000}/"; \
	$(BIN)/gunicorn -c gunicorn.conf.py

test: lint pytest

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint templates --lint
	$(MANAGE) makemigrations --check --dry-run

# In parallel on every core (pytest-xdist); the live tests share one worker and one cluster.
pytest: $(VENV)/.installed
	$(BIN)/pytest -m "not e2e" -n $${PYTEST_WORKERS:-auto} --dist loadgroup

# Browser journeys, axe-core, the Nu Html Checker and 320 px checks against a live server.
# Playwright drives Debian's Chromium (/usr/bin/chromium) and never downloads a browser.
# Each test module on one worker (the crawl runs once per module), modules side by side.
# Verbose: the output names each page's axe, HTML and 320 px check, and why an address is
# skipped (it is not an HTML page), so a green run shows what was checked.
e2e: $(VENV)/.installed node_modules/.installed
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 DJANGO_ALLOW_ASYNC_UNSAFE=true \
	  $(BIN)/pytest -m e2e -n $${PYTEST_WORKERS:-auto} --dist loadscope -v -rs

# Test-time npm tools (vnu-jar, the Nu Html Checker), exactly as pinned in package-lock.json.
node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

# Known vulnerabilities in the pinned dependencies; says SKIPPED when offline, never silently.
audit: $(VENV)/.installed
	$(PY) .ci/audit

# Issue 9's benchmark on PostgreSQL (BENCH_DATABASE_URL, default the local server): creates and
# drops its own database, installs wrk with apt-get when missing (as root), writes
# docs/benchmarks.md. About 4 minutes on 2 idle cores; not part of `make test`. The harness is
# devtools/bench/; it runs with DEBUG off and BENCH=1, so that devtools is an installed app.
bench: $(VENV)/.installed
	$(PY) -m devtools.bench.run

# Regenerate the Swedish catalogue after adding strings (needs GNU gettext).
messages: $(VENV)/.installed
	$(MANAGE) makemessages --locale sv --no-obsolete --add-location file --ignore ".venv/*"
	$(MANAGE) compilemessages --locale sv --ignore ".venv/*"

# Re-pin the dependency set from the ranges in pyproject.toml: the run-time packages first, then
# what the [dev] extra adds, each in its own file.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --upgrade pip
	.lock-venv/bin/pip install --quiet "."
	{ sed -n '1,2p' requirements.lock; \
	  .lock-venv/bin/pip freeze --exclude medborgarloftesportalen --exclude pip; } > .lock-runtime
	.lock-venv/bin/pip install --quiet ".[dev]"
	{ sed -n '1,2p' requirements-dev.lock; \
	  .lock-venv/bin/pip freeze --exclude medborgarloftesportalen --exclude pip \
	    | grep -v -x -i -F -f .lock-runtime; } > .lock-dev
	mv .lock-runtime requirements.lock && mv .lock-dev requirements-dev.lock
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) db.sqlite3 node_modules
