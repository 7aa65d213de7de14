# Two commands do everything on a fresh machine: `make serve` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
VOICE := var/voices/en_US-joe-medium.aligned.onnx

.PHONY: serve test test-fast lint bench install clean

install: $(STAMP) $(VOICE)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

# The Piper voice ships without its alignment output; patch it once so that run time needs no onnx.
$(VOICE): $(STAMP)
	$(BIN)/avatarsynth voices prepare

serve: install
	$(BIN)/avatarsynth serve

test: install
	$(BIN)/python -m pytest

# The same suite without the tests marked slow (real renders, real servers).
test-fast: install
	$(BIN)/python -m pytest -m 'not slow'

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

bench: install
	$(BIN)/python bench/pipeline.py

clean:
	rm -rf $(VENV) var
