# One entry point for everything CI runs: install, lint, types, the import boundary, tests.
# `make check` creates .venv if needed, so it works on a fresh clone.
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: install check lint test

$(PY):
	python3 -m venv $(VENV)

install: $(PY)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'

lint:
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy
	$(VENV)/bin/lint-imports

test:
	$(PY) -m pytest -n 2

check: install lint test
