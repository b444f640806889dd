# One entry point for every check CI runs: lint, types, the import boundary, tests.
PYTHON ?= python3

.PHONY: install check lint test

install:
	$(PYTHON) -m pip install -q -e '.[test]'

lint:
	$(PYTHON) -m ruff check .
	$(PYTHON) -m ruff format --check .
	$(PYTHON) -m mypy
	lint-imports

test:
	$(PYTHON) -m pytest -n 2

check: install lint test
