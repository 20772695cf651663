PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PY_CHECK := import sys; sys.exit(sys.version_info < (3, 10))

.PHONY: install demo test crawl lint clean redis-server

# A too-old Python stops here, before a .venv exists; a .venv made by one (or an
# install that failed halfway) is removed, so that no later run keeps using it.
$(STAMP): pyproject.toml
	@$(PY) -c '$(PY_CHECK)' 2>/dev/null || { echo "lnv_crawler: Python 3.10 or newer is needed;" \
		"$(PY) is $$($(PY) --version 2>&1 || echo missing). Try: make PY=python3.11" >&2; exit 1; }
	@if [ -x $(BIN)/python ] && ! $(BIN)/python -c '$(PY_CHECK)'; then rm -rf $(VENV); fi
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip && $(BIN)/pip install -q -e '.[test]' || \
		{ rm -rf $(VENV); exit 1; }
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m lnv_crawler.demo

# The distributed tests start a real redis-server: Debian's package, installed when
# missing (as root, as CI runs; elsewhere install it once by hand).
redis-server:
	@command -v redis-server >/dev/null || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; }

test: $(STAMP) redis-server
	$(BIN)/ruff check lnv_crawler tests bench
	$(BIN)/python -m pytest -q

crawl: $(STAMP)
	$(BIN)/scrapy crawl lnv

lint: $(STAMP)
	$(BIN)/ruff check lnv_crawler tests bench

clean:
	rm -rf $(VENV) build *.egg-info

.PHONY: bench
bench: $(STAMP)
	$(BIN)/python -m bench $(BENCH_ARGS)
