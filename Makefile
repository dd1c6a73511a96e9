# Both targets set up their own virtual environment (.venv) on first use.
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test fuzz artifacts lint bench docs clean web

# test workers (pytest-xdist): one per core; a test file runs on one worker, so its module and session
# fixtures (the shared LibreOffice conversions) run once
JOBS ?= auto

$(STAMP): pyproject.toml
	@$(PY) -c "import sys; sys.exit(sys.version_info < (3, 11))" || { echo "需要 Python 3.11+ / Python 3.11+ is required"; exit 2; }
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/pyxl demo -o demo-output

test: $(STAMP)
	XLWINGS_LICENSE_KEY=noncommercial $(BIN)/python -m pytest -q -n $(JOBS) --dist loadfile --durations=15

# the property tests with fresh random examples (make test draws fixed ones); run it now and then, and
# turn what it finds into a fixed @example
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=explore $(BIN)/python -m pytest -q -n $(JOBS) --dist loadfile $$(grep -l "@given" tests/test_*.py)

# refresh the committed pictures (tests/artifacts/*.png) from the tests that render them
artifacts: $(STAMP)
	rm -rf tests/artifacts/out
	XLWINGS_LICENSE_KEY=noncommercial $(BIN)/python -m pytest -q -m artifacts
	rm -f tests/artifacts/*.png
	cp tests/artifacts/out/*.png tests/artifacts/

lint: $(STAMP)
	$(BIN)/ruff check pyxl tests benchmarks

docs: $(STAMP)
	$(BIN)/python -m pyxl.shipped .
	$(BIN)/python -m pyxl.rules.docs > docs/rules.md

bench: $(STAMP)
	$(BIN)/python benchmarks/validate.py
	XLWINGS_LICENSE_KEY=noncommercial $(BIN)/python benchmarks/excel_calls.py
	$(BIN)/python benchmarks/rollup.py
	$(BIN)/python benchmarks/web.py

# the browser page (pyxl web): a static site in ./web-site, not committed
web: $(STAMP)
	$(BIN)/pyxl web -o web-site

clean:
	rm -rf $(VENV) demo-output web-site
