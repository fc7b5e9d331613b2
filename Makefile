# Every target does its own set-up: a .venv with the project installed, and Qt's system libraries.
# Re-running is fast: the venv is rebuilt only when pyproject.toml changes.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-dev
SYSDEPS_STAMP := $(VENV)/.system-deps-ok

.PHONY: all demo test lint typecheck importlint pytest test-native native bench bench-dataplane bench-instructions bench-control sysdeps clean

all: test

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml setup.py | $(BIN)/python
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

test: lint typecheck importlint pytest test-native

# The sidecar's native build (setup.py: its per-request path compiled with mypyc) in build/native/,
# rebuilt when a sidecar source changes. Nothing is installed: whoever runs it puts the directory
# first on PYTHONPATH (the benchmark, test-native, and the Dockerfile's own install).
NATIVE := build/native
NATIVE_STAMP := $(NATIVE)/.built
$(NATIVE_STAMP): $(STAMP) setup.py $(shell find proxy -name '*.py')
	@command -v cc >/dev/null 2>&1 || { echo "the sidecar's native build needs a C compiler:" \
		"sudo apt-get install gcc (and the Python headers, python3-dev, for a system Python)" >&2; \
		exit 1; }
	rm -rf $(NATIVE) build/native-wheel
	MESH_PROXY_NATIVE=1 $(BIN)/python -m pip wheel --quiet --disable-pip-version-check \
		--no-deps --no-build-isolation -w build/native-wheel .
	$(BIN)/python -m zipfile -e build/native-wheel/meshgui-*.whl $(NATIVE)
	rm -rf build/native-wheel build/lib.* build/temp.* build/bdist.* build/__native* build/ops.txt \
		build/proxy  # setuptools' and mypyc's intermediates
	touch $@
native: $(NATIVE_STAMP)

# The tests that run real sidecars over HTTP and TCP, again, against the native build.
NATIVE_TESTS := tests/e2e/test_forwarding.py tests/e2e/test_balancing_and_recovery.py \
	tests/e2e/test_bad_input.py tests/e2e/test_tcp_and_lifecycle.py tests/e2e/test_config_changes.py \
	tests/e2e/test_native_build.py
test-native: $(NATIVE_STAMP) $(SYSDEPS_STAMP)
	MESH_TEST_SIDECAR_BUILD=$(NATIVE) $(BIN)/pytest $(NATIVE_TESTS)

bench: $(STAMP) $(SYSDEPS_STAMP) $(NATIVE_STAMP)
	scripts/ensure-system-deps.sh --bench
	@set -e; for b in tests/perf/bench_*.py; do echo "== $$b"; $(BIN)/python $$b; done

bench-dataplane: $(STAMP) $(NATIVE_STAMP)
	scripts/ensure-system-deps.sh --bench
	$(BIN)/python tests/perf/bench_dataplane.py --native $(NATIVE)

# User-space instructions per request of the sidecar's Python and native builds (callgrind): the
# figure that does not move with the machine's noise.
bench-instructions: $(STAMP) $(NATIVE_STAMP)
	scripts/ensure-system-deps.sh --bench
	$(BIN)/python tests/perf/bench_instructions.py --native $(NATIVE)

bench-control: $(STAMP)
	$(BIN)/python tests/perf/bench_control.py

clean:
	rm -rf $(VENV) build *.egg-info

.PHONY: bench-gui
# The desktop app on large synthetic meshes (offscreen Qt, no network); see tests/perf/bench_gui.py.
bench-gui: $(STAMP) $(SYSDEPS_STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python tests/perf/bench_gui.py

.PHONY: installer
# The Linux installers in dist/: the PyInstaller bundle meshgui/, meshgui_<version>_<arch>.deb
# and meshgui-<version>-linux-<machine>.tar.gz (installers/README.md). PyInstaller comes with the
# 'installer' extra.
INSTALLER_STAMP := $(VENV)/.installed-installer
$(INSTALLER_STAMP): pyproject.toml $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,installer]'
	touch $@
installer: $(INSTALLER_STAMP) $(SYSDEPS_STAMP)
	installers/ensure-build-deps.sh
	$(BIN)/python installers/build.py

.PHONY: installer-test
# Builds the installers and runs them as an operator would (installers/smoke_test.py): the
# bundle offscreen, on Xvfb, and, as root on Debian, the .deb installed, checked and removed.
installer-test: installer
	installers/ensure-build-deps.sh --test
	$(BIN)/python installers/smoke_test.py --deb auto

.PHONY: docker-sidecar
# The sidecar's container image, mesh-proxy:<version> (deploy/sidecar/Dockerfile); needs Docker.
docker-sidecar: $(STAMP)
	docker build -f deploy/sidecar/Dockerfile \
		-t mesh-proxy:$$($(BIN)/python -c 'import importlib.metadata as m; print(m.version("meshgui"))') .
