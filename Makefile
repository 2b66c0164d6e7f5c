# Burgerlink: two commands. `make run` sets up and serves the platform with demo data;
# `make test` runs the whole quality suite. See README.md.

PYTHON ?= python3
VENV ?= .venv
PORT ?= 8000
BL := $(VENV)/bin/burgerlink
PYTEST_WORKERS ?= auto
PYTEST_ARGS ?=

.PHONY: run setup test lint typecheck pytest pytest-sqlite pytest-postgres bench messages clean help \
	cluster cluster-db cluster-stop cluster-status backup restore-drill faults load

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Burgerlink needs Python 3.11 or newer (set PYTHON=...)")'
	@test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	@touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "Burgerlink needs Node.js and npm for its front-end packages."; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

setup: $(VENV)/.installed node_modules/.installed  ## Create the virtualenv and install Python and npm packages

run: setup  ## Set up, migrate, load the demo world and serve on http://127.0.0.1:$(PORT)
	@$(BL) migrate --noinput -v 0
	@$(BL) demo --skip-checks  # migrate has just run the system checks
	@echo
	@echo "Burgerlink draait op http://127.0.0.1:$(PORT)/  (stoppen: Ctrl+C)"
	@echo "Platformbeheer: http://127.0.0.1:$(PORT)/beheer/   API: http://127.0.0.1:$(PORT)/api/v1/docs"
	@echo "Achtergrondtaken (e-mail, exports): burgerlink db_worker, log in var/worker.log"
	@mkdir -p var; $(BL) db_worker --no-reload --interval 2 >var/worker.log 2>&1 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(BL) runserver 127.0.0.1:$(PORT) --skip-checks

lint: setup  ## ruff lint and format check
	$(VENV)/bin/ruff check src tests bench deploy
	$(VENV)/bin/ruff format --check src tests bench deploy

typecheck: setup  ## mypy with django-stubs
	$(VENV)/bin/mypy

pytest-sqlite: setup
	env -u DATABASE_URL -u DATABASE_DIRECT_URL -u DATABASE_REPLICA_URL -u DATABASE_POOL_MODE $(VENV)/bin/pytest -n $(PYTEST_WORKERS) -q

# On PostgreSQL the browser journeys are not repeated: they exercise pages, not the database.
pytest-postgres: setup
	@if [ -n "$$DATABASE_URL" ]; then \
	  echo "== pytest on PostgreSQL ($$DATABASE_URL)"; \
	  $(VENV)/bin/pytest -n $(PYTEST_WORKERS) -q -m "not browser" $(PYTEST_ARGS); \
	else echo "== DATABASE_URL not set: PostgreSQL run skipped"; fi

pytest: pytest-sqlite pytest-postgres

test: lint typecheck pytest  ## ruff, mypy, pytest on SQLite, and on PostgreSQL when DATABASE_URL is set

bench: setup  ## Run the benchmarks; each prints its ratio to a baseline measured in the same run
	$(VENV)/bin/python bench/run.py

messages: setup  ## Extract and compile translations (needs GNU gettext)
	cd src/burgerlink && ../../$(BL) makemessages -l en --no-obsolete -e html,txt,py,css --ignore "*/migrations/*" && ../../$(BL) compilemessages -l en

cluster: setup  ## Start the multi-node cluster on loopback (etcd, Patroni primary+replica, HAProxy, PgBouncer, 2 app servers, 2 workers)
	deploy/cluster.sh start all

cluster-db: setup  ## Start only the database part of the cluster (etcd, Patroni, HAProxy, PgBouncer)
	deploy/cluster.sh start db

cluster-stop:  ## Stop every process of the cluster
	deploy/cluster.sh stop

cluster-status:  ## Which parts of the cluster run, and each node's role
	deploy/cluster.sh status

backup:  ## A base backup of the cluster's database (pgBackRest; WAL is archived continuously)
	deploy/backup.sh

restore-drill: setup  ## Restore the cluster's database to a point in time into a fresh server and check it
	deploy/restore-drill.sh

faults: setup  ## Run every fault script of deploy/faults against the cluster
	deploy/faults/run-all.sh

load: setup  ## Load test of a mixed municipal workload against the cluster (LOAD_SECONDS, LOAD_USERS)
	deploy/load/run.sh

clean:  ## Remove the virtualenv, node_modules and local data
	rm -rf $(VENV) node_modules var staticfiles
