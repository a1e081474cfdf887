# Two commands matter: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
DATA_DIR ?= $(or $(TOWNSQUARE_DATA_DIR),data)
DEMO_FILES := townsquare.db townsquare.db-wal townsquare.db-shm secret.key ledger.key .demo-loaded

.PHONY: run test lint format migrate demo reset bench clean

# What Townsquare needs to run (`make run`), then what its tests, linters and benchmarks need.
$(STAMP): pyproject.toml
	@echo "Creating the virtualenv in $(VENV) and installing Townsquare (first start, or pyproject.toml changed; about 20 s)..."
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $(STAMP)

$(DEV_STAMP): $(STAMP)
	@echo "Installing the test, lint and benchmark tools into $(VENV) (about 20 s)..."
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(DEV_STAMP)

## make run: install, migrate, load the demo world on first start, serve http://127.0.0.1:8000
run: $(STAMP)
	$(BIN)/townsquare migrate
	@if [ ! -f $(DATA_DIR)/.demo-loaded ]; then \
		$(BIN)/townsquare demo --seed 1 && touch $(DATA_DIR)/.demo-loaded; \
	fi
	$(BIN)/townsquare serve --host 127.0.0.1 --port 8000

## make test: the whole suite (SQLite; PostgreSQL too when TOWNSQUARE_TEST_POSTGRES_URL is set);
## installs chromium for the browser tests first when run as root (scripts/ensure-chromium)
test: $(DEV_STAMP)
	@scripts/ensure-chromium
	$(BIN)/python -m pytest -n 2 --dist loadfile -q

## make reset: forget the demo world (the SQLite database and its keys in data/); the next
## `make run` loads a fresh one. Refuses a database it did not fill with the demo.
reset:
	@if [ -n "$$TOWNSQUARE_DATABASE_URL" ]; then \
		echo "make reset only resets the SQLite demo in $(DATA_DIR)/; TOWNSQUARE_DATABASE_URL is set, so drop that database yourself" >&2; \
		exit 1; \
	fi
	@if [ -e $(DATA_DIR)/townsquare.db ] && [ ! -f $(DATA_DIR)/.demo-loaded ]; then \
		echo "$(DATA_DIR)/townsquare.db was not filled by \`make run\` with the demo world; not removing it (delete $(DATA_DIR)/ yourself if you mean to)" >&2; \
		exit 1; \
	fi
	rm -f $(addprefix $(DATA_DIR)/,$(DEMO_FILES))
	@echo "Demo reset: the next \`make run\` loads a fresh demo world."

lint: $(DEV_STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/mypy bench
	$(BIN)/lint-imports

format: $(DEV_STAMP)
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

bench: $(DEV_STAMP)
	$(BIN)/python bench/timelines.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
