# OPB portal: developer and CI entry points. `make` alone lists the targets.
# GNU make 4.3. Everything runs from the virtualenv in .venv, which `make venv`
# builds from requirements-dev.txt on a fresh clone.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:
MAKEFLAGS += --no-builtin-rules

PYTHON ?= python3
VENV := .venv
VENV_PY := $(VENV)/bin/python
VENV_STAMP := $(VENV)/.installed
# Extra pytest arguments, e.g. make test PYTEST_ARGS="-x -k scorecard".
PYTEST_ARGS ?=
# The tests never run in debug mode and use a fixed key, whatever the shell has set.
TEST_ENV := env -u DJANGO_DEBUG DJANGO_SECRET_KEY=test-only-not-secret
# The demo runs in debug mode so the settings' development secret key is allowed.
DEMO_ENV := env DJANGO_DEBUG=1 DJANGO_REQUIRE_TWO_FACTOR=0

.PHONY: help venv demo test screenshots screenshots-pages screenshots-journeys walk-sqlite api-check lint bench bench-scale-out clean system-tools sso-provider check-deploy

help: ## List the targets
	@echo "OPB portal. Targets:"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sort \
		| awk 'BEGIN {FS = ":.*## "} {printf "  make %-8s %s\n", $$1, $$2}'
	@echo "Variables: PYTEST_ARGS (extra pytest arguments), DATABASE_URL (database to use)."

venv: $(VENV_STAMP) ## Create .venv and install requirements-dev.txt (redone when requirements change)

# A stamp file rather than .venv itself, so that editing a requirements file
# reinstalls. If the venv module lacks ensurepip (Debian without python3-venv),
# install python3-venv when we are root, and say so.
$(VENV_STAMP): requirements.txt requirements-dev.txt
	@echo "$(PYTHON) -m venv $(VENV)"
	@if ! $(PYTHON) -m venv $(VENV); then \
		rm -rf $(VENV); \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "make venv: '$(PYTHON) -m venv' failed (no ensurepip?);" \
				"running: apt-get update && apt-get install -y python3-venv"; \
			DEBIAN_FRONTEND=noninteractive apt-get update; \
			DEBIAN_FRONTEND=noninteractive apt-get install -y python3-venv; \
			$(PYTHON) -m venv $(VENV); \
		else \
			echo "make venv: '$(PYTHON) -m venv' failed; install your distribution's" \
				"venv package (Debian: sudo apt-get install python3-venv) and retry." >&2; \
			exit 1; \
		fi; \
	fi
	$(VENV)/bin/pip install -r requirements-dev.txt
	@touch $@

demo: venv ## Migrate, load the demo data and users, serve on http://127.0.0.1:8000/
	mkdir -p var
	$(DEMO_ENV) $(VENV_PY) manage.py migrate --noinput
	$(DEMO_ENV) $(VENV_PY) manage.py load_demo
	@echo "Scorecard: http://127.0.0.1:8000/kpis/scorecard/ (log in with a demo user above)"
	$(DEMO_ENV) $(VENV_PY) manage.py runserver 127.0.0.1:8000

# Browser tests drive Debian's Chromium through Playwright (never a downloaded browser);
# the board pack tests read PDFs back with poppler's pdftotext and pdftoppm; the
# workbook tests save files through LibreOffice Calc, as people do; the single sign-on tests
# run a real OpenID Connect provider (Node's oidc-provider, tests/sso/provider/); the
# readiness tests stop a redis-server of their own.
SYSTEM_TOOLS := /usr/bin/node:nodejs /usr/bin/npm:npm /usr/bin/redis-server:redis-server /usr/bin/chromium:chromium /usr/bin/pdftotext:poppler-utils /usr/bin/pdftoppm:poppler-utils /usr/bin/psql:postgresql-client /usr/lib/libreoffice/program/libsclo.so:libreoffice-calc-nogui /usr/lib/libreoffice/program/libswlo.so:libreoffice-writer-nogui

system-tools: ## Install Debian's chromium, poppler-utils, psql and LibreOffice Calc and Writer for the tests (when missing and root)
	@missing=""; for pair in $(SYSTEM_TOOLS); do \
		[ -e "$${pair%%:*}" ] || missing="$$missing $${pair##*:}"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	missing=$$(echo $$missing | tr ' ' '\n' | sort -u | tr '\n' ' '); \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "make system-tools: installing Debian's $$missing with apt-get"; \
		DEBIAN_FRONTEND=noninteractive apt-get update -qq; \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else \
		echo "make system-tools: missing $$missing; install them (apt-get install $$missing)" >&2; \
		exit 1; \
	fi

# The OpenID Connect provider the single sign-on tests sign in through, from the lock file
# (tests/sso/provider/package-lock.json); node_modules is never committed.
sso-provider: system-tools ## Install the test OpenID Connect provider (npm ci in tests/sso/provider)
	@[ -d tests/sso/provider/node_modules/oidc-provider ] || \
		(cd tests/sso/provider && npm ci --no-audit --no-fund)

# Branch coverage is printed after the tests (files not fully covered, with the lines and
# branches missed): to read, not a threshold.
test: venv lint system-tools sso-provider ## Lint, then run the whole test suite on PostgreSQL, with branch coverage
	$(TEST_ENV) $(VENV_PY) scripts/with_postgres.py -- \
		$(VENV_PY) -m pytest --cov --cov-report=term-missing:skip-covered $(PYTEST_ARGS)

# Pictures for people to look at. scripts/screenshots.py serves the demo (a fresh SQLite file,
# gunicorn on loopback) and keeps every page of README.md's "What is where" table, as each demo
# user who may open it, at 1366x900 and 390x844, in var/screenshots/<width>/<user>/ with an
# index.md of each page's width (OVERFLOW where wider than the screen). Then, as before, the
# board pack's pages as PNGs and what each browser journey showed, in test-artifacts/. They
# judge nothing, so `make test` leaves them out. SCREENSHOTS_ARGS go to the script
# (e.g. SCREENSHOTS_ARGS="--users board --pages scorecard").
SCREENSHOTS_ARGS ?=
screenshots: screenshots-pages screenshots-journeys ## Pictures of every README page as each user (var/screenshots/), the pack and the journeys (test-artifacts/)

screenshots-pages: venv system-tools ## Only the README's pages at both widths as each user, into var/screenshots/
	$(VENV_PY) scripts/screenshots.py $(SCREENSHOTS_ARGS)

screenshots-journeys: venv system-tools ## Only the pack's pages and the browser journeys, into test-artifacts/
	$(TEST_ENV) OPB_SCREENSHOTS=1 $(VENV_PY) scripts/with_postgres.py -- \
		$(VENV_PY) -m pytest -m "screenshots or browser" $(PYTEST_ARGS)

# The demo walk (tests/walk) on a fresh in-memory SQLite database: every page each demo
# user can reach, as `make demo` serves them. `make test` runs the same walk on PostgreSQL.
# The PeriodField's tests come along: a month is a date column, each database's own.
# With the walk, the imports of published files (their pages, their commands, the benchmarks
# they give) run on SQLite too: they write many rows at once, where the databases differ most.
SQLITE_TESTS := tests/walk tests/test_period_field.py tests/comparators/statistics \
	tests/comparators/test_published_benchmarks.py tests/inspections

walk-sqlite: venv system-tools ## Walk every page of the demo as each user, and the published-file imports, on a fresh SQLite database
	$(TEST_ENV) DATABASE_URL=sqlite:///:memory: OPB_DEMO_WALK_ON_SQLITE=1 \
		$(VENV_PY) -m pytest -n 0 -p no:cacheprovider $(SQLITE_TESTS) $(PYTEST_ARGS)

# The API against its own schema on a live server: gunicorn on 127.0.0.1 (a free port) with
# the demo in a fresh SQLite file, a key from `manage.py api_token`, then schemathesis
# (25 examples an operation, a fixed seed): any 5xx or answer outside the schema fails.
api-check: venv ## Run schemathesis against the API of a live server on loopback
	$(VENV_PY) scripts/api_check.py

# lint-imports holds the import-linter contracts of pyproject.toml: the machinery never
# imports a domain app, and the domain apps never import each other.
lint: venv ## Check the code: ruff (lint rules and formatting) and the import contracts
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

# Production settings (debug off, a fresh 64-character key, a real host name) against
# Django's deployment checklist; any warning fails. DATABASE_URL is not needed.
check-deploy: venv ## Check the production settings with `manage.py check --deploy`
	env -u DATABASE_URL DJANGO_DEBUG=0 DJANGO_ALLOWED_HOSTS=opb.example.org \
		DJANGO_SECRET_KEY="$$($(VENV_PY) -c 'import secrets; print(secrets.token_urlsafe(48))')" \
		$(VENV_PY) manage.py check --deploy --fail-level WARNING

# bench/_*.py are the scripts' shared modules (the harness, the locust people), not benchmarks.
bench: venv ## Run each bench/*.py script in turn on PostgreSQL; each prints its own figures
	$(VENV)/bin/pip install -q -r requirements-bench.txt
	@shopt -s nullglob; scripts=(bench/[!_]*.py); \
	if [ $${#scripts[@]} -eq 0 ]; then echo "make bench: no bench/*.py scripts"; exit 0; fi; \
	for script in "$${scripts[@]}"; do \
		echo "== $$script"; \
		$(TEST_ENV) $(VENV_PY) scripts/with_postgres.py -- $(VENV_PY) "$$script"; \
	done

# Its own PostgreSQL primary and replica (scripts/replica_cluster.py) and nginx (installed
# by the script when missing and root): no DATABASE_URL needed. About 10 minutes.
bench-scale-out: venv ## nginx, two gunicorn instances, a streaming replica: 200 people, one server killed, the replica lagging
	$(VENV)/bin/pip install -q -r requirements-bench.txt
	$(VENV_PY) bench/load.py --scale-out

clean: ## Remove .venv and var/ (the demo database)
	rm -rf $(VENV) var
