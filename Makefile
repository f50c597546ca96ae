# One target per habit. `make help` lists them.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi.py
# wsgi.py alone starts in production; the make targets run the development settings
export SHOP_CONFIG ?= development
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: help run test test-fast fuzz lint bench soak browser fonts wrk nginx clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

venv: $(BIN)/.installed

browser: ## Install Debian's Chromium for the browser tests (needs apt)
	@command -v chromium >/dev/null || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium; }

fonts: ## Install the fonts certificates are printed in and the PDF-to-picture tool the tests use (needs apt)
	@{ [ -f /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf ] && command -v pdftoppm >/dev/null; } || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq fonts-dejavu-core fonts-dejavu-extra poppler-utils; }

wrk: ## Install wrk, the load generator of the benches (needs apt)
	@command -v wrk >/dev/null || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq wrk; }

nginx: ## Install nginx, the proxy in front of the soak's two app servers (needs apt)
	@command -v nginx >/dev/null || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq nginx; }

run: venv fonts ## Serve the demo shop on http://127.0.0.1:5000 (SQLite, local test payments, mail worker)
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo
	$(BIN)/flask dev-server --host $(HOST) --port $(PORT)

test: venv browser fonts ## Run the whole test suite on SQLite and PostgreSQL
	$(BIN)/python -m pytest -n 2

fuzz: venv ## Every form fuzzed with 500 generated inputs on each database (make test: 100 on each)
	FUZZ_EXAMPLES=500 $(BIN)/python -m pytest -n 2 tests/integration/web/test_fuzz_forms.py

test-fast: venv ## Unit tests only
	$(BIN)/python -m pytest tests/unit -q

lint: venv ## ruff, mypy on pricing and money, and the import contracts (lint-imports)
	$(BIN)/ruff check shop tests bench config.py wsgi.py migrations
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: venv wrk ## Every benchmark, each beside its baseline (needs wrk and PostgreSQL); prints MISS for a missed target
	$(BIN)/python bench/pricing.py
	$(BIN)/python bench/storefront.py
	$(BIN)/python bench/add_to_cart.py --no-fail
	$(BIN)/python bench/checkout.py --backend sqlite --no-fail
	$(BIN)/python bench/checkout.py --backend postgresql --no-fail
	$(BIN)/python bench/checkout.py --backend postgresql --concurrency 8 --no-fail
	$(BIN)/python bench/lesson_page.py --no-fail

soak: venv nginx ## 200 users for 10 minutes through nginx, two app servers and PostgreSQL; the books checked after
	$(BIN)/python bench/soak.py --users 200 --minutes 10

clean: ## Remove the virtualenv and local data
	rm -rf $(VENV) instance .pytest_cache
