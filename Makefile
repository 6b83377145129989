# pharmadeals: `make run`, `make demo`, `make test` work on a fresh machine with Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEV_STAMP := $(VENV)/.dev-installed-stamp
DEMO_DIR := demo

.PHONY: install dev run demo serve lint test eval score train bench soak clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# `make install` installs what running needs (the web extra is for `serve`); lint and test add the checkers, the suite's tools and the
# optional extras the suite exercises (PostgreSQL driver, Dask).
$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[web]"
	touch $(STAMP)

$(DEV_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[web,test,postgres,dask]"
	touch $(DEV_STAMP)

install: $(STAMP)

dev: $(DEV_STAMP)

run: install  ## the main job: ingest every enabled source of config.yaml into data/pharmadeals.db
	$(BIN)/pharmadeals ingest

demo: install  ## offline: replay the bundled sample archive into a fresh database and print deals + trends
	rm -rf $(DEMO_DIR) && mkdir -p $(DEMO_DIR)
	PHARMADEALS_CONFIG=samples/demo.yaml $(BIN)/pharmadeals ingest --replay samples/sample.warc.gz || test $$? -eq 1
	PHARMADEALS_CONFIG=samples/demo.yaml $(BIN)/pharmadeals query "SELECT deal_id, announced_on, licensor, licensee, deal_type, territory, ROUND(upfront_usd/1e6,1) AS upfront_musd, ROUND(total_usd/1e6,1) AS total_musd, article_count FROM deal_summary ORDER BY announced_on"
	PHARMADEALS_CONFIG=samples/demo.yaml $(BIN)/pharmadeals report trends --period half

serve: install  ## the browser review queue, trends and SQL explorer on http://127.0.0.1:8000/ (the demo database once `make demo` ran)
	if [ -f $(DEMO_DIR)/demo.db ] && [ -z "$$PHARMADEALS_CONFIG" ]; then PHARMADEALS_CONFIG=samples/demo.yaml $(BIN)/pharmadeals serve; else $(BIN)/pharmadeals serve; fi

lint: dev  ## ruff, mypy and the one-way layers contract; any error fails the build
	$(BIN)/ruff check pipeline scrapers extractors models tests benchmarks scripts docs
	rm -rf .typecheck && mkdir -p .typecheck/pharmadeals
	for pkg in pipeline scrapers extractors models; do ln -s ../../$$pkg .typecheck/pharmadeals/$$pkg; done
	MYPYPATH=.typecheck $(BIN)/mypy -p pharmadeals
	$(BIN)/lint-imports --config pyproject.toml

test: lint  ## lint, then the whole suite (the PostgreSQL run needs PHARMADEALS_TEST_PG_URL; .ci/run sets it)
	$(BIN)/python -m pytest

eval: install  ## precision/recall/F1 of the extractor on the dev corpus (dev and test splits)
	$(BIN)/pharmadeals eval tests/corpora/corpus/gold_en.jsonl tests/corpora/corpus/gold_zh.jsonl --split dev
	$(BIN)/pharmadeals eval tests/corpora/corpus/gold_en.jsonl tests/corpora/corpus/gold_zh.jsonl --split test

bench: dev  ## throughput and memory figures recorded in docs/quality.md
	for script in benchmarks/bench_*.py; do $(BIN)/python $$script || exit 1; done

soak: dev
	$(BIN)/python -m pytest -m soak

clean:
	rm -rf $(VENV) $(DEMO_DIR) .pytest_cache .typecheck

train: install  ## the money-role classifier from the tuned corpora into build/ (off unless $$PHARMADEALS_MONEY_ROLE_MODEL names it)
	$(BIN)/python scripts/train_money_roles.py --compare
	$(BIN)/python scripts/train_money_roles.py --cross-validate 5

score: install  ## the tuned corpora of tests/corpora/manifest.toml through `extract`, scored by the independent scorer
	$(BIN)/python tests/corpora/score.py --manifest --role tuned
