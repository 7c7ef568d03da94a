# crimetrends: `make run` runs the demo, `make test` runs every test (as CI does).
GO        ?= go
BIN       := bin/crimetrends
PKGS      := ./...
STATICCHECK_VERSION := v0.8.2
SHARED    ?= ../shared
BENCH_ROWS ?= 1000000 10000000

.DEFAULT_GOAL := help

help: ## list the targets
	@grep -hE '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-12s %s\n", $$1, $$2}'

assets: ## build reports/assets/echarts.min.js: only the charts the pages use, from the pinned npm packages (ECHARTS_FULL=1: the full build)
	@GO="$(GO)" ECHARTS_FULL="$(ECHARTS_FULL)" scripts/build-echarts.sh

build: assets ## build bin/crimetrends
	$(GO) build -trimpath -o $(BIN) ./cmd/crimetrends

run: build ## run the demo on built-in synthetic data, reports in demo-report/
	./$(BIN) demo --out demo-report
	@echo "open demo-report/dashboard.html"

duckdb-tools: ## install DuckDB's Node.js package into .cache/duckdb (for the interop tests)
	@scripts/duckdb-tools.sh >/dev/null

test: assets duckdb-tools vet fmt-check ## every test, with the race detector (what CI runs)
	$(GO) test -race -count=1 $(PKGS)

short: assets ## the fast tests only (no real-data or end-to-end tests)
	$(GO) test -short $(PKGS)

race: test ## alias of test

vet: ## go vet
	$(GO) vet $(PKGS)

fmt: ## gofmt the tree
	gofmt -w $$(git ls-files '*.go')

fmt-check: ## fail if gofmt would change a file
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	 if [ -n "$$out" ]; then echo "gofmt would rewrite:"; echo "$$out"; exit 1; fi

lint: vet fmt-check ## go vet, gofmt and staticcheck (installed at a pinned version)
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) $(PKGS)

tidy-check: ## fail if go mod tidy would change go.mod or go.sum
	@cp go.mod /tmp/ct-go.mod && cp go.sum /tmp/ct-go.sum && $(GO) mod tidy && \
	 if ! cmp -s go.mod /tmp/ct-go.mod || ! cmp -s go.sum /tmp/ct-go.sum; then \
	   echo "go mod tidy changes go.mod/go.sum"; cp /tmp/ct-go.mod go.mod; cp /tmp/ct-go.sum go.sum; exit 1; fi

golden: assets ## rewrite golden files (review them with git diff)
	$(GO) test ./... -update

e2e: ## open every dashboard page in headless Chromium: network off, console, charts, links, axe-core, screenshots
	@scripts/browser-test.sh

fuzz: ## run each fuzz target for 20 s
	@scripts/fuzz.sh 20s

bench: build ## Go benchmarks and ingest against DuckDB on 1M and 10M generated rows, as a table (BENCH_ROWS="1000000" for a quick one)
	SHARED=$(SHARED) BENCH_ROWS="$(BENCH_ROWS)" scripts/bench.sh

clean: ## remove build outputs and demo reports
	rm -rf bin demo-report .bench

.PHONY: help assets duckdb-tools e2e build run test short race vet fmt fmt-check lint tidy-check golden fuzz bench clean
