# Tradelab: `make run` and `make test` are all a fresh Debian machine needs.
SHELL := /bin/bash
export PATH := /opt/swift/usr/bin:$(PATH)

DEBUG_BIN   := .build/debug/tradelab
RELEASE_BIN := .build/release/tradelab
DATA_DIR    ?= data
SAMPLE_DAYS ?= 30

.PHONY: run test bench setup build release sample clean

HOST ?= 127.0.0.1
PORT ?= 8080

## Install what is missing, build, generate sample data, serve the API and the web IDE.
run: setup release sample
	@echo "Open http://$(HOST):$(PORT)/ (Ctrl+C stops the server)"
	$(RELEASE_BIN) serve --host $(HOST) --port $(PORT) --data-dir $(DATA_DIR) --strategies-dir strategies \
		--state-dir .tradelab --web-dir web

## Install what is missing, build, run every test suite (Swift, then the Python reference checks).
test: setup
	swift build --build-tests
	swift test --skip-build
	TRADELAB_BIN=$(DEBUG_BIN) .venv/bin/python -m pytest -q tests

## Throughput benchmarks, with the peers (vectorbt, backtesting.py) when they install.
bench: release
	scripts/setup.sh bench
	$(RELEASE_BIN) bench
	@if [ -x .venv-bench/bin/python ]; then .venv-bench/bin/python scripts/bench_peers.py --tradelab $(RELEASE_BIN); fi
	.venv/bin/python scripts/bench_server.py --tradelab $(RELEASE_BIN)
	.venv/bin/python scripts/bench_pipeline.py --tradelab $(RELEASE_BIN)
	.venv/bin/python scripts/bench_ui.py --tradelab $(RELEASE_BIN)
	$$( [ -x .venv-bench/bin/python ] && echo .venv-bench/bin/python || echo .venv/bin/python ) scripts/bench_optimize.py --tradelab $(RELEASE_BIN)

setup:
	@scripts/setup.sh

build:
	swift build

## Release binaries (tradelab, and tradelab-worker that the server starts for each run) link the
## Swift runtime and Foundation statically: every worker process starts faster.
release:
	swift build -c release --static-swift-stdlib

sample: release
	@[ -f $(DATA_DIR)/BTCUSDT_1m.csv ] || $(RELEASE_BIN) data sample --out $(DATA_DIR) --days $(SAMPLE_DAYS)

clean:
	rm -rf .build runs .tradelab
