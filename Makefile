# Hulppunt: `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
# `make test` runs pytest on this many processes (pytest-xdist; 0: one process). Tests go to
# the workers one by one, a file with a shared fixture (the browser tests, the crawl) whole to
# one worker (--dist loadgroup, tests/conftest.py), each worker on a database of its own.
PYTEST_WORKERS ?= 2
export FLASK_APP := app
export HULPPUNT_ENV ?= development

.PHONY: run test test-postgres lint translations translations-update loadtest bench-pages bench-instructions valgrind bench worker clean screenshots chromium java vnu vendor-static pdf-libs

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Pinned versions (requirements/constraints.txt): every machine installs the same set.
CONSTRAINTS := requirements/constraints.txt

$(VENV)/.installed: pyproject.toml $(CONSTRAINTS) | $(BIN)/python
	$(BIN)/pip install --quiet -c $(CONSTRAINTS) -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(CONSTRAINTS) $(VENV)/.installed
	$(BIN)/pip install --quiet -c $(CONSTRAINTS) -e '.[test]'
	touch $@

translations: $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy -d marketplace/translations -f --statistics 2>&1 | tail -n 1

translations-update: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k _n:1,2 -o marketplace/translations/messages.pot . templates/_macros
	$(BIN)/pybabel update -i marketplace/translations/messages.pot -d marketplace/translations --no-fuzzy-matching

run: $(VENV)/.installed translations pdf-libs
	mkdir -p instance
	$(BIN)/flask db upgrade
	$(BIN)/flask demo seed --if-empty
	$(BIN)/flask demo logins --url http://127.0.0.1:$(PORT)
	$(BIN)/flask run --host 127.0.0.1 --port $(PORT)

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Chromium for the browser tests"; \
	  (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) || \
	  { echo "Could not install chromium: run 'apt-get install -y chromium' as root"; exit 1; }; }

# The council report's PDF (WeasyPrint) needs Pango and HarfBuzz (with its subsetter) from
# the system; installed from Debian where missing.
pdf-libs:
	@ldconfig -p | grep -q libpangoft2-1.0.so.0 && ldconfig -p | grep -q libharfbuzz-subset.so.0 || { \
	  echo "Installing Pango and HarfBuzz for the PDF report"; \
	  (apt-get update -qq && apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core >/dev/null) || \
	  { echo "Could not install them: run 'apt-get install -y libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core' as root"; exit 1; }; }

# The Nu Html Checker (W3C's validator) for tests/test_site_crawl.py: Java from Debian, the
# jar from npm at a pinned version, into the git-ignored .venv (its postinstall script, which
# would fetch a Java of its own, is not run).
VNU_VERSION := 26.9.27
VNU_JAR := $(VENV)/node/node_modules/vnu-jar/build/dist/vnu.jar

java:
	@command -v java >/dev/null 2>&1 || { \
	  echo "Installing Java for the Nu Html Checker"; \
	  (apt-get update -qq && apt-get install -y -qq default-jre-headless >/dev/null) || \
	  { echo "Could not install Java: run 'apt-get install -y default-jre-headless' as root"; exit 1; }; }

$(VNU_JAR): Makefile
	npm install --prefix $(VENV)/node --no-audit --no-fund --no-save --ignore-scripts vnu-jar@$(VNU_VERSION)
	touch $@

vnu: java $(VNU_JAR)

test: $(VENV)/.installed-test translations chromium vnu pdf-libs
	HULPPUNT_ENV=testing $(BIN)/ruff check .
	$(BIN)/mypy matching marketplace
	HULPPUNT_ENV=testing $(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

screenshots: $(VENV)/.installed-test translations chromium
	SCREENSHOT_DIR=$(CURDIR)/docs/screenshots HULPPUNT_ENV=testing $(BIN)/python -m pytest -q tests/browser

test-postgres:
	TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test $(MAKE) test

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/mypy matching marketplace

bench: $(VENV)/.installed
	$(BIN)/python -m matching.bench

loadtest: $(VENV)/.installed-test translations
	$(BIN)/python -m scripts.loadtest $(LOADTEST_ARGS)

bench-pages: $(VENV)/.installed-test translations
	$(BIN)/python -m scripts.bench_pages $(BENCH_PAGES_ARGS)

# The same pages counted in machine instructions under valgrind (callgrind): a figure that
# does not move with the host's speed, to compare two versions of the code.
bench-instructions: $(VENV)/.installed-test translations valgrind
	$(BIN)/python -m scripts.bench_pages --instructions $(BENCH_PAGES_ARGS)

valgrind:
	@command -v valgrind >/dev/null 2>&1 || { \
	  echo "Installing valgrind for make bench-instructions"; \
	  (apt-get update -qq && apt-get install -y -qq valgrind >/dev/null) || \
	  { echo "Could not install valgrind: run 'apt-get install -y valgrind' as root"; exit 1; }; }

worker: $(VENV)/.installed
	$(BIN)/flask rq worker

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache .mypy_cache

# NL Design System CSS: npm installs the pinned packages (package-lock.json), the script copies
# the components Hulppunt uses into static/vendor/ (committed; no CDN, no node_modules at run time).
vendor-static:
	npm ci --omit=dev --ignore-scripts --no-audit --no-fund
	$(PYTHON) -m scripts.vendor_static
