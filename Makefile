# Every target does its own set-up: a .venv with the project installed, and Qt's system libraries.
# Re-running is fast: the venv is rebuilt only when pyproject.toml changes.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-dev
SYSDEPS_STAMP := $(VENV)/.system-deps-ok

.PHONY: all demo test lint typecheck importlint pytest bench bench-dataplane bench-control sysdeps clean

all: test

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

$(SYSDEPS_STAMP): scripts/ensure-system-deps.sh | $(BIN)/python
	scripts/ensure-system-deps.sh
	touch $@

sysdeps: $(SYSDEPS_STAMP)

demo: $(STAMP) $(SYSDEPS_STAMP)
	$(BIN)/meshgui --demo

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

importlint: $(STAMP)
	$(BIN)/lint-imports

pytest: $(STAMP) $(SYSDEPS_STAMP)
	$(BIN)/pytest

test: lint typecheck importlint pytest

bench: $(STAMP) $(SYSDEPS_STAMP)
	scripts/ensure-system-deps.sh --bench
	@set -e; for b in tests/perf/bench_*.py; do echo "== $$b"; $(BIN)/python $$b; done

bench-dataplane: $(STAMP)
	scripts/ensure-system-deps.sh --bench
	$(BIN)/python tests/perf/bench_dataplane.py

bench-control: $(STAMP)
	$(BIN)/python tests/perf/bench_control.py

clean:
	rm -rf $(VENV) build *.egg-info
