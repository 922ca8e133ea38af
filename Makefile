# Two commands are the contract: `make run` opens the app, `make test` runs every check.
# Both create .venv and install what they need; a second run only re-installs when
# pyproject.toml changed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_TEST := $(VENV)/.installed-test
SYSLIBS := $(VENV)/.system-libs-ok
# Packaging tools, pinned so that two builds of one commit bundle the same way; the stamp
# carries the version, so changing the pin installs the new one on the next make dist.
PYINSTALLER_VERSION := 6.22.3
PYINSTALLER_HOOKS_VERSION := 2026.9
STAMP_DIST := $(VENV)/.installed-pyinstaller-$(PYINSTALLER_VERSION)-$(PYINSTALLER_HOOKS_VERSION)

.PHONY: run test lint typecheck imports pytest bench screenshots dist icons clean

run: $(STAMP_RUN) $(SYSLIBS)
	$(BIN)/escalation-desk

test: $(STAMP_TEST) $(SYSLIBS)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest

bench: $(STAMP_TEST) $(SYSLIBS)
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest tests/benchmarks -o addopts="" -p no:cacheprovider -s --benchmark-columns=min,median,max,rounds

screenshots: $(STAMP_RUN) $(SYSLIBS)
	QT_QPA_PLATFORM=offscreen ESCALATION_DESK_THEME=light $(BIN)/escalation-desk --data-dir "$$(mktemp -d)" --screenshot docs/screenshots
	QT_QPA_PLATFORM=offscreen ESCALATION_DESK_THEME=dark $(BIN)/escalation-desk --data-dir "$$(mktemp -d)" --screenshot docs/screenshots/dark

# The one-folder app in dist/escalation-desk, smoke-started headless before it counts as built.
dist: $(STAMP_RUN) $(STAMP_DIST) $(SYSLIBS)
	rm -rf dist/escalation-desk build/escalation-desk
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build \
		packaging/escalation-desk.spec
	sh packaging/smoke-start.sh dist/escalation-desk/escalation-desk

# The PNG icons under packaging/linux/icons, rendered from resources/icons/escalation-desk.svg.
icons: $(STAMP_RUN) $(SYSLIBS)
	QT_QPA_PLATFORM=offscreen $(BIN)/python packaging/linux/make_icons.py

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Escalation Desk needs Python 3.11 or newer; this is " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV) || { echo "Could not create a virtual environment. On Debian/Ubuntu: sudo apt-get install python3-venv"; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(STAMP_TEST): pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@ $(STAMP_RUN)

$(STAMP_DIST): | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet "pyinstaller==$(PYINSTALLER_VERSION)" \
		"pyinstaller-hooks-contrib==$(PYINSTALLER_HOOKS_VERSION)"
	@touch $@

$(SYSLIBS): packaging/linux/check-system-libs.sh
	sh packaging/linux/check-system-libs.sh
	@touch $@

clean:
	rm -rf $(VENV) build dist .mypy_cache .ruff_cache
