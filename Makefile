# Two commands on a fresh clone:  make portal  (build)   make test  (every test)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: portal test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

## Build the portal from the committed reports in data/sources.
portal: $(STAMP)
	$(BIN)/portal build

## Run every test (lint included).
test: $(STAMP)
	$(BIN)/ruff check generator tests bench
	$(BIN)/pytest -q

bench: $(STAMP)
	$(BIN)/python bench/extract.py

clean:
	rm -rf $(VENV) site build
