# Bali One Data: `make demo` runs the platform with demo data; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: demo test bench lint format messages lock audit clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP) $@

demo: $(STAMP)
	$(BIN)/onedata demo

test: $(DEV_STAMP)
	$(BIN)/pytest $(PYTEST_ARGS)

bench: $(DEV_STAMP)
	@for script in bench/[!_]*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(DEV_STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Refresh the translation catalogues after changing user-facing strings. Core, the
# shared templates and notifications use onedata/locale; each module keeps its own
# catalogue in onedata/<app>/locale.
MODULES_WITH_LOCALE := $(patsubst onedata/%/locale,%,$(wildcard onedata/*/locale))
messages: $(DEV_STAMP)
	cd onedata && ../$(BIN)/django-admin makemessages -l id -l en --no-obsolete \
	  --ignore 'static/*' $(foreach app,$(MODULES_WITH_LOCALE),--ignore '$(app)/*')
	for app in $(MODULES_WITH_LOCALE); do \
	  (cd onedata/$$app && ../../$(BIN)/django-admin makemessages -l id --no-obsolete) || exit 1; \
	done
	cd onedata && ../$(BIN)/django-admin compilemessages

# Pin the exact versions of a working dev environment (the audit reads them).
lock: $(DEV_STAMP)
	@echo "# Exact versions of a working dev environment, for the dependency audit (make lock)." > requirements.lock
	$(BIN)/pip freeze --exclude-editable | grep -v '^polib==' >> requirements.lock

audit: $(DEV_STAMP)
	$(BIN)/python security/audit.py

clean:
	rm -rf $(VENV) var .pytest_cache
