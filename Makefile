# gradscape — the two commands a newcomer needs: `make serve` and `make test`.
# Every install step checks first, so a second run installs nothing.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

TRUNK_VERSION        := 0.21.14
WASM_BINDGEN_VERSION := 0.2.130
CARGO_BIN            := $(HOME)/.cargo/bin
# npm's wasm-opt (binaryen 132) must come first: Debian's binaryen 108 writes broken wasm.
export PATH := $(CURDIR)/node_modules/.bin:$(CARGO_BIN):$(PATH)
PORT ?= 8080
# A venv with torch and optax, so the exported scripts are run, not only compiled; kept outside
# the clone (it is 6 GB) and rebuilt when tests/python-requirements.txt changes.
PYENV := $(HOME)/.cache/gradscape/python-$(shell sha256sum tests/python-requirements.txt | cut -c1-12)

.PHONY: help serve test build bench fmt lint test-native test-wasm test-browser size \
        deps deps-rust deps-node deps-browser deps-python

help:
	@echo "make serve   build and serve the app on http://127.0.0.1:$(PORT)/ (installs what is missing)"
	@echo "make test    every check: fmt, clippy, native tests, wasm tests, release build, browser tests"
	@echo "make build   release build into dist/"
	@echo "make bench   engine and browser benchmarks"
	@echo "make fuzz    cargo-fuzz on the URL, expression, call and schedule parsers (FUZZ_SECONDS=60)"

# ---------------------------------------------------------------- installs (idempotent)
deps: deps-rust deps-node

deps-rust:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown \
	  || { echo "installing the wasm32 target"; rustup target add wasm32-unknown-unknown; }
	@trunk --version 2>/dev/null | grep -q "trunk $(TRUNK_VERSION)" \
	  || { echo "installing trunk $(TRUNK_VERSION) (about 7 minutes on 2 cores)"; \
	       cargo install --locked trunk@$(TRUNK_VERSION); }
	@wasm-bindgen --version 2>/dev/null | grep -q "wasm-bindgen $(WASM_BINDGEN_VERSION)" \
	  || { echo "installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION) (about 2 minutes)"; \
	       cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION); }

# Re-run npm only when the lock file changed since the last install.
deps-node: node_modules/.installed
node_modules/.installed: package.json package-lock.json
	@echo "installing npm packages (playwright-core, binaryen)"
	npm ci --no-audit --no-fund
	@touch $@

deps-python: $(PYENV)/.installed
$(PYENV)/.installed: tests/python-requirements.txt
	@echo "installing torch and optax in $(PYENV) (about 3 GB from PyPI, 1-3 minutes)"
	python3 -m venv $(PYENV)
	$(PYENV)/bin/pip install --quiet -r tests/python-requirements.txt
	@touch $@

# Debian's Chromium and ChromeDriver when root; otherwise use $$CHROME / $$CHROMIUM or PATH.
deps-browser:
	@if [ -n "$${CHROME:-$${CHROMIUM:-}}" ] || command -v chromium >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
	  echo "installing Debian's chromium and chromium-driver"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	else \
	  echo "No Chromium found. Install Debian's 'chromium' and 'chromium-driver' packages," >&2; \
	  echo "or set CHROME=/path/to/chrome (and CHROMEDRIVER=/path/to/chromedriver)." >&2; exit 1; \
	fi
	@# A font with Chinese glyphs, so screenshots of the zh page show text, not boxes.
	@[ -n "$$(fc-list :lang=zh 2>/dev/null)" ] || [ "$$(id -u)" != 0 ] \
	  || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei >/dev/null || true
	@command -v chromedriver >/dev/null || [ -n "$${CHROMEDRIVER:-}" ] \
	  || { [ "$$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium-driver >/dev/null; } \
	  || { echo "No chromedriver found: install 'chromium-driver' or set CHROMEDRIVER" >&2; exit 1; }

# ---------------------------------------------------------------- build and serve
build: deps
	trunk build --release --offline --skip-version-check

serve: deps
	@echo "serving on http://127.0.0.1:$(PORT)/"
	@( sleep 8; command -v xdg-open >/dev/null && [ -n "$${DISPLAY:-}" ] \
	   && xdg-open "http://127.0.0.1:$(PORT)/" >/dev/null 2>&1 ) & \
	trunk serve --offline --skip-version-check --address 127.0.0.1 --port $(PORT)

# ---------------------------------------------------------------- tests
test: deps deps-browser deps-python
	cargo fmt --check
	cargo clippy --all-targets -- -D warnings
	cargo clippy --lib --bins --test web --target wasm32-unknown-unknown -- -D warnings
	PYTHON=$(PYENV)/bin/python cargo test
	$(MAKE) --no-print-directory test-wasm
	trunk build --release --offline --skip-version-check
	node tests/browser/size.mjs
	node tests/browser/run.mjs

test-wasm:
	CHROMEDRIVER=$${CHROMEDRIVER:-$$(command -v chromedriver)} \
	  cargo test --target wasm32-unknown-unknown --test web

test-browser:
	node tests/browser/run.mjs

bench: deps deps-browser
	cargo bench --bench engine
	node benches/report.mjs
	trunk build --release --offline --skip-version-check
	node tests/browser/size.mjs --report
	node tests/browser/bench.mjs

# ---------------------------------------------------------------- fuzzing
# cargo-fuzz passes nightly-only -Z flags (ASan, coverage); RUSTC_BOOTSTRAP=1 lets the stable
# toolchain accept them. Crashes land in fuzz/artifacts/<target>/.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := decode_url parse_expr parse_calls parse_schedule
.PHONY: fuzz
fuzz:
	@cargo fuzz --version >/dev/null 2>&1 \
	  || { echo "installing cargo-fuzz (about 3 minutes)"; cargo install cargo-fuzz --locked; }
	@for t in $(FUZZ_TARGETS); do \
	  echo "fuzzing $$t for $(FUZZ_SECONDS) s"; \
	  RUSTC_BOOTSTRAP=1 cargo fuzz run -O -a $$t -- -max_total_time=$(FUZZ_SECONDS); \
	done
