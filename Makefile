# Set-up and checks on a fresh Debian/Ubuntu machine with Python >= 3.10 and Node >= 20.
#   make demo   install, then build the built-in sample collection and print where it is
#   make test   install (with browser and database for the tests), then run every test
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
APT     = $(if $(filter 0,$(shell id -u)),,sudo) apt-get

.PHONY: demo test install viewer viewer-test test-system-deps torch-reference

demo: install
	$(BIN)/tsne-assets demo

test: install test-system-deps torch-reference viewer-test
	$(BIN)/python -m pytest

# The EfficientNet port is compared with PyTorch where a CPU build of torch is at hand
# locally (never the multi-GB CUDA build from the registry); elsewhere that one test skips.
TORCH_WHEELS ?= /opt/wheels
torch-reference: install
	@if ls $(TORCH_WHEELS)/torch-*.whl >/dev/null 2>&1; then \
		$(BIN)/pip install --quiet --find-links $(TORCH_WHEELS) "torch==2.13.0"; fi

install: $(BIN)/tsne-assets viewer

$(BIN)/tsne-assets: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

viewer: tsne_assets/viewer_dist/index.html

# The viewer's pure modules, unit-tested with Node's built-in runner (no browser).
viewer-test:
	npm --prefix viewer test

tsne_assets/viewer_dist/index.html: viewer/package.json viewer/package-lock.json $(wildcard viewer/src/* viewer/index.html viewer/vite.config.js)
	npm --prefix viewer ci --no-audit --no-fund
	npm --prefix viewer run build

# Debian's Chromium drives the viewer's browser tests; nothing downloads a browser.
# PostgreSQL backs the production-storage test; docker-compose (Debian's) validates deploy/'s compose file.
test-system-deps:
	@command -v chromium >/dev/null || ($(APT) update -qq && $(APT) install -y -qq chromium chromium-driver)
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || ($(APT) update -qq && $(APT) install -y -qq postgresql)
	@command -v docker-compose >/dev/null || docker compose version >/dev/null 2>&1 || ($(APT) update -qq && $(APT) install -y -qq docker-compose)
