# Kommunenkät 2023 – executable report book.  `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
UV_VERSION := 0.13.9
# The project installs only from PyPI, independent of any machine-wide pip configuration.
export PIP_CONFIG_FILE := /dev/null
export UV_NO_CONFIG := 1
# Reproducible builds: dates come from the last commit, not from the clock.
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 1700000000)
export PYTHONHASHSEED := 0
# TeX's \today and the PDF's dates from SOURCE_DATE_EPOCH too (xetex/xdvipdfmx).
export FORCE_SOURCE_DATE := 1
# Import the package from this tree, also in a copy of the project that shares this .venv
# (the tests and `make bench` build in temporary copies).
export PYTHONPATH := $(CURDIR)/src
export MPLCONFIGDIR := $(CURDIR)/.mplconfig
export PYDEVD_DISABLE_FILE_VALIDATION := 1
# Let Python cache compiled bytecode in .venv: with PYTHONDONTWRITEBYTECODE set (as on these
# machines) every process and notebook kernel recompiled sphinx, pandas, matplotlib, … from source
# (measured: jupyter-book with nothing to do 2.6 s -> 1.1 s, `import pandas` 1.2 s -> 0.3 s).
unexport PYTHONDONTWRITEBYTECODE

# Browser checks (axe-core, screenshots): pinned npm packages, installed once with `npm ci`.
A11Y := tools/a11y
NODE_STAMP := $(A11Y)/node_modules/.installed

JB := $(BIN)/jupyter-book
JB_FLAGS := -n -W --keep-going
BUILD := _build
WORK  := $(BUILD)/work
# Notebooks executed at a time by the build, and pytest workers in `make test` (0: no xdist).
JOBS      ?= 2
TEST_JOBS ?= 2
# What `make test` (and `make stress`) runs: every test and the chapters' number checks.
TESTS     ?= tests $(BUILD)/nbval
# Extra arguments for kommunenkat.tooling.build, e.g. BUILD_ARGS=--force to rebuild although nothing changed.
BUILD_ARGS ?=

.PHONY: help setup venv system-deps check-data number-checks derive html pdf book test stress lint bench preview lock clean a11y screenshots
# Port of `make preview` (make preview PORT=8001).
PORT ?= 8000

help:  ## List the targets
	@grep -hE '^[a-zA-Z0-9_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(STAMP): requirements.txt pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.11 is required (python3.11 or python3 on PATH)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv pip sync --python $(BIN)/python --require-hashes requirements.txt
	$(BIN)/uv pip install --python $(BIN)/python --no-deps --no-build-isolation -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	@touch $@

# Every target checks .venv against the lock first (0.1 s): a package that went missing or was
# changed by hand is reinstalled from the lock; if that is impossible, the one repair is named.
venv: $(STAMP)
	@out=$$($(BIN)/uv pip install --python $(BIN)/python --require-hashes -r requirements.txt 2>&1) \
	  || { echo "$$out" | tail -3; echo "make: .venv is damaged and could not be repaired here; repair it with:  rm -rf .venv && make setup"; exit 1; }; \
	  if echo "$$out" | grep -q "^Installed"; then echo "make: .venv was incomplete; reinstalled from the lock:"; echo "$$out" | grep "^ [+-]"; fi

setup: venv system-deps $(NODE_STAMP)  ## Create .venv and tools/a11y/node_modules (locked) and install system packages

$(NODE_STAMP): $(A11Y)/package.json $(A11Y)/package-lock.json | system-deps
	cd $(A11Y) && npm ci --no-audit --no-fund --ignore-scripts
	@touch $@

system-deps:  ## Install (as root) or name the Debian packages for PDF and browser tests
	@scripts/system-deps.sh

check-data: venv  ## Validate every data file (schema and meaning); fails with file, line, field
	$(BIN)/python -m kommunenkat.inputs.validate

number-checks: venv  ## Re-run chapters and store their number checks in tests/number_checks/ (review the diff!)
	$(BIN)/python -m kommunenkat.tooling.numberchecks refresh

derive: venv  ## Recompute data/derived/ from data/
	$(BIN)/python -m kommunenkat.tooling.derive

# html and pdf validate data/ first themselves (the check-data report), so invalid data stops
# the build before anything is executed or built.
html: setup  ## Build the HTML site into _build/html (swapped in only on success)
	$(BIN)/python -m kommunenkat.tooling.build html --jobs $(JOBS) $(BUILD_ARGS)

pdf: setup  ## Build the whole book as one PDF
	$(BIN)/python -m kommunenkat.tooling.build pdf --jobs $(JOBS) $(BUILD_ARGS)

book: html pdf  ## Set up everything, validate data, build HTML and PDF
	@echo "HTML: $(CURDIR)/$(BUILD)/html/index.html"
	@echo "PDF:  $(CURDIR)/$(BUILD)/html/kommunenkat.pdf"

# pytest-xdist: --dist loadscope keeps each notebook's nbval cells (and each test class) on one
# worker; --no-loadscope-reorder keeps conftest.py's order (the slowest scopes first). Includes
# the corrupted-input corpus, the offline second clean build compared byte for byte with this
# one, and the privacy check (tests/tooling/test_reliability.py).
# nbval runs on notebooks made from the chapters' .md and the stored number checks
# (kommunenkat.tooling.numberchecks: _build/nbval/notebooks/*.ipynb, build products, never edited).
test: lint book  ## Lint, set up, build strictly, run unit tests, nbval on every chapter and output checks
	$(BIN)/python -m kommunenkat.tooling.numberchecks materialize
	$(BIN)/python -m pytest -p no:cacheprovider -n $(TEST_JOBS) --dist loadscope --no-loadscope-reorder $(TESTS) --nbval-lax

# No test may depend on the machine being idle (timing: events or generous bounds only).
stress: setup  ## Whole suite three times in a row under two CPU hogs; reports failures (RUNS=, HOGS=, TESTS=)
	@scripts/stress.sh

lint: venv  ## ruff, import-linter (the layers), mypy (types), deptry (declared dependencies), zizmor (the CI workflows)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/mypy
	$(BIN)/deptry .
	$(BIN)/zizmor --offline --quiet .github/workflows

a11y: html  ## Accessibility check only: axe-core (WCAG 2.1 A/AA) on every page, light and dark
	$(BIN)/python -m pytest -p no:cacheprovider tests/book/test_accessibility.py

screenshots: html  ## Screenshots of every chapter at 1280 and 390 px, light and dark, into _build/screenshots
	node $(A11Y)/screenshots.mjs $(BUILD)/html $(BUILD)/screenshots --modes light,dark

bench: setup  ## Measure build and test times, and the ratios to the stock tool, against the targets
	$(BIN)/python -m kommunenkat.tooling.bench

preview: venv  ## Live preview for editors: serves http://127.0.0.1:8000 (PORT=N: another port), rebuilds on save
	@$(BIN)/python -m kommunenkat.tooling.preview --port $(PORT) --jobs $(JOBS)

lock:  ## Re-resolve requirements.in into the hashed lock requirements.txt
	$(BIN)/uv pip compile --generate-hashes --python-version 3.11 --custom-compile-command "make lock" requirements.in -o requirements.txt

clean:  ## Remove build outputs (keeps .venv)
	rm -rf $(BUILD) .mplconfig
