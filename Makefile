# The two commands: `make partners` runs the main job, `make test` every test.
# Both create the virtual environment with the pinned dependencies first.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
READY := $(VENV)/.ready

BREAKOUT ?=
HEALTH ?=

.PHONY: partners test venv clean

partners: $(READY)
	$(BIN)/python scripts/run_pipeline.py \
		$(if $(BREAKOUT),--breakout "$(BREAKOUT)") \
		$(if $(HEALTH),--health "$(HEALTH)")

test: $(READY)
	$(BIN)/ruff check scripts
	$(BIN)/ruff format --check scripts
	$(BIN)/python -m pytest

venv: $(READY)

$(READY): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

clean:
	rm -rf build target logs seeds/raw
