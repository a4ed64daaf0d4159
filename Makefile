# Soin: `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
PYTEST_ARGS ?=

.PHONY: help install system-deps run test bench lint format typecheck migrations-check deploy-check messages clean

help:
	@echo "make run        set up and serve the demo on http://127.0.0.1:8000 with the task worker"
	@echo "make test       run the whole test suite (DATABASE_URL chooses the database)"
	@echo "make lint       ruff check and format check;  make typecheck  mypy"
	@echo "make messages   update and compile the Swedish translations"
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
	$(PY) -m pytest $(PYTEST_ARGS)

# Benchmarks write their figures to var/bench/*.json, each against a baseline measured in the
# same run. BENCH_SCALE=national for national size. On a database of its own (DATABASE_URL);
# by default a fresh SQLite file in var/bench/.
bench: $(STAMP)
	@mkdir -p var/bench
	@rm -f var/bench/bench.sqlite3
	DATABASE_URL=$${DATABASE_URL:-sqlite:///$(CURDIR)/var/bench/bench.sqlite3} $(PY) manage.py bench_newsletter

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

deploy-check: $(STAMP)
	SOIN_ENV=production SOIN_SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
	SOIN_ALLOWED_HOSTS=soin.example.org $(PY) manage.py check --deploy --fail-level WARNING

messages: $(STAMP)
	$(PY) manage.py makemessages -l sv --no-obsolete --no-location --ignore=.venv --ignore=var --ignore=staticfiles
	$(PY) manage.py compilemessages -l sv --ignore=.venv

clean:
	rm -rf $(VENV) var staticfiles
