# Two commands matter: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
# Where `make run` listens: this machine only (the demo accounts' password is `demo`).
# On a trusted network: make run ADDRESS=0.0.0.0
ADDRESS ?= 127.0.0.1
ENTRY := app.py

.PHONY: run test test-fast seed lint clean bench backup restore

$(BIN)/python:
	@$(PYTHON) -m venv $(VENV) || { echo "Kan geen virtuele omgeving maken: installeer python3-venv (apt-get install python3-venv)."; exit 1; }
	@$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.lock
	@touch $@

$(VENV)/.dev: requirements-dev.lock | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.lock
	@touch $@ $(VENV)/.runtime

seed: $(VENV)/.runtime
	$(BIN)/python -m data_loaders.seed

run: seed
	$(BIN)/streamlit run $(ENTRY) --server.port $(PORT) --server.address $(ADDRESS)

node_modules/.package-lock.json: package-lock.json
	@command -v npm >/dev/null && npm ci --no-audit --no-fund --silent || echo "npm ontbreekt: toegankelijkheidstests (axe-core) worden overgeslagen."

# The whole suite on both cores: lint (ruff, mypy; bandit runs inside tests/test_security.py),
# then SQLite, PostgreSQL, Chromium and nginx tests (CI installs them) on three workers: the
# browser and server tests wait a third of the time, so a third worker fills it (same commit,
# quiet 2-core machine: 551 s with two workers, 467 s with three).
test: $(VENV)/.dev node_modules/.package-lock.json
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -n 3 --dist worksteal --durations=15 $(PYTEST_ARGS)

# The quick loop while coding: pure rules and the store on SQLite, no browser (< 60 s).
test-fast: $(VENV)/.dev
	$(BIN)/python -m pytest -n 2 -m "not browser and not postgres and not slow" tests/domain tests/store

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/bandit -q -r dashboard data_loaders geo pages streamlit_app.py $(ENTRY) -ll

clean:
	rm -rf $(VENV) .pytest_cache

# make bench [BENCH_FLAGS="--quick" or "--skip-national --skip-postgres ..."] -> bench/RESULTS.md
bench: $(VENV)/.dev
	$(BIN)/python bench/pages.py --write $(BENCH_FLAGS)

# make backup [FILE=path]; make restore FILE=path [DOOR=name] (uses LN_DATABASE_URL or the
# embedded SQLite file). Backups are 0600: they hold password hashes and every figure.
backup: $(VENV)/.runtime
	$(BIN)/python -m data_loaders.backup backup $(FILE)

restore: $(VENV)/.runtime
	@test -n "$(FILE)" || { echo "Gebruik: make restore FILE=pad/naar/backup"; exit 2; }
	$(BIN)/python -m data_loaders.backup restore $(FILE) $(if $(DOOR),--door "$(DOOR)")
