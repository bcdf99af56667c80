# Two entry points: `make demo` (the main job on the embedded defaults) and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.livebot-installed
# The CPU build of torch that this project's CI machines keep on local disk. `--no-index` makes the
# attempt free elsewhere: a user's machine skips it and gets its normal torch (GPU builds included)
# from the package index through the project's own range, torch>=2.4.
TORCH_LOCAL_PIN ?= torch==2.13.0

.PHONY: demo test lint install clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -c "import torch" 2>/dev/null || $(BIN)/pip install -q --no-index "$(TORCH_LOCAL_PIN)" 2>/dev/null || true
	$(BIN)/pip install -q -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/livebot demo --config config.toml

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

test: lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .import_linter_cache
