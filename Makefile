# Two commands matter: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DATA_DIR ?= data

.PHONY: run test lint format migrate demo bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

## make run: install, migrate, load the demo world on first start, serve http://127.0.0.1:8000
run: $(STAMP)
	$(BIN)/townsquare migrate
	@if [ ! -f $(DATA_DIR)/.demo-loaded ]; then \
		$(BIN)/townsquare demo --seed 1 && touch $(DATA_DIR)/.demo-loaded; \
	fi
	$(BIN)/townsquare serve --host 127.0.0.1 --port 8000

## make test: the whole suite (SQLite; PostgreSQL too when TOWNSQUARE_TEST_POSTGRES_URL is set)
test: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadfile -q

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/mypy bench
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

bench: $(STAMP)
	$(BIN)/python bench/timelines.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
