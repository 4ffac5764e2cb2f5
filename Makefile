# Loa — `make` lists the targets. Everything installs into .venv; Debian packages via apt-get.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
LOA := $(VENV)/bin/loa
PYTEST := $(PY) -m pytest
PG_URL ?= postgres://postgres@127.0.0.1:5432/loa
REDIS_TEST_URL ?= redis://127.0.0.1:6379/15
export LOA_REDIS_TEST_URL := $(REDIS_TEST_URL)
# The shifted-clock pass starts at 17:30 UTC on 31/12 of next year, i.e. 00:30 Vietnam time on
# 01/01 of the year after: the Vietnamese and UTC dates and years differ, and every date the
# suite writes as "now" lies more than a year ahead. Override to try another moment:
# make test-shifted-clock SHIFTED_CLOCK="2027-06-30 16:50:00" (UTC).
SHIFTED_CLOCK ?= $(shell echo $$(( $$(date -u +%Y) + 1 )))-12-31 17:30:00

.PHONY: help install system-deps run test test-sqlite test-shifted-clock test-postgres lint typecheck imports check bench messages clean

help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-19s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e ".[dev]"
	@touch $@

install: $(VENV)/.installed ## create .venv and install Loa with its tools

system-deps: ## install the Debian packages the tests need (chromium, gettext, faketime…)
	@scripts/system-deps.sh

run: install ## migrate, load demo data and start web, worker and scheduler on http://127.0.0.1:8000
	$(LOA) up --demo

test: install system-deps check test-sqlite test-shifted-clock test-postgres ## lint, types, then the suite on SQLite (at the real and a shifted clock) and on PostgreSQL

test-sqlite: install ## the suite on SQLite, browser tests included
	$(PYTEST)

# faketime shifts the clock by an offset, so it keeps running and every child process (the
# loa CLI, LibreOffice, Chromium through Playwright) sees the same shifted time as Python.
# The monotonic clock is shifted too: with FAKETIME_DONT_FAKE_MONOTONIC=1, libfaketime 0.9.10
# turns Python's time.sleep into EINVAL. Redis and PostgreSQL keep the real time, and a
# Python thread's timed wait is not shifted; tests marked real_clock are skipped here.
test-shifted-clock: install ## the SQLite pass again at 00:30 Vietnam time on 01/01 of the year after next (faketime)
	@command -v faketime >/dev/null || { echo "faketime is missing: make system-deps installs it"; exit 1; }
	@offset=$$(( $$(date -u -d "$(SHIFTED_CLOCK) UTC" +%s) - $$(date -u +%s) )); \
	echo "Shifted clock: the suite starts at $(SHIFTED_CLOCK) UTC (offset $${offset} s)"; \
	LOA_SHIFTED_CLOCK=1 faketime -f "+$${offset}s" $(PYTEST)

test-postgres: install ## the suite again on PostgreSQL (skipped if unreachable, unless LOA_REQUIRE_SERVICES=1)
	@if $(PY) scripts/check_service.py postgres "$(PG_URL)"; then \
		DATABASE_URL="$(PG_URL)" $(PYTEST) -m "not browser"; \
	elif [ "$$LOA_REQUIRE_SERVICES" = "1" ]; then \
		echo "PostgreSQL is required (LOA_REQUIRE_SERVICES=1) but unreachable at $(PG_URL)"; exit 1; \
	else \
		echo "PostgreSQL unreachable at $(PG_URL): the PostgreSQL pass is skipped"; \
	fi

lint: install ## ruff
	$(VENV)/bin/ruff check src tests bench scripts
	$(VENV)/bin/ruff format --check src tests bench scripts

typecheck: install ## mypy (strict, django-stubs)
	$(VENV)/bin/mypy

imports: install ## import-linter: plain cores without Django, monitoring layers downwards, no domain app on the shell
	$(VENV)/bin/lint-imports

check: lint typecheck imports ## lint, type-check and the import contracts

bench: install ## measure speed and memory; prints one table
	$(PY) -m bench

messages: install ## extract UI strings into the Vietnamese catalogue and compile it
	cd src/loa && ../../$(LOA) manage makemessages -l vi --no-obsolete --no-location
	$(PY) scripts/compile_messages.py

clean: ## remove the virtualenv, caches and local data under var/
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache .import_linter_cache
