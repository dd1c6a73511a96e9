# Both targets set up their own virtual environment (.venv) on first use.
PY ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench docs clean web

$(STAMP): pyproject.toml
	@$(PY) -c "import sys; sys.exit(sys.version_info < (3, 11))" || { echo "需要 Python 3.11+ / Python 3.11+ is required"; exit 2; }
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/pyxl demo -o demo-output

test: $(STAMP)
	XLWINGS_LICENSE_KEY=noncommercial $(BIN)/python -m pytest

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
