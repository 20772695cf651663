PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test crawl lint clean redis-server

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
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
