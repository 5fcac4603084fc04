# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test install install-dev check-system migrate demo messages lint bench golden clean

# Production needs requirements.txt only; tests, lint, benches and the local
# `make run` (honcho) need requirements-dev.txt too. One stamp per file, so
# changing either installs again.
$(VENV)/.installed: requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Tổng kết needs Python 3.11 or newer (found: $$($(PYTHON) --version))."; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt
	@touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

# Say clearly what the machine lacks (Pango for PDF, fonts) before serving.
check-system: install
	@$(PY) manage.py check --fail-level ERROR

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo
	$(PY) manage.py load_demo_campaign
	$(PY) manage.py load_demo_dialogues
	$(PY) manage.py load_demo_2025

run: install-dev check-system demo
	$(PY) manage.py compile_translations
	@echo "Serving http://127.0.0.1:8000 with a Celery worker and scheduler (Ctrl+C stops all)."
	$(VENV)/bin/honcho start -f Procfile.dev

# pytest-xdist: one test process per core by default, an idle one taking the
# tests queued for a busy one (worksteal: browser tests last 5-15 s each).
# PYTEST_WORKERS=2 for two, PYTEST_WORKERS=0 for a single process (pdb, -x).
# Browser tests wait up to BROWSER_TIMEOUT_MS (30000) for a page.
PYTEST_WORKERS ?= auto

test: install-dev
	@mkdir -p var
	$(PY) manage.py compile_translations
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist worksteal

lint: install-dev
	$(VENV)/bin/ruff check .

bench: install-dev
	@mkdir -p var
	$(PY) -m bench

# Rewrite the golden pages of tests/golden (all documents, or NAMES="seed000-plan …")
# after a change to the documents that is meant; look at every PNG before committing.
golden: install-dev
	@mkdir -p var
	$(PY) manage.py compile_translations
	$(PY) -m tests.golden.regenerate $(NAMES)

# Regenerate the catalogues after changing user-facing strings (needs GNU gettext).
messages: install
	$(PY) manage.py makemessages --locale vi --locale en --ignore ".venv/*" --ignore "bench/*"
	$(PY) manage.py compile_translations

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache
