# CoopDX: `make run` serves the portal with demo data; `make test` runs every test.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py

.PHONY: run test lint typecheck check bench bench-data bench-import bench-aggregate bench-dashboard bench-api bench-search bench-export bench-paper bench-continuous bench-suite bench-x10 worker beat messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --upgrade --quiet pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

run: $(VENV)/.runtime
	$(MANAGE) migrate --noinput
	$(MANAGE) load_reference_data
	$(MANAGE) seed_demo
	$(MANAGE) aggregate_indicators
	@echo "CoopDX: http://127.0.0.1:8000/"
	$(MANAGE) runserver 127.0.0.1:8000

test: $(VENV)/.dev
	$(BIN)/pytest

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

# mypy with the Django and DRF plugins, on the files listed in pyproject.toml.
typecheck: $(VENV)/.dev
	$(BIN)/mypy

check: $(VENV)/.dev
	$(MANAGE) makemigrations --check --dry-run
	DJANGO_ENV=production SECRET_KEY=check-only-$$(head -c 48 /dev/urandom | base64 | tr -d '/+=\n') \
		ALLOWED_HOSTS=coopdx.example.vn SITE_URL=https://coopdx.example.vn $(MANAGE) check --deploy --fail-level WARNING

worker: $(VENV)/.runtime
	$(BIN)/celery -A coopdx worker --loglevel=INFO --without-gossip --without-mingle

beat: $(VENV)/.runtime
	$(BIN)/celery -A coopdx beat --loglevel=INFO

messages: $(VENV)/.dev
	$(MANAGE) makemessages -l vi -l en --no-obsolete --ignore=.venv --ignore=var --ignore=bench --ignore=tests --ignore=scripts
	$(BIN)/python scripts/fill_catalogues.py || echo "Translate the entries above in locale/vi/LC_MESSAGES/django.po"
	$(MANAGE) compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) var/staticfiles

# --- Benchmarks (never part of `make test`); PostgreSQL at DATABASE_URL, default coopdx_bench.
bench: bench-import bench-aggregate bench-dashboard bench-api bench-export

bench-data: $(VENV)/.dev
	$(BIN)/python -m bench.generate --responses

bench-import: $(VENV)/.dev
	$(BIN)/python -m bench.bench_import

bench-aggregate: $(VENV)/.dev
	$(BIN)/python -m bench.bench_aggregate

bench-dashboard: $(VENV)/.dev
	$(BIN)/python -m bench.bench_dashboard

bench-api: $(VENV)/.dev
	$(BIN)/python -m bench.bench_api

# Registry search on ten times the national registry, with and without its trigram index.
bench-export: $(VENV)/.dev
	SURVEYS_COUNT_SUBMITTED=true $(BIN)/python -m bench.bench_export

bench-paper: $(VENV)/.dev
	SURVEYS_COUNT_SUBMITTED=true $(BIN)/python -m bench.bench_paper

bench-continuous: $(VENV)/.dev
	$(BIN)/python -m bench.bench_continuous

bench-search: $(VENV)/.dev
	$(BIN)/python -m bench.bench_search

# CPU time of a sample of the test suite, as it is and with the test settings of before (SQLite).
bench-suite: $(VENV)/.dev
	env -u DATABASE_URL -u CELERY_BROKER_URL -u REDIS_URL $(BIN)/python -m bench.bench_suite

# x10 headroom: its own database, so the national one stays as it is.
bench-x10: $(VENV)/.dev
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/coopdx_bench_x10 $(BIN)/python -m bench.bench_aggregate --scale 10 --repeat 1
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/coopdx_bench_x10 $(BIN)/python -m bench.bench_api --scale 10
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/coopdx_bench_x10 $(BIN)/python -m bench.bench_continuous --scale 10 --repeat 1
