# Two commands on a fresh clone:  make portal  (build)   make test  (every test)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: portal test check lint bench bench-dumps bench-site clean install

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

## Create .venv and install everything (CI steps that need `portal` before the tests).
install: $(STAMP)

## Build the portal from the committed reports in data/sources.
portal: $(STAMP)
	$(BIN)/portal build

## Run every test (lint included).
test: $(STAMP)
	$(BIN)/ruff check generator tests bench
	$(BIN)/pytest -q

## The fast tests, for between commits (~1 min): all but the LibreOffice-rendered PDF suites.
check: $(STAMP)
	$(BIN)/ruff check generator tests bench
	$(BIN)/pytest -q --ignore=tests/test_stress_pdf.py --ignore=tests/test_roundtrip_pdf.py

bench: $(STAMP)
	$(BIN)/python bench/extract.py

## The site from a synthetic collection of 1,000 reports (a few minutes).
bench-dumps: $(STAMP)
	$(BIN)/python bench/dumps.py

bench-site: $(STAMP)
	$(BIN)/python bench/site.py

clean:
	rm -rf $(VENV) site build
