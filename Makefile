PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PY_CHECK := import sys; sys.exit(sys.version_info < (3, 10))

.PHONY: install compiled demo test crawl lint clean redis-server

# A too-old Python stops here, before a .venv exists; a .venv made by one (or an
# install that failed halfway) is removed, so that no later run keeps using it.
$(STAMP): pyproject.toml setup.py
	@$(PY) -c '$(PY_CHECK)' 2>/dev/null || { echo "lnv_crawler: Python 3.10 or newer is needed;" \
		"$(PY) is $$($(PY) --version 2>&1 || echo missing). Try: make PY=python3.11" >&2; exit 1; }
	@if [ -x $(BIN)/python ] && ! $(BIN)/python -c '$(PY_CHECK)'; then rm -rf $(VENV); fi
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip && $(BIN)/pip install -q -e '.[test]' || \
		{ rm -rf $(VENV); exit 1; }
	touch $(STAMP)

# The compiled modules (setup.py), compiled again when a source of theirs changed since
# the build (an edit, a pull): pip's editable install compiles them in place.
compiled: $(STAMP)
	@LNV_PURE_PYTHON=1 $(BIN)/python -c 'import sys, lnv_crawler.compiled as c; sys.exit(c.main())' \
		|| $(BIN)/pip install -q --no-deps -e .

install: compiled

demo: compiled
	$(BIN)/python -m lnv_crawler.demo

# The distributed tests start a real redis-server: Debian's package, installed when
# missing (as root, as CI runs; elsewhere install it once by hand).
redis-server:
	@command -v redis-server >/dev/null || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; }

test: compiled redis-server
	$(BIN)/ruff check lnv_crawler tests bench
	$(BIN)/python -m pytest -q

crawl: compiled
	$(BIN)/scrapy crawl lnv

lint: $(STAMP)
	$(BIN)/ruff check lnv_crawler tests bench

clean:
	rm -rf $(VENV) build *.egg-info lnv_crawler/compiled.json
	find lnv_crawler -name "*.so" -delete

.PHONY: bench
bench: compiled
	$(BIN)/python -m bench $(BENCH_ARGS)
