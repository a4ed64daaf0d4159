# Soin: `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
PYTEST_ARGS ?=
# The suite runs a test module per process, one process more than the cores: many tests wait
# for a browser, a server or a worker process, and the extra one uses that time (measured on
# two cores: 8 min 50 s with three processes; PYTEST_WORKERS=0: in this process).
PYTEST_WORKERS ?= $(shell $(PYTHON) -c 'import os; print((os.cpu_count() or 1) + 1)')

.PHONY: help install system-deps run test bench lint format typecheck migrations-check deploy-check messages clean

help:
	@echo "make run        set up and serve the demo on http://127.0.0.1:8000 with the task worker"
	@echo "make test       run the whole test suite (DATABASE_URL chooses the database)"
	@echo "make lint       ruff check and format check;  make typecheck  mypy"
	@echo "make messages   update and compile the Swedish translations"
	@echo "make deploy-check  check an example production configuration (docs/deploy.md)"
	@echo "make bench      benchmarks against same-run baselines, figures in var/bench/*.json"

$(STAMP): pyproject.toml
	@$(PYTHON) -m venv $(VENV) || { scripts/system-deps.sh --venv && $(PYTHON) -m venv $(VENV); }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP) system-deps

system-deps:
	@scripts/system-deps.sh

run: install
	PY=$(PY) scripts/run.sh

test: $(STAMP)
	@scripts/system-deps.sh --browser
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

# Benchmarks write their figures to var/bench/*.json, each against a baseline measured in the
# same run, and the goals met or not to var/bench/summary.md. On PostgreSQL: the generated data
# sets go to databases of their own beside BENCH_DATABASE_URL's (kept between runs; BENCH_FRESH=1
# builds them again). BENCH_SCALE=region for a quicker run than the national one.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/soin
bench: $(STAMP)
	@scripts/system-deps.sh --bench
	@mkdir -p var/bench
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) manage.py bench $${BENCH_FRESH:+--fresh}

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

typecheck: $(STAMP)
	$(VENV)/bin/mypy soin config

migrations-check: $(STAMP)
	$(PY) manage.py makemigrations --check --dry-run

# Django's deploy checks and manage.py deploy_check, with an example production configuration
# (deploy/soin.env.example): static files collected into a temporary folder, the PostgreSQL
# of DEPLOY_CHECK_DATABASE_URL (the local server's database `test` by default).
DEPLOY_CHECK_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
deploy-check: $(STAMP)
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	unset SOIN_DEBUG SOIN_EMAIL_BACKEND SOIN_TASKS_BACKEND SOIN_ERASURE_JOURNAL \
	  SOIN_REPLICA_DATABASE_URL && \
	export SOIN_ENV=production DATABASE_URL='$(DEPLOY_CHECK_DATABASE_URL)' \
	  SOIN_SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
	  SOIN_ALLOWED_HOSTS=soin.example.org SOIN_SITE_URL=https://soin.example.org \
	  SOIN_EMAIL_HOST=smtp.example.org SOIN_VAR_DIR="$$tmp/var" SOIN_STATIC_ROOT="$$tmp/static" && \
	mkdir -p "$$tmp/var/media" && \
	$(PY) manage.py check --deploy --fail-level WARNING && \
	$(PY) manage.py collectstatic --noinput --verbosity 0 && \
	$(PY) manage.py deploy_check

messages: $(STAMP)
	$(PY) manage.py makemessages -l sv --no-obsolete --no-location --ignore=.venv --ignore=var --ignore=staticfiles
	$(PY) manage.py compilemessages -l sv --ignore=.venv

clean:
	rm -rf $(VENV) var staticfiles
