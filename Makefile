# Two commands are the quick start: `make ingest` and `make test`. Each installs what it needs.
PY := .venv/bin/python
STAMP := .venv/.installed

$(STAMP): pyproject.toml
	python3 -m venv .venv
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev]"
	$(PY) -m flows.database  # Prefect's database, made now: the first run does not wait for it
	touch $(STAMP)

.PHONY: ingest test lint schema
ingest: $(STAMP)
	$(PY) -m flows.ingest raw --out clean

test: $(STAMP)
	$(PY) -m pytest

lint: $(STAMP)
	$(PY) -m ruff check pipeline flows tests bench

schema: $(STAMP)
	$(PY) -m pipeline schema

.PHONY: devset bench fuzz
devset: $(STAMP)
	$(PY) -m bench.devset --verbose

bench: $(STAMP)
	$(PY) -m pip install -q -e ".[bench]"
	$(PY) -m bench.run

fuzz: $(STAMP)
	$(PY) -m pip install -q -e ".[bench]"
	$(PY) tests/fuzz_pipeline.py -max_total_time=120
