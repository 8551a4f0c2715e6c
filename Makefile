# The two commands: `make partners` runs the main job, `make test` every test.
# Both create the virtual environment with the pinned dependencies first.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
READY := $(VENV)/.ready

BREAKOUT ?=
HEALTH ?=
AS_OF ?=
# (their text unexpanded: make would expand a `$` in an exported BREAKOUT)
export PARTNERS_BREAKOUT := $(value BREAKOUT)
export PARTNERS_HEALTH := $(value HEALTH)
export PARTNERS_AS_OF := $(value AS_OF)

# Paths reach the program exactly as typed: the recipe hands the shell an
# environment variable's name ("$$PARTNERS_BREAKOUT", set above to the text
# given), so no character of it (a quote, a `$`, a space, a newline, a
# leading "-") is interpreted: make partners BREAKOUT='Q4 $BUDGET/roster.xlsx'.

# The browser tests drive Debian's chromium (a test tool's own browser download
# fails offline); installed here when missing.
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: partners test test-stops test-spark lint bench sql docs docs-serve analyses screenshots timings venv clean

# The workbooks given, else data/raw/breakout.xlsx and data/raw/health.xlsx
# when both exist, else the sample: its workbooks and two earlier Health drops
# are generated into build/sample/ first, then built like any other input
# (with a history store of their own).
SAMPLE := build/sample
DATA_RAW := $(wildcard data/raw/breakout.xlsx data/raw/health.xlsx)
ifneq ($(value BREAKOUT)$(value HEALTH),)
INPUTS = $(if $(value BREAKOUT),--breakout="$$PARTNERS_BREAKOUT") \
	$(if $(value HEALTH),--health="$$PARTNERS_HEALTH")
else ifeq ($(words $(DATA_RAW)),2)
INPUTS = --breakout data/raw/breakout.xlsx --health data/raw/health.xlsx
else
GENERATE_SAMPLE = $(BIN)/python scripts/tools generate_sample --out-dir $(SAMPLE)
INPUTS = --breakout=$(SAMPLE)/breakout.xlsx --health=$(SAMPLE)/health.xlsx \
	--history-dir=$(SAMPLE)/history --earlier-health $(SAMPLE)/earlier/health_*.xlsx
endif

# FORCE=1 (or yes, true) rebuilds unchanged inputs; FORCE=0, no or false do not.
# Options are written --name=value, so that a path starting with "-" is a path.
FORCED = $(filter-out 0 no false,$(FORCE))
partners: $(READY)
	$(GENERATE_SAMPLE)
	$(BIN)/python scripts/partners $(if $(FORCED),--force) $(INPUTS) \
		$(if $(value AS_OF),--as-of="$$PARTNERS_AS_OF")

# The oldest DuckDB client the published file must open in (storage
# compatibility v1.0.0, profiles.yml): Python duckdb 1.0.0 in a folder of its
# own beside the virtual environment, for scripts/tests/test_pipeline.py.
OLDEST_DUCKDB_VERSION := 1.0.0
OLDEST_DUCKDB := $(VENV)/compat/duckdb-$(OLDEST_DUCKDB_VERSION)/.ready

# The suite runs on TEST_WORKERS processes (CI has two cores); most of its time
# is whole main-job runs, each on one core. A module whose tests share a build
# of their own is marked as one group, built by one worker (xdist_group).
# TEST_WORKERS=0 runs the suite in this one process. The 15 slowest tests are
# listed at the end (where the suite's time goes).
TEST_WORKERS ?= 2
test: lint $(CHROMIUM) $(OLDEST_DUCKDB)
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup --durations=15

# Ctrl-C at every STOP_SWEEP_MS of a whole sample run (hundreds of runs, about
# 20 minutes on 2 cores; not part of make test): at every moment one line, no
# traceback from any process, and nothing published changed.
STOP_SWEEP_MS ?= 50
test-stops: $(READY)
	PARTNERS_STOP_SWEEP_MS=$(STOP_SWEEP_MS) $(BIN)/python -m pytest -n $(TEST_WORKERS) \
		scripts/tests/test_stops.py -k at_every_moment_of_a_run -rA

$(OLDEST_DUCKDB): | $(READY)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps \
		--target $(dir $@) duckdb==$(OLDEST_DUCKDB_VERSION)
	touch $@

# Python (ruff) and SQL (sqlfluff with the dbt templater, against an in-memory
# database) lint, and the documentation coverage check; dbt needs the raw seeds
# to compile the project, so the sample's are written when there are none.
# sqlfluff's worker processes leave semaphores that Python's resource tracker
# warns about after it exits (noise, not a finding): those warnings are off.
RAW_SEEDS := seeds/raw/raw_breakout_campaigns.csv
lint: $(READY) $(RAW_SEEDS)
	$(BIN)/ruff check scripts
	$(BIN)/ruff format --check scripts
	PYTHONWARNINGS=ignore:resource_tracker $(BIN)/sqlfluff lint --processes $(TEST_WORKERS) models tests analyses
	$(BIN)/python scripts/tools check_docs

$(RAW_SEEDS): | $(READY)
	$(BIN)/python scripts/tools generate_sample --out-dir $(SAMPLE)
	$(BIN)/python scripts/partners convert --breakout $(SAMPLE)/breakout.xlsx --health $(SAMPLE)/health.xlsx \
		--history-dir $(SAMPLE)/history
	PYTHONPATH=scripts $(BIN)/python -m partners.run_history --history-dir $(SAMPLE)/history

# The same project on Apache Spark (local PySpark, Java 17): seeds, builds and
# tests the sample there and compares every mart with the DuckDB build.
SPARK_READY := $(VENV)/.spark-ready
test-spark: $(SPARK_READY)
	$(BIN)/python scripts/tools spark_check

$(SPARK_READY): requirements-spark.txt $(READY)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-spark.txt
	touch $@

# Stage-by-stage timings at several scales (500 = 1,033,500 roster rows, the
# largest that fits one Excel sheet), written to docs/benchmarks.md.
SCALES ?= 1 10 100 500
# ... and again on a messy export of these sizes (generate_sample --messy)
MESSY_SCALES ?= 100
REPEATS ?= 3
bench: $(READY) $(CHROMIUM)
	$(BIN)/python scripts/tools benchmark --scales $(SCALES) --messy-scales $(MESSY_SCALES) \
		--repeats $(REPEATS)

# Analysts: a read-only DuckDB console on the published database, marts first
# on the search path (`select * from partners` works).
DATABASE := build/partners.duckdb
sql: $(READY)
	@test -f $(DATABASE) || { echo "no $(DATABASE) yet: run make partners first"; exit 1; }
	$(BIN)/duckdb -readonly $(DATABASE) -cmd "set search_path = 'marts,staging,main'"

# The dbt catalog and lineage, generated from a copy of the published database
# (so analysts' open connections are never in the way).
DOCS_DATABASE := $(CURDIR)/build/.docs/partners.duckdb
docs: $(READY)
	@test -f $(DATABASE) || { echo "no $(DATABASE) yet: run make partners first"; exit 1; }
	mkdir -p build/.docs && cp $(DATABASE) $(DOCS_DATABASE)
	$(BIN)/python scripts/partners dbt --database $(DOCS_DATABASE) docs generate --static --quiet
	@echo "catalog and lineage: target/static_index.html (one file), or: make docs-serve"

docs-serve: docs
	$(BIN)/python scripts/partners dbt --database $(DOCS_DATABASE) docs serve --host 127.0.0.1 --port 8080

# The example queries of analyses/, compiled into plain SQL.
analyses: $(READY) $(RAW_SEEDS)
	$(BIN)/python scripts/partners dbt --database $(DOCS_DATABASE) compile --select "resource_type:analysis" --quiet
	@ls target/compiled/partners/analyses/*.sql

# The report in Chromium: desktop, phone, partner-view and printed-brief screenshots into
# build/screenshots, and the small one the README shows (docs/partners-phone.png);
# `make timings` builds the page at each of TIMINGS_SCALES (the sample workbooks
# `make bench` uses) and measures its ready time, each keystroke, filter click,
# partner opened and advertiser expanded at 1x and 4x CPU slowdown, and after
# each action the JS heap beside the tab's renderer resident memory, into its
# own section of docs/benchmarks.md.
REPORT := build/partners.html
screenshots: $(READY) $(CHROMIUM)
	@test -f $(REPORT) || { echo "no $(REPORT) yet: run make partners first"; exit 1; }
	$(BIN)/python scripts/tools report_browser --html $(REPORT) --docs docs/partners-phone.png

TIMINGS_SCALES ?= 1 100
timings: $(READY) $(CHROMIUM)
	$(BIN)/python scripts/tools report_timings --scales $(TIMINGS_SCALES) --repeats $(REPEATS)

venv: $(READY)

$(CHROMIUM):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium

$(READY): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

clean:
	rm -rf build target logs seeds/raw metastore_db derby.log spark-warehouse
