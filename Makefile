# The two commands: `make partners` runs the main job, `make test` every test.
# Both create the virtual environment with the pinned dependencies first.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
READY := $(VENV)/.ready

BREAKOUT ?=
HEALTH ?=

# The browser tests drive Debian's chromium (a test tool's own browser download
# fails offline); installed here when missing.
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: partners test bench venv clean

partners: $(READY)
	$(BIN)/python scripts/run_pipeline.py \
		$(if $(BREAKOUT),--breakout "$(BREAKOUT)") \
		$(if $(HEALTH),--health "$(HEALTH)")

test: $(READY) $(CHROMIUM)
	$(BIN)/ruff check scripts
	$(BIN)/ruff format --check scripts
	$(BIN)/python -m pytest

# Stage-by-stage timings at several scales, written to docs/benchmarks.md.
SCALES ?= 1 10 100
REPEATS ?= 3
bench: $(READY) $(CHROMIUM)
	$(BIN)/python scripts/benchmark.py --scales $(SCALES) --repeats $(REPEATS)

venv: $(READY)

$(CHROMIUM):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium

$(READY): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

clean:
	rm -rf build target logs seeds/raw
