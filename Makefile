# One command to try Tumaini (`make run`), one to test it (`make test`). See README.md.
.DEFAULT_GOAL := run
SHELL := /bin/bash

VENV := .venv
PYTHON := $(VENV)/bin/python
MANAGE := $(PYTHON) manage.py
# Reinstalled only when requirements.lock changes.
STAMP := $(VENV)/.requirements-installed
# Two workers: measured on a 2-core machine, about 30% faster on PostgreSQL and no slower on SQLite;
# loadscope keeps a module's tests together so module fixtures (browser, served site) start once.
# `make test PYTEST_ARGS=` runs in one process.
PYTEST_ARGS ?= -n 2 --dist loadscope

# `make run` is a demo on this machine: demo accounts and debug, unless the environment says otherwise.
run: export TUMAINI_DEMO ?= 1
run: export TUMAINI_DEBUG ?= 1
# The suite tests production settings, whatever this shell has set for `make run`.
test: export TUMAINI_DEMO := 0
test: export TUMAINI_DEBUG := 0

.PHONY: run test lint format install messages

$(PYTHON):
	@python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
		|| { echo "Tumaini needs Python 3.11 or newer as python3."; exit 1; }
	python3 -m venv $(VENV)

$(STAMP): requirements.lock | $(PYTHON)
	$(PYTHON) -m pip install --disable-pip-version-check --quiet --requirement requirements.lock
	touch $@

install: $(STAMP)

run: install
	$(MANAGE) migrate --no-input
	$(MANAGE) load_reference_data
	$(MANAGE) load_screening_sets
	$(MANAGE) seed_demo
	$(MANAGE) serve

test: install
	$(PYTHON) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# After adding or changing text: extract it, translate the new entries in
# tumaini/locale/sw/LC_MESSAGES/django.po (no fuzzy, no empty msgstr), then compile.
messages: install
	$(MANAGE) makemessages -l sw --no-location --ignore=.venv --ignore=tests --ignore=staticfiles
	$(MANAGE) compilemessages -l sw --ignore=.venv
