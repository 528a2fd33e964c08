# Helpforce: `make run` to try it, `make test` to check it.
GO      ?= go
BIN     := bin/helpforce
PKGS    := ./...

.PHONY: run build test test-go test-browser vet lint bench chaos fuzz sim load clean image image-test

run: build ## build and start with an embedded database and demo data on :8080
	@scripts/deps.sh postgres
	./$(BIN) serve

build: ## build the binary into bin/
	$(GO) build -o $(BIN) ./cmd/helpforce

test: vet test-go test-browser ## every test

vet:
	$(GO) vet $(PKGS)

test-go: build ## Go tests against a throwaway PostgreSQL, with the race detector
	@scripts/deps.sh postgres
	HELPFORCE_BIN=$(CURDIR)/$(BIN) $(GO) test -race -p 2 -count=1 $(PKGS)

test-browser: build ## browser journeys in Debian's Chromium
	@scripts/deps.sh chromium
	cd tests && npm ci --no-audit --no-fund --loglevel=error && \
		HELPFORCE_BIN=$(CURDIR)/$(BIN) npm test --silent

lint: vet ## static checks
	@test -z "$$(gofmt -l . | tee /dev/stderr)" || (echo "gofmt: the files above need formatting" && exit 1)

bench: ## Go benchmarks and HTTP load against the real binary
	scripts/bench.sh

chaos: ## failure drills against the real binary: database restarts, kill -9 under load, a replica killed, restarts with SIGTERM under load, push outage, slow clients (minutes)
	@scripts/deps.sh postgres
	HELPFORCE_CHAOS=long $(GO) test -count=1 -v -timeout 30m ./tests/chaos

FUZZTIME ?= 20s
FUZZ     := FuzzJSONBodies FuzzInventoryImport FuzzQueryParams
fuzz: ## hostile input through the real handlers, FUZZTIME per target (default 20s); failing inputs land in api/testdata/fuzz
	@scripts/deps.sh postgres
	@for target in $(FUZZ); do \
		echo "fuzzing $$target for $(FUZZTIME)"; \
		$(GO) test ./api -run '^$$' -fuzz "^$$target$$" -fuzztime $(FUZZTIME) -parallel 1 || exit 1; \
	done

image: ## the container image (podman, from scratch, the static binary built here)
	scripts/image.sh build

image-test: ## build the image and run it against a throwaway PostgreSQL; skips, saying why, where podman cannot run containers
	scripts/image.sh test

clean:
	rm -rf bin tests/screenshots
